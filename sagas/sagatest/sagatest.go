// Package sagatest runs sagas end to end in tests of other packages: the
// saga over the real event store into the real outbox, the real
// Dispatcher through a recording sender, and the checks every saga test
// makes (exact rows, one send per key, nothing twice on replay).
package sagatest

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/projections"
	"github.com/cicero/cicero/sagas"
)

// Recorder is a sagas.Sender that records every send and accepts it (or
// answers through Fn), with the idempotency key as provider id.
type Recorder struct {
	Fn func(ctx context.Context, m sagas.Message, key string) (string, error)

	mu    sync.Mutex
	calls []Call
}

// Call is one Send the Recorder saw.
type Call struct {
	Message sagas.Message
	Key     string
	Err     error
}

var _ sagas.Sender = (*Recorder)(nil)

// Send implements sagas.Sender.
func (r *Recorder) Send(ctx context.Context, m sagas.Message, key string) (string, error) {
	id, err := key, error(nil)
	if r.Fn != nil {
		id, err = r.Fn(ctx, m, key)
	}
	r.mu.Lock()
	r.calls = append(r.calls, Call{Message: m, Key: key, Err: err})
	r.mu.Unlock()
	return id, err
}

// Calls returns the calls so far.
func (r *Recorder) Calls() []Call {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Call(nil), r.calls...)
}

// Delivered counts successful sends per idempotency key.
func (r *Recorder) Delivered() map[string]int {
	out := map[string]int{}
	for _, c := range r.Calls() {
		if c.Err == nil {
			out[c.Key]++
		}
	}
	return out
}

// Row is an outbox row as a saga wrote it.
type Row struct {
	ID        int64
	EventID   string
	Recipient string
	Channel   string
	Status    string
	Content   sagas.Content
}

// Rows lists the saga's outbox rows in id order.
func Rows(t testing.TB, pool *pgxpool.Pool, saga string) []Row {
	t.Helper()
	rows, err := pool.Query(context.Background(),
		`SELECT id, event_id, recipient, channel, status, payload FROM outbox WHERE saga=$1 ORDER BY id`, saga)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []Row
	for rows.Next() {
		var r Row
		var payload []byte
		if err := rows.Scan(&r.ID, &r.EventID, &r.Recipient, &r.Channel, &r.Status, &payload); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(payload, &r.Content); err != nil {
			t.Fatalf("outbox row %d payload: %v", r.ID, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// RunTo runs the saga over store until its checkpoint has passed head,
// then stops it. Running it again after Rewind replays history.
func RunTo(t testing.TB, pool *pgxpool.Pool, store *events.Store, s sagas.Saga, now func() time.Time, head events.Position) {
	t.Helper()
	if now == nil {
		now = time.Now
	}
	runner := projections.NewRunner(pool, store, s.Projection(store.Registry(), now),
		projections.RunnerOptions{Linger: 5 * time.Millisecond, Standby: 50 * time.Millisecond, Logger: testkit.Logger(t)})
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := runner.Run(ctx); err != nil {
			t.Errorf("saga runner: %v", err)
		}
	})
	defer func() { cancel(); wg.Wait() }()
	if err := projections.NewCheckpoints(pool).WaitFor(ctx, s.Name, []events.Position{head}, 30*time.Second); err != nil {
		t.Fatalf("saga %s did not reach %v: %v", s.Name, head, err)
	}
}

// Rewind sets the saga's checkpoints back to the start of history, as a
// restore or a redeployment that lost them would.
func Rewind(t testing.TB, pool *pgxpool.Pool, saga string) {
	t.Helper()
	if _, err := pool.Exec(context.Background(), `UPDATE projection_checkpoints SET position = 0 WHERE projection = $1`, saga); err != nil {
		t.Fatal(err)
	}
}

// Dispatch runs a real Dispatcher with senders until every outbox row is
// finished (or the timeout passes), then stops it.
func Dispatch(t testing.TB, pool *pgxpool.Pool, store *events.Store, senders map[string]sagas.Sender, timeout time.Duration) {
	t.Helper()
	DispatchAt(t, pool, store, senders, timeout, nil)
}

// DispatchAt is Dispatch with the dispatcher's clock at now (nil: the real
// one): a test whose messages belong to a fixed day dispatches on that day,
// or their NotAfter has long passed.
func DispatchAt(t testing.TB, pool *pgxpool.Pool, store *events.Store, senders map[string]sagas.Sender, timeout time.Duration, now func() time.Time) {
	t.Helper()
	d, err := sagas.NewDispatcher(pool, store, senders, testkit.Logger(t), sagas.DispatcherOptions{
		Lease: 2 * time.Second, SendTimeout: time.Second, PollInterval: 5 * time.Millisecond,
		Backoff: func(int) time.Duration { return time.Millisecond }, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("dispatcher: %v", err)
		}
	}()
	deadline := time.Now().Add(timeout)
	for {
		var n int
		if err := pool.QueryRow(context.Background(),
			`SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d outbox rows still unfinished after %s", n, timeout)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
