package writeapi

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/cicero/cicero/commands/penmasuser"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/projections/access"
)

// PenmasUserReader reads the penmas_users read model
// (access.PenmasUserQueries satisfies it).
type PenmasUserReader interface {
	ByID(ctx context.Context, id string) (access.PenmasUser, error)
}

// PenmasUserCommandDeps is everything the admin's Penmas account route uses.
type PenmasUserCommandDeps struct {
	Users *penmasuser.Handlers
	Read  PenmasUserReader
	// WaitFor waits for the penmas_users read model (nil: no wait).
	WaitFor Waiter
	Logger  *slog.Logger // nil → discard
}

type penmasUsersAPI struct {
	PenmasUserCommandDeps
	writer
}

// MountPenmasUserCommands adds PUT /penmas-users/{id} {role?, whatsapp?}
// to r (dashboard admins only): the admin's way to make a Penmas editor
// (self-registration refuses editor and admin) and to record the number
// the editorial notices go to ("" clears it). Answers {"success":true,
// "data":{user_id, username, role, whatsapp, …},"positions":[…]}; 400 for
// a bad role or number, 404 for an unknown account. It panics without
// Users or Read.
func MountPenmasUserCommands(r *auth.Router, d PenmasUserCommandDeps) {
	if d.Users == nil || d.Read == nil {
		panic("writeapi.MountPenmasUserCommands: Users and Read are required")
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	a := &penmasUsersAPI{d, writer{log: d.Logger, wait: d.WaitFor}}
	r.Put("/penmas-users/{id}", auth.Admins, a.set)
}

func (a *penmasUsersAPI) set(w http.ResponseWriter, r *http.Request) {
	p, ok := principalOf(w, r)
	if !ok {
		return
	}
	if !p.IsAdmin() {
		a.fail(w, r, apperr.New(apperr.Forbidden, edMsgForbidden))
		return
	}
	b, err := decodeBody(w, r)
	if err == nil {
		err = b.unknown(map[string]bool{"role": true, "whatsapp": true})
	}
	var role, wa *string
	if err == nil {
		role, err = b.text("role")
	}
	if err == nil {
		wa, err = b.text("whatsapp")
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	id := chi.URLParam(r, "id")
	o, err := a.Users.SetProfile(r.Context(), writeMeta(r, p), penmasuser.SetProfile{UserID: id, Role: role, WhatsApp: wa, By: p.Actor()})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	u, err := a.Users.ByID(r.Context(), id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.done(w, r, written{status: http.StatusOK, ps: o.Positions(), fields: map[string]any{"data": nil},
		fill: func(ctx context.Context, body map[string]any) (bool, error) {
			row, err := a.Read.ByID(ctx, u.ID)
			found, err := notFoundAsStale(err)
			if found {
				body["data"] = row
			}
			return found, err
		}})
}
