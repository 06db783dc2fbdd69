package sagas

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/projections"
)

// welcomeSaga is a test saga over DIRECTORY: a newly registered person who
// opted in gets a WhatsApp welcome, and an email one when they have an
// address — two recipients, two messages for one event.
func welcomeSaga() Saga {
	return Saga{
		Name:    "welcome",
		Streams: []string{"DIRECTORY"},
		Decide: func(env events.Envelope, p events.Payload) []Message {
			reg, ok := p.(*events.PersonRegistered)
			if !ok || !reg.WhatsAppOptIn {
				return nil
			}
			out := []Message{{Channel: ChannelWhatsApp, Recipient: reg.WhatsApp, Content: Content{Text: "Selamat datang"}}}
			if reg.Email != "" {
				out = append(out, Message{Channel: ChannelEmail, Recipient: reg.Email, Content: Content{Subject: "Selamat datang", Body: "Halo"}})
			}
			return out
		},
	}
}

// wantRow is an outbox row as the saga should have written it.
type wantRow struct {
	ID        int64
	EventID   string
	Recipient string
	Channel   string
}

// mustRegisterPeople appends n PersonRegistered events (every third person
// opted out, every second one with an email) plus other directory events,
// and returns the outbox rows the welcome saga must produce and the head.
func mustRegisterPeople(t *testing.T, store *events.Store, n int) ([]wantRow, events.Position) {
	t.Helper()
	ctx := context.Background()
	var want []wantRow
	var last events.Appended
	for i := range n {
		nrp := fmt.Sprintf("7502%04d", i)
		p := events.PersonRegistered{NRP: nrp, Nama: "X", WhatsApp: fmt.Sprintf("62812%07d", i), WhatsAppOptIn: i%3 != 0}
		if i%2 == 0 {
			p.Email = fmt.Sprintf("p%d@example.test", i)
		}
		a, err := store.Append(ctx, events.Meta{Actor: "test"}, events.Commit{Subject: events.PersonSubject(nrp), AggregateID: nrp,
			Events: []events.Payload{p, events.PersonRoleGranted{NRP: nrp, Role: "operator"}}})
		if err != nil {
			t.Fatal(err)
		}
		last = a
		if p.WhatsAppOptIn {
			want = append(want, wantRow{EventID: a.EventIDs[0], Recipient: p.WhatsApp, Channel: ChannelWhatsApp})
			if p.Email != "" {
				want = append(want, wantRow{EventID: a.EventIDs[0], Recipient: p.Email, Channel: ChannelEmail})
			}
		}
	}
	return want, events.Position{Stream: last.Stream, Sequence: last.Sequence}
}

func (r rig) mustOutboxRows(t *testing.T, saga string) []wantRow {
	t.Helper()
	rows, err := r.pool.Query(context.Background(), `SELECT id, event_id, recipient, channel FROM outbox WHERE saga=$1 ORDER BY id`, saga)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []wantRow
	for rows.Next() {
		var w wantRow
		if err := rows.Scan(&w.ID, &w.EventID, &w.Recipient, &w.Channel); err != nil {
			t.Fatal(err)
		}
		out = append(out, w)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// runSaga runs the saga with the projections Runner until it has passed
// head, then stops it.
func (r rig) runSagaTo(t *testing.T, s Saga, head events.Position) {
	t.Helper()
	runner := projections.NewRunner(r.pool, r.store, s.Projection(r.store.Registry(), time.Now),
		projections.RunnerOptions{Linger: 5 * time.Millisecond, Standby: 50 * time.Millisecond, Logger: testkit.Logger(t)})
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := runner.Run(ctx); err != nil {
			t.Errorf("saga runner: %v", err)
		}
	})
	defer func() { cancel(); wg.Wait() }()
	if err := projections.NewCheckpoints(r.pool).WaitFor(ctx, s.Name, []events.Position{head}, 30*time.Second); err != nil {
		t.Fatalf("saga %s did not reach %v: %v", s.Name, head, err)
	}
}

func sortRows(rows []wantRow) {
	sort.Slice(rows, func(i, j int) bool {
		return rows[i].EventID+rows[i].Recipient < rows[j].EventID+rows[j].Recipient
	})
}

// The welcome saga writes one outbox row per (event, recipient); replaying
// the whole history from checkpoint 0 — with the dispatcher running — adds
// no row and sends nothing again.
func TestSagaReplaySendsNothingTwice(t *testing.T) {
	r := newRig(t)
	want, head := mustRegisterPeople(t, r.store, 60)
	saga := welcomeSaga()
	r.runSagaTo(t, saga, head)

	first := r.mustOutboxRows(t, saga.Name)
	got := append([]wantRow(nil), first...)
	sortRows(got)
	sortRows(want)
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(wantRow{}, "ID")); diff != "" {
		t.Fatalf("outbox rows (-want +got):\n%s", diff)
	}

	wa, mail := &RecordingSender{}, &RecordingSender{}
	stop := startDispatcher(t, mustDispatcher(t, r, map[string]Sender{ChannelWhatsApp: wa, ChannelEmail: mail}, fastOptions()))
	r.waitDrained(t, 20*time.Second)
	sentBefore := len(wa.Calls()) + len(mail.Calls())
	if sentBefore != len(want) {
		t.Fatalf("%d sends, want %d", sentBefore, len(want))
	}

	// Replay: the saga's checkpoint back to 0, a fresh runner of the same saga.
	if _, err := r.pool.Exec(context.Background(), `UPDATE projection_checkpoints SET position = 0 WHERE projection = $1`, saga.Name); err != nil {
		t.Fatal(err)
	}
	r.runSagaTo(t, saga, head)
	if diff := cmp.Diff(first, r.mustOutboxRows(t, saga.Name)); diff != "" {
		t.Fatalf("replay changed the outbox (-before +after):\n%s", diff)
	}
	r.waitDrained(t, 5*time.Second)
	stop()
	for name, s := range map[string]*RecordingSender{"whatsapp": wa, "email": mail} {
		for key, n := range s.Delivered() {
			if n != 1 {
				t.Errorf("%s key %s sent %d times", name, key, n)
			}
		}
	}
	if n := len(wa.Calls()) + len(mail.Calls()); n != sentBefore {
		t.Errorf("replay sent %d more messages", n-sentBefore)
	}
	for _, w := range first {
		if out := r.mustOutcomes(t, w.ID); len(out) != 1 {
			t.Errorf("row %d: %d outcome events", w.ID, len(out))
		}
	}
}

// Apply on its own, in a transaction the test opens: the saga's rules on
// stale events, repeated recipients and malformed messages.
func TestSagaApply(t *testing.T) {
	r := newRig(t)
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	reg := r.store.Registry()
	envelope := func(id string, age time.Duration, p events.Payload) events.Envelope {
		t.Helper()
		data := fmt.Sprintf(`{"user_id":"1","whatsapp":%q,"wa_notification_opt_in":true}`, p.(events.PersonRegistered).WhatsApp)
		return events.Envelope{ID: id, Type: p.EventType(), Version: 1, Stream: "DIRECTORY", RecordedAt: now.Add(-age), Data: []byte(data)}
	}
	imported := func(e events.Envelope) events.Envelope {
		e.Meta.Actor = ImportActor
		return e
	}
	twice := func(events.Envelope, events.Payload) []Message {
		m := Message{Channel: ChannelWhatsApp, Recipient: "628111", Content: Content{Text: "x"}}
		return []Message{m, m}
	}
	cases := []struct {
		name    string
		saga    Saga
		batch   []events.Envelope
		want    int
		wantErr string
		// wantEvents, when set, are the events the rows are for.
		wantEvents []string
	}{
		{"stale events are skipped", Saga{Name: "fresh", MaxAge: time.Hour, Decide: welcomeSaga().Decide},
			[]events.Envelope{envelope("e1", 2*time.Hour, events.PersonRegistered{WhatsApp: "628111"}),
				envelope("e2", time.Minute, events.PersonRegistered{WhatsApp: "628222"})}, 1, "", []string{"e2"}},
		{"imported history sends nothing", Saga{Name: "imported", Decide: welcomeSaga().Decide},
			[]events.Envelope{imported(envelope("e1", 0, events.PersonRegistered{WhatsApp: "628111"})),
				envelope("e2", 0, events.PersonRegistered{WhatsApp: "628222"})}, 1, "", []string{"e2"}},
		{"one row per event and recipient", Saga{Name: "twice", Decide: twice},
			[]events.Envelope{envelope("e1", 0, events.PersonRegistered{WhatsApp: "628111"})}, 1, "", []string{"e1"}},
		{"unknown channel stops the saga", Saga{Name: "bad", Decide: func(events.Envelope, events.Payload) []Message {
			return []Message{{Channel: "sms", Recipient: "628111"}}
		}}, []events.Envelope{envelope("e1", 0, events.PersonRegistered{WhatsApp: "628111"})}, 0, "unknown channel", nil},
		{"empty recipient stops the saga", Saga{Name: "bad2", Decide: func(events.Envelope, events.Payload) []Message {
			return []Message{{Channel: ChannelEmail}}
		}}, []events.Envelope{envelope("e1", 0, events.PersonRegistered{WhatsApp: "628111"})}, 0, "without recipient", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			p := tc.saga.Projection(reg, func() time.Time { return now })
			if p.Name() != tc.saga.Name || len(p.Tables()) != 0 {
				t.Fatalf("projection %q owns %v", p.Name(), p.Tables())
			}
			tx, err := r.pool.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback(ctx) //nolint:errcheck
			err = p.Apply(ctx, tx, nil, tc.batch)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if err := tx.Commit(ctx); err != nil {
				t.Fatal(err)
			}
			rows := r.mustOutboxRows(t, tc.saga.Name)
			if got := len(rows); got != tc.want {
				t.Errorf("%d rows, want %d", got, tc.want)
			}
			if tc.wantEvents != nil {
				var got []string
				for _, row := range rows {
					got = append(got, row.EventID)
				}
				if d := cmp.Diff(tc.wantEvents, got); d != "" {
					t.Errorf("rows for events (-want +got):\n%s", d)
				}
			}
		})
	}
}
