package projections

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cicero/cicero/events"
)

var (
	// errCheckpointMoved: the stored checkpoint is not where this runner
	// believes it is (a rebuild swapped the tables, or another instance ran
	// while this one had lost its lock). The batch is rolled back and the
	// run restarts from the stored checkpoint.
	errCheckpointMoved = errors.New("checkpoint moved under the runner")
	// errLockLost: the connection holding the advisory lock died.
	errLockLost = errors.New("projection lock lost")
)

// RunnerOptions tune a Runner; zero values take the defaults.
type RunnerOptions struct {
	// BatchSize is the most events one transaction applies (PROJECTION_BATCH).
	BatchSize int
	// Linger is how long a partial batch waits for more events (20 ms).
	Linger time.Duration
	// Standby is how often a stand-by instance retries the lock, and the
	// pause after a failed batch (1 s).
	Standby time.Duration
	// LagInterval is how often the active runner refreshes its lag gauges
	// and checks that its lock connection is alive (5 s).
	LagInterval time.Duration
	// Metrics, when set, receives lag and throughput.
	Metrics *Metrics
	Logger  *slog.Logger

	// afterApply runs inside the batch transaction after Apply and before the
	// checkpoint moves: tests inject crashes there.
	afterApply func(ctx context.Context)
	// afterCommit runs right after the batch transaction commits: tests
	// stop the runner there, as a crash would.
	afterCommit func()
}

func (o RunnerOptions) withDefaults() RunnerOptions {
	if o.BatchSize <= 0 {
		o.BatchSize = 5000
	}
	if o.Linger <= 0 {
		o.Linger = 20 * time.Millisecond
	}
	if o.Standby <= 0 {
		o.Standby = time.Second
	}
	if o.LagInterval <= 0 {
		o.LagInterval = 5 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// Runner keeps one projection up to date. Many processes may run a Runner
// for the same projection: a Postgres session advisory lock keyed by the
// projection's name lets one apply while the others stand by.
type Runner struct {
	p      Projection
	pool   *pgxpool.Pool
	store  *events.Store
	opts   RunnerOptions
	log    *slog.Logger
	tables Tables
	active atomic.Bool

	mu    sync.Mutex
	pos   map[string]uint64    // checkpoint as this runner believes it
	stamp map[string]time.Time // its updated_at as this runner wrote or read it
	head  map[string]uint64    // highest stream head seen in message metadata
}

// NewRunner prepares a runner for p; Run starts it.
func NewRunner(pool *pgxpool.Pool, store *events.Store, p Projection, opts RunnerOptions) *Runner {
	opts = opts.withDefaults()
	t := Tables{}
	for _, name := range p.Tables() {
		t[name] = name
	}
	return &Runner{p: p, pool: pool, store: store, opts: opts, tables: t,
		log: opts.Logger.With("projection", p.Name())}
}

// Name is the projection's name.
func (r *Runner) Name() string { return r.p.Name() }

// Active reports whether this runner holds the projection's lock.
func (r *Runner) Active() bool { return r.active.Load() }

// Run applies events until ctx ends, then returns nil. Errors on the way
// (Postgres or NATS unavailable, a failing batch) are logged and retried
// after Standby from the stored checkpoint; nothing is skipped.
func (r *Runner) Run(ctx context.Context) error {
	var conn *pgx.Conn
	defer func() {
		if conn != nil {
			conn.Close(context.WithoutCancel(ctx))
		}
	}()
	for {
		var err error
		conn, err = r.acquire(ctx, conn)
		if err != nil {
			return nil // ctx ended while standing by
		}
		r.active.Store(true)
		r.log.Info("projection active")
		r.lead(ctx, conn)
		r.active.Store(false)
		// Closing the session releases the lock; a stand-by takes over.
		conn.Close(context.WithoutCancel(ctx))
		conn = nil
		if ctx.Err() != nil {
			return nil
		}
	}
}

// acquire blocks until this instance holds the projection's advisory lock
// on a dedicated connection (outside the pool, so the lock lives exactly as
// long as that session).
func (r *Runner) acquire(ctx context.Context, conn *pgx.Conn) (*pgx.Conn, error) {
	for {
		if conn == nil || conn.IsClosed() {
			c, err := pgx.ConnectConfig(ctx, r.pool.Config().ConnConfig)
			if err != nil && ctx.Err() == nil {
				r.log.Warn("projection lock connection", "err", err)
			}
			conn = c
		}
		if conn != nil {
			var ok bool
			err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock(hashtextextended($1, 0))`, lockKey(r.p.Name())).Scan(&ok)
			if err == nil && ok {
				return conn, nil
			}
			if err != nil {
				if ctx.Err() == nil {
					r.log.Warn("projection lock", "err", err)
				}
				conn.Close(context.WithoutCancel(ctx))
				conn = nil
			}
		}
		select {
		case <-ctx.Done():
			if conn != nil {
				conn.Close(context.WithoutCancel(ctx))
			}
			return nil, ctx.Err()
		case <-time.After(r.opts.Standby):
		}
	}
}

func lockKey(projection string) string { return "cicero.projection:" + projection }

// lead runs sessions while this instance holds the lock.
func (r *Runner) lead(ctx context.Context, lock *pgx.Conn) {
	for {
		err := r.session(ctx, lock)
		switch {
		case ctx.Err() != nil:
			return
		case errors.Is(err, errCheckpointMoved):
			r.log.Info("checkpoint moved, restarting from the stored one", "err", err)
			continue
		case errors.Is(err, errLockLost):
			r.log.Warn("projection lock lost, standing by", "err", err)
			return
		}
		r.log.Error("projection batch failed, retrying", "err", err, "in", r.opts.Standby)
		select {
		case <-ctx.Done():
			return
		case <-time.After(r.opts.Standby):
		}
		if err := lock.Ping(ctx); err != nil {
			return
		}
	}
}

// session reads from the stored checkpoint with one ordered consumer per
// stream and applies batches until ctx ends or something fails.
func (r *Runner) session(parent context.Context, lock *pgx.Conn) error {
	ctx, cancel := context.WithCancelCause(parent)
	var wg sync.WaitGroup
	defer func() {
		cancel(nil)
		wg.Wait()
	}()
	name, streams := r.p.Name(), r.p.Streams()
	if err := ensureCheckpoints(ctx, r.pool, name, streams); err != nil {
		return err
	}
	stored, err := readCheckpoints(ctx, r.pool, name, streams, false)
	if err != nil {
		return err
	}
	pos, stamp := map[string]uint64{}, map[string]time.Time{}
	for s, c := range stored {
		pos[s], stamp[s] = c.pos, c.at
	}
	r.mu.Lock()
	r.pos, r.stamp, r.head = pos, stamp, maps.Clone(pos)
	r.mu.Unlock()
	// Whatever the projection kept in memory may predate the stored state.
	forget(r.p)
	in := make(chan message, r.opts.BatchSize)
	pull := min(max(r.opts.BatchSize, 256), 10000)
	js, reg := r.store.JetStream(), r.store.Registry()
	for _, s := range streams {
		from := pos[s] + 1
		wg.Go(func() {
			if err := feed(ctx, js, reg, s, from, 0, pull, in); err != nil {
				cancel(err)
			}
		})
	}
	wg.Go(func() { r.watch(ctx, lock, cancel) })
	for {
		batch, err := collect(ctx, in, r.opts.BatchSize, r.opts.Linger)
		if err != nil {
			if parent.Err() != nil {
				return nil
			}
			return context.Cause(ctx)
		}
		if err := r.commit(ctx, streams, batch); err != nil {
			forget(r.p)
			if parent.Err() != nil {
				return nil
			}
			if c := context.Cause(ctx); c != nil && !errors.Is(c, context.Canceled) {
				return c
			}
			return err
		}
	}
}

// commit applies one batch and moves the checkpoint in one transaction.
//
// The transaction runs with synchronous_commit off: the batch and the
// checkpoint commit together, so a crash can lose at most a tail of
// recently committed batches as a whole — data and checkpoint roll back
// together — and the runner re-applies that tail from the stream, the
// source of truth. Nothing is acknowledged to anyone on the strength of this
// commit (ordered consumers need no acks; read-your-writes waits on the
// checkpoint, which is lost along with the data it covers).
func (r *Runner) commit(ctx context.Context, streams []string, batch []message) error {
	start := time.Now()
	envs, last, counts := flatten(batch)
	name := r.p.Name()
	tx, err := r.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin %s batch: %w", name, err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // no-op after commit
	if _, err := tx.Exec(ctx, `SET LOCAL synchronous_commit = off`); err != nil {
		return fmt.Errorf("begin %s batch: %w", name, err)
	}
	if err := r.verify(ctx, tx, streams); err != nil {
		return err
	}
	if len(envs) > 0 {
		if err := r.p.Apply(ctx, tx, r.tables, envs); err != nil {
			return fmt.Errorf("apply %s at %v: %w", name, last, err)
		}
	}
	if r.opts.afterApply != nil {
		r.opts.afterApply(ctx)
	}
	at, err := writeCheckpoints(ctx, tx, name, last)
	if err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit %s batch: %w", name, err)
	}
	if r.opts.afterCommit != nil {
		r.opts.afterCommit()
	}
	if rt, ok := r.p.(Retainer); ok {
		rt.Committed()
	}
	r.advance(batch, last, counts, at)
	r.opts.Metrics.observeBatch(name, time.Since(start).Seconds())
	return nil
}

// verify locks the checkpoint rows and checks they are exactly what this
// runner wrote or read last, position and stamp. Otherwise someone else
// moved them — a rebuild's swap, an instance that took over while this one
// had lost its lock — and the tables are not the state the runner believes.
func (r *Runner) verify(ctx context.Context, tx pgx.Tx, streams []string) error {
	stored, err := readCheckpoints(ctx, tx, r.p.Name(), streams, true)
	if err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range streams {
		if stored[s].pos != r.pos[s] || !stored[s].at.Equal(r.stamp[s]) {
			return fmt.Errorf("%w: %s/%s stored %d, runner at %d", errCheckpointMoved, r.p.Name(), s, stored[s].pos, r.pos[s])
		}
	}
	return nil
}

func (r *Runner) positions() map[string]uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return maps.Clone(r.pos)
}

// advance records a committed batch: new positions, head estimates from
// the messages' pending counts, and metrics. The lag's age is left to the
// watcher unless the batch reached the head.
func (r *Runner) advance(batch []message, last map[string]uint64, counts map[string]int, at time.Time) {
	lag := map[string]uint64{}
	r.mu.Lock()
	for _, m := range batch {
		r.head[m.stream] = max(r.head[m.stream], m.seq+m.pending)
	}
	for s, p := range last {
		r.pos[s], r.stamp[s] = p, at
		lag[s] = r.head[s] - min(p, r.head[s])
	}
	r.mu.Unlock()
	m, name := r.opts.Metrics, r.p.Name()
	if m == nil {
		return
	}
	for s, behind := range lag {
		m.addApplied(name, s, counts[s])
		m.lagEvents.WithLabelValues(name, s).Set(float64(behind))
		if behind == 0 {
			m.lagSeconds.WithLabelValues(name, s).Set(0)
		}
	}
}

// watch refreshes the lag gauges from the stream heads and checks, on the
// same tick, that the lock's connection is still alive. A dead lock
// connection ends the session: another instance may own the projection now.
func (r *Runner) watch(ctx context.Context, lock *pgx.Conn, cancel context.CancelCauseFunc) {
	t := time.NewTicker(r.opts.LagInterval)
	defer t.Stop()
	for {
		r.refreshLag(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := lock.Ping(ctx); err != nil {
			if ctx.Err() == nil {
				cancel(fmt.Errorf("%w: %v", errLockLost, err))
			}
			return
		}
	}
}

func (r *Runner) refreshLag(ctx context.Context) {
	if r.opts.Metrics == nil {
		return
	}
	pos := r.positions()
	for s, p := range pos {
		head, secs, err := streamLag(ctx, r.store, s, p)
		if err != nil {
			if ctx.Err() == nil {
				r.log.Warn("projection lag", "stream", s, "err", err)
			}
			continue
		}
		r.mu.Lock()
		r.head[s] = max(r.head[s], head)
		r.mu.Unlock()
		r.opts.Metrics.setLag(r.p.Name(), s, head-min(p, head), secs)
	}
}

// streamLag returns a stream's head and the age of the first message after
// pos (0 when pos is at or past the head).
func streamLag(ctx context.Context, store *events.Store, stream string, pos uint64) (uint64, float64, error) {
	st, err := store.JetStream().Stream(ctx, stream)
	if err != nil {
		return 0, 0, fmt.Errorf("stream %s: %w", stream, err)
	}
	head := st.CachedInfo().State.LastSeq
	if head <= pos {
		return head, 0, nil
	}
	m, err := st.GetMsg(ctx, pos+1)
	if err != nil {
		return head, 0, fmt.Errorf("stream %s message %d: %w", stream, pos+1, err)
	}
	return head, max(time.Since(m.Time).Seconds(), 0), nil
}
