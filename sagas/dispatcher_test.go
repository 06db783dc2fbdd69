package sagas

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/seal"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/nats-io/nats.go/jetstream"
)

func TestDispatcherRecordsOneOutcomePerRow(t *testing.T) {
	r := newRig(t)
	wa := r.mustSeed(t, "welcome", ChannelWhatsApp, 5)
	mail := r.mustSeed(t, "digest", ChannelEmail, 3)
	waSender, mailSender := &RecordingSender{}, &RecordingSender{}
	d := mustDispatcher(t, r, map[string]Sender{ChannelWhatsApp: waSender, ChannelEmail: mailSender}, fastOptions())
	startDispatcher(t, d)
	r.waitDrained(t, 10*time.Second)

	for _, tc := range []struct {
		rows   []outboxRow
		sender *RecordingSender
	}{{wa, waSender}, {mail, mailSender}} {
		if got := len(tc.sender.Calls()); got != len(tc.rows) {
			t.Errorf("%s sender: %d calls, want %d", tc.rows[0].Channel, got, len(tc.rows))
		}
		for _, row := range tc.rows {
			if st := r.mustRow(t, row.ID); st.Status != StatusSent || st.Attempts != 1 {
				t.Errorf("row %d: %+v, want sent after 1 attempt", row.ID, st)
			}
			out := r.mustOutcomes(t, row.ID)
			want := &events.MessageDelivered{OutboxID: row.ID, Saga: row.Saga, EventID: row.EventID, Channel: row.Channel,
				Recipient: row.Recipient, ProviderID: row.idempotencyKey()}
			if len(out) != 1 || *out[0].(*events.MessageDelivered) != *want {
				t.Errorf("row %d outcomes %+v, want [%+v]", row.ID, out, want)
			}
		}
	}
	if c := waSender.Calls()[0]; c.Message.Content.Text == "" || c.Message.Channel != ChannelWhatsApp {
		t.Errorf("sender got %+v, want the row's message", c.Message)
	}
}

func TestDispatcherFailures(t *testing.T) {
	errBusy := errors.New("peer busy")
	cases := []struct {
		name         string
		fn           func(call int) error // call counts from 1
		wantCalls    int
		wantStatus   string
		wantAttempts int
	}{
		{"retryable then success", func(n int) error {
			if n <= 2 {
				return errBusy
			}
			return nil
		}, 3, StatusSent, 3},
		{"permanent failure", func(int) error { return Permanent(errors.New("number not on WhatsApp")) }, 1, StatusFailed, 1},
		{"retryable until max attempts", func(int) error { return errBusy }, 4, StatusFailed, 4},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t)
			row := r.mustSeed(t, "welcome", ChannelWhatsApp, 1)[0]
			var mu sync.Mutex
			n := 0
			s := &RecordingSender{Fn: func(ctx context.Context, m Message, key string) (string, error) {
				mu.Lock()
				n++
				call := n
				mu.Unlock()
				return "wamid-1", tc.fn(call)
			}}
			o := fastOptions()
			o.MaxAttempts = 4
			startDispatcher(t, mustDispatcher(t, r, map[string]Sender{ChannelWhatsApp: s}, o))
			r.waitDrained(t, 10*time.Second)

			calls := s.Calls()
			if len(calls) != tc.wantCalls {
				t.Fatalf("%d calls, want %d", len(calls), tc.wantCalls)
			}
			for _, c := range calls {
				if c.Key != calls[0].Key {
					t.Errorf("idempotency key changed between attempts: %q vs %q", c.Key, calls[0].Key)
				}
			}
			st := r.mustRow(t, row.ID)
			if st.Status != tc.wantStatus || st.Attempts != tc.wantAttempts {
				t.Errorf("row %+v, want %s after %d attempts", st, tc.wantStatus, tc.wantAttempts)
			}
			out := r.mustOutcomes(t, row.ID)
			if len(out) != 1 {
				t.Fatalf("%d outcome events, want 1", len(out))
			}
			switch o := out[0].(type) {
			case *events.MessageDelivered:
				if tc.wantStatus != StatusSent || o.ProviderID != "wamid-1" {
					t.Errorf("got %+v, want status %s", o, tc.wantStatus)
				}
			case *events.MessageFailed:
				if tc.wantStatus != StatusFailed || o.Attempts != tc.wantAttempts || o.Error == "" || st.LastError != o.Error {
					t.Errorf("got %+v (row error %q), want failed after %d attempts", o, st.LastError, tc.wantAttempts)
				}
			}
		})
	}
}

// Two dispatchers (as on two instances) drain one outbox side by side:
// SKIP LOCKED keeps them apart, so no message goes out twice.
func TestTwoDispatchersDrainOneOutboxWithoutDuplicates(t *testing.T) {
	r := newRig(t)
	rows := r.mustSeed(t, "blast", ChannelEmail, 300)
	slow := func(ctx context.Context, m Message, key string) (string, error) {
		time.Sleep(time.Duration(rand.IntN(500)) * time.Microsecond)
		return key, nil
	}
	a, b := &RecordingSender{Fn: slow}, &RecordingSender{Fn: slow}
	o := fastOptions()
	o.Concurrency = map[string]int{ChannelEmail: 4}
	startDispatcher(t, mustDispatcher(t, r, map[string]Sender{ChannelEmail: a}, o))
	startDispatcher(t, mustDispatcher(t, r, map[string]Sender{ChannelEmail: b}, o))
	r.waitDrained(t, 60*time.Second)

	sent := map[string]int{}
	for _, s := range []*RecordingSender{a, b} {
		for k, n := range s.Delivered() {
			sent[k] += n
		}
	}
	if len(a.Calls()) == 0 || len(b.Calls()) == 0 {
		t.Errorf("one dispatcher did all the work (%d / %d calls); the test shows nothing", len(a.Calls()), len(b.Calls()))
	}
	for _, row := range rows {
		if n := sent[row.idempotencyKey()]; n != 1 {
			t.Errorf("row %d sent %d times", row.ID, n)
		}
		if out := r.mustOutcomes(t, row.ID); len(out) != 1 {
			t.Errorf("row %d has %d outcome events", row.ID, len(out))
		}
	}
}

// Dispatchers are stopped again and again while they work: gracefully (the
// sender cancels the run in the middle of a send, before or after the peer
// accepted) and by simulated crashes at every step of a dispatch. Each
// restart takes over; in the end every message has gone out and has exactly
// one outcome. Only a crash between an accepted send and its outcome event —
// the window documented on Dispatcher — may repeat a send, and then with the
// same idempotency key.
func TestRestartMidDispatchSendsEachMessageOnce(t *testing.T) {
	r := newRig(t)
	rows := r.mustSeed(t, "restart", ChannelEmail, 200)
	rng := rand.New(rand.NewPCG(1, uint64(time.Now().UnixNano())))
	var mu sync.Mutex // guards rng, cancelRun, crashedAfterSend
	var cancelRun context.CancelFunc
	crashedAfterSend := map[string]int{}

	sender := &RecordingSender{Fn: func(ctx context.Context, m Message, key string) (string, error) {
		mu.Lock()
		dice, cancel := rng.IntN(100), cancelRun
		mu.Unlock()
		switch {
		case dice < 8: // shutdown arrives before the peer accepted
			cancel()
			<-ctx.Done()
			return "", ctx.Err()
		case dice < 16: // shutdown arrives after the peer accepted
			cancel()
			return key, nil
		}
		return key, nil
	}}
	crashAt := func(point string, row outboxRow) bool {
		mu.Lock()
		defer mu.Unlock()
		if rng.IntN(100) >= 4 {
			return false
		}
		if point == "sent" {
			calls := sender.Calls() // this row's latest call is this dispatch's
			for i := len(calls) - 1; i >= 0; i-- {
				if calls[i].Key == row.idempotencyKey() {
					if calls[i].Err == nil {
						crashedAfterSend[calls[i].Key]++
					}
					break
				}
			}
		}
		return true
	}

	o := fastOptions()
	o.Lease, o.SendTimeout = 150*time.Millisecond, 100*time.Millisecond
	o.MaxAttempts = 1000 // interruptions are not failures; never give up here
	o.Concurrency = map[string]int{ChannelEmail: 3}
	restarts, crashes := 0, 0
	deadline := time.Now().Add(60 * time.Second)
	for r.countUnfinished(t) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("outbox not drained after %d restarts", restarts)
		}
		d := mustDispatcher(t, r, map[string]Sender{ChannelEmail: sender}, o)
		d.crashAt = crashAt
		ctx, cancel := context.WithCancel(context.Background())
		mu.Lock()
		cancelRun = cancel
		mu.Unlock()
		// Stop every run after a while too, so idle waits for expired
		// leases are also interrupted.
		timer := time.AfterFunc(time.Duration(50+rng.IntN(200))*time.Millisecond, cancel)
		err := d.Run(ctx)
		timer.Stop()
		cancel()
		switch {
		case errors.Is(err, errCrash):
			crashes++
		case err != nil:
			t.Fatalf("run: %v", err)
		}
		restarts++
	}
	t.Logf("%d restarts, %d simulated crashes, %d send calls, %d crashes between send and outcome",
		restarts, crashes, len(sender.Calls()), len(crashedAfterSend))
	if crashes == 0 || restarts < 10 {
		t.Fatalf("only %d restarts and %d crashes: the test exercised nothing", restarts, crashes)
	}

	delivered := sender.Delivered()
	for _, row := range rows {
		key := row.idempotencyKey()
		if want := 1 + crashedAfterSend[key]; delivered[key] != want {
			t.Errorf("row %d delivered %d times, want %d (%d crashes after its send)", row.ID, delivered[key], want, crashedAfterSend[key])
		}
		out := r.mustOutcomes(t, row.ID)
		if len(out) != 1 {
			t.Errorf("row %d: %d outcome events, want 1", row.ID, len(out))
			continue
		}
		if _, ok := out[0].(*events.MessageDelivered); !ok {
			t.Errorf("row %d outcome %T, want MessageDelivered", row.ID, out[0])
		}
		if st := r.mustRow(t, row.ID); st.Status != StatusSent {
			t.Errorf("row %d status %s", row.ID, st.Status)
		}
	}
}

// A row whose lease ran out after its outcome was recorded is finished from
// the event store, without a send.
func TestRecoveredRowWithOutcomeIsNotSentAgain(t *testing.T) {
	r := newRig(t)
	row := r.mustSeed(t, "welcome", ChannelWhatsApp, 1)[0]
	o := fastOptions()
	first := &RecordingSender{}
	d := mustDispatcher(t, r, map[string]Sender{ChannelWhatsApp: first}, o)
	d.crashAt = func(point string, _ outboxRow) bool { return point == "recorded" }
	if err := d.Run(context.Background()); !errors.Is(err, errCrash) {
		t.Fatalf("run: %v, want the simulated crash", err)
	}
	if st := r.mustRow(t, row.ID); st.Status != StatusSending {
		t.Fatalf("after crash row is %s, want sending", st.Status)
	}
	// Expire the lease rather than wait for it.
	if _, err := r.pool.Exec(context.Background(), `UPDATE outbox SET next_attempt_at = now(), claimed_until = now() WHERE id=$1`, row.ID); err != nil {
		t.Fatal(err)
	}
	second := &RecordingSender{}
	startDispatcher(t, mustDispatcher(t, r, map[string]Sender{ChannelWhatsApp: second}, o))
	r.waitDrained(t, 10*time.Second)
	if n := len(second.Calls()); n != 0 {
		t.Errorf("recovery sent %d times, want 0", n)
	}
	if st := r.mustRow(t, row.ID); st.Status != StatusSent {
		t.Errorf("row %+v, want sent", st)
	}
	if out := r.mustOutcomes(t, row.ID); len(out) != 1 {
		t.Errorf("%d outcomes", len(out))
	}
}

func TestNewDispatcherRejectsBadOptions(t *testing.T) {
	for name, tc := range map[string]struct {
		senders map[string]Sender
		o       DispatcherOptions
	}{
		"no senders":              {nil, DispatcherOptions{}},
		"send outlives its lease": {map[string]Sender{ChannelEmail: &RecordingSender{}}, DispatcherOptions{Lease: time.Second, SendTimeout: 2 * time.Second}},
	} {
		if _, err := NewDispatcher(nil, nil, tc.senders, nil, tc.o); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// BenchmarkDispatcherDrain measures claim → send → outcome event → finish
// per row with an instant sender (one worker; the peer is not the cost).
func BenchmarkDispatcherDrain(b *testing.B) {
	n := testkit.StartNATS(b, testkit.FastSync())
	pool, _ := testkit.NewDatabase(b)
	r := rig{nats: n, store: n.Store, pool: pool}
	rows := make([]outboxRow, b.N)
	for i := range rows {
		rows[i] = outboxRow{Saga: "bench", EventID: strconv.Itoa(i), Recipient: "r", Channel: ChannelEmail, Content: Content{Body: "x"}}
	}
	ctx := context.Background()
	tx, err := pool.Begin(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if err := insertOutbox(ctx, tx, rows); err != nil {
		b.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		b.Fatal(err)
	}
	d, err := NewDispatcher(pool, r.store, map[string]Sender{ChannelEmail: &RecordingSender{}}, testkit.Logger(b), fastOptions())
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- d.Run(runCtx) }()
	for {
		var left int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM outbox WHERE status <> 'sent'`).Scan(&left); err != nil {
			b.Fatal(err)
		}
		if left == 0 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	b.StopTimer()
	cancel()
	if err := <-done; err != nil {
		b.Fatal(err)
	}
}

// TestRestoredOutboxReusingIDs: a database restored from a backup (or an
// outbox recreated) hands out row ids again that earlier messages had.
// Outcomes are keyed by the outbox key, not the id: a new message with an
// old id is sent, and an old message replayed into the restored outbox
// (its outcome already in the history) is finished without a second send.
func TestRestoredOutboxReusingIDs(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	old := r.mustSeed(t, "welcome", ChannelWhatsApp, 2)
	first := &RecordingSender{}
	stop := startDispatcher(t, mustDispatcher(t, r, map[string]Sender{ChannelWhatsApp: first}, fastOptions()))
	r.waitDrained(t, 10*time.Second)
	stop()
	if n := len(first.Calls()); n != 2 {
		t.Fatalf("first dispatcher sent %d, want 2", n)
	}

	if _, err := r.pool.Exec(ctx, `TRUNCATE outbox RESTART IDENTITY`); err != nil {
		t.Fatal(err)
	}
	// A new message takes id 1 again; the saga's replay re-inserts the old
	// second message (id 2 now). Neither id means what it meant.
	fresh := r.mustSeed(t, "reminder", ChannelWhatsApp, 1)[0]
	replayed := old[1]
	replayed.ID = 0
	tx, err := r.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := insertOutbox(ctx, tx, []outboxRow{replayed}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if fresh.ID != old[0].ID {
		t.Fatalf("the restored outbox did not reuse id %d (got %d): the test proves nothing", old[0].ID, fresh.ID)
	}
	// The replayed row is recovered as a row whose lease ran out would be.
	if _, err := r.pool.Exec(ctx, `UPDATE outbox SET status='sending', attempts=1, claimed_until=now(), next_attempt_at=now()
		WHERE saga=$1 AND event_id=$2`, replayed.Saga, replayed.EventID); err != nil {
		t.Fatal(err)
	}
	second := &RecordingSender{}
	startDispatcher(t, mustDispatcher(t, r, map[string]Sender{ChannelWhatsApp: second}, fastOptions()))
	r.waitDrained(t, 10*time.Second)
	calls := second.Calls()
	if len(calls) != 1 || calls[0].Message.Content.Text != fresh.Content.Text {
		t.Fatalf("after the restore sent %+v, want only the new message", calls)
	}
	if st := r.mustRow(t, fresh.ID); st.Status != StatusSent {
		t.Errorf("new message with a reused id: %+v, want sent", st)
	}
	var status string
	if err := r.pool.QueryRow(ctx, `SELECT status FROM outbox WHERE saga=$1 AND event_id=$2`, replayed.Saga, replayed.EventID).Scan(&status); err != nil {
		t.Fatal(err)
	}
	if status != StatusSent {
		t.Errorf("replayed message finished %s, want sent from its recorded outcome", status)
	}
}

// TestDeliverySubjectsPerRecipient: the outcomes of many messages to one
// recipient share one subject (subjects grow with recipients, not with
// messages), each message with exactly one outcome.
func TestDeliverySubjectsPerRecipient(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	rows := make([]outboxRow, 12)
	for i := range rows {
		rows[i] = outboxRow{Saga: "recap", EventID: fmt.Sprintf("ev-%d", i), Recipient: "120363000000000001@g.us",
			Channel: ChannelWhatsApp, Content: Content{Text: fmt.Sprintf("recap %d", i)}}
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
	o := fastOptions()
	o.Concurrency = map[string]int{ChannelWhatsApp: 4} // records race on the one subject
	startDispatcher(t, mustDispatcher(t, r, map[string]Sender{ChannelWhatsApp: &RecordingSender{}}, o))
	r.waitDrained(t, 20*time.Second)
	info, err := r.nats.Store.JetStream().Stream(ctx, "MESSAGING")
	if err != nil {
		t.Fatal(err)
	}
	st, err := info.Info(ctx, jetstream.WithSubjectFilter("messaging.>"))
	if err != nil {
		t.Fatal(err)
	}
	if len(st.State.Subjects) != 1 || st.State.Msgs != uint64(len(rows)) {
		t.Fatalf("%d messages on %d subjects (%v), want %d on one", st.State.Msgs, len(st.State.Subjects), st.State.Subjects, len(rows))
	}
	seen := map[string]int{}
	envs, _, err := r.store.Load(ctx, events.DeliverySubject("recap", rows[0].Recipient))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range envs {
		p, err := r.store.Registry().Decode(&e)
		if err != nil {
			t.Fatal(err)
		}
		seen[p.(*events.MessageDelivered).EventID]++
	}
	for _, row := range rows {
		if seen[row.EventID] != 1 {
			t.Errorf("%s has %d outcomes", row.EventID, seen[row.EventID])
		}
	}
}

// TestSealedSecretOpenedOnlyToSend: a message's secret stays sealed in the
// outbox; the dispatcher opens it into the text just before sending, and a
// secret it cannot open fails the message for good instead of sending the
// placeholder.
func TestSealedSecretOpenedOnlyToSend(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	box, err := seal.New(bytes.Repeat([]byte{3}, 32))
	if err != nil {
		t.Fatal(err)
	}
	other, _ := seal.New(bytes.Repeat([]byte{4}, 32))
	rows := []outboxRow{
		{Saga: "otp", EventID: "ev-1", Recipient: "a@example.com", Channel: ChannelEmail,
			Content: Content{Subject: "Kode", Body: "Kode Anda: " + SecretPlaceholder, Sealed: box.Seal("482913")}},
		{Saga: "otp", EventID: "ev-2", Recipient: "b@example.com", Channel: ChannelEmail,
			Content: Content{Subject: "Kode", Body: "Kode Anda: " + SecretPlaceholder, Sealed: other.Seal("111111")}},
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
	var stored string
	if err := r.pool.QueryRow(ctx, `SELECT payload::text FROM outbox WHERE event_id='ev-1'`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(stored, "482913") {
		t.Fatalf("the outbox holds the secret in the clear: %s", stored)
	}
	sender := &RecordingSender{}
	o := fastOptions()
	o.Open = box.Open
	startDispatcher(t, mustDispatcher(t, r, map[string]Sender{ChannelEmail: sender}, o))
	r.waitDrained(t, 10*time.Second)
	calls := sender.Calls()
	if len(calls) != 1 || calls[0].Message.Content.Body != "Kode Anda: 482913" || calls[0].Message.Content.Sealed != "" {
		t.Fatalf("sent %+v, want one mail with the opened code", calls)
	}
	var status, lastErr string
	if err := r.pool.QueryRow(ctx, `SELECT status, coalesce(last_error, '') FROM outbox WHERE event_id='ev-2'`).Scan(&status, &lastErr); err != nil {
		t.Fatal(err)
	}
	if status != StatusFailed || !strings.Contains(lastErr, "secret") {
		t.Fatalf("unopenable secret: %s %q, want failed", status, lastErr)
	}
}
