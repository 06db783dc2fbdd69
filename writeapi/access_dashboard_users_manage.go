package writeapi

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/auth"
)

// Messages of the account management routes.
const (
	dashUsersMsgClients         = "Client dashboard user diperbarui"
	dashUsersMsgClientsRequired = "client_ids wajib diisi"
	dashUsersMsgPassword        = "Password berhasil diperbarui. Silakan login kembali."
	dashUsersMsgPwdRequired     = "new_password wajib diisi"
	dashUsersMsgOldRequired     = "old_password wajib diisi"
	dashUsersMsgPwdMismatch     = "konfirmasi password tidak cocok"
)

// SessionRevoker ends every session of one caller (auth.Sessions
// satisfies it): a changed password logs the account out everywhere.
type SessionRevoker interface {
	RevokeActor(ctx context.Context, k auth.Kind, id string) (int, error)
}

// assignClients is PUT /api/dashboard/users/{id}/clients {client_ids[] |
// client_id, expected_version?} (admins): the clients the account may see,
// replacing the previous set. If-Match or expected_version names the
// account version the admin looked at (GET /api/dashboard/users/{id});
// a change since then answers 409.
func (a *dashUsersCmdAPI) assignClients(w http.ResponseWriter, r *http.Request) {
	p, id, ok := a.decision(w, r)
	if !ok {
		return
	}
	b, err := decodeBody(w, r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if err := b.unknown(map[string]bool{"client_ids": true, "client_id": true, "expected_version": true}); err != nil {
		a.fail(w, r, err)
		return
	}
	ids, given, err := b.strings("client_ids")
	if err != nil {
		a.fail(w, r, apperr.Invalidf("client_ids", dashUsersMsgClientsRequired))
		return
	}
	if !given {
		one, err := b.text("client_id")
		if err != nil {
			a.fail(w, r, err)
			return
		}
		if s := strings.TrimSpace(strOr(one)); s != "" {
			ids, given = []string{s}, true
		}
	}
	if !given {
		a.fail(w, r, apperr.Invalidf("client_ids", dashUsersMsgClientsRequired))
		return
	}
	meta := writeMeta(r, p)
	if meta.ExpectedVersion, err = requestVersion(r, b); err != nil {
		a.fail(w, r, err)
		return
	}
	o, err := a.Users.AssignClients(r.Context(), meta, dashuser.AssignClients{
		DashboardUserID: id, ClientIDs: ids, ActorRole: dashuser.RoleAdmin})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.finish(w, r, dashUsersMsgClients, o)
}

// changePassword is PUT /api/dashboard/users/{id}/password. The account
// itself sends {old_password, new_password, confirm_password?}; an admin
// may set another account's password with {new_password,
// confirm_password?} alone. Either way every session of the account ends
// (the caller's too, when it is their own).
func (a *dashUsersCmdAPI) changePassword(w http.ResponseWriter, r *http.Request) {
	p, found := principalOf(w, r)
	if !found {
		return
	}
	raw := chi.URLParam(r, "id")
	self := p.Kind == auth.KindDashboard && strings.EqualFold(p.ID, raw)
	if !self && !p.IsAdmin() {
		a.fail(w, r, apperr.New(apperr.Forbidden, dashUsersMsgForbidden))
		return
	}
	uid, err := uuid.Parse(raw)
	if err != nil {
		a.fail(w, r, &apperr.Error{Code: apperr.NotFound, Field: "dashboard_user_id", Message: dashUsersMsgNotFound})
		return
	}
	id := uid.String()
	b, err := decodeBody(w, r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if err := b.unknown(map[string]bool{"old_password": true, "new_password": true, "confirm_password": true,
		"expected_version": true}); err != nil {
		a.fail(w, r, err)
		return
	}
	var old, pw, confirm *string
	for _, f := range []struct {
		key string
		dst **string
	}{{"old_password", &old}, {"new_password", &pw}, {"confirm_password", &confirm}} {
		if *f.dst, err = b.text(f.key); err != nil {
			a.fail(w, r, err)
			return
		}
	}
	switch {
	case strOr(pw) == "":
		a.fail(w, r, apperr.Invalidf("new_password", dashUsersMsgPwdRequired))
		return
	case confirm != nil && *confirm != *pw:
		a.fail(w, r, apperr.Invalidf("confirm_password", dashUsersMsgPwdMismatch))
		return
	case self && strOr(old) == "":
		a.fail(w, r, apperr.Invalidf("old_password", dashUsersMsgOldRequired))
		return
	}
	meta := writeMeta(r, p)
	if meta.ExpectedVersion, err = requestVersion(r, b); err != nil {
		a.fail(w, r, err)
		return
	}
	var o commands.Outcome
	if self {
		o, err = a.Users.ChangePassword(r.Context(), meta, dashuser.ChangePassword{
			DashboardUserID: id, OldPassword: *old, NewPassword: *pw})
	} else {
		o, err = a.Users.ResetPassword(r.Context(), meta, dashuser.ResetPassword{
			DashboardUserID: id, NewPassword: *pw, ActorRole: dashuser.RoleAdmin})
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	// Logins check the hash in the read model: the sessions end only once
	// it has the new one, or a login with the old password in between
	// would keep a session.
	ps := o.Positions()
	caughtUp := a.caughtUp(r, ps)
	a.endSessions(r, id)
	if !caughtUp {
		go a.endSessionsLater(r, id, ps)
	}
	a.answer(w, r, written{status: http.StatusOK, ps: ps, fields: map[string]any{"message": dashUsersMsgPassword}}, caughtUp)
}

// endSessions ends every session of the account. A failure is logged, not
// answered: the password did change, and a retry could no longer prove
// the old one.
func (a *dashUsersCmdAPI) endSessions(r *http.Request, id string) {
	if a.Sessions == nil {
		return
	}
	if _, err := a.Sessions.RevokeActor(context.WithoutCancel(r.Context()), auth.KindDashboard, id); err != nil {
		a.Logger.Error("password change: end sessions", "dashboard_user_id", id, "err", err)
	}
}

// endSessionsLater ends the sessions again once the lagging read model has
// the new hash (bounded to a minute), catching logins made in between.
func (a *dashUsersCmdAPI) endSessionsLater(r *http.Request, id string, ps []events.Position) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), time.Minute)
	defer cancel()
	for ctx.Err() == nil {
		if a.WaitFor == nil || a.WaitFor(ctx, ps) == nil {
			break
		}
	}
	a.endSessions(r.WithContext(ctx), id)
}
