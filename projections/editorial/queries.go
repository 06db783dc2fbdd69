package editorial

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/projections"
)

// ErrNotFound: the row asked for is not in the read model.
var ErrNotFound = projections.ErrNotFound

// Event is one editorial_events row in the legacy shape (spec/ops.md
// §1.6); empty optional fields are null. Instants are RFC 3339 in
// Asia/Jakarta.
type Event struct {
	EventID     int64     `json:"event_id"`
	EventDate   time.Time `json:"event_date"`
	Topic       string    `json:"topic"`
	JudulBerita *string   `json:"judul_berita"`
	Assignee    *string   `json:"assignee"`
	Status      string    `json:"status"`
	Content     *string   `json:"content"`
	Summary     *string   `json:"summary"`
	ImagePath   *string   `json:"image_path"`
	Tag         *string   `json:"tag"`
	Kategori    *string   `json:"kategori"`
	CreatedBy   string    `json:"created_by"`
	UpdatedBy   string    `json:"updated_by"`
	CreatedAt   time.Time `json:"created_at"`
	LastUpdate  time.Time `json:"last_update"`
	Version     uint64    `json:"version"`
	// UpdatedByUsername is the list's join (null when the account is unknown).
	UpdatedByUsername *string `json:"-"`
}

// ListedEvent is a row of GET /api/events: event_date as dd/mm/yyyy (the
// Jakarta day), plus updated_by_username and last_updated.
type ListedEvent struct {
	Event
	EventDate         string    `json:"event_date"`
	UpdatedByUsername *string   `json:"updated_by_username"`
	LastUpdated       time.Time `json:"last_updated"`
}

// Listed is e in the list's shape.
func (e Event) Listed() ListedEvent {
	return ListedEvent{Event: e, EventDate: e.EventDate.In(jakarta.Location).Format("02/01/2006"),
		UpdatedByUsername: e.UpdatedByUsername, LastUpdated: e.LastUpdate}
}

// Release is one editorial_press_releases row (press_release_detail).
type Release struct {
	EventID     int64   `json:"event_id"`
	Judul       *string `json:"judul"`
	Dasar       *string `json:"dasar"`
	Tersangka   *string `json:"tersangka"`
	TKP         *string `json:"tkp"`
	Kronologi   *string `json:"kronologi"`
	Modus       *string `json:"modus"`
	BarangBukti *string `json:"barang_bukti"`
	Pasal       *string `json:"pasal"`
	Ancaman     *string `json:"ancaman"`
	Catatan     *string `json:"catatan"`
	Version     uint64  `json:"version"`
}

// Approval is one editorial_approvals row (approval_request) with the
// decision's note and editor (ours).
type Approval struct {
	RequestID   int64     `json:"request_id"`
	EventID     int64     `json:"event_id"`
	RequestedBy string    `json:"requested_by"`
	Status      string    `json:"status"`
	Note        *string   `json:"note"`
	DecidedBy   *string   `json:"decided_by"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	Version     uint64    `json:"version"`
}

// Log is one editorial_change_logs row (change_log); Username is the
// list's join.
type Log struct {
	LogID    int64     `json:"log_id"`
	EventID  int64     `json:"event_id"`
	UserID   string    `json:"user_id"`
	Status   *string   `json:"status"`
	Changes  *string   `json:"changes"`
	LoggedAt time.Time `json:"logged_at"`
	Username *string   `json:"username,omitempty"`
}

// Queries reads the editorial read models (and usernames from penmas_users).
type Queries struct{ db projections.Querier }

// NewQueries reads through db.
func NewQueries(db projections.Querier) *Queries { return &Queries{db: db} }

const eventSelect = `SELECT e.event_id, e.event_date, e.topic, e.judul_berita, e.assignee, e.status, e.content, e.summary,
	e.image_path, e.tag, e.kategori, e.created_by, e.updated_by, e.created_at, e.last_update, e.version, u.username
	FROM editorial_events e LEFT JOIN penmas_users u ON u.user_id = e.updated_by`

func scanEvent(row pgx.Row) (Event, error) {
	var e Event
	var v int64
	err := row.Scan(&e.EventID, &e.EventDate, &e.Topic, &e.JudulBerita, &e.Assignee, &e.Status, &e.Content, &e.Summary,
		&e.ImagePath, &e.Tag, &e.Kategori, &e.CreatedBy, &e.UpdatedBy, &e.CreatedAt, &e.LastUpdate, &v, &e.UpdatedByUsername)
	e.Version = uint64(v)
	e.EventDate, e.CreatedAt, e.LastUpdate = local(e.EventDate), local(e.CreatedAt), local(e.LastUpdate)
	return e, err
}

func local(t time.Time) time.Time { return t.In(jakarta.Location) }

// EventsOf lists the events userID created or is assigned, by event date
// (GET /api/events).
func (q *Queries) EventsOf(ctx context.Context, userID string) ([]Event, error) {
	rows, err := q.db.Query(ctx, eventSelect+` WHERE e.created_by = $1 OR e.assignee = $1
		ORDER BY e.event_date, e.event_id`, userID)
	if err != nil {
		return nil, fmt.Errorf("editorial events of %s: %w", userID, err)
	}
	defer rows.Close()
	out := []Event{}
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, fmt.Errorf("editorial events: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Event returns the event with id; ErrNotFound when there is none.
func (q *Queries) Event(ctx context.Context, id int64) (Event, error) {
	e, err := scanEvent(q.db.QueryRow(ctx, eventSelect+` WHERE e.event_id = $1`, id))
	return e, one(err, "editorial event")
}

func one(err error, what string) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%s: %w", what, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// Release returns the press-release detail of event id; ErrNotFound when
// there is none.
func (q *Queries) Release(ctx context.Context, eventID int64) (Release, error) {
	var r Release
	var v int64
	err := q.db.QueryRow(ctx, `SELECT event_id, judul, dasar, tersangka, tkp, kronologi, modus, barang_bukti, pasal,
		ancaman, catatan, version FROM editorial_press_releases WHERE event_id = $1`, eventID).Scan(&r.EventID, &r.Judul,
		&r.Dasar, &r.Tersangka, &r.TKP, &r.Kronologi, &r.Modus, &r.BarangBukti, &r.Pasal, &r.Ancaman, &r.Catatan, &v)
	r.Version = uint64(v)
	return r, one(err, "press release detail")
}

const approvalSelect = `SELECT request_id, event_id, requested_by, status, note, decided_by, created_at, updated_at, version
	FROM editorial_approvals`

func scanApproval(row pgx.Row) (Approval, error) {
	var a Approval
	var v int64
	err := row.Scan(&a.RequestID, &a.EventID, &a.RequestedBy, &a.Status, &a.Note, &a.DecidedBy, &a.CreatedAt, &a.UpdatedAt, &v)
	a.Version, a.CreatedAt, a.UpdatedAt = uint64(v), local(a.CreatedAt), local(a.UpdatedAt)
	return a, err
}

// Approvals lists approval requests, newest first (GET /api/approvals):
// every request when all, else those userID asked for or whose event
// userID created or is assigned.
func (q *Queries) Approvals(ctx context.Context, userID string, all bool) ([]Approval, error) {
	rows, err := q.db.Query(ctx, approvalSelect+` a WHERE $2 OR a.requested_by = $1 OR EXISTS (
			SELECT 1 FROM editorial_events e WHERE e.event_id = a.event_id AND (e.created_by = $1 OR e.assignee = $1))
		ORDER BY a.created_at DESC, a.request_id DESC`, userID, all)
	if err != nil {
		return nil, fmt.Errorf("approval requests: %w", err)
	}
	defer rows.Close()
	out := []Approval{}
	for rows.Next() {
		a, err := scanApproval(rows)
		if err != nil {
			return nil, fmt.Errorf("approval requests: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Approval returns the request with id; ErrNotFound when there is none.
func (q *Queries) Approval(ctx context.Context, id int64) (Approval, error) {
	a, err := scanApproval(q.db.QueryRow(ctx, approvalSelect+` WHERE request_id = $1`, id))
	return a, one(err, "approval request")
}

const logSelect = `SELECT l.log_id, l.event_id, l.user_id, l.status, l.changes, l.logged_at, u.username
	FROM editorial_change_logs l LEFT JOIN penmas_users u ON u.user_id = l.user_id`

func scanLog(row pgx.Row) (Log, error) {
	var l Log
	err := row.Scan(&l.LogID, &l.EventID, &l.UserID, &l.Status, &l.Changes, &l.LoggedAt, &l.Username)
	l.LoggedAt = local(l.LoggedAt)
	return l, err
}

// Logs lists an event's change log, oldest first (GET /api/events/:id/logs).
func (q *Queries) Logs(ctx context.Context, eventID int64) ([]Log, error) {
	rows, err := q.db.Query(ctx, logSelect+` WHERE l.event_id = $1 ORDER BY l.logged_at, l.log_id`, eventID)
	if err != nil {
		return nil, fmt.Errorf("change log of %d: %w", eventID, err)
	}
	defer rows.Close()
	out := []Log{}
	for rows.Next() {
		l, err := scanLog(rows)
		if err != nil {
			return nil, fmt.Errorf("change log: %w", err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// Log returns the entry with id; ErrNotFound when there is none.
func (q *Queries) Log(ctx context.Context, id int64) (Log, error) {
	l, err := scanLog(q.db.QueryRow(ctx, logSelect+` WHERE l.log_id = $1`, id))
	return l, one(err, "change log entry")
}
