package commands

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// PGCommandLog keeps command outcomes in Postgres (table command_log).
type PGCommandLog struct {
	pool *pgxpool.Pool
}

// NewPGCommandLog returns a command log over pool.
func NewPGCommandLog(pool *pgxpool.Pool) *PGCommandLog { return &PGCommandLog{pool: pool} }

// Get returns the recorded outcome of commandID.
func (l *PGCommandLog) Get(ctx context.Context, commandID string) (Outcome, bool, error) {
	var raw []byte
	err := l.pool.QueryRow(ctx, `SELECT outcome FROM command_log WHERE command_id = $1`, commandID).Scan(&raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return Outcome{}, false, nil
	}
	if err != nil {
		return Outcome{}, false, fmt.Errorf("get command %s: %w", commandID, err)
	}
	var o Outcome
	if err := json.Unmarshal(raw, &o); err != nil {
		return Outcome{}, false, fmt.Errorf("decode outcome of %s: %w", commandID, err)
	}
	return o, true, nil
}

// Put records the outcome once; the first outcome wins. The row is written
// without waiting for Postgres' fsync: the events themselves are durable in
// JetStream, and a row lost in a crash only means a retry re-decides, finds
// the command's events in the histories it loads and answers with that
// append (Runtime.Handle). One statement (the setting is local to
// its implicit transaction) keeps it to one round trip and one parse.
func (l *PGCommandLog) Put(ctx context.Context, commandID, command string, o Outcome) error {
	raw, err := json.Marshal(o)
	if err != nil {
		return fmt.Errorf("encode outcome: %w", err)
	}
	_, err = l.pool.Exec(ctx, `WITH async AS (SELECT set_config('synchronous_commit', 'off', true))
INSERT INTO command_log (command_id, command, outcome) SELECT $1, $2, $3 FROM async
ON CONFLICT (command_id) DO NOTHING`, commandID, command, raw)
	if err != nil {
		return fmt.Errorf("put command %s: %w", commandID, err)
	}
	return nil
}

// BatchOptions tunes a BatchingCommandLog. Zero fields take the defaults.
type BatchOptions struct {
	// MaxDelay is how long the first queued row waits for company before
	// its batch is written (default 2 ms).
	MaxDelay time.Duration
	// MaxRows caps one INSERT (default 500); a full batch is written at once.
	MaxRows int
	// MaxPending caps the queue (default 8 × MaxRows); beyond it Put writes
	// its row itself, so a slow database slows callers instead of growing
	// memory without bound.
	MaxPending int
	// WriteTimeout bounds one background batch write (default 10 s).
	WriteTimeout time.Duration
	// Logger receives failed background writes (default slog.Default()).
	Logger *slog.Logger
}

func (o BatchOptions) withDefaults() BatchOptions {
	if o.MaxDelay <= 0 {
		o.MaxDelay = 2 * time.Millisecond
	}
	if o.MaxRows <= 0 {
		o.MaxRows = 500
	}
	if o.MaxPending <= 0 {
		o.MaxPending = 8 * o.MaxRows
	}
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = 10 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o
}

// BatchingCommandLog is a command log whose Put returns at once: a
// background goroutine gathers outcomes for up to MaxDelay or MaxRows and
// writes them with one multi-row INSERT … ON CONFLICT DO NOTHING. Get
// answers from the rows not yet written before asking Postgres, so a retry
// in the same process sees the first outcome at once.
//
// Why a row that is not yet written (or lost in a crash before its batch
// commits) is safe: a retry of that command id re-decides, and the runtime
// looks in the histories the decision loaded for events carrying the
// command id before it answers; finding them, it answers with that append
// (every commit, at its positions, marked Duplicate) and appends nothing,
// however long ago it landed. A retry that decides to append again before
// it sees them is caught by its expected version or, inside JetStream's
// duplicate window, by the message id (events.EventID derives it from the
// command id). A business refusal is refused again. While a row waits here
// another process may store its own answer for the same id (the same
// append, marked Duplicate); that stored row then wins.
//
// Close (or Flush) must be called before the process ends so queued rows
// are written; after Close, Put writes synchronously.
type BatchingCommandLog struct {
	pool   *pgxpool.Pool
	direct *PGCommandLog
	opts   BatchOptions

	mu      sync.Mutex
	pending map[string]pendingOutcome // queued or being written, by command id
	queue   []string                  // command ids not yet taken by a writer
	closed  bool

	// writeMu is held by whoever takes rows off the queue until they are
	// written, so Flush also waits for a batch already in flight.
	writeMu sync.Mutex

	wake      chan struct{} // the queue became non-empty
	full      chan struct{} // the queue reached MaxRows
	stop      chan struct{}
	done      chan struct{}
	closeOnce sync.Once
	closeErr  error
}

type pendingOutcome struct {
	command string
	raw     []byte
}

var _ CommandLog = (*BatchingCommandLog)(nil)

// NewBatchingCommandLog starts a batching command log over pool; Close
// stops it.
func NewBatchingCommandLog(pool *pgxpool.Pool, opts BatchOptions) *BatchingCommandLog {
	l := &BatchingCommandLog{pool: pool, direct: NewPGCommandLog(pool), opts: opts.withDefaults(),
		pending: map[string]pendingOutcome{}, wake: make(chan struct{}, 1), full: make(chan struct{}, 1),
		stop: make(chan struct{}), done: make(chan struct{})}
	go l.run()
	return l
}

// Get returns the outcome of commandID: a queued one first, else the row.
func (l *BatchingCommandLog) Get(ctx context.Context, commandID string) (Outcome, bool, error) {
	l.mu.Lock()
	p, ok := l.pending[commandID]
	l.mu.Unlock()
	if !ok {
		// A row leaves pending only after its batch committed, so a miss
		// here is either in Postgres or was never put.
		return l.direct.Get(ctx, commandID)
	}
	var o Outcome
	if err := json.Unmarshal(p.raw, &o); err != nil {
		return Outcome{}, false, fmt.Errorf("decode outcome of %s: %w", commandID, err)
	}
	return o, true, nil
}

// Put queues the outcome; the first outcome of a command id wins. It
// returns before the row is written (see the type's comment for why that
// is safe); a queue at MaxPending, or a closed log, writes it at once.
func (l *BatchingCommandLog) Put(ctx context.Context, commandID, command string, o Outcome) error {
	raw, err := json.Marshal(o)
	if err != nil {
		return fmt.Errorf("encode outcome: %w", err)
	}
	l.mu.Lock()
	if _, dup := l.pending[commandID]; dup {
		l.mu.Unlock()
		return nil
	}
	l.pending[commandID] = pendingOutcome{command: command, raw: raw}
	if l.closed || len(l.queue) >= l.opts.MaxPending {
		l.mu.Unlock()
		err := insertOutcomes(ctx, l.pool, []string{commandID}, []string{command}, []string{string(raw)})
		l.forget([]string{commandID})
		if err != nil {
			return fmt.Errorf("put command %s: %w", commandID, err)
		}
		return nil
	}
	l.queue = append(l.queue, commandID)
	n := len(l.queue)
	l.mu.Unlock()
	if n == 1 {
		signal(l.wake)
	}
	if n >= l.opts.MaxRows {
		signal(l.full)
	}
	return nil
}

// Flush writes every outcome put before it was called.
func (l *BatchingCommandLog) Flush(ctx context.Context) error {
	l.writeMu.Lock()
	defer l.writeMu.Unlock()
	// Holding writeMu, only this call takes rows off the queue, so the
	// first `left` rows are the ones put before it; later ones are left to
	// the background writer so a steady stream of Puts cannot hold it here.
	l.mu.Lock()
	left := len(l.queue)
	l.mu.Unlock()
	for left > 0 {
		n, err := l.writeBatch(ctx, left)
		if err != nil {
			return err
		}
		left -= n
	}
	return nil
}

// Close stops the background writer and writes what is queued. Later Puts
// write synchronously. It is safe to call more than once.
func (l *BatchingCommandLog) Close() error {
	l.closeOnce.Do(func() {
		l.mu.Lock()
		l.closed = true
		l.mu.Unlock()
		close(l.stop)
		<-l.done
		ctx, cancel := context.WithTimeout(context.Background(), l.opts.WriteTimeout)
		defer cancel()
		l.closeErr = l.Flush(ctx)
	})
	return l.closeErr
}

// run writes a batch once the first queued row has waited MaxDelay or the
// queue is full, until Close.
func (l *BatchingCommandLog) run() {
	defer close(l.done)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		select {
		case <-l.stop:
			return
		case <-l.wake:
		}
		timer.Reset(l.opts.MaxDelay)
		select {
		case <-l.stop:
			timer.Stop()
			return
		case <-l.full:
			timer.Stop()
		case <-timer.C:
		}
		l.writeMu.Lock()
		for {
			ctx, cancel := context.WithTimeout(context.Background(), l.opts.WriteTimeout)
			n, err := l.writeBatch(ctx, l.opts.MaxRows)
			cancel()
			if err != nil {
				// Same answer as a failed synchronous Put: the events are
				// stored; a retry of these commands re-decides and finds them.
				l.opts.Logger.Warn("command log batch write failed", "rows", n, "err", err)
			}
			if n < l.opts.MaxRows {
				break
			}
		}
		l.writeMu.Unlock()
	}
}

// writeBatch takes up to limit (at most MaxRows) queued rows and writes them; the caller
// holds writeMu. Rows are dropped from pending whether or not the write
// succeeded (a failed row is only a re-decision later, see the type).
func (l *BatchingCommandLog) writeBatch(ctx context.Context, limit int) (int, error) {
	l.mu.Lock()
	n := min(len(l.queue), limit, l.opts.MaxRows)
	ids := append([]string(nil), l.queue[:n]...)
	l.queue = append(l.queue[:0], l.queue[n:]...)
	names, raws := make([]string, n), make([]string, n)
	for i, id := range ids {
		p := l.pending[id]
		names[i], raws[i] = p.command, string(p.raw)
	}
	l.mu.Unlock()
	if n == 0 {
		return 0, nil
	}
	err := insertOutcomes(ctx, l.pool, ids, names, raws)
	l.forget(ids)
	if err != nil {
		return n, fmt.Errorf("write %d command outcomes: %w", n, err)
	}
	return n, nil
}

func (l *BatchingCommandLog) forget(ids []string) {
	l.mu.Lock()
	for _, id := range ids {
		delete(l.pending, id)
	}
	l.mu.Unlock()
}

// insertOutcomes writes rows in one statement without waiting for
// Postgres' fsync (see PGCommandLog.Put); the first outcome of an id wins.
func insertOutcomes(ctx context.Context, pool *pgxpool.Pool, ids, names, raws []string) error {
	_, err := pool.Exec(ctx, `WITH async AS (SELECT set_config('synchronous_commit', 'off', true))
INSERT INTO command_log (command_id, command, outcome)
SELECT r.id, r.command, r.outcome::jsonb FROM async, unnest($1::text[], $2::text[], $3::text[]) AS r(id, command, outcome)
ON CONFLICT (command_id) DO NOTHING`, ids, names, raws)
	return err
}

// signal wakes a waiter without blocking; one pending signal is enough.
func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// PruneCommandLog deletes the outcomes recorded before before, oldest
// first, in batches of batch rows (0: 10 000) so no statement holds locks
// for long, and returns how many went. A pruned row is harmless: a retry of
// its command id is answered from the history (the runtime finds the events
// carrying the id) or decided again, which the aggregates answer
// idempotently.
func PruneCommandLog(ctx context.Context, pool *pgxpool.Pool, before time.Time, batch int) (int64, error) {
	if batch <= 0 {
		batch = 10000
	}
	var total int64
	for {
		tag, err := pool.Exec(ctx, `DELETE FROM command_log WHERE command_id IN (
			SELECT command_id FROM command_log WHERE created_at < $1 ORDER BY created_at LIMIT $2)`, before, batch)
		total += tag.RowsAffected()
		if err != nil {
			return total, fmt.Errorf("prune command log: %w", err)
		}
		if tag.RowsAffected() < int64(batch) {
			return total, nil
		}
	}
}
