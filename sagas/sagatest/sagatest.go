// Package sagatest runs sagas in tests the way serve does (the projections
// Runner writing outbox rows, the real Dispatcher draining them) and reads
// back what they wrote and sent. Only tests import it.
package sagatest

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/projections"
	"github.com/cicero/cicero/sagas"
)

// Row is one outbox row as a saga wrote it.
type Row struct {
	EventID   string
	Recipient string
	Channel   string
	Content   sagas.Content
}

// Rows lists the saga's outbox rows, ordered by event id then recipient.
func Rows(t testing.TB, pool *pgxpool.Pool, saga string) []Row {
	t.Helper()
	rs, err := pool.Query(context.Background(),
		`SELECT event_id, recipient, channel, payload FROM outbox WHERE saga=$1 ORDER BY event_id, recipient`, saga)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	var out []Row
	for rs.Next() {
		var r Row
		var payload []byte
		if err := rs.Scan(&r.EventID, &r.Recipient, &r.Channel, &payload); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(payload, &r.Content); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// RunTo runs the saga with the projections Runner until its checkpoint has
// passed the heads of its streams, then stops it.
func RunTo(t testing.TB, pool *pgxpool.Pool, store *events.Store, s sagas.Saga) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var heads []events.Position
	for _, st := range s.Streams {
		h, err := store.StreamHead(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		if h > 0 {
			heads = append(heads, events.Position{Stream: st, Sequence: h})
		}
	}
	runner := projections.NewRunner(pool, store, s.Projection(store.Registry(), time.Now),
		projections.RunnerOptions{Linger: 5 * time.Millisecond, Standby: 50 * time.Millisecond, Logger: testkit.Logger(t)})
	runCtx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := runner.Run(runCtx); err != nil {
			t.Errorf("saga runner: %v", err)
		}
	})
	defer func() { stop(); wg.Wait() }()
	if err := projections.NewCheckpoints(pool).WaitFor(ctx, s.Name, heads, 30*time.Second); err != nil {
		t.Fatalf("saga %s did not reach %v: %v", s.Name, heads, err)
	}
}

// Recorder is a sagas.Sender that records every message it accepts.
type Recorder struct {
	mu    sync.Mutex
	calls []Sent
}

// Sent is one Send call.
type Sent struct {
	Key     string
	Message sagas.Message
}

var _ sagas.Sender = (*Recorder)(nil)

// Send implements sagas.Sender.
func (r *Recorder) Send(_ context.Context, m sagas.Message, key string) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, Sent{Key: key, Message: m})
	return key, nil
}

// Calls returns the sends so far.
func (r *Recorder) Calls() []Sent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Sent(nil), r.calls...)
}

// ReplaySendsNothingTwice is the crash-and-replay check: the saga has run
// to the head (want rows in the outbox); the real Dispatcher sends them
// through recording senders; then the saga's checkpoint goes back to 0 (a
// crash before the checkpoint moved, or a replay of history) and the saga
// runs again. The outbox must be unchanged and nothing sent a second time.
// Run it before another saga over the same outbox has rows waiting: its
// dispatcher sends whatever is due, and counts only the saga's own.
func ReplaySendsNothingTwice(t testing.TB, pool *pgxpool.Pool, store *events.Store, s sagas.Saga, want int) {
	t.Helper()
	before := Rows(t, pool, s.Name)
	if len(before) != want || want == 0 {
		t.Fatalf("%d outbox rows before the replay, want %d", len(before), want)
	}
	wa, mail := &Recorder{}, &Recorder{}
	d, err := sagas.NewDispatcher(pool, store, map[string]sagas.Sender{sagas.ChannelWhatsApp: wa, sagas.ChannelEmail: mail},
		testkit.Logger(t), sagas.DispatcherOptions{Lease: 2 * time.Second, SendTimeout: time.Second,
			PollInterval: 5 * time.Millisecond, Backoff: func(int) time.Duration { return time.Millisecond },
			// Sealed secrets (codes, tokens) open to a marker: what is
			// counted here is sends, not secrets.
			Open: func(sealed string) (string, error) { return "opened", nil }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			cancel()
			if err := <-done; err != nil {
				t.Errorf("dispatcher: %v", err)
			}
		}
	}
	defer stop()
	drained := func() {
		testkit.Eventually(t, 20*time.Second, func() error {
			var n int
			if err := pool.QueryRow(context.Background(),
				`SELECT count(*) FROM outbox WHERE saga=$1 AND status IN ('pending', 'sending')`, s.Name).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return fmt.Errorf("%d rows unsent", n)
			}
			return nil
		})
	}
	drained()
	mine := map[string]bool{}
	for _, r := range before {
		mine[sagas.MessageKey(s.Name, r.EventID, r.Recipient)] = true
	}
	ofSaga := func() []Sent {
		var out []Sent
		for _, c := range append(wa.Calls(), mail.Calls()...) {
			if mine[c.Key] {
				out = append(out, c)
			}
		}
		return out
	}
	sent := len(ofSaga())
	if sent != want {
		t.Fatalf("%d sends, want %d", sent, want)
	}
	if _, err := pool.Exec(context.Background(), `UPDATE projection_checkpoints SET position = 0 WHERE projection = $1`, s.Name); err != nil {
		t.Fatal(err)
	}
	RunTo(t, pool, store, s)
	after := Rows(t, pool, s.Name)
	if len(after) != len(before) {
		t.Fatalf("replay wrote %d rows, had %d", len(after), len(before))
	}
	for i := range after {
		if after[i].EventID != before[i].EventID || after[i].Recipient != before[i].Recipient || after[i].Content.Text != before[i].Content.Text {
			t.Fatalf("replay changed row %d: %+v → %+v", i, before[i], after[i])
		}
	}
	drained()
	// Let a dispatcher that would wrongly resend have its chance.
	time.Sleep(100 * time.Millisecond)
	stop()
	keys := map[string]int{}
	for _, c := range ofSaga() {
		keys[c.Key]++
	}
	for k, n := range keys {
		if n != 1 {
			t.Errorf("key %s sent %d times", k, n)
		}
	}
	if n := len(ofSaga()); n != sent {
		t.Errorf("replay sent %d more messages", n-sent)
	}
}

// Texts maps each recipient to the texts it gets (WhatsApp) in row order.
func Texts(rows []Row) map[string][]string {
	out := map[string][]string{}
	for _, r := range rows {
		out[r.Recipient] = append(out[r.Recipient], r.Content.Text)
	}
	for _, v := range out {
		sort.Strings(v)
	}
	return out
}

// Sorted returns m with each recipient's texts sorted, as Texts gives them.
func Sorted(m map[string][]string) map[string][]string {
	out := make(map[string][]string, len(m))
	for k, v := range m {
		v = append([]string(nil), v...)
		sort.Strings(v)
		out[k] = v
	}
	return out
}
