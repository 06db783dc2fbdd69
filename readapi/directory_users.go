package readapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/cicero/cicero/projections/directory"

	"github.com/go-chi/chi/v5"

	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/internal/normalize"
)

// Legacy messages of the user directory (spec/access.md §1.5).
const (
	msgScopeInvalid          = "scope tidak valid"
	msgRoleRequired          = "role wajib diisi"
	msgDirectorateRole       = "role direktorat tidak valid"
	msgDirectorateNotAllowed = "role direktorat tidak diizinkan"
	msgClientRequired        = "client_id wajib diisi"
	msgClientNotAllowed      = "client_id tidak diizinkan"
	scopeOrg, scopeDirektor  = "org", "direktorat"
)

// UsersDirectory is what the user routes read (directory.Queries
// satisfies it).
type UsersDirectory interface {
	Person(ctx context.Context, userID string) (directory.Person, error)
	Personnel(ctx context.Context, clientIDs []string) ([]directory.Person, error)
	PersonnelByClient(ctx context.Context, clientID string, f directory.PersonnelFilter) ([]directory.Person, error)
	PersonnelByDirectorate(ctx context.Context, role string, clientIDs []string) ([]directory.Person, error)
}

// UsersDeps is everything the user read routes use.
type UsersDeps struct {
	Directory UsersDirectory
	Logger    *slog.Logger // nil → discard
}

type usersAPI struct{ UsersDeps }

// MountUsers adds the personnel read routes to r, the /api router (paths
// are relative to it, which already runs middleware.Access): GET /users,
// /users/list, /users/by-client/{client_id}, /users/by-client-full/{client_id}
// and /users/{id}. Every answer is scoped to the caller's clients; admins
// see everything. It panics without a Directory (a wiring error).
func MountUsers(r *auth.Router, d UsersDeps) {
	if d.Directory == nil {
		panic("readapi.MountUsers: Directory is required")
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	a := &usersAPI{d}
	r.Get("/users", auth.OperatorList, a.all)
	r.Get("/users/list", auth.OperatorList, a.list)
	r.Get("/users/by-client/{client_id}", auth.Staff, a.byClient)
	r.Get("/users/by-client-full/{client_id}", auth.Staff, a.byClient)
	r.Get("/users/{id}", auth.Staff, a.one)
}

// ok writes the legacy success envelope.
func ok(w http.ResponseWriter, data any) {
	httpx.JSON(w, http.StatusOK, map[string]any{"success": true, "data": data})
}

func invalid(msg string) error   { return apperr.New(apperr.Invalid, msg) }
func forbidden(msg string) error { return apperr.New(apperr.Forbidden, msg) }

// principal returns the caller; Access guarantees one on these routes, so
// its absence is a wiring error answered 401.
func principal(w http.ResponseWriter, r *http.Request) (*auth.Principal, bool) {
	p, found := auth.FromContext(r.Context())
	if !found {
		auth.WriteError(w, r, slog.Default(), auth.ErrMissingToken)
	}
	return p, found
}

// callerClients is the caller's client list: client_ids, else [client_id].
func callerClients(p *auth.Principal) []string {
	if len(p.ClientIDs) > 0 {
		return p.ClientIDs
	}
	if p.ClientID != "" {
		return []string{p.ClientID}
	}
	return nil
}

// PersonInScope reports whether the caller may see or change person: admins
// always, anyone else when the person is a member of one of the caller's
// clients (SPEC.md §5.10).
func PersonInScope(p *auth.Principal, person directory.Person) bool {
	if p.IsAdmin() {
		return true
	}
	return slices.ContainsFunc(callerClients(p), person.MemberOf)
}

func (a *usersAPI) all(w http.ResponseWriter, r *http.Request) {
	p, found := principal(w, r)
	if !found {
		return
	}
	var clients []string
	if !p.IsAdmin() {
		clients = append([]string{}, callerClients(p)...)
	}
	people, err := a.Directory.Personnel(r.Context(), clients)
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return
	}
	ok(w, people)
}

func (a *usersAPI) one(w http.ResponseWriter, r *http.Request) {
	p, found := principal(w, r)
	if !found {
		return
	}
	person, err := a.Directory.Person(r.Context(), normalize.NRP(chi.URLParam(r, "id")))
	switch {
	case errors.Is(err, directory.ErrNotFound):
		// Legacy: data undefined, serialised as {"success":true}.
		httpx.JSON(w, http.StatusOK, map[string]any{"success": true})
		return
	case err != nil:
		httpx.Error(w, r, a.Logger, err)
		return
	case !PersonInScope(p, person):
		httpx.Error(w, r, a.Logger, forbidden(msgClientNotAllowed))
		return
	}
	ok(w, person)
}

// byClient serves by-client and by-client-full: active members of the
// client with the caller's role as filter (spec/access.md §1.5).
func (a *usersAPI) byClient(w http.ResponseWriter, r *http.Request) {
	p, found := principal(w, r)
	if !found {
		return
	}
	client, err := scopedClient(p, chi.URLParam(r, "client_id"))
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return
	}
	people, err := a.Directory.PersonnelByClient(r.Context(), client, directory.PersonnelFilter{Role: p.Role})
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return
	}
	ok(w, people)
}

// scopedClient applies the by-client rules: operators get their own
// spelling of an allowed id (403 otherwise), a directorate caller's id is
// replaced by its token client, and every other non-admin must name one of
// its clients.
func scopedClient(p *auth.Principal, requested string) (string, error) {
	requested = strings.TrimSpace(requested)
	switch {
	case p.IsOperator():
		return p.ResolveClient(requested)
	case auth.IsDirectorateRole(p.Role) && p.ClientID != "":
		return p.ClientID, nil
	case requested == "":
		return "", invalid(msgClientRequired)
	case !p.AllowsClient(requested):
		return "", forbidden(msgClientNotAllowed)
	}
	if own, err := p.ResolveClient(requested); err == nil {
		return own, nil
	}
	return requested, nil
}
