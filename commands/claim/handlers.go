package claim

import (
	"context"

	"github.com/cicero/cicero/commands"
)

// Handlers is everything a claim can be asked to do. Each method runs one
// command through the runtime (idempotent by meta.CommandID). A business
// refusal is returned both as the error (*apperr.Error) and as
// Outcome.Rejected; a command that changes nothing succeeds with no
// Appended entries.
type Handlers struct {
	rt *commands.Runtime
}

// NewHandlers returns the claim handlers over rt.
func NewHandlers(rt *commands.Runtime) *Handlers { return &Handlers{rt: rt} }

// RequestOTP → ClaimOTPIssued.
func (h *Handlers) RequestOTP(ctx context.Context, meta commands.Meta, cmd RequestOTP) (commands.Outcome, error) {
	return h.rt.Handle(ctx, "claim.RequestOTP", meta, cmd.decide)
}

// VerifyOTP → ClaimVerified or ClaimOTPRejected (nothing when no code is pending).
func (h *Handlers) VerifyOTP(ctx context.Context, meta commands.Meta, cmd VerifyOTP) (commands.Outcome, error) {
	return h.rt.Handle(ctx, "claim.VerifyOTP", meta, cmd.decide)
}
