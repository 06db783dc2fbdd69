package premium

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/premiumguard"
)

// Handlers is everything a dashboard user's premium can be asked to do.
// Each method runs one command through the runtime (idempotent by
// meta.CommandID, re-decided on a concurrent change unless
// meta.ExpectedVersion is set, which then gives commands.ErrConflict). A
// business refusal is returned both as the error (*apperr.Error) and as
// Outcome.Rejected; a command that changes nothing succeeds with no
// Appended entries. Every decision reads the clock once; a command without
// Meta.OccurredAt gets that instant as its business time.
type Handlers struct {
	rt    *commands.Runtime
	tiers []string
	now   func() time.Time
}

// NewHandlers returns the premium handlers over rt. allowedTiers are the
// tiers a grant may name — the premium guard's list, so that every grant
// opens the guard (SPEC §5.12); nil or empty gives premiumguard.DefaultTiers
// (tier1, tier2, premium_1). now is the clock (nil: time.Now).
func NewHandlers(rt *commands.Runtime, allowedTiers []string, now func() time.Time) *Handlers {
	if now == nil {
		now = time.Now
	}
	return &Handlers{rt: rt, tiers: premiumguard.NormalizeTiers(allowedTiers), now: now}
}

// AllowedTiers returns the tiers a grant may name.
func (h *Handlers) AllowedTiers() []string { return slices.Clone(h.tiers) }

// decision is what a decide function knows besides its command.
type decision struct {
	now   time.Time
	tiers []string
	actor string // Meta.Actor
}

// handle reads the clock once, stamps the business time and hands the
// decision to the runtime.
func (h *Handlers) handle(ctx context.Context, name string, meta commands.Meta,
	decide func(context.Context, *commands.Loader, decision) ([]events.Commit, error)) (commands.Outcome, error) {
	// Postgres keeps microseconds: deciding on the same instants the read
	// model shows keeps "due" the same on both sides.
	now := h.now().Truncate(time.Microsecond)
	if meta.OccurredAt.IsZero() {
		meta.OccurredAt = now
	}
	d := decision{now: now, tiers: h.tiers, actor: meta.Actor}
	return h.rt.Handle(ctx, name, meta, func(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
		return decide(ctx, l, d)
	})
}

// RequestPremium → PremiumRequested (preceded, in the same message, by
// PremiumRequestExpired for a request whose deadline passed unnoticed).
func (h *Handlers) RequestPremium(ctx context.Context, meta commands.Meta, cmd RequestPremium) (commands.Outcome, error) {
	if meta.CommandID == "" {
		meta.CommandID = uuid.Must(uuid.NewV7()).String()
	}
	if cmd.RequestToken == "" {
		cmd.RequestToken = RequestTokenFor(meta.CommandID)
	}
	return h.handle(ctx, "premium.RequestPremium", meta, cmd.decide)
}

// ConfirmRequest → PremiumRequestConfirmed (nothing when nothing changes).
func (h *Handlers) ConfirmRequest(ctx context.Context, meta commands.Meta, cmd ConfirmRequest) (commands.Outcome, error) {
	return h.handle(ctx, "premium.ConfirmRequest", meta, cmd.decide)
}

// ApprovePremium → PremiumGranted naming the approved request.
func (h *Handlers) ApprovePremium(ctx context.Context, meta commands.Meta, cmd ApprovePremium) (commands.Outcome, error) {
	return h.handle(ctx, "premium.ApprovePremium", meta, cmd.decide)
}

// GrantPremium → PremiumGranted without a request (admin bootstrap, CLI).
func (h *Handlers) GrantPremium(ctx context.Context, meta commands.Meta, cmd GrantPremium) (commands.Outcome, error) {
	return h.handle(ctx, "premium.GrantPremium", meta, cmd.decide)
}

// RejectPremium → PremiumRequestRejected.
func (h *Handlers) RejectPremium(ctx context.Context, meta commands.Meta, cmd RejectPremium) (commands.Outcome, error) {
	return h.handle(ctx, "premium.RejectPremium", meta, cmd.decide)
}

// RevokePremium → PremiumRevoked for the running subscriptions (and
// PremiumExpired for any past their expiry); nothing when none is active.
func (h *Handlers) RevokePremium(ctx context.Context, meta commands.Meta, cmd RevokePremium) (commands.Outcome, error) {
	return h.handle(ctx, "premium.RevokePremium", meta, cmd.decide)
}

// ExpirePremium → PremiumExpired for the active subscriptions whose
// expires_at is at or before now; nothing when none is due.
func (h *Handlers) ExpirePremium(ctx context.Context, meta commands.Meta, cmd ExpirePremium) (commands.Outcome, error) {
	return h.handle(ctx, "premium.ExpirePremium", meta, cmd.decide)
}

// ExpireRequest → PremiumRequestExpired for open requests whose deadline
// is at or before now; nothing when none is due.
func (h *Handlers) ExpireRequest(ctx context.Context, meta commands.Meta, cmd ExpireRequest) (commands.Outcome, error) {
	return h.handle(ctx, "premium.ExpireRequest", meta, cmd.decide)
}
