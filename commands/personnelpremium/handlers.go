package personnelpremium

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
)

// Handlers is everything a person's premium can be asked to do. Each
// method runs one command through the runtime (idempotent by
// meta.CommandID, re-decided on a concurrent change unless
// meta.ExpectedVersion is set, which then gives commands.ErrConflict). A
// business refusal is returned both as the error (*apperr.Error) and as
// Outcome.Rejected; a command that changes nothing succeeds with no
// Appended entries. Every decision reads the clock once; a command without
// Meta.OccurredAt gets that instant as its business time.
type Handlers struct {
	rt  *commands.Runtime
	now func() time.Time
}

// NewHandlers returns the handlers over rt; now is the clock (nil: time.Now).
func NewHandlers(rt *commands.Runtime, now func() time.Time) *Handlers {
	if now == nil {
		now = time.Now
	}
	return &Handlers{rt: rt, now: now}
}

// decision is what a decide function knows besides its command.
type decision struct {
	now       time.Time
	actor     string // Meta.Actor
	commandID string
}

// handle reads the clock once, stamps the business time and hands the
// decision to the runtime.
func (h *Handlers) handle(ctx context.Context, name string, meta commands.Meta,
	decide func(context.Context, *commands.Loader, decision) ([]events.Commit, error)) (commands.Outcome, error) {
	// Postgres keeps microseconds: deciding on the instants the read model
	// shows keeps "due" the same on both sides.
	now := h.now().Truncate(time.Microsecond)
	if meta.OccurredAt.IsZero() {
		meta.OccurredAt = now
	}
	if meta.CommandID == "" {
		meta.CommandID = uuid.Must(uuid.NewV7()).String()
	}
	d := decision{now: now, actor: meta.Actor, commandID: meta.CommandID}
	return h.rt.Handle(ctx, name, meta, func(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
		return decide(ctx, l, d)
	})
}

// RequestPremium → PersonnelPremiumRequested.
func (h *Handlers) RequestPremium(ctx context.Context, meta commands.Meta, cmd RequestPremium) (commands.Outcome, error) {
	return h.handle(ctx, "personnelpremium.RequestPremium", meta, cmd.decide)
}

// UpdateRequest → PersonnelPremiumRequestUpdated with the changed fields
// (nothing when none changed).
func (h *Handlers) UpdateRequest(ctx context.Context, meta commands.Meta, cmd UpdateRequest) (commands.Outcome, error) {
	return h.handle(ctx, "personnelpremium.UpdateRequest", meta, cmd.decide)
}

// ApproveRequest → PersonnelPremiumGranted.
func (h *Handlers) ApproveRequest(ctx context.Context, meta commands.Meta, cmd ApproveRequest) (commands.Outcome, error) {
	return h.handle(ctx, "personnelpremium.ApproveRequest", meta, cmd.decide)
}

// RejectRequest → PersonnelPremiumRequestRejected.
func (h *Handlers) RejectRequest(ctx context.Context, meta commands.Meta, cmd RejectRequest) (commands.Outcome, error) {
	return h.handle(ctx, "personnelpremium.RejectRequest", meta, cmd.decide)
}

// ExpirePremium → PersonnelPremiumExpired when the premium is active and
// its end is at or before now; nothing otherwise.
func (h *Handlers) ExpirePremium(ctx context.Context, meta commands.Meta, cmd ExpirePremium) (commands.Outcome, error) {
	return h.handle(ctx, "personnelpremium.ExpirePremium", meta, cmd.decide)
}
