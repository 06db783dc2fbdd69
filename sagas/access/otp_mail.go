package access

import (
	"time"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/waid"
	"github.com/cicero/cicero/sagas"
)

// OTPMailName names the claim code saga (its checkpoints and outbox rows).
const OTPMailName = "access-claim-otp-mail"

// The legacy mail of the claim code (spec/access.md §4).
const (
	otpMailSubject = "Kode OTP Anda"
	otpMailBody    = "Kode OTP Anda: "
)

// OTPMail mails each issued claim code to the address on file, or sends it
// by WhatsApp (main session, the mail's text) to the number on file of a
// person without an address, as the event says. A code is worth sending
// only while it is valid: events older than maxAge (the code's TTL) are
// skipped, so a saga started late, or replaying history, never sends
// stale codes. (The name keeps "mail": renaming a saga restarts it.)
func OTPMail(maxAge time.Duration) sagas.Saga {
	return sagas.Saga{
		Name:       OTPMailName,
		Streams:    []string{"ACCESS"},
		EventTypes: events.Types(events.ClaimOTPIssued{}),
		MaxAge:     maxAge,
		Decide: func(_ events.Envelope, p events.Payload) []sagas.Message {
			e, ok := p.(*events.ClaimOTPIssued)
			if !ok || e.SealedCode == "" {
				return nil
			}
			if e.WhatsApp != "" {
				// A number too short for a chat was refused by the command;
				// an old one that is not a chat gets nothing, not an error.
				jid := waid.UserJID(e.WhatsApp)
				if jid == "" {
					return nil
				}
				return []sagas.Message{{Channel: sagas.ChannelWhatsApp, Recipient: jid, Content: sagas.Content{
					Text: otpMailBody + sagas.SecretPlaceholder, Sealed: e.SealedCode, Session: sagas.SessionMain}}}
			}
			if e.Email == "" {
				return nil
			}
			return []sagas.Message{{Channel: sagas.ChannelEmail, Recipient: e.Email, Content: sagas.Content{
				Subject: otpMailSubject, Body: otpMailBody + sagas.SecretPlaceholder, Sealed: e.SealedCode}}}
		},
	}
}
