package access

import (
	"fmt"
	"strings"
	"time"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/waid"
	"github.com/cicero/cicero/sagas"
)

// PasswordResetName names the reset-token saga.
const PasswordResetName = "access-password-reset"

// legacyResetBase is the old system's fallback for the reset link.
const legacyResetBase = "https://papiqo.com"

// PasswordReset sends each issued reset token where the user asked: by
// e-mail to the account's address, else by WhatsApp to its number, with the
// legacy text (spec/access.md §2.8). baseURL is DASHBOARD_PASSWORD_RESET_URL
// or DASHBOARD_URL. Tokens older than maxAge (their TTL) are not sent.
func PasswordReset(baseURL string, maxAge time.Duration) sagas.Saga {
	return sagas.Saga{
		Name:       PasswordResetName,
		Streams:    []string{"ACCESS"},
		EventTypes: events.Types(events.DashboardPasswordResetRequested{}),
		MaxAge:     maxAge,
		Decide: func(env events.Envelope, p events.Payload) []sagas.Message {
			e, ok := p.(*events.DashboardPasswordResetRequested)
			if !ok || e.SealedToken == "" {
				return nil
			}
			ttl := e.ExpiresAt.Sub(env.Meta.OccurredAt)
			text := ResetText(baseURL, e.Username, sagas.SecretPlaceholder, ttl)
			switch {
			case e.Email != "":
				return []sagas.Message{{Channel: sagas.ChannelEmail, Recipient: e.Email,
					Content: sagas.Content{Subject: "Reset Password Dashboard", Body: text, Sealed: e.SealedToken}}}
			case waid.UserJID(e.WhatsApp) != "":
				// The account's number as a user JID (ResetRecipient), sent
				// from the main session as the legacy did.
				return []sagas.Message{{Channel: sagas.ChannelWhatsApp, Recipient: ResetRecipient(e.WhatsApp),
					Content: sagas.Content{Text: text, Sealed: e.SealedToken, Session: sagas.SessionMain}}}
			}
			return nil
		},
	}
}

// ResetRecipient is the WhatsApp recipient of a reset sent to number: what
// the request handler waits on for the delivery outcome.
func ResetRecipient(number string) string { return waid.UserJID(number) }

// ResetURL is the reset page: base with trailing slashes trimmed and
// /reset-password appended unless already there.
func ResetURL(base string) string {
	base = strings.TrimRight(strings.TrimSpace(base), "/")
	if base == "" {
		base = legacyResetBase
	}
	if !strings.HasSuffix(base, "/reset-password") {
		base += "/reset-password"
	}
	return base
}

// ResetText is the legacy reset message (buildResetMessage of the old
// authRoutes): header, a blank line, the instruction and the link with the
// token, a blank line, username, token, validity (rounded to whole
// minutes, at least one) and the trailing "Copy" line.
func ResetText(base, username, token string, ttl time.Duration) string {
	page := ResetURL(base)
	minutes := max(int((ttl+30*time.Second)/time.Minute), 1)
	return strings.Join([]string{
		"🔐 Reset Password Dashboard",
		"",
		"Silakan buka tautan berikut untuk mengatur ulang password Anda:",
		page + "?token=" + token,
		"",
		"Username: " + username,
		"Token: " + token,
		fmt.Sprintf("Token berlaku selama %d menit. Dengan url %s", minutes, page),
		"Copy",
	}, "\n")
}
