package importv2

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/editorial"
	"github.com/cicero/cicero/commands/linkreport"
	"github.com/cicero/cicero/commands/penmasuser"
	"github.com/cicero/cicero/events"
)

// opsHandlers are the AMPLIFY, EDITORIAL and Penmas-account commands the
// import issues.
type opsHandlers struct {
	reports   *linkreport.Handlers
	penmas    *penmasuser.Handlers
	editorial *editorial.Handlers
}

func newOpsHandlers(rt *commands.Runtime) opsHandlers {
	return opsHandlers{reports: linkreport.NewHandlers(rt), penmas: penmasuser.NewHandlers(rt), editorial: editorial.NewHandlers(rt, nil)}
}

// oldPenmasUser is a row of penmas_user (spec ops.md §1.2).
type oldPenmasUser struct {
	ID, Username, Hash, Role string
	Created                  *time.Time
}

const (
	reasonPenmasHash     = "password_hash is not a bcrypt hash"
	reasonEventStatus    = "status is not a workflow status (draft, submitted, approved, rejected, published): imported as draft"
	reasonRequestStatus  = "approval status is not pending, approved or rejected: imported as pending"
	reasonEventTime      = "unparseable event_date: the event cannot be placed in the calendar"
	reasonSubRowOrphan   = "row of an event not in the old database: left out"
	reasonDecidedUnknown = "approval decided by someone the old database did not record: imported without its editor"
)

// importPenmasUsers brings the Penmas accounts with their bcrypt hashes and
// roles. Oldest first, one at a time: usernames are reserved first come,
// first served.
func (im *Importer) importPenmasUsers(ctx context.Context, t *TableReport) error {
	s := im.src
	rows, err := s.Query(ctx, `SELECT u.user_id::text, COALESCE(u.username, ''), COALESCE(u.password_hash, ''),
		COALESCE(`+s.col("penmas_user", "u", "role", "text")+`, ''), `+s.col("penmas_user", "u", "created_at", "timestamp")+`
		FROM penmas_user u ORDER BY 5 NULLS FIRST, 1`)
	if err != nil {
		return fmt.Errorf("read penmas users: %w", err)
	}
	var us []oldPenmasUser
	for rows.Next() {
		var u oldPenmasUser
		if err := rows.Scan(&u.ID, &u.Username, &u.Hash, &u.Role, &u.Created); err != nil {
			rows.Close()
			return fmt.Errorf("read penmas users: %w", err)
		}
		us = append(us, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read penmas users: %w", err)
	}
	im.read(t, len(us))
	im.progress.Start("penmas_user", len(us))
	defer im.progress.Finish()
	for _, u := range us {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := im.importPenmasUser(ctx, t, u); err != nil {
			return err
		}
		im.progress.Add(1)
	}
	return nil
}

func (im *Importer) importPenmasUser(ctx context.Context, t *TableReport, u oldPenmasUser) error {
	if !penmasuser.ValidHash(u.Hash) {
		im.skip(t, reasonPenmasHash, u.ID)
		return nil
	}
	if im.opts.DryRun {
		im.rowDone(t, u.ID, true, nil)
		return nil
	}
	var at time.Time
	if u.Created != nil && plausible(*u.Created) {
		at = wall(*u.Created, im.opts.Clock.Other)
	}
	cmd := penmasuser.ImportUser{UserID: u.ID, Username: u.Username, PasswordHash: u.Hash, Role: u.Role}
	out, err := im.exec(ctx, meta("penmas_user", u.ID, cmd, at), func(m commands.Meta) (commands.Outcome, error) { return im.ops.penmas.ImportUser(ctx, m, cmd) })
	skip, fail := refusal(err)
	if fail != nil {
		return fmt.Errorf("penmas user %s: %w", u.ID, fail)
	}
	im.rowDone(t, u.ID, skip == nil && im.fresh(t, out), skip)
	return nil
}

// oldEvent is a row of editorial_event with its detail, requests and logs.
type oldEvent struct {
	ID                                                                int64
	EventDate, Created, LastUpdate                                    *time.Time
	Topic, Judul, Assignee, Status, Content, Summary, Image, Tag, Kat string
	CreatedBy, UpdatedBy                                              string
	Detail                                                            *events.PressReleaseFields
	Requests                                                          []oldRequest
	Logs                                                              []editorial.ImportedLog
}

type oldRequest struct {
	ID                  int64
	RequestedBy, Status string
	Created, Updated    *time.Time
}

// importEditorialEvents brings each old editorial event with everything
// hanging off it (press_release_detail, approval_request, change_log) as
// one editorial.ImportEvent, in id order, one at a time (the id counters
// move past the old ids as they come).
func (im *Importer) importEditorialEvents(ctx context.Context, t *TableReport) error {
	evs, err := im.readEvents(ctx, t)
	if err != nil {
		return err
	}
	im.read(t, len(evs))
	im.progress.Start("editorial_event", len(evs))
	defer im.progress.Finish()
	for _, e := range evs {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := im.importEvent(ctx, t, e); err != nil {
			return err
		}
		im.progress.Add(1)
	}
	return nil
}

func (im *Importer) readEvents(ctx context.Context, t *TableReport) ([]*oldEvent, error) {
	s := im.src
	c := func(name string) string { return "COALESCE(" + s.col("editorial_event", "e", name, "text") + ", '')" }
	rows, err := s.Query(ctx, `SELECT e.event_id::bigint, `+s.col("editorial_event", "e", "event_date", "timestamp")+`,
		`+s.col("editorial_event", "e", "created_at", "timestamp")+`, `+s.col("editorial_event", "e", "last_update", "timestamp")+`,
		`+c("topic")+`, `+c("judul_berita")+`, `+c("assignee")+`, `+c("status")+`, `+c("content")+`, `+c("summary")+`,
		`+c("image_path")+`, `+c("tag")+`, `+c("kategori")+`, `+c("created_by")+`, `+c("updated_by")+`
		FROM editorial_event e ORDER BY e.event_id`)
	if err != nil {
		return nil, fmt.Errorf("read editorial events: %w", err)
	}
	var out []*oldEvent
	byID := map[int64]*oldEvent{}
	for rows.Next() {
		e := &oldEvent{}
		if err := rows.Scan(&e.ID, &e.EventDate, &e.Created, &e.LastUpdate, &e.Topic, &e.Judul, &e.Assignee, &e.Status,
			&e.Content, &e.Summary, &e.Image, &e.Tag, &e.Kat, &e.CreatedBy, &e.UpdatedBy); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read editorial events: %w", err)
		}
		out = append(out, e)
		byID[e.ID] = e
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read editorial events: %w", err)
	}
	if s.Has("press_release_detail") {
		c := func(name string) string {
			return "COALESCE(" + s.col("press_release_detail", "d", name, "text") + ", '')"
		}
		rows, err := s.Query(ctx, `SELECT d.event_id::bigint, `+c("judul")+`, `+c("dasar")+`, `+c("tersangka")+`, `+c("tkp")+`,
			`+c("kronologi")+`, `+c("modus")+`, `+c("barang_bukti")+`, `+c("pasal")+`, `+c("ancaman")+`, `+c("catatan")+`
			FROM press_release_detail d ORDER BY d.event_id`)
		if err != nil {
			return nil, fmt.Errorf("read press release details: %w", err)
		}
		for rows.Next() {
			var id int64
			var f events.PressReleaseFields
			if err := rows.Scan(&id, &f.Judul, &f.Dasar, &f.Tersangka, &f.TKP, &f.Kronologi, &f.Modus, &f.BarangBukti,
				&f.Pasal, &f.Ancaman, &f.Catatan); err != nil {
				rows.Close()
				return nil, fmt.Errorf("read press release details: %w", err)
			}
			if e := byID[id]; e != nil {
				e.Detail = &f
			} else {
				im.leftOut(t, reasonSubRowOrphan, "press_release_detail/"+strconv.FormatInt(id, 10))
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("read press release details: %w", err)
		}
	}
	if s.Has("approval_request") {
		rows, err := s.Query(ctx, `SELECT a.request_id::bigint, COALESCE(a.event_id, 0)::bigint, COALESCE(a.requested_by, ''),
			COALESCE(a.status, ''), `+s.col("approval_request", "a", "created_at", "timestamp")+`,
			`+s.col("approval_request", "a", "updated_at", "timestamp")+` FROM approval_request a ORDER BY a.request_id`)
		if err != nil {
			return nil, fmt.Errorf("read approval requests: %w", err)
		}
		for rows.Next() {
			var r oldRequest
			var eventID int64
			if err := rows.Scan(&r.ID, &eventID, &r.RequestedBy, &r.Status, &r.Created, &r.Updated); err != nil {
				rows.Close()
				return nil, fmt.Errorf("read approval requests: %w", err)
			}
			if e := byID[eventID]; e != nil {
				e.Requests = append(e.Requests, r)
			} else {
				im.leftOut(t, reasonSubRowOrphan, "approval_request/"+strconv.FormatInt(r.ID, 10))
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("read approval requests: %w", err)
		}
	}
	if s.Has("change_log") {
		rows, err := s.Query(ctx, `SELECT l.log_id::bigint, COALESCE(l.event_id, 0)::bigint, COALESCE(l.user_id, ''),
			COALESCE(l.status, ''), COALESCE(l.changes, ''), `+s.col("change_log", "l", "logged_at", "timestamp")+`
			FROM change_log l ORDER BY l.logged_at NULLS FIRST, l.log_id`)
		if err != nil {
			return nil, fmt.Errorf("read change logs: %w", err)
		}
		for rows.Next() {
			var id, eventID int64
			var lg editorial.ImportedLog
			var at *time.Time
			if err := rows.Scan(&id, &eventID, &lg.By, &lg.Status, &lg.Changes, &at); err != nil {
				rows.Close()
				return nil, fmt.Errorf("read change logs: %w", err)
			}
			e := byID[eventID]
			if e == nil {
				im.leftOut(t, reasonSubRowOrphan, "change_log/"+strconv.FormatInt(id, 10))
				continue
			}
			if at != nil && plausible(*at) {
				lg.LoggedAt = wall(*at, im.opts.Clock.Other)
			}
			e.Logs = append(e.Logs, lg)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("read change logs: %w", err)
		}
	}
	return out, nil
}

func (im *Importer) importEvent(ctx context.Context, t *TableReport, e *oldEvent) error {
	key := strconv.FormatInt(e.ID, 10)
	if e.EventDate == nil || !plausible(*e.EventDate) {
		im.skip(t, reasonEventTime, key)
		return nil
	}
	other := func(p *time.Time) time.Time {
		if p == nil || !plausible(*p) {
			return time.Time{}
		}
		return wall(*p, im.opts.Clock.Other)
	}
	status, ok := editorial.ParseStatus(e.Status)
	if !ok {
		if e.Status != "" {
			im.leftOut(t, reasonEventStatus, key)
		}
		status = events.EditorialStatusDraft
	}
	cmd := editorial.ImportEvent{EventID: e.ID, Status: status, CreatedAt: other(e.Created), LastUpdate: other(e.LastUpdate),
		CreatedBy: e.CreatedBy, UpdatedBy: e.UpdatedBy, Detail: e.Detail, Logs: e.Logs,
		Fields: events.EditorialFields{EventDate: wall(*e.EventDate, im.opts.Clock.Other), Topic: e.Topic, JudulBerita: e.Judul,
			Assignee: e.Assignee, Content: e.Content, Summary: e.Summary, ImagePath: e.Image, Tag: e.Tag, Kategori: e.Kat}}
	if cmd.LastUpdate.IsZero() {
		cmd.LastUpdate = cmd.CreatedAt
	}
	for _, r := range e.Requests {
		st, ok := editorial.ParseRequestStatus(r.Status)
		if !ok {
			im.leftOut(t, reasonRequestStatus, key)
			st = events.ApprovalStatusPending
		}
		req := editorial.ImportedRequest{ID: r.ID, RequestedBy: r.RequestedBy, Status: st, CreatedAt: other(r.Created), UpdatedAt: other(r.Updated)}
		if st != events.ApprovalStatusPending {
			req.DecidedBy = decidedBy(e, st)
			if req.DecidedBy == "" {
				im.leftOut(t, reasonDecidedUnknown, key)
			}
		}
		cmd.Requests = append(cmd.Requests, req)
	}
	if im.opts.DryRun {
		im.rowDone(t, key, true, nil)
		return nil
	}
	out, err := im.exec(ctx, meta("editorial_event", key, cmd, cmd.CreatedAt), func(m commands.Meta) (commands.Outcome, error) {
		return im.ops.editorial.ImportEvent(ctx, m, cmd)
	})
	skip, fail := refusal(err)
	if fail != nil {
		return fmt.Errorf("editorial event %s: %w", key, fail)
	}
	im.rowDone(t, key, skip == nil && im.fresh(t, out), skip)
	return nil
}

// decidedBy is who decided an approval request: the old table did not
// record it, so it is the author of the event's latest change-log entry
// with the decision's status, else the event's last editor when the event
// stands at that decision, else unknown ("").
func decidedBy(e *oldEvent, status string) string {
	for i := len(e.Logs) - 1; i >= 0; i-- {
		if st, ok := editorial.ParseRequestStatus(e.Logs[i].Status); ok && st == status && e.Logs[i].Status != "" && e.Logs[i].By != "" {
			return e.Logs[i].By
		}
	}
	if st, ok := editorial.ParseStatus(e.Status); ok && st == status {
		return e.UpdatedBy
	}
	return ""
}
