package access

import (
	"time"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/sagas"
)

// OTPMailName names the claim code saga (its checkpoints and outbox rows).
const OTPMailName = "access-claim-otp-mail"

// The legacy mail of the claim code (spec/access.md §4).
const (
	otpMailSubject = "Kode OTP Anda"
	otpMailBody    = "Kode OTP Anda: "
)

// OTPMail mails each issued claim code to the address on file. A code is
// worth sending only while it is valid: events older than maxAge (the code's
// TTL) are skipped, so a saga started late, or replaying history, never
// mails stale codes.
func OTPMail(maxAge time.Duration) sagas.Saga {
	return sagas.Saga{
		Name:       OTPMailName,
		Streams:    []string{"ACCESS"},
		EventTypes: events.Types(events.ClaimOTPIssued{}),
		MaxAge:     maxAge,
		Decide: func(_ events.Envelope, p events.Payload) []sagas.Message {
			e, ok := p.(*events.ClaimOTPIssued)
			if !ok || e.SealedCode == "" || e.Email == "" {
				return nil
			}
			return []sagas.Message{{Channel: sagas.ChannelEmail, Recipient: e.Email, Content: sagas.Content{
				Subject: otpMailSubject, Body: otpMailBody + sagas.SecretPlaceholder, Sealed: e.SealedCode}}}
		},
	}
}
