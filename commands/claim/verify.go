package claim

import (
	"context"
	"fmt"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
)

// VerifyOTP records the outcome of checking a submitted code against the
// NRP's code in Redis: Verified, or refused for Reason (one of the
// events.ClaimRejected… reasons) after Attempts submissions.
//
// A verification must match the pending code's address and spends it; a
// verification without a matching pending code (a newer request replaced
// it meanwhile) is refused, Conflict "OTP tidak valid", and the caller
// must take the verification back. A refusal while no code is pending
// records nothing.
type VerifyOTP struct {
	NRP      string `json:"nrp"`
	Email    string `json:"email"`
	Verified bool   `json:"verified"`
	Reason   string `json:"reason,omitempty"`
	Attempts int    `json:"attempts,omitempty"`
}

func (cmd VerifyOTP) decide(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
	nrp, email, err := parseInput(cmd.NRP, cmd.Email)
	if err != nil {
		return nil, err
	}
	if !cmd.Verified {
		switch cmd.Reason {
		case events.ClaimRejectedMismatch, events.ClaimRejectedExhausted, events.ClaimRejectedExpired:
		default:
			return nil, fmt.Errorf("verify otp: unknown rejection reason %q", cmd.Reason)
		}
	}
	c, v, err := Load(ctx, l, nrp)
	if err != nil {
		return nil, err
	}
	switch {
	case cmd.Verified && (c.Pending == nil || c.Pending.Email != email):
		return nil, &apperr.Error{Code: apperr.Conflict, Field: "otp", Message: msgOTPInvalid}
	case cmd.Verified:
		return c.commit(v, events.ClaimVerified{NRP: nrp, Email: email}), nil
	case c.Pending == nil:
		return nil, nil
	}
	return c.commit(v, events.ClaimOTPRejected{NRP: nrp, Reason: cmd.Reason, Attempts: cmd.Attempts}), nil
}
