package writeapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/dashuser"
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
	meta := premiumMeta(p)
	if meta.ExpectedVersion, err = a.version(r, b); err != nil {
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
	for key, dst := range map[string]**string{"old_password": &old, "new_password": &pw, "confirm_password": &confirm} {
		if *dst, err = b.text(key); err != nil {
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
	meta := premiumMeta(p)
	if meta.ExpectedVersion, err = a.version(r, b); err != nil {
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
	if a.Sessions != nil {
		if _, err := a.Sessions.RevokeActor(r.Context(), auth.KindDashboard, id); err != nil {
			// The password did change; old sessions still end within their TTL.
			a.fail(w, r, err)
			return
		}
	}
	// finish waits for the read model: logins check the hash there, and a
	// login right after is exactly what the answer asks for.
	a.finish(w, r, dashUsersMsgPassword, o)
}

// version is the optimistic-concurrency check of a write: If-Match or the
// body's expected_version.
func (a *dashUsersCmdAPI) version(r *http.Request, b rawBody) (*uint64, error) {
	v, err := b.version()
	if err != nil {
		return nil, err
	}
	return expectedVersion(r, v)
}
