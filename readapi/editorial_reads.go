package readapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/projections/access"
	editorialview "github.com/cicero/cicero/projections/editorial"
)

// Messages of the editorial read routes.
const (
	msgEditorialForbidden = "Forbidden"
	msgEditorialBadID     = "id tidak valid"
)

// EditorialReader is what the editorial read routes read
// (editorialview.Queries satisfies it).
type EditorialReader interface {
	EventsOf(ctx context.Context, userID string) ([]editorialview.Event, error)
	Release(ctx context.Context, eventID int64) (editorialview.Release, error)
	Approvals(ctx context.Context, userID string, all bool) ([]editorialview.Approval, error)
	Logs(ctx context.Context, eventID int64) ([]editorialview.Log, error)
}

// PenmasRoleReader reads a Penmas account's current role
// (access.PenmasUserQueries satisfies it).
type PenmasRoleReader interface {
	ByID(ctx context.Context, id string) (access.PenmasUser, error)
}

// EditorialReadDeps is everything the editorial read routes use.
type EditorialReadDeps struct {
	Editorial EditorialReader
	Users     PenmasRoleReader
	Logger    *slog.Logger // nil → discard
}

type editorialReadAPI struct{ EditorialReadDeps }

// MountEditorial adds the Penmas editorial reads (spec/ops.md §1.6) to r,
// open to Penmas tokens, in the legacy envelope {"success":true,"data":…}:
//   - GET /events: the caller's events (created or assigned) by date,
//     event_date as dd/mm/yyyy (the Jakarta day), with
//     updated_by_username and last_updated;
//   - GET /events/{id}/logs: the event's change log, oldest first, with
//     username (users' entries and one per state-machine transition);
//   - GET /approvals: approval requests, newest first — every request for
//     an editor (by the account's current role), else the caller's own
//     and those on the caller's events (the legacy list was everyone's);
//   - GET /press-release-details/{id}: the detail of event id, data null
//     when there is none (as before).
//
// It panics without Editorial or Users (a wiring error).
func MountEditorial(r *auth.Router, d EditorialReadDeps) {
	if d.Editorial == nil || d.Users == nil {
		panic("readapi.MountEditorial: Editorial and Users are required")
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	a := &editorialReadAPI{d}
	r.Get("/events", auth.Penmas, a.events)
	r.Get("/events/{id}/logs", auth.Penmas, a.logs)
	r.Get("/approvals", auth.Penmas, a.approvals)
	r.Get("/press-release-details/{id}", auth.Penmas, a.release)
}

func (a *editorialReadAPI) penmas(w http.ResponseWriter, r *http.Request) (*auth.Principal, bool) {
	p, ok := principal(w, r)
	if !ok {
		return nil, false
	}
	if p.Kind != auth.KindPenmas {
		httpx.Error(w, r, a.Logger, forbidden(msgEditorialForbidden))
		return nil, false
	}
	return p, true
}

func editorialID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.Invalidf("id", msgEditorialBadID)
	}
	return id, nil
}

type editorialData struct {
	Success bool `json:"success"`
	Data    any  `json:"data"`
}

func (a *editorialReadAPI) events(w http.ResponseWriter, r *http.Request) {
	p, ok := a.penmas(w, r)
	if !ok {
		return
	}
	evs, err := a.Editorial.EventsOf(r.Context(), p.ID)
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return
	}
	out := make([]editorialview.ListedEvent, len(evs))
	for i, e := range evs {
		out[i] = e.Listed()
	}
	httpx.JSON(w, http.StatusOK, editorialData{Success: true, Data: out})
}

func (a *editorialReadAPI) logs(w http.ResponseWriter, r *http.Request) {
	if _, ok := a.penmas(w, r); !ok {
		return
	}
	id, err := editorialID(r)
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return
	}
	logs, err := a.Editorial.Logs(r.Context(), id)
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return
	}
	httpx.JSON(w, http.StatusOK, editorialData{Success: true, Data: logs})
}

func (a *editorialReadAPI) approvals(w http.ResponseWriter, r *http.Request) {
	p, ok := a.penmas(w, r)
	if !ok {
		return
	}
	editor := false
	u, err := a.Users.ByID(r.Context(), p.ID)
	switch {
	case err == nil:
		editor = u.Role == "editor"
	case !errors.Is(err, access.ErrNotFound):
		httpx.Error(w, r, a.Logger, err)
		return
	}
	list, err := a.Editorial.Approvals(r.Context(), p.ID, editor)
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return
	}
	httpx.JSON(w, http.StatusOK, editorialData{Success: true, Data: list})
}

func (a *editorialReadAPI) release(w http.ResponseWriter, r *http.Request) {
	if _, ok := a.penmas(w, r); !ok {
		return
	}
	id, err := editorialID(r)
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return
	}
	rel, err := a.Editorial.Release(r.Context(), id)
	if errors.Is(err, editorialview.ErrNotFound) {
		httpx.JSON(w, http.StatusOK, editorialData{Success: true, Data: nil})
		return
	}
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return
	}
	httpx.JSON(w, http.StatusOK, editorialData{Success: true, Data: rel})
}
