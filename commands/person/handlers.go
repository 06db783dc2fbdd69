package person

import (
	"context"

	"github.com/cicero/cicero/commands"
)

// Handlers is everything a person can be asked to do. Each method runs one
// command through the runtime (idempotent by meta.CommandID, re-decided on a
// concurrent change unless meta.ExpectedVersion is set, which then gives
// commands.ErrConflict). A business refusal is returned both as the error
// (*apperr.Error) and as Outcome.Rejected; a command that changes nothing
// succeeds with no Appended entries.
type Handlers struct {
	rt *commands.Runtime
}

// NewHandlers returns the person handlers over rt.
func NewHandlers(rt *commands.Runtime) *Handlers { return &Handlers{rt: rt} }

// RegisterPerson → PersonRegistered.
func (h *Handlers) RegisterPerson(ctx context.Context, meta commands.Meta, cmd RegisterPerson) (commands.Outcome, error) {
	return h.rt.Handle(ctx, "person.RegisterPerson", meta, cmd.decide)
}

// UpdatePerson → PersonUpdated with the changed fields (nothing when none).
func (h *Handlers) UpdatePerson(ctx context.Context, meta commands.Meta, cmd UpdatePerson) (commands.Outcome, error) {
	return h.rt.Handle(ctx, "person.UpdatePerson", meta, cmd.decide)
}

// SetHandle → PersonHandleChanged{platform, handle}.
func (h *Handlers) SetHandle(ctx context.Context, meta commands.Meta, cmd SetHandle) (commands.Outcome, error) {
	return h.rt.Handle(ctx, "person.SetHandle", meta, cmd.decide)
}

// GrantRole → PersonRoleGranted (nothing when held).
func (h *Handlers) GrantRole(ctx context.Context, meta commands.Meta, cmd GrantRole) (commands.Outcome, error) {
	return h.rt.Handle(ctx, "person.GrantRole", meta, cmd.decide)
}

// RevokeRole → PersonRoleRevoked (nothing when not held).
func (h *Handlers) RevokeRole(ctx context.Context, meta commands.Meta, cmd RevokeRole) (commands.Outcome, error) {
	return h.rt.Handle(ctx, "person.RevokeRole", meta, cmd.decide)
}

// Deactivate → PersonDeactivated, or PersonRoleRevoked (+ PersonDeactivated
// when it was the last role) when a role is named.
func (h *Handlers) Deactivate(ctx context.Context, meta commands.Meta, cmd Deactivate) (commands.Outcome, error) {
	return h.rt.Handle(ctx, "person.Deactivate", meta, cmd.decide)
}

// Reactivate → PersonReactivated (+ role changes when ResetRoles is given).
func (h *Handlers) Reactivate(ctx context.Context, meta commands.Meta, cmd Reactivate) (commands.Outcome, error) {
	return h.rt.Handle(ctx, "person.Reactivate", meta, cmd.decide)
}

// SetException → PersonExceptionChanged.
func (h *Handlers) SetException(ctx context.Context, meta commands.Meta, cmd SetException) (commands.Outcome, error) {
	return h.rt.Handle(ctx, "person.SetException", meta, cmd.decide)
}

// SetWhatsAppOptIn → PersonWhatsAppOptInChanged.
func (h *Handlers) SetWhatsAppOptIn(ctx context.Context, meta commands.Meta, cmd SetWhatsAppOptIn) (commands.Outcome, error) {
	return h.rt.Handle(ctx, "person.SetWhatsAppOptIn", meta, cmd.decide)
}

// RenumberPerson → PersonRenumbered on the old and the new NRP's subjects,
// appended atomically.
func (h *Handlers) RenumberPerson(ctx context.Context, meta commands.Meta, cmd RenumberPerson) (commands.Outcome, error) {
	return h.rt.Handle(ctx, "person.RenumberPerson", meta, cmd.decide)
}
