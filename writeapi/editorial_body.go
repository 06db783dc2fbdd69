package writeapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/cicero/cicero/commands/editorial"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/auth"
	editorialview "github.com/cicero/cicero/projections/editorial"
)

// Messages of the editorial write routes' input checks.
const (
	edMsgForbidden = "Forbidden"
	edMsgBadID     = "id tidak valid"
	edMsgBadTime   = "%s tidak valid; gunakan dd/mm/yyyy, yyyy-mm-dd (opsional HH:MM) atau RFC 3339"
	edMsgEventID   = "event_id wajib diisi dan berupa angka"
)

// EditorialReader is what the editorial write routes read
// (editorialview.Queries satisfies it): the rows they answer with.
type EditorialReader interface {
	Event(ctx context.Context, id int64) (editorialview.Event, error)
	Release(ctx context.Context, eventID int64) (editorialview.Release, error)
	Approval(ctx context.Context, id int64) (editorialview.Approval, error)
	Log(ctx context.Context, id int64) (editorialview.Log, error)
}

// EditorialCommandDeps is everything the editorial write routes use.
type EditorialCommandDeps struct {
	Editorial *editorial.Handlers
	Read      EditorialReader
	// WaitFor blocks until the editorial read model has applied the
	// positions, so a write answers with the row it produced. Nil: no wait.
	WaitFor Waiter
	Logger  *slog.Logger // nil → discard
}

type editorialAPI struct {
	EditorialCommandDeps
	writer
}

// MountEditorialCommands adds the Penmas editorial write routes (spec/ops.md
// §1.6, SPEC.md §5.13) to r, the /api router, open to Penmas tokens only:
//
//	POST /events, PUT /events/{id}, DELETE /events/{id}, POST /events/{id}/logs
//	POST /approvals, PUT /approvals/{id}
//	POST /press-release-details, PUT /press-release-details/{id}
//
// Answers keep the legacy envelope {"success":true,"data":row} (201 for
// creates) plus "positions"; refusals are {"success":false,"message":…}
// with 400 (bad input, nothing appended), 403 (role or ownership), 404
// (unknown id: the legacy 200 with data null is gone), 409 (the state
// machine). Unknown body keys are ignored (the app sends whole rows back);
// known ones must have the right type. With an Idempotency-Key a retry
// appends nothing twice. It panics without Editorial or Read.
func MountEditorialCommands(r *auth.Router, d EditorialCommandDeps) {
	if d.Editorial == nil || d.Read == nil {
		panic("writeapi.MountEditorialCommands: Editorial and Read are required")
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	a := &editorialAPI{d, writer{log: d.Logger, wait: d.WaitFor}}
	r.Post("/events", auth.Penmas, a.createEvent)
	r.Put("/events/{id}", auth.Penmas, a.updateEvent)
	r.Delete("/events/{id}", auth.Penmas, a.deleteEvent)
	r.Post("/events/{id}/logs", auth.Penmas, a.logChange)
	r.Post("/approvals", auth.Penmas, a.submit)
	r.Put("/approvals/{id}", auth.Penmas, a.decide)
	r.Post("/press-release-details", auth.Penmas, a.recordDetail)
	r.Put("/press-release-details/{id}", auth.Penmas, a.editDetail)
}

// penmas returns the Penmas caller (the route admits no other kind; this
// keeps the rule with the handlers whatever the table says).
func (a *editorialAPI) penmas(w http.ResponseWriter, r *http.Request) (*auth.Principal, bool) {
	return a.callerWhere(w, r, func(p *auth.Principal) bool { return p.Kind == auth.KindPenmas }, edMsgForbidden)
}

// pathID reads the {id} of the path: a positive integer, else 400.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.Invalidf("id", edMsgBadID)
	}
	return id, nil
}

// timeField reads an optional date/time field (editorial.ParseTime's
// spellings); absent, null or "" → zero.
func (b rawBody) timeField(key string) (time.Time, error) {
	s, err := b.text(key)
	if err != nil || s == nil || strings.TrimSpace(*s) == "" {
		return time.Time{}, err
	}
	t, ok := editorial.ParseTime(*s)
	if !ok {
		return time.Time{}, apperr.Invalidf(key, edMsgBadTime, key)
	}
	return t, nil
}

// idField reads a required positive integer field (a number or its text).
func (b rawBody) idField(key, msg string) (int64, error) {
	s, err := b.text(key)
	if err != nil || s == nil {
		return 0, &apperr.Error{Code: apperr.Invalid, Field: key, Message: msg}
	}
	id, perr := strconv.ParseInt(strings.TrimSpace(*s), 10, 64)
	if perr != nil || id <= 0 {
		return 0, &apperr.Error{Code: apperr.Invalid, Field: key, Message: msg}
	}
	return id, nil
}

// reply answers a write with data as read (after the wait) by read: the
// legacy {"success":true,"data":row} plus positions; data is null,
// flagged stale, when the read model did not show the write in time.
func (a *editorialAPI) reply(w http.ResponseWriter, r *http.Request, status int, ps []events.Position,
	read func(ctx context.Context) (any, error)) {
	a.done(w, r, written{status: status, ps: ps, fields: map[string]any{"data": nil},
		fill: func(ctx context.Context, body map[string]any) (bool, error) {
			v, err := read(ctx)
			found, err := notFoundAsStale(err)
			if found {
				body["data"] = v
			}
			return found, err
		}})
}

// notFoundAsStale turns a read model's "not found" into found=false.
func notFoundAsStale(err error) (bool, error) {
	if errors.Is(err, editorialview.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}
