package writeapi

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/internal/normalize"
	"github.com/cicero/cicero/internal/waid"
)

// Legacy messages of the dashboard password reset (spec/access.md §2.8).
const (
	authMsgResetRequired   = "username dan kontak wajib diisi"
	authMsgResetContact    = "kontak whatsapp tidak valid"
	authMsgResetSent       = "Instruksi reset password telah dikirim melalui WhatsApp."
	authMsgResetSentMail   = "Instruksi reset password telah dikirim melalui email."
	authMsgResetSendFailed = "Instruksi reset tidak dapat dikirim. Silakan hubungi admin untuk bantuan."
	authMsgResetServer     = "Terjadi kesalahan pada server. Silakan hubungi admin."
	authMsgConfirmRequired = "token, password, dan konfirmasi wajib diisi"
	authMsgConfirmMismatch = "konfirmasi password tidak cocok"
	authMsgResetTokenBad   = "token reset tidak valid atau sudah kedaluwarsa"
	authMsgConfirmDone     = "Password berhasil diperbarui. Silakan login kembali."
	authMsgConfirmServer   = "Terjadi kesalahan saat memperbarui password. Silakan hubungi admin."
)

// resetRequest is POST …/password-reset/request {username, contact}.
func (a *authAPI) resetRequest(w http.ResponseWriter, r *http.Request) {
	b, ok := decodeAuth(w, r)
	if !ok {
		return
	}
	username, contact := strings.TrimSpace(b.str("username")), strings.TrimSpace(b.str("contact"))
	if username == "" || contact == "" {
		authFail(w, http.StatusBadRequest, authMsgResetRequired)
		return
	}
	byMail := dashuser.ResetByEmail(contact)
	if !byMail && !normalize.ValidWhatsApp(normalize.WhatsApp(contact)) {
		authFail(w, http.StatusBadRequest, authMsgResetContact)
		return
	}
	if err := dashuser.CheckResetContact(contact); err != nil {
		a.resetError(w, r, err)
		return
	}
	// Every well-formed request counts (each one sends a message).
	if !allowAttempt(w, r, a.AuthDeps, auth.FlowPasswordReset, username) {
		return
	}
	// A channel nothing can send on (no WhatsApp session yet) is refused
	// before a token is issued: an undeliverable request must not replace
	// a token already sent.
	if a.Seal == nil || a.Deliveries == nil || (byMail && !a.CanMail) || (!byMail && !a.CanWhatsApp) {
		a.Logger.Warn("password reset: no sender for the channel", "by_mail", byMail)
		authFail(w, http.StatusInternalServerError, authMsgResetSendFailed)
		return
	}
	// The reservation in the event store, not the read model: a fresh
	// account can reset at once.
	id, err := a.users.IDByUsername(r.Context(), username)
	if err != nil {
		a.resetError(w, r, err)
		return
	}
	meta := commands.Meta{CommandID: uuid.Must(uuid.NewV7()).String(), Actor: "password-reset", OccurredAt: a.Now()}
	token, o, err := a.users.RequestPasswordReset(r.Context(), meta, dashuser.RequestPasswordReset{DashboardUserID: id, Contact: contact})
	if err != nil {
		a.resetError(w, r, err)
		return
	}
	if token == "" || len(o.Appended) == 0 { // only on a repeated command id, which a fresh id never is
		a.serverError(w, r, "password reset: no token issued", nil)
		return
	}
	// The saga sends the token to the account's address or number (the
	// contact matched it); wait for the outcome the legacy answer tells.
	// The saga addresses a WhatsApp reset to the number's user JID
	// (sagas/access.ResetRecipient, waid.UserJID), an e-mail to the address.
	recipient := waid.UserJID(contact)
	if byMail {
		recipient = normalize.Email(contact)
	}
	sent, failure, err := awaitDelivery(r.Context(), a.Deliveries, o.Appended[0].EventIDs, recipient)
	if err != nil || !sent {
		// The token stays valid (as before); an admin can still help.
		if err == nil {
			err = fmt.Errorf("not delivered: %s", failure)
		}
		err = fmt.Errorf("dashboard user %s: %w", id, err)
		httpx.Fail(w, r, a.Logger, "password reset: delivery failed", err, http.StatusInternalServerError,
			httpx.ErrorBody{Success: false, Message: authMsgResetSendFailed})
		return
	}
	msg := authMsgResetSent
	if byMail {
		msg = authMsgResetSentMail
	}
	httpx.JSON(w, http.StatusOK, authMessage{Success: true, Message: msg})
}

func (a *authAPI) resetTTL() time.Duration {
	if a.ResetTTL > 0 {
		return a.ResetTTL
	}
	return dashuser.DefaultResetTTL
}

func (a *authAPI) resetError(w http.ResponseWriter, r *http.Request, err error) {
	a.Logger.Debug("password reset request refused", "err", err)
	if isRefusal(err) {
		a.commandError(w, r, "password reset", err)
		return
	}
	httpx.Fail(w, r, a.Logger, "password reset request", err, http.StatusInternalServerError,
		httpx.ErrorBody{Success: false, Message: authMsgResetServer})
}

// resetConfirm is POST …/password-reset/confirm {token, password,
// confirmPassword | password_confirmation}: sets the password and ends
// every dashboard session of the account.
func (a *authAPI) resetConfirm(w http.ResponseWriter, r *http.Request) {
	b, ok := decodeAuth(w, r)
	if !ok {
		return
	}
	token, pw := strings.TrimSpace(b.str("token")), b.str("password")
	confirm := b.str("confirmPassword", "password_confirmation")
	if token == "" || pw == "" || confirm == "" {
		authFail(w, http.StatusBadRequest, authMsgConfirmRequired)
		return
	}
	if pw != confirm {
		authFail(w, http.StatusBadRequest, authMsgConfirmMismatch)
		return
	}
	meta := commands.Meta{CommandID: uuid.Must(uuid.NewV7()).String(), Actor: "password-reset", OccurredAt: a.Now()}
	o, err := a.users.ResetPassword(r.Context(), meta, dashuser.ResetPassword{Token: token, NewPassword: pw})
	if err != nil {
		if apperr.CodeOf(err) == apperr.NotFound {
			// A well-formed token naming no account is just a bad token.
			authFail(w, http.StatusBadRequest, authMsgResetTokenBad)
			return
		}
		if isRefusal(err) {
			a.commandError(w, r, "password reset confirm", err)
			return
		}
		httpx.Fail(w, r, a.Logger, "password reset confirm", err, http.StatusInternalServerError,
			httpx.ErrorBody{Success: false, Message: authMsgConfirmServer})
		return
	}
	id, _ := dashuser.ParseResetToken(token) // the command accepted it, so it parses
	// Logins check the hash in the read model: end the sessions once it
	// has the new one, or a login with the old password in between would
	// keep a session.
	ps := o.Positions()
	caughtUp := a.dashUsers.caughtUp(r, ps)
	if _, err := a.Auth.Sessions().RevokeActor(context.WithoutCancel(r.Context()), auth.KindDashboard, id); err != nil {
		// The password changed; old sessions still end within their TTL.
		a.Logger.Error("password reset confirm: revoke sessions", "dashboard_user_id", id, "err", err)
		authFail(w, http.StatusInternalServerError, authMsgConfirmServer)
		return
	}
	setWriteHeaders(w, ps, caughtUp)
	httpx.JSON(w, http.StatusOK, authMessage{Success: true, Message: authMsgConfirmDone})
}
