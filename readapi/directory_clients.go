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

	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/httpx"
)

// Legacy messages of the client routes (spec/access.md §1.11); these
// answer {"error": …} rather than the usual envelope.
const (
	msgClientNotFound       = "Client not found"
	msgProfileClientMissing = "client_id required"
	msgProfileNotOperators  = "client_id tidak terdaftar untuk operator ini. Gunakan client_id yang ada di token."
)

// ClientsDirectory is what the client routes read
// (directory.Queries satisfies it).
type ClientsDirectory interface {
	Client(ctx context.Context, clientID string) (directory.Client, error)
	Clients(ctx context.Context, f directory.ClientFilter) ([]directory.Client, error)
	PersonnelByClient(ctx context.Context, clientID string, f directory.PersonnelFilter) ([]directory.Person, error)
}

// ClientsDeps is everything the client read routes use.
type ClientsDeps struct {
	Directory ClientsDirectory
	Logger    *slog.Logger // nil → discard
}

type clientsAPI struct{ ClientsDeps }

// MountClients adds the client read routes to r, the /api router: GET
// /clients (?group=), /clients/active, /clients/profile, /clients/{client_id}
// and /clients/{client_id}/users. Lists are scoped to the caller's clients
// (admins see all); naming a client of someone else answers 403. It panics
// without a Directory.
func MountClients(r *auth.Router, d ClientsDeps) {
	if d.Directory == nil {
		panic("readapi.MountClients: Directory is required")
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	a := &clientsAPI{d}
	r.Get("/clients", auth.Staff, a.list(false))
	r.Get("/clients/active", auth.Staff, a.list(true))
	r.Get("/clients/profile", auth.OperatorList, a.profile)
	r.Get("/clients/{client_id}", auth.Staff, a.one)
	r.Get("/clients/{client_id}/users", auth.Staff, a.users)
}

// legacyError writes the client routes' {"error": …} body.
func legacyError(w http.ResponseWriter, status int, msg string) {
	httpx.JSON(w, status, map[string]string{"error": msg})
}

func (a *clientsAPI) list(activeOnly bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, found := principal(w, r)
		if !found {
			return
		}
		all, err := a.Directory.Clients(r.Context(), directory.ClientFilter{ActiveOnly: activeOnly})
		if err != nil {
			httpx.Error(w, r, a.Logger, err)
			return
		}
		group := strings.TrimSpace(r.URL.Query().Get("group"))
		out := slices.DeleteFunc(all, func(c directory.Client) bool {
			return !p.AllowsClient(c.ClientID) || (group != "" && !strings.EqualFold(c.ClientGroup, group))
		})
		if out == nil {
			out = []directory.Client{}
		}
		ok(w, out)
	}
}

// client reads one client the caller may see; false when it answered.
func (a *clientsAPI) client(w http.ResponseWriter, r *http.Request, p *auth.Principal, id string) (directory.Client, bool) {
	if !p.AllowsClient(id) {
		httpx.Error(w, r, a.Logger, forbidden(msgClientNotAllowed))
		return directory.Client{}, false
	}
	c, err := a.Directory.Client(r.Context(), id)
	switch {
	case errors.Is(err, directory.ErrNotFound):
		legacyError(w, http.StatusNotFound, msgClientNotFound)
		return c, false
	case err != nil:
		httpx.Error(w, r, a.Logger, err)
		return c, false
	}
	return c, true
}

func (a *clientsAPI) one(w http.ResponseWriter, r *http.Request) {
	p, found := principal(w, r)
	if !found {
		return
	}
	if c, found := a.client(w, r, p, chi.URLParam(r, "client_id")); found {
		ok(w, c)
	}
}

// users is GET /api/clients/{id}/users: the client's active members, no
// role filter.
func (a *clientsAPI) users(w http.ResponseWriter, r *http.Request) {
	p, found := principal(w, r)
	if !found {
		return
	}
	c, found := a.client(w, r, p, chi.URLParam(r, "client_id"))
	if !found {
		return
	}
	people, err := a.Directory.PersonnelByClient(r.Context(), c.ClientID, directory.PersonnelFilter{})
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return
	}
	ok(w, people)
}
