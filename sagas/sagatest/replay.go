package sagatest

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/sagas"
)

// RunToHeads is RunTo up to the current heads of the saga's streams (the
// wall clock for MaxAge).
func RunToHeads(t testing.TB, pool *pgxpool.Pool, store *events.Store, s sagas.Saga) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var last events.Position
	for _, st := range s.Streams {
		h, err := store.StreamHead(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		if h > 0 {
			last = events.Position{Stream: st, Sequence: h}
			RunTo(t, pool, store, s, nil, last)
		}
	}
}

// ReplaySendsNothingTwice is the crash-and-replay check: the saga has run
// to the head (want rows in the outbox); the real Dispatcher sends them
// through recording senders; then the saga's checkpoint goes back to 0 (a
// crash before the checkpoint moved, or a replay of history) and the saga
// runs again. The outbox must be unchanged and nothing sent a second time.
// Run it before another saga over the same outbox has rows waiting: its
// dispatcher sends whatever is due, and counts only the saga's own.
// Sealed secrets (codes, tokens) open to a marker: sends are counted
// here, not secrets.
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
			Open: func(string) (string, error) { return "opened", nil }})
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
	ofSaga := func() []Call {
		var out []Call
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
	Rewind(t, pool, s.Name)
	RunToHeads(t, pool, store, s)
	after := Rows(t, pool, s.Name)
	if len(after) != len(before) {
		t.Fatalf("replay wrote %d rows, had %d", len(after), len(before))
	}
	for i := range after {
		if after[i].ID != before[i].ID || after[i].EventID != before[i].EventID || after[i].Recipient != before[i].Recipient ||
			after[i].Content.Text != before[i].Content.Text {
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
	DecidesTheSameAfresh(t, pool, store, s, before)
}

// DecidesTheSameAfresh runs a copy of the saga under a new name from the
// start of history (a fresh checkpoint and no outbox rows of its own) and
// checks it decides exactly want: the same events, recipients, channels
// and contents. The replay above cannot see a changed text or session for
// a recipient it already has (the outbox keeps the first row of a key);
// this can. The copy's rows are removed afterwards.
func DecidesTheSameAfresh(t testing.TB, pool *pgxpool.Pool, store *events.Store, s sagas.Saga, want []Row) {
	t.Helper()
	fresh := s
	fresh.Name = s.Name + "-afresh"
	defer func() {
		if _, err := pool.Exec(context.Background(), `DELETE FROM outbox WHERE saga = $1`, fresh.Name); err != nil {
			t.Errorf("remove the fresh copy's rows: %v", err)
		}
	}()
	RunToHeads(t, pool, store, fresh)
	got := Rows(t, pool, fresh.Name)
	key := func(r Row) string { return r.EventID + "\x00" + r.Recipient }
	decided := func(rows []Row) map[string]Row {
		out := make(map[string]Row, len(rows))
		for _, r := range rows {
			out[key(r)] = Row{EventID: r.EventID, Recipient: r.Recipient, Channel: r.Channel, Content: r.Content}
		}
		return out
	}
	w, g := decided(want), decided(got)
	for k, wr := range w {
		gr, ok := g[k]
		switch {
		case !ok:
			t.Errorf("decided afresh: no row for event %s", wr.EventID)
		case !sameRow(wr, gr):
			t.Errorf("decided afresh differently for event %s: %+v → %+v", wr.EventID, wr.Content, gr.Content)
		}
	}
	for k, gr := range g {
		if _, ok := w[k]; !ok {
			t.Errorf("decided afresh: an extra row for event %s (channel %s)", gr.EventID, gr.Channel)
		}
	}
}

func sameRow(a, b Row) bool {
	if a.Channel != b.Channel || a.Content.Text != b.Content.Text || a.Content.Subject != b.Content.Subject ||
		a.Content.Body != b.Content.Body || a.Content.Sealed != b.Content.Sealed || a.Content.Session != b.Content.Session {
		return false
	}
	ad, bd := a.Content.Document, b.Content.Document
	if (ad == nil) != (bd == nil) {
		return false
	}
	return ad == nil || (ad.FileName == bd.FileName && ad.MimeType == bd.MimeType && string(ad.Data) == string(bd.Data))
}

// Texts maps each recipient to the texts (WhatsApp) of rows, sorted.
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
