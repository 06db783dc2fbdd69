package events_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/events/storetest"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/testkit"
)

// jetStreamBackend runs the conformance suite on a fresh embedded JetStream
// (fsync before every acknowledgement, as in production).
func jetStreamBackend(t *testing.T) storetest.Backend {
	n := testkit.StartNATS(t)
	return func(reg *events.Registry) storetest.Store {
		s, err := events.NewStore(n.Conn, reg, testkit.Logger(t))
		if err != nil {
			t.Fatalf("store: %v", err)
		}
		return s
	}
}

func TestJetStreamStore(t *testing.T) {
	storetest.Run(t, jetStreamBackend)
}

func TestStreamConfig(t *testing.T) {
	n := testkit.StartNATS(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	js := n.Store.JetStream()
	for _, name := range events.Contexts {
		st, err := js.Stream(ctx, name)
		if err != nil {
			t.Fatalf("stream %s: %v", name, err)
		}
		info, err := st.Info(ctx)
		if err != nil {
			t.Fatal(err)
		}
		c := info.Config
		got := fmt.Sprint(c.Subjects, c.Storage, c.Retention, c.MaxAge, c.MaxMsgs, c.MaxBytes, c.MaxMsgsPerSubject,
			c.Discard, c.DenyDelete, c.DenyPurge, c.AllowRollup, c.AllowDirect, c.AllowAtomicPublish, c.Replicas, c.Duplicates)
		want := fmt.Sprint([]string{strings.ToLower(name) + ".>"}, jetstream.FileStorage, jetstream.LimitsPolicy, time.Duration(0),
			int64(-1), int64(-1), int64(-1), jetstream.DiscardOld, true, true, false, true, true, 1, 2*time.Minute)
		if got != want {
			t.Fatalf("stream %s config\n got %s\nwant %s", name, got, want)
		}
	}
	// The server enforces what the config says.
	a, err := n.Store.Append(ctx, events.Meta{}, events.Commit{Subject: events.PersonSubject("1"), AggregateID: "1",
		Events: []events.Payload{events.PersonRegistered{NRP: "1"}}})
	if err != nil {
		t.Fatal(err)
	}
	st, err := js.Stream(ctx, "DIRECTORY")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteMsg(ctx, a.Sequence); err == nil {
		t.Fatal("deleting an event succeeded")
	}
	if err := st.Purge(ctx); err == nil {
		t.Fatal("purging a stream succeeded")
	}
	roll := nats.NewMsg(events.PersonSubject("1"))
	roll.Header.Set(jetstream.MsgRollup, jetstream.MsgRollupSubject)
	if _, err := js.PublishMsg(ctx, roll); err == nil {
		t.Fatal("a roll-up was accepted")
	}
	envs, v, err := n.Store.Load(ctx, events.PersonSubject("1"))
	if err != nil || len(envs) != 1 || v != a.Sequence {
		t.Fatalf("after refused delete/purge/rollup: %d events at %d, %v", len(envs), v, err)
	}
}

// A command retried after JetStream's duplicate window has forgotten its
// message id still stores nothing twice: the expected version refuses the
// copy and the store recognises its own first copy.
func TestDuplicateAfterWindow(t *testing.T) {
	n := testkit.StartNATS(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	js := n.Store.JetStream()
	const window = 100 * time.Millisecond
	if err := events.Provision(ctx, js, events.StreamOptions{DuplicateWindow: window}); err != nil {
		t.Fatal(err)
	}
	subj := events.PersonSubject("77")
	meta := events.Meta{CommandID: "0190a6f0-0000-7000-8000-000000000077"}
	c := events.Commit{Subject: subj, AggregateID: "77", Events: []events.Payload{events.PersonRegistered{NRP: "77"}}}
	first, err := n.Store.Append(ctx, meta, c)
	if err != nil {
		t.Fatal(err)
	}
	// A probe message shows when the server has forgotten ids of this age.
	probe := func() (*jetstream.PubAck, error) {
		m := nats.NewMsg("directory.probe.window")
		m.Header.Set(jetstream.MsgIDHeader, "probe-"+meta.CommandID)
		return js.PublishMsg(ctx, m)
	}
	if _, err := probe(); err != nil {
		t.Fatal(err)
	}
	testkit.Eventually(t, 10*time.Second, func() error {
		ack, err := probe()
		if err != nil {
			return err
		}
		if ack.Duplicate {
			return errors.New("duplicate window still open")
		}
		return nil
	})
	again, err := n.Store.Append(ctx, meta, c)
	if err != nil {
		t.Fatalf("retry after the window: %v", err)
	}
	if !again.Duplicate || again.Sequence != first.Sequence || again.EventIDs[0] != first.EventIDs[0] {
		t.Fatalf("retry after the window = %+v, want duplicate of %+v", again, first)
	}
	envs, _, err := n.Store.Load(ctx, subj)
	if err != nil || len(envs) != 1 {
		t.Fatalf("history: %d events, %v; want 1", len(envs), err)
	}
}

// Loads share one reply subscription; a cancelled load must not disturb
// the next one, and loads of long histories page through several batches.
func TestLoadLongHistoryAndCancel(t *testing.T) {
	n := testkit.StartNATS(t, testkit.FastSync())
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	subj := events.PersonSubject("long")
	const total = 1300 // more than two direct-get batches
	var v uint64
	for i := 0; i < total; i++ {
		a, err := n.Store.Append(ctx, events.Meta{}, events.Commit{Subject: subj, AggregateID: "long", Expected: v,
			Events: []events.Payload{events.PersonRoleGranted{NRP: "long", Role: fmt.Sprint(i)}}})
		if err != nil {
			t.Fatal(err)
		}
		v = a.Sequence
	}
	cctx, ccancel := context.WithCancel(ctx)
	ccancel()
	if _, _, err := n.Store.Load(cctx, subj); !errors.Is(err, context.Canceled) {
		t.Fatalf("load with a cancelled context: %v", err)
	}
	envs, got, err := n.Store.Load(ctx, subj)
	if err != nil || len(envs) != total || got != v {
		t.Fatalf("load: %d events at %d, %v; want %d at %d", len(envs), got, err, total, v)
	}
	for i, e := range envs {
		if e.Position != uint64(i+1) {
			t.Fatalf("event %d at position %d", i, e.Position)
		}
	}
	envs, got, err = n.Store.LoadUpTo(ctx, subj, 700)
	if err != nil || len(envs) != 700 || got != 700 {
		t.Fatalf("load up to 700: %d events at %d, %v", len(envs), got, err)
	}
	envs, got, err = n.Store.LoadFrom(ctx, subj, 1201)
	if err != nil || len(envs) != 100 || got != v || envs[0].Position != 1201 {
		t.Fatalf("load from 1201: %d events at %d, %v", len(envs), got, err)
	}
}

// Load reads only what follows a history it has seen; what other writers
// appended meanwhile still shows, and callers cannot disturb what is kept.
func TestLoadCache(t *testing.T) {
	for _, size := range []int{0, 8, 20000} {
		t.Run(fmt.Sprint("cache=", size), func(t *testing.T) {
			n := testkit.StartNATS(t)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			reader, err := events.NewStore(n.Conn, events.NewRegistry(), testkit.Logger(t), events.WithLoadCache(size))
			if err != nil {
				t.Fatal(err)
			}
			writer := n.Store
			versions := map[string]uint64{}
			counts := map[string]int{}
			add := func(nrp string, k int) {
				t.Helper()
				subj := events.PersonSubject(nrp)
				evs := make([]events.Payload, k)
				for i := range evs {
					evs[i] = events.PersonRoleGranted{NRP: nrp, Role: fmt.Sprint(counts[subj] + i)}
				}
				a, err := writer.Append(ctx, events.Meta{}, events.Commit{Subject: subj, AggregateID: nrp, Expected: versions[subj], Events: evs})
				if err != nil {
					t.Fatal(err)
				}
				versions[subj] = a.Sequence
				counts[subj] += k
			}
			check := func(nrp string) []events.Envelope {
				t.Helper()
				subj := events.PersonSubject(nrp)
				envs, v, err := reader.Load(ctx, subj)
				if err != nil {
					t.Fatal(err)
				}
				if len(envs) != counts[subj] || v != versions[subj] {
					t.Fatalf("%s: %d events at %d, want %d at %d", nrp, len(envs), v, counts[subj], versions[subj])
				}
				for i, e := range envs {
					if e.Subject != subj || e.Meta.CommandID == "" || (i > 0 && e.Position < envs[i-1].Position) {
						t.Fatalf("%s: event %d = %+v", nrp, i, e)
					}
				}
				return envs
			}
			for round := 0; round < 3; round++ {
				for i := 0; i < 6; i++ {
					add(fmt.Sprint(i), 1+i%3)
					check(fmt.Sprint(i))
				}
			}
			// Nothing new: the same history again.
			for i := 0; i < 6; i++ {
				check(fmt.Sprint(i))
			}
			// A caller that edits or extends its copy does not change the next load.
			envs := check("1")
			envs[0].ID = "edited"
			_ = append(envs, events.Envelope{ID: "extra"})
			if again := check("1"); again[0].ID == "edited" {
				t.Fatal("a caller's edit leaked into the kept history")
			}
		})
	}
}

// BenchmarkLoadInterleaved loads one aggregate whose events are spread over
// a stream shared with 1 000 others, with and without the load cache.
func BenchmarkLoadInterleaved(b *testing.B) {
	n := testkit.StartNATS(b, testkit.FastSync())
	ctx := context.Background()
	last := map[string]uint64{}
	for i := 0; i < 20000; i++ {
		subj := events.PersonSubject(fmt.Sprint(i % 1000))
		a, err := n.Store.Append(ctx, events.Meta{}, events.Commit{Subject: subj, Expected: last[subj],
			Events: []events.Payload{events.PersonRoleGranted{NRP: "x", Role: "r"}}})
		if err != nil {
			b.Fatal(err)
		}
		last[subj] = a.Sequence
	}
	for _, size := range []int{0, 20000} {
		b.Run(fmt.Sprint("cache=", size), func(b *testing.B) {
			s, err := events.NewStore(n.Conn, events.NewRegistry(), testkit.Logger(b), events.WithLoadCache(size))
			if err != nil {
				b.Fatal(err)
			}
			subj := events.PersonSubject("7")
			for b.Loop() {
				envs, _, err := s.Load(ctx, subj)
				if err != nil || len(envs) != 20 {
					b.Fatalf("%d events, %v", len(envs), err)
				}
			}
		})
	}
}

func TestAppendRefusesNUL(t *testing.T) {
	n := testkit.StartNATS(t)
	subj := events.PersonSubject("75020009")
	_, err := n.Store.Append(context.Background(), events.Meta{}, events.Commit{Subject: subj, AggregateID: "75020009",
		Events: []events.Payload{events.PersonRegistered{NRP: "75020009", Nama: "BU\x00DI"}}})
	if !errors.Is(err, events.ErrNULInPayload) || apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("NUL in payload: got %v, want ErrNULInPayload (invalid)", err)
	}
	if envs, v, err := n.Store.Load(context.Background(), subj); err != nil || len(envs) != 0 || v != 0 {
		t.Fatalf("something was stored: %d events, version %d, %v", len(envs), v, err)
	}
}
