package writeapi

import (
	"context"
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
)

// Legacy messages of the dashboard password reset (spec/access.md §2.8).
const (
	authMsgResetRequired     = "username dan kontak wajib diisi"
	authMsgResetContact      = "kontak whatsapp tidak valid"
	authMsgResetSent         = "Instruksi reset password telah dikirim melalui WhatsApp."
	authMsgResetSentMail     = "Instruksi reset password telah dikirim melalui email."
	authMsgResetSendFailed   = "Instruksi reset tidak dapat dikirim. Silakan hubungi admin untuk bantuan."
	authMsgResetServer       = "Terjadi kesalahan pada server. Silakan hubungi admin."
	authMsgConfirmRequired   = "token, password, dan konfirmasi wajib diisi"
	authMsgConfirmMismatch   = "konfirmasi password tidak cocok"
	authMsgResetTokenBad     = "token reset tidak valid atau sudah kedaluwarsa"
	authMsgConfirmDone       = "Password berhasil diperbarui. Silakan login kembali."
	authMsgConfirmServer     = "Terjadi kesalahan saat memperbarui password. Silakan hubungi admin."
	authResetDeliveryTimeout = 30 * time.Second
)

// ResetNotice is one password-reset token to deliver. Token is a secret:
// an implementation sends it to WhatsApp and must never log it.
type ResetNotice struct {
	DashboardUserID string
	Username        string
	WhatsApp        string // the account's number, 62… (when Email is "")
	Email           string // set when the user asked for the reset by e-mail
	Token           string
	ExpiresAt       time.Time
	TTL             time.Duration // how long the token is valid
}

// ResetDelivery sends a reset token to the account's WhatsApp or e-mail
// (the legacy message: a link <base>/reset-password?token=…, username,
// token, validity); ResetMessenger is the implementation.
// An error answers 500 "Instruksi reset tidak dapat dikirim…"; the token
// stays valid, as before.
type ResetDelivery interface {
	DeliverReset(ctx context.Context, n ResetNotice) error
}

// ResetReadiness is what a ResetDelivery may also say: whether it can
// deliver on a channel at all. A request it cannot serve is refused before
// a token is issued, so an undeliverable request never replaces a token
// already sent.
type ResetReadiness interface {
	CanDeliver(byMail bool) error
}

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
	if rd, ok := a.ResetDelivery.(ResetReadiness); ok {
		if err := rd.CanDeliver(byMail); err != nil {
			a.Logger.Warn("password reset: channel unavailable", "by_mail", byMail, "err", err)
			authFail(w, http.StatusInternalServerError, authMsgResetSendFailed)
			return
		}
	}
	// The reservation in the event store, not the read model: a fresh
	// account can reset at once.
	id, err := a.users.IDByUsername(r.Context(), username)
	if err != nil {
		a.resetError(w, r, err)
		return
	}
	meta := commands.Meta{CommandID: uuid.Must(uuid.NewV7()).String(), Actor: "password-reset", OccurredAt: a.Now()}
	expires := a.Now().Add(a.resetTTL())
	token, _, err := a.users.RequestPasswordReset(r.Context(), meta, dashuser.RequestPasswordReset{DashboardUserID: id, Contact: contact})
	if err != nil {
		a.resetError(w, r, err)
		return
	}
	if token == "" { // only on a repeated command id, which a fresh id never is
		a.serverError(w, r, "password reset: no token issued", nil)
		return
	}
	dctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), authResetDeliveryTimeout)
	defer cancel()
	n := ResetNotice{DashboardUserID: id, Username: username, Token: token, ExpiresAt: expires, TTL: a.resetTTL()}
	if byMail {
		n.Email = normalize.Email(contact)
	} else {
		n.WhatsApp = normalize.WhatsApp(contact)
	}
	if err := a.ResetDelivery.DeliverReset(dctx, n); err != nil {
		// The token stays valid (as before); an admin can still help.
		a.Logger.Error("password reset: delivery failed", "dashboard_user_id", id, "err", err)
		authFail(w, http.StatusInternalServerError, authMsgResetSendFailed)
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
	a.Logger.Error("password reset request", "err", err)
	authFail(w, http.StatusInternalServerError, authMsgResetServer)
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
		a.Logger.Error("password reset confirm", "err", err)
		authFail(w, http.StatusInternalServerError, authMsgConfirmServer)
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
