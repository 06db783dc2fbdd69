// Package claim is the personnel claim aggregate of the ACCESS context
// (subject access.claim.<NRP>): a member asks for a one-time code by e-mail
// and proves the address with it (spec access.md §4). The code lives in
// Redis (internal/otp), so these commands record facts the caller
// established there; the aggregate keeps them consistent: a code is issued
// only to a registered person at the address the directory holds (or any
// address while it holds none), and a verification must match the code
// the claim has pending, which it spends. handlers.go lists the commands.
package claim

import (
	"context"
	"fmt"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/normalize"
)

// Messages of the claim commands: the legacy claim API's wording.
const (
	msgRequired     = "nrp dan email wajib diisi"
	msgEmailInvalid = "Format email tidak valid. Pastikan menulis alamat lengkap seperti nama@contoh.com"
	msgNotFound     = "User tidak ditemukan"
	msgEmailDiffers = "email tidak sesuai"
	// MsgNoContact refuses a claim of a record without an e-mail on file:
	// the code would go to whatever address the caller names, and the first
	// comer would take the record over. The operator records the address
	// (PUT /api/users/{id}); then the member claims with it.
	MsgNoContact  = "Data Anda belum memiliki email terdaftar. Minta operator satuan Anda mencatat email Anda, lalu ulangi klaim."
	msgOTPInvalid = "OTP tidak valid"
)

// Pending is the code issued last and not yet spent.
type Pending struct {
	Email     string
	ExpiresAt time.Time
	Attempts  int
}

// Claim is the state of one NRP's claim, folded from its events.
type Claim struct {
	NRP     string
	Pending *Pending
	// VerifiedEmail is the address proven last ("" before any).
	VerifiedEmail string
	Issued        int // codes issued, ever
}

// Apply folds one event into the state.
func (c *Claim) Apply(ev events.Payload) {
	switch e := ev.(type) {
	case *events.ClaimOTPIssued:
		c.Pending = &Pending{Email: e.Email, ExpiresAt: e.ExpiresAt}
		c.Issued++
	case *events.ClaimVerified:
		c.Pending = nil
		c.VerifiedEmail = e.Email
	case *events.ClaimOTPRejected:
		if c.Pending == nil {
			return
		}
		c.Pending.Attempts = e.Attempts
		if e.Reason != events.ClaimRejectedMismatch {
			c.Pending = nil
		}
	}
}

// Load reads and folds the claim of a (normalised) NRP through the
// command's loader and returns it with its version.
func Load(ctx context.Context, l *commands.Loader, nrp string) (Claim, uint64, error) {
	envs, v, err := l.Load(ctx, events.ClaimSubject(nrp))
	if err != nil {
		return Claim{}, 0, fmt.Errorf("load claim: %w", err)
	}
	c := Claim{NRP: nrp}
	for i := range envs {
		ev, err := l.Registry().Decode(&envs[i])
		if err != nil {
			return Claim{}, 0, fmt.Errorf("load claim: %w", err)
		}
		c.Apply(ev)
	}
	return c, v, nil
}

// commit wraps events for the claim's own subject at version v.
func (c Claim) commit(v uint64, evs ...events.Payload) []events.Commit {
	return []events.Commit{{Subject: events.ClaimSubject(c.NRP), AggregateID: c.NRP, Expected: v, Events: evs}}
}

// parseInput normalises the NRP and e-mail every claim command carries.
func parseInput(rawNRP, rawEmail string) (string, string, error) {
	nrp, email := normalize.NRP(rawNRP), normalize.Email(rawEmail)
	switch {
	case nrp == "" || email == "":
		return "", "", &apperr.Error{Code: apperr.Invalid, Message: msgRequired}
	case len(nrp) < normalize.MinNRPDigits || len(nrp) > normalize.MaxNRPDigits:
		return "", "", &apperr.Error{Code: apperr.NotFound, Field: "nrp", Message: msgNotFound}
	case !normalize.ValidEmail(email):
		return "", "", &apperr.Error{Code: apperr.Invalid, Field: "email", Message: msgEmailInvalid}
	}
	return nrp, email, nil
}
