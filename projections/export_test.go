package projections

import (
	"context"
	"time"

	"github.com/cicero/cicero/events"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// What the runtime's external tests (package projections_test, which may
// import the context read models and projectiontest without an import
// cycle) need of its insides.

var (
	ErrCheckpointMoved = errCheckpointMoved
	EnsureCheckpoints  = ensureCheckpoints
)

// Message is one decoded stored message, as the feed delivers it.
type Message = message

// Feed reads stream [from, until] into out (see feed).
func Feed(ctx context.Context, store *events.Store, stream string, from, until uint64, pull int, out chan<- Message) error {
	return feed(ctx, store.JetStream(), store.Registry(), stream, from, until, pull, out)
}

// StoredStamp is the updated_at of a checkpoint row.
func StoredStamp(ctx context.Context, q db, projection, stream string) (time.Time, error) {
	cps, err := readCheckpoints(ctx, q, projection, []string{stream}, false)
	if err != nil {
		return time.Time{}, err
	}
	return cps[stream].at, nil
}

// Believe sets where the runner believes the checkpoint is, as a session
// start would.
func (r *Runner) Believe(pos map[string]uint64, stamp map[string]time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pos, r.stamp, r.head = pos, stamp, map[string]uint64{}
}

// Commit applies one batch and moves the checkpoint (see commit).
func (r *Runner) Commit(ctx context.Context, streams []string, batch []Message) error {
	return r.commit(ctx, streams, batch)
}

// WithAfterApply sets the hook that runs inside the batch transaction after
// Apply and before the checkpoint moves.
func WithAfterApply(o RunnerOptions, f func(context.Context)) RunnerOptions {
	o.afterApply = f
	return o
}

// Applied is the applied-events counter of projection in stream.
func (m *Metrics) Applied(projection, stream string) float64 {
	return testutil.ToFloat64(m.applied.WithLabelValues(projection, stream))
}

// Lag is the lag gauges (events, seconds) of projection in stream.
func (m *Metrics) Lag(projection, stream string) (float64, float64) {
	return testutil.ToFloat64(m.lagEvents.WithLabelValues(projection, stream)),
		testutil.ToFloat64(m.lagSeconds.WithLabelValues(projection, stream))
}

// WithAfterCommit sets the hook that runs right after a batch commits.
func WithAfterCommit(o RunnerOptions, f func()) RunnerOptions {
	o.afterCommit = f
	return o
}
