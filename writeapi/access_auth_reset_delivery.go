package writeapi

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/sagas"
)

// ErrNoWhatsApp is a reset to a WhatsApp number while no WhatsApp session
// is connected to send it: the request answers 500 "Instruksi reset tidak
// dapat dikirim…", as a failed WhatsApp send did before, instead of
// claiming a message went out.
var ErrNoWhatsApp = errors.New("no WhatsApp sender configured")

// legacyResetBase is the old system's fallback for the reset link.
const legacyResetBase = "https://papiqo.com"

// ResetMessenger delivers reset tokens: by mail when the user named their
// e-mail address as the contact, by WhatsApp otherwise. The texts are the
// legacy WhatsApp message's (spec/access.md §2.8).
type ResetMessenger struct {
	// Mail sends e-mail (the sagas/email adapter); nil refuses mail resets.
	Mail sagas.Sender
	// WhatsApp sends WhatsApp messages; nil (no session yet) refuses
	// WhatsApp resets with ErrNoWhatsApp.
	WhatsApp sagas.Sender
	// BaseURL is DASHBOARD_PASSWORD_RESET_URL or DASHBOARD_URL; "" → the
	// legacy https://papiqo.com.
	BaseURL string
}

// CanDeliver implements ResetReadiness: a reset by mail needs the mail
// sender, one by WhatsApp the WhatsApp sender.
func (m ResetMessenger) CanDeliver(byMail bool) error {
	switch {
	case byMail && m.Mail == nil:
		return errors.New("no mail sender configured")
	case !byMail && m.WhatsApp == nil:
		return ErrNoWhatsApp
	}
	return nil
}

// DeliverReset implements ResetDelivery.
func (m ResetMessenger) DeliverReset(ctx context.Context, n ResetNotice) error {
	text := ResetText(m.BaseURL, n)
	// The account and the token's expiry key the Message-ID: a retried
	// send of one token is the same mail.
	key := "reset:" + n.DashboardUserID + ":" + n.ExpiresAt.UTC().Format(time.RFC3339Nano)
	var err error
	switch {
	case n.Email != "":
		if m.Mail == nil {
			return errors.New("no mail sender configured")
		}
		_, err = m.Mail.Send(ctx, sagas.Message{Channel: sagas.ChannelEmail, Recipient: n.Email,
			Content: sagas.Content{Subject: "Reset Password Dashboard", Body: text}}, key)
	case m.WhatsApp == nil:
		return ErrNoWhatsApp
	default:
		_, err = m.WhatsApp.Send(ctx, sagas.Message{Channel: sagas.ChannelWhatsApp, Recipient: n.WhatsApp,
			Content: sagas.Content{Text: text}}, key)
	}
	if err != nil {
		return fmt.Errorf("deliver reset: %w", err)
	}
	return nil
}

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

// ResetText is the legacy reset message: header, link with the token,
// username, token, validity and the trailing "Copy" line.
func ResetText(base string, n ResetNotice) string {
	page := ResetURL(base)
	minutes := int(n.TTL / time.Minute)
	if minutes <= 0 {
		minutes = int(dashuser.DefaultResetTTL / time.Minute)
	}
	return strings.Join([]string{
		"🔐 Reset Password Dashboard",
		page + "?token=" + n.Token,
		"Username: " + n.Username,
		"Token: " + n.Token,
		fmt.Sprintf("Token berlaku selama %d menit. Dengan url %s", minutes, page),
		"Copy",
	}, "\n")
}
