package sagas

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.uber.org/goleak"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/testkit"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// SendCall is one call a RecordingSender saw.
type SendCall struct {
	Message Message
	Key     string
	Err     error
}

// RecordingSender records every Send and answers through Fn (nil: accept,
// with the key as provider id).
type RecordingSender struct {
	Fn func(ctx context.Context, m Message, key string) (string, error)

	mu    sync.Mutex
	calls []SendCall
}

var _ Sender = (*RecordingSender)(nil)

func (s *RecordingSender) Send(ctx context.Context, m Message, key string) (string, error) {
	id, err := key, error(nil)
	if s.Fn != nil {
		id, err = s.Fn(ctx, m, key)
	}
	s.mu.Lock()
	s.calls = append(s.calls, SendCall{Message: m, Key: key, Err: err})
	s.mu.Unlock()
	return id, err
}

// Calls returns a copy of the calls so far.
func (s *RecordingSender) Calls() []SendCall {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SendCall(nil), s.calls...)
}

// Delivered counts the successful calls per idempotency key.
func (s *RecordingSender) Delivered() map[string]int {
	out := map[string]int{}
	for _, c := range s.Calls() {
		if c.Err == nil {
			out[c.Key]++
		}
	}
	return out
}

// rig is one test's event store and database.
type rig struct {
	nats  *testkit.NATS
	store *events.Store
	pool  *pgxpool.Pool
}

func newRig(t *testing.T) rig {
	t.Helper()
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	return rig{nats: n, store: n.Store, pool: pool}
}

// mustSeed inserts n outbox rows for a made-up saga and returns them with ids.
func (r rig) mustSeed(t *testing.T, saga, channel string, n int) []outboxRow {
	t.Helper()
	ctx := context.Background()
	rows := make([]outboxRow, n)
	for i := range rows {
		rows[i] = outboxRow{Saga: saga, EventID: fmt.Sprintf("ev-%d", i), Recipient: fmt.Sprintf("62812%07d", i),
			Channel: channel, Content: Content{Text: fmt.Sprintf("hello %d", i)}}
	}
	tx, err := r.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := insertOutbox(ctx, tx, rows); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		if err := r.pool.QueryRow(ctx, `SELECT id FROM outbox WHERE saga=$1 AND event_id=$2 AND recipient=$3`,
			saga, rows[i].EventID, rows[i].Recipient).Scan(&rows[i].ID); err != nil {
			t.Fatal(err)
		}
	}
	return rows
}

// rowState is what the tests check of a row.
type rowState struct {
	Status    string
	Attempts  int
	LastError string
}

func (r rig) mustRow(t *testing.T, id int64) rowState {
	t.Helper()
	var s rowState
	if err := r.pool.QueryRow(context.Background(),
		`SELECT status, attempts, COALESCE(last_error, '') FROM outbox WHERE id=$1`, id).Scan(&s.Status, &s.Attempts, &s.LastError); err != nil {
		t.Fatal(err)
	}
	return s
}

// mustOutcomes decodes the outcomes recorded for the row's outbox key on
// its (saga, recipient) delivery subject.
func (r rig) mustOutcomes(t *testing.T, id int64) []events.Payload {
	t.Helper()
	var saga, eventID, recipient string
	if err := r.pool.QueryRow(context.Background(), `SELECT saga, event_id, recipient FROM outbox WHERE id=$1`, id).
		Scan(&saga, &eventID, &recipient); err != nil {
		t.Fatal(err)
	}
	envs, _, err := r.store.Load(context.Background(), events.DeliverySubject(saga, recipient))
	if err != nil {
		t.Fatal(err)
	}
	var out []events.Payload
	for _, e := range envs {
		p, err := r.store.Registry().Decode(&e)
		if err != nil {
			t.Fatal(err)
		}
		if e.Meta.Channel != "saga" { // the audit's "through which channel" of a delivery
			t.Errorf("outcome %s recorded through channel %q, want saga", e.Type, e.Meta.Channel)
		}
		switch o := p.(type) {
		case *events.MessageDelivered:
			if o.EventID != eventID {
				continue
			}
		case *events.MessageFailed:
			if o.EventID != eventID {
				continue
			}
		}
		out = append(out, p)
	}
	return out
}

// countNotSent is how many rows are still to finish.
func (r rig) countUnfinished(t *testing.T) int {
	t.Helper()
	var n int
	if err := r.pool.QueryRow(context.Background(),
		`SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// fastOptions keep the dispatcher's waits short for tests.
func fastOptions() DispatcherOptions {
	return DispatcherOptions{
		Lease:        2 * time.Second,
		SendTimeout:  time.Second,
		PollInterval: 5 * time.Millisecond,
		Backoff:      func(int) time.Duration { return time.Millisecond },
	}
}

// startDispatcher runs d until the test ends (or stop is called) and
// reports Run's error at cleanup.
func startDispatcher(t *testing.T, d *Dispatcher) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("dispatcher run: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

func mustDispatcher(t *testing.T, r rig, senders map[string]Sender, o DispatcherOptions) *Dispatcher {
	t.Helper()
	d, err := NewDispatcher(r.pool, r.store, senders, testkit.Logger(t), o)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// waitDrained waits until no row is pending or sending.
func (r rig) waitDrained(t *testing.T, timeout time.Duration) {
	t.Helper()
	testkit.Eventually(t, timeout, func() error {
		if n := r.countUnfinished(t); n > 0 {
			return fmt.Errorf("%d rows unfinished", n)
		}
		return nil
	})
}
