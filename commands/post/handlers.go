package post

import (
	"context"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
)

// Handlers is everything a post can be asked to do. Each method runs one
// command through the runtime (idempotent by meta.CommandID, re-decided on
// a concurrent change unless meta.ExpectedVersion is set). A business
// refusal is returned both as the error (*apperr.Error) and as
// Outcome.Rejected; a command that changes nothing succeeds with no
// Appended entries.
type Handlers struct {
	rt  *commands.Runtime
	now func() time.Time
}

// NewHandlers returns the post handlers over rt; now nil means time.Now.
func NewHandlers(rt *commands.Runtime, now func() time.Time) *Handlers {
	if now == nil {
		now = time.Now
	}
	return &Handlers{rt: rt, now: now}
}

// IngestPost → PostIngested, PostStatsObserved or nothing.
func (h *Handlers) IngestPost(ctx context.Context, meta commands.Meta, cmd IngestPost) (commands.Outcome, error) {
	return h.rt.Handle(ctx, "post.IngestPost", meta, func(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
		return cmd.decide(ctx, l, h.now())
	})
}

// WithdrawPost → PostWithdrawn (nothing when the client does not have it).
func (h *Handlers) WithdrawPost(ctx context.Context, meta commands.Meta, cmd WithdrawPost) (commands.Outcome, error) {
	return h.rt.Handle(ctx, "post.WithdrawPost", meta, cmd.decide)
}

// TagPostForRole → PostTaggedForRole (nothing when tagged already).
func (h *Handlers) TagPostForRole(ctx context.Context, meta commands.Meta, cmd TagPostForRole) (commands.Outcome, error) {
	return h.rt.Handle(ctx, "post.TagPostForRole", meta, cmd.decide)
}

// UntagPostForRole → PostUntaggedForRole (nothing when not tagged).
func (h *Handlers) UntagPostForRole(ctx context.Context, meta commands.Meta, cmd UntagPostForRole) (commands.Outcome, error) {
	return h.rt.Handle(ctx, "post.UntagPostForRole", meta, cmd.decide)
}

// RecordLikes → LikesRecorded with the new likers (nothing when none); n
// is how many were new (0 as well when a repeated command id was answered
// from its first outcome).
func (h *Handlers) RecordLikes(ctx context.Context, meta commands.Meta, cmd RecordLikes) (out commands.Outcome, n int, err error) {
	out, err = h.rt.Handle(ctx, "post.RecordLikes", meta, func(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
		c, err := cmd.decide(ctx, l)
		n = countNames(c)
		return c, err
	})
	if len(out.Appended) == 0 || out.Appended[0].Duplicate {
		n = 0
	}
	return out, n, err
}

// RecordComments → CommentsRecorded with the new commenters (nothing when
// none); n is how many were new.
func (h *Handlers) RecordComments(ctx context.Context, meta commands.Meta, cmd RecordComments) (out commands.Outcome, n int, err error) {
	out, err = h.rt.Handle(ctx, "post.RecordComments", meta, func(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
		c, err := cmd.decide(ctx, l)
		n = countNames(c)
		return c, err
	})
	if len(out.Appended) == 0 || out.Appended[0].Duplicate {
		n = 0
	}
	return out, n, err
}

// countNames counts the usernames the decided commit records.
func countNames(cs []events.Commit) int {
	n := 0
	for _, c := range cs {
		for _, ev := range c.Events {
			switch e := ev.(type) {
			case events.LikesRecorded:
				n += len(e.Usernames)
			case events.CommentsRecorded:
				n += len(e.Usernames)
			}
		}
	}
	return n
}
