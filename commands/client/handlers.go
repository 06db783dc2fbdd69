package client

import (
	"context"

	"github.com/cicero/cicero/commands"
)

// Handlers is everything a client can be asked to do. Each method runs one
// command through the runtime (idempotent by meta.CommandID, re-decided on a
// concurrent change unless meta.ExpectedVersion is set, which then gives
// commands.ErrConflict). A business refusal is returned both as the error
// (*apperr.Error) and as Outcome.Rejected.
type Handlers struct {
	rt *commands.Runtime
}

// NewHandlers returns the client handlers over rt.
func NewHandlers(rt *commands.Runtime) *Handlers { return &Handlers{rt: rt} }

// RegisterClient → ClientRegistered.
func (h *Handlers) RegisterClient(ctx context.Context, meta commands.Meta, cmd RegisterClient) (commands.Outcome, error) {
	return h.rt.Handle(ctx, "client.RegisterClient", meta, cmd.decide)
}

// UpdateClient → ClientUpdated with the changed fields (nothing when none).
func (h *Handlers) UpdateClient(ctx context.Context, meta commands.Meta, cmd UpdateClient) (commands.Outcome, error) {
	return h.rt.Handle(ctx, "client.UpdateClient", meta, cmd.decide)
}

// SetClientStatus → ClientActivated / ClientDeactivated (nothing when unchanged).
func (h *Handlers) SetClientStatus(ctx context.Context, meta commands.Meta, cmd SetClientStatus) (commands.Outcome, error) {
	return h.rt.Handle(ctx, "client.SetClientStatus", meta, cmd.decide)
}
