package premium

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/projections"
)

// PersonnelName is the personnel premium projection's name
// (checkpoints, lock, CLI).
const PersonnelName = "personnel_premium"

// Personnel is the read model of the legacy personnel premium
// (spec/access.md §3.8), built from the Personnel* events of the PREMIUM
// stream (the dashboard premium events there are skipped):
// personnel_premium_requests, one row per request, and personnel_premium,
// one row per person ever granted premium (premium_status,
// premium_end_date; the end date is cleared on expiry, as the legacy job
// did). Rows carry version = the stream sequence of their last event and
// created_at/updated_at from the events' business time.
//
// Apply is set-based: one query per table loads the touched persons' rows,
// the events fold in memory, and one multi-row upsert per table writes the
// changed rows back.
type Personnel struct {
	reg *events.Registry
}

var _ projections.Projection = (*Personnel)(nil)

// NewPersonnel builds the projection; reg decodes event bodies.
func NewPersonnel(reg *events.Registry) *Personnel { return &Personnel{reg: reg} }

// Name implements Projection.
func (*Personnel) Name() string { return PersonnelName }

// Streams implements Projection.
func (*Personnel) Streams() []string { return []string{"PREMIUM"} }

// projections.Tables implements Projection.
func (*Personnel) Tables() []string {
	return []string{"personnel_premium_requests", "personnel_premium"}
}

// EventTypes implements projections.Projection.
func (*Personnel) EventTypes() []string {
	return events.Types(
		events.PersonnelPremiumRequested{},
		events.PersonnelPremiumRequestUpdated{},
		events.PersonnelPremiumGranted{},
		events.PersonnelPremiumRequestRejected{},
		events.PersonnelPremiumExpired{},
	)
}

// ppRequestRow is one row of personnel_premium_requests while a batch folds.
type ppRequestRow struct {
	ID, UserID, Sender, Account, Bank string
	Screenshot                        *string
	Status                            string
	RespondedAt                       *time.Time
	DecidedBy, Note                   *string
	CreatedPosition, Version          int64
	CreatedAt, UpdatedAt              time.Time
	dirty                             bool
}

// ppPremiumRow is one row of personnel_premium while a batch folds.
type ppPremiumRow struct {
	UserID    string
	Status    bool
	EndDate   *time.Time
	Version   int64
	UpdatedAt time.Time
	dirty     bool
}

// ppBatch is the in-memory state of the persons one batch touches.
type ppBatch struct {
	users    []string
	requests map[string]*ppRequestRow // by request_id
	premium  map[string]*ppPremiumRow // by user_id
}

// Apply implements Projection.
func (p *Personnel) Apply(ctx context.Context, tx pgx.Tx, t projections.Tables, batch []events.Envelope) error {
	b := &ppBatch{requests: map[string]*ppRequestRow{}, premium: map[string]*ppPremiumRow{}}
	var evs []decoded
	seen := map[string]bool{}
	for i := range batch {
		if !strings.HasPrefix(batch[i].Type, "PersonnelPremium") {
			continue // dashboard premium: the premium projection's
		}
		pl, err := p.reg.Decode(&batch[i])
		if err != nil {
			return fmt.Errorf("personnel premium: %w", err)
		}
		id := personnelPremiumUser(pl)
		if id == "" {
			continue
		}
		if !seen[id] {
			seen[id] = true
			b.users = append(b.users, id)
		}
		evs = append(evs, decoded{env: &batch[i], p: pl})
	}
	if len(evs) == 0 {
		return nil
	}
	if err := loadPersonnelPremium(ctx, tx, t, b); err != nil {
		return err
	}
	for _, e := range evs {
		at := e.env.Meta.OccurredAt
		if at.IsZero() {
			at = e.env.RecordedAt
		}
		b.fold(int64(e.env.Position), e.p, at)
	}
	if err := writePPRequests(ctx, tx, t["personnel_premium_requests"], b); err != nil {
		return err
	}
	return writePPPremium(ctx, tx, t["personnel_premium"], b)
}

// personnelPremiumUser is the person a personnel premium event belongs to.
func personnelPremiumUser(p events.Payload) string {
	switch e := p.(type) {
	case *events.PersonnelPremiumRequested:
		return e.UserID
	case *events.PersonnelPremiumRequestUpdated:
		return e.UserID
	case *events.PersonnelPremiumGranted:
		return e.UserID
	case *events.PersonnelPremiumRequestRejected:
		return e.UserID
	case *events.PersonnelPremiumExpired:
		return e.UserID
	}
	return ""
}

func (b *ppBatch) fold(seq int64, p events.Payload, at time.Time) {
	switch e := p.(type) {
	case *events.PersonnelPremiumRequested:
		b.requests[e.RequestID] = &ppRequestRow{ID: e.RequestID, UserID: e.UserID, Sender: e.SenderName,
			Account: e.AccountNumber, Bank: e.BankName, Screenshot: projections.Nullable(e.ScreenshotURL),
			Status: events.PersonnelRequestPending, CreatedPosition: seq, Version: seq, CreatedAt: at, UpdatedAt: at, dirty: true}
	case *events.PersonnelPremiumRequestUpdated:
		r := b.request(e.RequestID, seq, at)
		if r == nil {
			return // no such request: the command side refuses these
		}
		projections.Assign(&r.Sender, e.SenderName)
		projections.Assign(&r.Account, e.AccountNumber)
		projections.Assign(&r.Bank, e.BankName)
		if e.ScreenshotURL != nil {
			r.Screenshot = projections.Nullable(*e.ScreenshotURL)
		}
	case *events.PersonnelPremiumGranted:
		if r := b.request(e.RequestID, seq, at); r != nil {
			by := e.By
			r.Status, r.RespondedAt, r.DecidedBy = events.PersonnelRequestApproved, &at, &by
		}
		end := e.ExpiresAt
		pr := b.person(e.UserID, seq, at)
		pr.Status, pr.EndDate = true, &end
	case *events.PersonnelPremiumRequestRejected:
		if r := b.request(e.RequestID, seq, at); r != nil {
			by := e.By
			r.Status, r.RespondedAt, r.DecidedBy, r.Note = events.PersonnelRequestRejected, &at, &by, projections.Nullable(e.Note)
		}
	case *events.PersonnelPremiumExpired:
		pr := b.person(e.UserID, seq, at)
		pr.Status, pr.EndDate = false, nil
	}
}

// request returns the request row touched by an event at seq (nil when
// unknown).
func (b *ppBatch) request(id string, seq int64, at time.Time) *ppRequestRow {
	r := b.requests[id]
	if r != nil {
		r.Version, r.UpdatedAt, r.dirty = seq, at, true
	}
	return r
}

// person returns the premium row of a person touched at seq, creating it.
func (b *ppBatch) person(userID string, seq int64, at time.Time) *ppPremiumRow {
	pr := b.premium[userID]
	if pr == nil {
		pr = &ppPremiumRow{UserID: userID}
		b.premium[userID] = pr
	}
	pr.Version, pr.UpdatedAt, pr.dirty = seq, at, true
	return pr
}

const ppRequestCols = `request_id::text, user_id, sender_name, account_number, bank_name, screenshot_url, status,
	responded_at, decided_by, note, created_position, version, created_at, updated_at`

func scanPPRequestRow(row pgx.Row) (*ppRequestRow, error) {
	r := &ppRequestRow{}
	err := row.Scan(&r.ID, &r.UserID, &r.Sender, &r.Account, &r.Bank, &r.Screenshot, &r.Status, &r.RespondedAt,
		&r.DecidedBy, &r.Note, &r.CreatedPosition, &r.Version, &r.CreatedAt, &r.UpdatedAt)
	return r, err
}

// loadPersonnelPremium reads the touched persons' requests and premium.
func loadPersonnelPremium(ctx context.Context, tx pgx.Tx, t projections.Tables, b *ppBatch) error {
	reqTable, premTable := t["personnel_premium_requests"], t["personnel_premium"]
	rows, err := tx.Query(ctx, `SELECT `+ppRequestCols+` FROM `+projections.Ident(reqTable)+` WHERE user_id = ANY($1)`, b.users)
	if err != nil {
		return fmt.Errorf("load %s: %w", reqTable, err)
	}
	reqs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*ppRequestRow, error) { return scanPPRequestRow(r) })
	if err != nil {
		return fmt.Errorf("load %s: %w", reqTable, err)
	}
	for _, r := range reqs {
		b.requests[r.ID] = r
	}
	rows, err = tx.Query(ctx, `SELECT user_id, premium_status, premium_end_date, version, updated_at
		FROM `+projections.Ident(premTable)+` WHERE user_id = ANY($1)`, b.users)
	if err != nil {
		return fmt.Errorf("load %s: %w", premTable, err)
	}
	prem, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*ppPremiumRow, error) {
		p := &ppPremiumRow{}
		err := r.Scan(&p.UserID, &p.Status, &p.EndDate, &p.Version, &p.UpdatedAt)
		return p, err
	})
	if err != nil {
		return fmt.Errorf("load %s: %w", premTable, err)
	}
	for _, p := range prem {
		b.premium[p.UserID] = p
	}
	return nil
}

func writePPRequests(ctx context.Context, tx pgx.Tx, table string, b *ppBatch) error {
	var up []*ppRequestRow
	for _, r := range b.requests {
		if r.dirty {
			up = append(up, r)
		}
	}
	if len(up) == 0 {
		return nil
	}
	// A fixed order keeps concurrent writers (live and rebuild catch-up)
	// from locking rows in opposite orders.
	slices.SortFunc(up, func(a, b *ppRequestRow) int { return strings.Compare(a.ID, b.ID) })
	n := len(up)
	var (
		id, user, send, acct, bank, status = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		shot, by, note                     = make([]*string, n), make([]*string, n), make([]*string, n)
		responded                          = make([]*time.Time, n)
		pos, version                       = make([]int64, n), make([]int64, n)
		created, updated                   = make([]time.Time, n), make([]time.Time, n)
	)
	for i, r := range up {
		id[i], user[i], send[i], acct[i], bank[i], shot[i] = r.ID, r.UserID, r.Sender, r.Account, r.Bank, r.Screenshot
		status[i], responded[i], by[i], note[i] = r.Status, r.RespondedAt, r.DecidedBy, r.Note
		pos[i], version[i], created[i], updated[i] = r.CreatedPosition, r.Version, r.CreatedAt, r.UpdatedAt
	}
	_, err := tx.Exec(ctx, `INSERT INTO `+projections.Ident(table)+` (request_id, user_id, sender_name, account_number, bank_name,
			screenshot_url, status, responded_at, decided_by, note, created_position, version, created_at, updated_at)
		SELECT u.id::uuid, u.uid, u.send, u.acct, u.bank, u.shot, u.status, u.responded, u.by, u.note, u.pos,
			u.version, u.created, u.updated
		FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
			$8::timestamptz[], $9::text[], $10::text[], $11::bigint[], $12::bigint[], $13::timestamptz[], $14::timestamptz[])
			AS u(id, uid, send, acct, bank, shot, status, responded, by, note, pos, version, created, updated)
		ON CONFLICT (request_id) DO UPDATE SET
			sender_name = EXCLUDED.sender_name, account_number = EXCLUDED.account_number, bank_name = EXCLUDED.bank_name,
			screenshot_url = EXCLUDED.screenshot_url, status = EXCLUDED.status, responded_at = EXCLUDED.responded_at,
			decided_by = EXCLUDED.decided_by, note = EXCLUDED.note, version = EXCLUDED.version,
			updated_at = EXCLUDED.updated_at`,
		id, user, send, acct, bank, shot, status, responded, by, note, pos, version, created, updated)
	if err != nil {
		return fmt.Errorf("upsert %s: %w", table, err)
	}
	return nil
}

func writePPPremium(ctx context.Context, tx pgx.Tx, table string, b *ppBatch) error {
	var up []*ppPremiumRow
	for _, p := range b.premium {
		if p.dirty {
			up = append(up, p)
		}
	}
	if len(up) == 0 {
		return nil
	}
	slices.SortFunc(up, func(a, b *ppPremiumRow) int { return strings.Compare(a.UserID, b.UserID) })
	n := len(up)
	var (
		user    = make([]string, n)
		status  = make([]bool, n)
		end     = make([]*time.Time, n)
		version = make([]int64, n)
		updated = make([]time.Time, n)
	)
	for i, p := range up {
		user[i], status[i], end[i], version[i], updated[i] = p.UserID, p.Status, p.EndDate, p.Version, p.UpdatedAt
	}
	_, err := tx.Exec(ctx, `INSERT INTO `+projections.Ident(table)+` (user_id, premium_status, premium_end_date, version, updated_at)
		SELECT * FROM unnest($1::text[], $2::boolean[], $3::timestamptz[], $4::bigint[], $5::timestamptz[])
		ON CONFLICT (user_id) DO UPDATE SET
			premium_status = EXCLUDED.premium_status, premium_end_date = EXCLUDED.premium_end_date,
			version = EXCLUDED.version, updated_at = EXCLUDED.updated_at`,
		user, status, end, version, updated)
	if err != nil {
		return fmt.Errorf("upsert %s: %w", table, err)
	}
	return nil
}
