package writeapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/cicero/cicero/projections/directory"

	"github.com/google/uuid"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/normalize"
)

// UsersDirectory is what the user write routes read to authorise a change
// and to answer with the refreshed row (directory.Queries
// satisfies it). Decisions themselves are made by the person aggregate.
type UsersDirectory interface {
	Person(ctx context.Context, userID string) (directory.Person, error)
}

// UserCommandsDeps is everything the user write routes use.
type UserCommandsDeps struct {
	Directory UsersDirectory
	People    *person.Handlers
	// WaitForDirectory blocks until the directory read model has applied
	// the positions, so a write answers with the row it produced (e.g.
	// Manager.WaitFor(ctx, directory.Name, ps, max)). Nil: no wait.
	WaitForDirectory Waiter
	Logger           *slog.Logger // nil → discard
}

type usersCmdAPI struct {
	UserCommandsDeps
	writer
}

// MountUserCommands adds the personnel write routes to r, the /api router
// (behind middleware.Access and Dedup): POST /users/create and /users,
// PUT and DELETE /users/{id}, PUT /users/{id}/roles,
// PUT /users/{id}/wa-notification and PUT|POST /user_roles/update. Every
// change is scoped to the caller's clients (403 otherwise), goes through
// the person handlers, accepts an expected version (If-Match or
// expected_version; stale → 409) and answers the refreshed user with the
// appended positions. It panics without Directory or People.
func MountUserCommands(r *auth.Router, d UserCommandsDeps) {
	if d.Directory == nil || d.People == nil {
		panic("writeapi.MountUserCommands: Directory and People are required")
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	a := &usersCmdAPI{d, writer{log: d.Logger, wait: d.WaitForDirectory}}
	r.Post("/users/create", auth.OperatorList, a.create)
	r.Post("/users", auth.OperatorList, a.create)
	r.Put("/users/{id}", auth.OperatorList, a.update)
	r.Delete("/users/{id}", auth.Staff, a.deactivate)
	r.Put("/users/{id}/roles", auth.Staff, a.setRoles)
	r.Put("/users/{id}/wa-notification", auth.Staff, a.waNotification)
	r.Put("/user_roles/update", auth.Staff, a.renumber)
	r.Post("/user_roles/update", auth.Staff, a.renumber)
}

// step is one command of a request.
type step func(ctx context.Context, meta commands.Meta) (commands.Outcome, error)

// run runs steps in order under one correlation id, the expected version
// applying to the first (the aggregate as the caller saw it), each with the
// request's next command id (commandIDs). It stops at the first refusal;
// what earlier steps appended stays (and is returned), and a retry with
// the same Idempotency-Key re-issues the same steps, which repeat nothing.
func (a *usersCmdAPI) run(r *http.Request, p *auth.Principal, expected *uint64, steps []step) ([]events.Position, error) {
	ctx, ids := r.Context(), commandIDs(r)
	corr := uuid.Must(uuid.NewV7()).String()
	var ps []events.Position
	for i, s := range steps {
		meta := commands.Meta{CommandID: ids(), Actor: p.Actor(), CorrelationID: corr}
		if i == 0 {
			meta.ExpectedVersion = expected
		}
		o, err := s(ctx, meta)
		ps = append(ps, o.Positions()...)
		if err != nil {
			return ps, err
		}
	}
	return ps, nil
}

// finish answers a write with the refreshed person: {"success":true,
// "data":person,"positions":[…]}.
func (a *usersCmdAPI) finish(w http.ResponseWriter, r *http.Request, status int, nrp string, ps []events.Position) {
	a.done(w, r, written{status: status, ps: ps, fields: map[string]any{"data": nil},
		fill: func(ctx context.Context, body map[string]any) (bool, error) {
			p, err := a.Directory.Person(ctx, nrp)
			if errors.Is(err, directory.ErrNotFound) {
				return false, nil
			}
			body["data"] = p
			return err == nil, err
		}})
}

// target reads the person a request changes and checks the caller may:
// 404 when unknown, 403 when of another client.
func (a *usersCmdAPI) target(ctx context.Context, p *auth.Principal, rawID string) (directory.Person, error) {
	nrp := normalize.NRP(rawID)
	if nrp == "" {
		return directory.Person{}, userNotFound()
	}
	got, err := a.Directory.Person(ctx, nrp)
	switch {
	case errors.Is(err, directory.ErrNotFound):
		return got, userNotFound()
	case err != nil:
		return got, err
	case !inScope(p, got):
		return got, notAllowed()
	}
	return got, nil
}

// inScope: admins reach everyone, others the members of their clients
// (SPEC.md §5.10: user edits are scoped to the caller's clients).
func inScope(p *auth.Principal, x directory.Person) bool {
	if p.IsAdmin() {
		return true
	}
	clients := p.ClientIDs
	if len(clients) == 0 && p.ClientID != "" {
		clients = []string{p.ClientID}
	}
	return slices.ContainsFunc(clients, x.MemberOf)
}

func principalOf(w http.ResponseWriter, r *http.Request) (*auth.Principal, bool) {
	p, ok := auth.FromContext(r.Context())
	if !ok {
		auth.WriteError(w, r, slog.Default(), auth.ErrMissingToken)
	}
	return p, ok
}

// grant and revoke build role steps.
func (a *usersCmdAPI) grant(nrp, role string) step {
	return func(ctx context.Context, m commands.Meta) (commands.Outcome, error) {
		return a.People.GrantRole(ctx, m, person.GrantRole{NRP: nrp, Role: role})
	}
}

func (a *usersCmdAPI) revoke(nrp, role string) step {
	return func(ctx context.Context, m commands.Meta) (commands.Outcome, error) {
		return a.People.RevokeRole(ctx, m, person.RevokeRole{NRP: nrp, Role: role})
	}
}

// flagSteps turns role flags into grants and revocations, in flag order.
func (a *usersCmdAPI) flagSteps(nrp string, flags map[string]bool) []step {
	var out []step
	for _, k := range flagKeys {
		if v, ok := flags[k]; ok {
			if v {
				out = append(out, a.grant(nrp, k))
			} else {
				out = append(out, a.revoke(nrp, k))
			}
		}
	}
	return out
}

func lowerAll(in []string) []string {
	out := make([]string, 0, len(in))
	for _, s := range in {
		if s = strings.ToLower(strings.TrimSpace(s)); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
