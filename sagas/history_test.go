package sagas

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cicero/cicero/events"
)

// historySaga sends, for each person event, what the person's history held
// at that event: how many facts, of which types, and the number then.
func historySaga(store HistoryStore) Saga {
	return Saga{
		Name:       "history",
		Streams:    []string{"DIRECTORY"},
		EventTypes: events.Types(events.PersonRegistered{}, events.PersonUpdated{}),
		Store:      store,
		DecideAt: func(ctx context.Context, h History, env events.Envelope, p events.Payload) ([]Message, error) {
			facts, err := h.Own(ctx)
			if err != nil {
				return nil, err
			}
			var types []string
			wa := ""
			for _, f := range facts {
				types = append(types, f.Env.Type)
				switch e := f.Payload.(type) {
				case *events.PersonRegistered:
					wa = e.WhatsApp
				case *events.PersonUpdated:
					if e.Changes.WhatsApp != nil {
						wa = *e.Changes.WhatsApp
					}
				}
			}
			return []Message{{Channel: ChannelWhatsApp, Recipient: wa + "@s.whatsapp.net",
				Content: Content{Text: env.Type + ": " + strings.Join(types, ",")}}}, nil
		},
	}
}

func (r rig) mustTexts(t *testing.T, saga string) map[string]string {
	t.Helper()
	rows, err := r.pool.Query(context.Background(), `SELECT recipient, payload->>'text' FROM outbox WHERE saga=$1`, saga)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var rcpt, text string
		if err := rows.Scan(&rcpt, &text); err != nil {
			t.Fatal(err)
		}
		out[rcpt] = text
	}
	return out
}

// DecideAt sees the aggregate as it stood at the event — the whole message
// that carried it, nothing appended later — and a replay from checkpoint 0
// decides exactly the same rows.
func TestDecideAtReadsHistoryAsOfTheEvent(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	nrp := "75030001"
	subj := events.PersonSubject(nrp)
	if _, err := r.store.Append(ctx, events.Meta{Actor: "test"}, events.Commit{Subject: subj, AggregateID: nrp,
		Events: []events.Payload{events.PersonRegistered{NRP: nrp, WhatsApp: "6281100000001"},
			events.PersonRoleGranted{NRP: nrp, Role: "operator"}}}); err != nil {
		t.Fatal(err)
	}
	b := "6281100000002"
	a, err := r.store.Append(ctx, events.Meta{Actor: "test"}, events.Commit{Subject: subj, AggregateID: nrp, Expected: 1,
		Events: []events.Payload{events.PersonUpdated{NRP: nrp, Changes: events.PersonFields{WhatsApp: &b}}}})
	if err != nil {
		t.Fatal(err)
	}
	head := events.Position{Stream: a.Stream, Sequence: a.Sequence}
	s := historySaga(r.store)
	r.runSagaTo(t, s, head)
	want := map[string]string{
		"6281100000001@s.whatsapp.net": "PersonRegistered: PersonRegistered,PersonRoleGranted",
		"6281100000002@s.whatsapp.net": "PersonUpdated: PersonRegistered,PersonRoleGranted,PersonUpdated",
	}
	if d := cmp.Diff(want, r.mustTexts(t, s.Name)); d != "" {
		t.Fatalf("decisions (-want +got):\n%s", d)
	}
	// Later history does not change a replayed decision.
	c := "6281100000003"
	a3, err := r.store.Append(ctx, events.Meta{Actor: "test"}, events.Commit{Subject: subj, AggregateID: nrp, Expected: a.Sequence,
		Events: []events.Payload{events.PersonUpdated{NRP: nrp, Changes: events.PersonFields{WhatsApp: &c}}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.pool.Exec(ctx, `UPDATE projection_checkpoints SET position = 0 WHERE projection = $1`, s.Name); err != nil {
		t.Fatal(err)
	}
	r.runSagaTo(t, s, events.Position{Stream: a3.Stream, Sequence: a3.Sequence})
	want["6281100000003@s.whatsapp.net"] = "PersonUpdated: PersonRegistered,PersonRoleGranted,PersonUpdated,PersonUpdated"
	if d := cmp.Diff(want, r.mustTexts(t, s.Name)); d != "" {
		t.Fatalf("after replay (-want +got):\n%s", d)
	}
}

// A saga that cannot decide stops its batch (retried later, visible as
// lag) instead of dropping messages; one without a history store or without
// any decide function is a wiring error.
func TestDecideAtErrors(t *testing.T) {
	r := newRig(t)
	reg := r.store.Registry()
	env := events.Envelope{ID: "e1", Type: "PersonRegistered", Version: 1, Stream: "DIRECTORY", Subject: events.PersonSubject("1"),
		Position: 1, RecordedAt: time.Now(), Data: []byte(`{"user_id":"1","whatsapp":"628111"}`)}
	boom := errors.New("store down")
	failing := func(context.Context, History, events.Envelope, events.Payload) ([]Message, error) { return nil, boom }
	for _, tc := range []struct {
		name string
		saga Saga
		want string
	}{
		{"decide fails", Saga{Name: "h-fail", Store: r.store, DecideAt: failing}, "store down"},
		{"no store", Saga{Name: "h-nostore", DecideAt: failing}, "without a Store"},
		{"no decide", Saga{Name: "h-none"}, "without Decide"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			tx, err := r.pool.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback(ctx) //nolint:errcheck
			err = tc.saga.Projection(reg, time.Now).Apply(ctx, tx, nil, []events.Envelope{env})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want %q", err, tc.want)
			}
		})
	}
}

// Another stream's history is cut at the decided event's recorded time,
// the time the server gave each message. An event this process appended
// itself is in the store's cache with the time the append returned (later
// than the server's, by the ack's round trip, or by any clock skew between
// this host and the server), so reading it from the cache would leave out
// a change recorded just before the event — and a replay in a fresh
// process, reading the server's times, would put it back in: another
// decision, perhaps another recipient. The change recorded 1µs before the
// event must be in its history, the one 1µs after must not, with the
// server's times on every fact.
func TestHistoryOfAnotherStreamUsesTheServersTimes(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	nrp := "75030009"
	subj := events.PersonSubject(nrp)
	if _, err := r.store.Append(ctx, events.Meta{Actor: "test"}, events.Commit{Subject: subj, AggregateID: nrp,
		Events: []events.Payload{events.PersonRegistered{NRP: nrp, WhatsApp: "6281100000009"}}}); err != nil {
		t.Fatal(err)
	}
	// The server's record of it, read around the cache.
	stored, _, err := r.store.LoadFrom(ctx, subj, 1)
	if err != nil || len(stored) != 1 {
		t.Fatalf("stored %d events: %v", len(stored), err)
	}
	recorded := stored[0].RecordedAt
	// An event of another stream, as the Runner hands it over.
	at := func(d time.Duration) History {
		return History{store: r.store, reg: r.store.Registry(), at: events.Envelope{ID: "p1", Stream: "PREMIUM",
			Subject: events.PersonnelPremiumSubject(nrp), Position: 1, RecordedAt: recorded.Add(d)}}
	}
	facts, err := at(time.Microsecond).Load(ctx, subj)
	if err != nil {
		t.Fatal(err)
	}
	if len(facts) != 1 || !facts[0].Env.RecordedAt.Equal(recorded) {
		var got []time.Time
		for _, f := range facts {
			got = append(got, f.Env.RecordedAt)
		}
		t.Fatalf("history 1µs after the change: %v, want the change recorded at %v", got, recorded)
	}
	if facts, err := at(-time.Microsecond).Load(ctx, subj); err != nil || len(facts) != 0 {
		t.Fatalf("history 1µs before the change: %d facts (%v), want none", len(facts), err)
	}
}
