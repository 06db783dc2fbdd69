package events

import "time"

// Personnel claims (stream ACCESS): a member proves by an e-mailed one-time
// code that an NRP is his, then reads and updates his own profile (spec
// access.md §4). Emitted by commands/claim; the code never enters an event
// in the clear (its HMAC sits in Redis, for minutes; ClaimOTPIssued holds
// it sealed for the mail saga, see internal/seal). Consumed by the OTP mail
// saga and by auditors (who asked for codes for which NRP, and which
// address proved it); profile changes that follow are person events in
// DIRECTORY.
//
// The e-mail address is personal data; it stays in the person's own claim
// subject, next to the person it belongs to.

// ClaimSubjectPrefix is the subject prefix of claim aggregates.
const ClaimSubjectPrefix = "access.claim"

// ClaimSubject is the subject of the claim aggregate of one NRP.
func ClaimSubject(nrp string) string { return Subject(ClaimSubjectPrefix, nrp) }

// ClaimOTPIssued: a code was issued for the NRP and is being sent to Email,
// or, when WhatsApp is set, to that number (the person's number on file,
// for a person with no e-mail on file; Email is then the address the code
// will attach to the person once verified). It replaces any earlier code
// of the NRP. SealedCode is the code sealed for the OTP saga (empty in
// events recorded before the code went through the outbox: nothing is
// sent). WhatsApp is absent from events recorded before codes went by
// WhatsApp: they were all mailed.
type ClaimOTPIssued struct {
	NRP        string    `json:"nrp"`
	Email      string    `json:"email"`
	ExpiresAt  time.Time `json:"expires_at"`
	SealedCode string    `json:"sealed_code,omitempty"`
	WhatsApp   string    `json:"whatsapp,omitempty"`
}

func (ClaimOTPIssued) EventType() string { return "ClaimOTPIssued" }

// ClaimVerified: the member entered the right code: Email is proven to
// belong to whoever holds the NRP's claim. It spends the code.
type ClaimVerified struct {
	NRP   string `json:"nrp"`
	Email string `json:"email"`
}

func (ClaimVerified) EventType() string { return "ClaimVerified" }

// Reasons of ClaimOTPRejected.
const (
	// ClaimRejectedMismatch: wrong code (or another address); the code lives on.
	ClaimRejectedMismatch = "mismatch"
	// ClaimRejectedExhausted: the last allowed attempt failed; the code is burnt.
	ClaimRejectedExhausted = "attempts_exhausted"
	// ClaimRejectedExpired: the code is gone (expired, or spent by a
	// concurrent attempt) while the claim still had it pending.
	ClaimRejectedExpired = "expired"
)

// ClaimOTPRejected: a submitted code was refused. Attempts counts the
// submissions against the pending code, this one included. Submissions
// when no code is pending record nothing (they would let anyone write
// events for any NRP).
type ClaimOTPRejected struct {
	NRP      string `json:"nrp"`
	Reason   string `json:"reason"`
	Attempts int    `json:"attempts,omitempty"`
}

func (ClaimOTPRejected) EventType() string { return "ClaimOTPRejected" }

func registerClaim(r *Registry) {
	r.Register(1, func() Payload { return &ClaimOTPIssued{} })
	r.Register(1, func() Payload { return &ClaimVerified{} })
	r.Register(1, func() Payload { return &ClaimOTPRejected{} })
}
