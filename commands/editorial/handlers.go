package editorial

import (
	"context"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
)

// Handlers is everything the editorial workflow can be asked to do. Each
// method runs one command through the runtime: idempotent by
// meta.CommandID (a retry answers the first outcome and appends nothing),
// re-decided on a concurrent change unless meta.ExpectedVersion names the
// event's version. A business refusal is the error (*apperr.Error) and
// Outcome.Rejected.
type Handlers struct {
	rt  *commands.Runtime
	now func() time.Time
}

// NewHandlers returns the editorial handlers over rt; now is the clock of
// decisions (nil: time.Now).
func NewHandlers(rt *commands.Runtime, now func() time.Time) *Handlers {
	if now == nil {
		now = time.Now
	}
	return &Handlers{rt: rt, now: now}
}

type decider interface {
	decide(ctx context.Context, l *commands.Loader, now time.Time) ([]events.Commit, error)
}

func (h *Handlers) handle(ctx context.Context, name string, meta commands.Meta, cmd decider) (commands.Outcome, error) {
	return h.rt.Handle(ctx, "editorial."+name, meta, func(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
		return cmd.decide(ctx, l, h.now())
	})
}

// CreateEvent → EditorialIDAssigned + EditorialEventCreated; the new
// event's id (also on a retry of the same command id).
func (h *Handlers) CreateEvent(ctx context.Context, meta commands.Meta, cmd CreateEvent) (int64, commands.Outcome, error) {
	o, err := h.handle(ctx, "CreateEvent", meta, cmd)
	return IDOf(o, events.EditorialEventSubjectPrefix), o, err
}

// UpdateEvent → EditorialEventEdited and/or a transition.
func (h *Handlers) UpdateEvent(ctx context.Context, meta commands.Meta, cmd UpdateEvent) (commands.Outcome, error) {
	return h.handle(ctx, "UpdateEvent", meta, cmd)
}

// SubmitEvent → EditorialEventSubmitted + EditorialIDAssigned +
// ApprovalRequested; the new request's id.
func (h *Handlers) SubmitEvent(ctx context.Context, meta commands.Meta, cmd SubmitEvent) (int64, commands.Outcome, error) {
	o, err := h.handle(ctx, "SubmitEvent", meta, cmd)
	return IDOf(o, events.EditorialApprovalSubjectPrefix), o, err
}

// DecideRequest → ReleaseApproved / ReleaseRejected.
func (h *Handlers) DecideRequest(ctx context.Context, meta commands.Meta, cmd DecideRequest) (commands.Outcome, error) {
	return h.handle(ctx, "DecideRequest", meta, cmd)
}

// DeleteEvent → EditorialEventDeleted.
func (h *Handlers) DeleteEvent(ctx context.Context, meta commands.Meta, cmd DeleteEvent) (commands.Outcome, error) {
	return h.handle(ctx, "DeleteEvent", meta, cmd)
}

// LogChange → EditorialChangeLogged.
func (h *Handlers) LogChange(ctx context.Context, meta commands.Meta, cmd LogChange) (commands.Outcome, error) {
	return h.handle(ctx, "LogChange", meta, cmd)
}

// RecordDetail → PressReleaseDetailRecorded.
func (h *Handlers) RecordDetail(ctx context.Context, meta commands.Meta, cmd RecordDetail) (commands.Outcome, error) {
	return h.handle(ctx, "RecordDetail", meta, cmd)
}

// EditDetail → PressReleaseDetailEdited.
func (h *Handlers) EditDetail(ctx context.Context, meta commands.Meta, cmd EditDetail) (commands.Outcome, error) {
	return h.handle(ctx, "EditDetail", meta, cmd)
}
