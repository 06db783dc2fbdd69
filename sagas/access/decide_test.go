package access_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/sagas"
	"github.com/cicero/cicero/sagas/access"
)

// The claim code goes by mail to the address, or by WhatsApp to the user
// JID of the number the event names; a code without a usable recipient,
// or not sealed, is not sent.
func TestOTPDecides(t *testing.T) {
	code := "Kode OTP Anda: " + sagas.SecretPlaceholder
	for _, tc := range []struct {
		name string
		ev   events.ClaimOTPIssued
		want []sagas.Message
	}{
		{"mail", events.ClaimOTPIssued{Email: "a@polri.test", SealedCode: "s"},
			[]sagas.Message{{Channel: sagas.ChannelEmail, Recipient: "a@polri.test",
				Content: sagas.Content{Subject: "Kode OTP Anda", Body: code, Sealed: "s"}}}},
		{"WhatsApp", events.ClaimOTPIssued{Email: "a@polri.test", WhatsApp: "6281200000002", SealedCode: "s"},
			[]sagas.Message{{Channel: sagas.ChannelWhatsApp, Recipient: "6281200000002@s.whatsapp.net",
				Content: sagas.Content{Text: code, Sealed: "s", Session: sagas.SessionMain}}}},
		{"number too short", events.ClaimOTPIssued{Email: "a@polri.test", WhatsApp: "0812", SealedCode: "s"}, nil},
		{"not sealed", events.ClaimOTPIssued{Email: "a@polri.test"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev := tc.ev
			if d := cmp.Diff(tc.want, access.OTPMail(time.Minute).Decide(events.Envelope{}, &ev)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

// A reset asked by WhatsApp goes to the account's user JID from the main
// session; a number too short to be a chat is no recipient.
func TestPasswordResetDecides(t *testing.T) {
	at := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	env := events.Envelope{Meta: events.Meta{OccurredAt: at}}
	// The legacy text (buildResetMessage in the old authRoutes), written
	// out; the token is the sealed secret's place.
	text := "🔐 Reset Password Dashboard\n\nSilakan buka tautan berikut untuk mengatur ulang password Anda:\n" +
		"https://dash.test/reset-password?token={{secret}}\n\nUsername: rina\nToken: {{secret}}\n" +
		"Token berlaku selama 15 menit. Dengan url https://dash.test/reset-password\nCopy"
	for _, tc := range []struct {
		name string
		ev   events.DashboardPasswordResetRequested
		want []sagas.Message
	}{
		{"WhatsApp", events.DashboardPasswordResetRequested{Username: "rina", WhatsApp: "6281299990000", SealedToken: "s"},
			[]sagas.Message{{Channel: sagas.ChannelWhatsApp, Recipient: "6281299990000@s.whatsapp.net",
				Content: sagas.Content{Text: text, Sealed: "s", Session: sagas.SessionMain}}}},
		{"mail first", events.DashboardPasswordResetRequested{Username: "rina", Email: "r@polri.test", WhatsApp: "6281299990000", SealedToken: "s"},
			[]sagas.Message{{Channel: sagas.ChannelEmail, Recipient: "r@polri.test",
				Content: sagas.Content{Subject: "Reset Password Dashboard", Body: text, Sealed: "s"}}}},
		{"number too short", events.DashboardPasswordResetRequested{Username: "rina", WhatsApp: "0812", SealedToken: "s"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev := tc.ev
			ev.ExpiresAt = at.Add(15 * time.Minute)
			if d := cmp.Diff(tc.want, access.PasswordReset("https://dash.test", time.Hour).Decide(env, &ev)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}
