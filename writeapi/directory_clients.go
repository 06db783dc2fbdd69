package writeapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/cicero/cicero/projections/directory"

	"github.com/go-chi/chi/v5"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/httpx"
)

// ClientsDirectory is what the client write routes read to answer with
// the refreshed row (directory.Queries satisfies it).
type ClientsDirectory interface {
	Client(ctx context.Context, clientID string) (directory.Client, error)
}

// ClientCommandsDeps is everything the client write routes use.
type ClientCommandsDeps struct {
	Directory ClientsDirectory
	Clients   *client.Handlers
	// WaitForDirectory: as in UserCommandsDeps.
	WaitForDirectory Waiter
	Logger           *slog.Logger
}

type clientsCmdAPI struct {
	ClientCommandsDeps
	writer
}

// MountClientCommands adds PUT /clients/{client_id} to r, the /api router.
// It panics without Directory or Clients.
func MountClientCommands(r *auth.Router, d ClientCommandsDeps) {
	if d.Directory == nil || d.Clients == nil {
		panic("writeapi.MountClientCommands: Directory and Clients are required")
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	a := &clientsCmdAPI{d, writer{log: d.Logger, wait: d.WaitForDirectory}}
	r.Put("/clients/{client_id}", auth.Staff, a.update)
}

// update is PUT /api/clients/{client_id}: a merge update of the fields the
// body names (unknown keys ignored, as before; null clears a text field).
// Scoped to the caller's clients; an unknown client answers the legacy
// 404 {"error":"Client not found"}.
func (a *clientsCmdAPI) update(w http.ResponseWriter, r *http.Request) {
	p, ok := principalOf(w, r)
	if !ok {
		return
	}
	id := chi.URLParam(r, "client_id")
	if !p.AllowsClient(id) {
		httpx.Error(w, r, a.Logger, notAllowed())
		return
	}
	b, err := decodeBody(w, r)
	var cmd client.UpdateClient
	var expected *uint64
	if err == nil {
		cmd, err = readClientUpdate(b)
	}
	if err == nil {
		if expected, err = b.version(); err == nil {
			expected, err = expectedVersion(r, expected)
		}
	}
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return
	}
	cmd.ClientID = id
	if cmd.ActorRole = p.Role; p.IsAdmin() {
		cmd.ActorRole = client.RoleAdmin
	}
	o, err := a.Clients.UpdateClient(r.Context(), commands.Meta{CommandID: commandIDs(r)(), Actor: p.Actor(), ExpectedVersion: expected}, cmd)
	if errors.Is(err, apperr.ErrNotFound) {
		httpx.JSON(w, http.StatusNotFound, map[string]string{"error": "Client not found"})
		return
	}
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return
	}
	a.done(w, r, written{status: http.StatusOK, ps: o.Positions(), fields: map[string]any{"data": nil},
		fill: func(ctx context.Context, body map[string]any) (bool, error) {
			c, err := a.Directory.Client(ctx, id)
			if errors.Is(err, directory.ErrNotFound) {
				return false, nil
			}
			body["data"] = c
			return err == nil, err
		}})
}

func readClientUpdate(b rawBody) (client.UpdateClient, error) {
	var c client.UpdateClient
	texts := []struct {
		key string
		dst **string
	}{
		{"nama", &c.Nama}, {"client_type", &c.ClientType}, {"client_insta", &c.ClientInsta},
		{"client_tiktok", &c.ClientTiktok}, {"client_operator", &c.ClientOperator}, {"client_group", &c.ClientGroup},
		{"regional_id", &c.RegionalID}, {"parent_client_id", &c.ParentClientID}, {"client_level", &c.ClientLevel},
		{"tiktok_secuid", &c.TiktokSecUID}, {"client_super", &c.ClientSuper},
	}
	var err error
	for _, t := range texts {
		if *t.dst, err = b.text(t.key); err != nil {
			return c, err
		}
	}
	bools := []struct {
		key string
		dst **bool
	}{{"client_insta_status", &c.InstaStatus}, {"client_tiktok_status", &c.TiktokStatus}, {"client_amplify_status", &c.AmplifyStatus}}
	for _, bo := range bools {
		if *bo.dst, err = b.boolean(bo.key); err != nil {
			return c, err
		}
	}
	return c, nil
}
