package events_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/testkit"
)

// frozenCopy makes a real JetStream copy of stream as it stands now and
// stops it there: a replica that stopped following its leader, made
// certain. The copy sourced stream from sequence 1, so its sequences are
// the original's. resume lets it follow again (it picks up where it
// stopped). The test routes chosen API requests to the copy with an
// account mapping.
func frozenCopy(t *testing.T, n *testkit.NATS, stream string) (name string, resume func()) {
	t.Helper()
	ctx := ctxFor(t)
	js := n.Store.JetStream()
	head, err := n.Store.StreamHead(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	name = "FROZEN_" + stream
	st, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: name, Storage: jetstream.FileStorage, AllowDirect: true,
		Sources: []*jetstream.StreamSource{{Name: stream}}})
	if err != nil {
		t.Fatal(err)
	}
	testkit.Eventually(t, 10*time.Second, func() error {
		info, err := st.Info(ctx)
		if err != nil {
			return err
		}
		if info.State.LastSeq != head {
			return fmt.Errorf("copy at %d of %d", info.State.LastSeq, head)
		}
		return nil
	})
	cfg := st.CachedInfo().Config
	sources := cfg.Sources
	cfg.Sources = nil
	if _, err := js.UpdateStream(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	return name, func() {
		cfg.Sources = sources
		if _, err := js.UpdateStream(context.WithoutCancel(ctx), cfg); err != nil {
			t.Errorf("resume %s: %v", name, err)
		}
	}
}

func ctxFor(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func roleGranted(nrp, role string) []events.Payload {
	return []events.Payload{events.PersonRoleGranted{NRP: nrp, Role: role}}
}

// ReadStream reads to where the stream ended (by its leader) when the read
// began, even from a consumer whose server is behind and reports nothing
// pending: it waits for the rest rather than stopping early.
func TestReadStreamBehindReplica(t *testing.T) {
	t.Parallel()
	for _, filter := range []string{"", "directory.person.>"} {
		t.Run(fmt.Sprintf("filter %q", filter), func(t *testing.T) {
			t.Parallel()
			n := testkit.StartNATS(t)
			ctx := ctxFor(t)
			var want []uint64
			add := func(subject string) {
				t.Helper()
				_, v, err := n.Store.Load(ctx, subject)
				if err != nil {
					t.Fatal(err)
				}
				a, err := n.Store.Append(ctx, events.Meta{}, events.Commit{Subject: subject, AggregateID: "x", Expected: v,
					Events: roleGranted("x", subject)})
				if err != nil {
					t.Fatal(err)
				}
				if filter == "" || subject != events.ClientSubject("C") {
					want = append(want, a.Sequence)
				}
			}
			for i := 0; i < 3; i++ {
				add(events.PersonSubject(fmt.Sprint(i)))
				add(events.ClientSubject("C"))
			}
			frozen, resume := frozenCopy(t, n, "DIRECTORY")
			frozenHead := want[len(want)-1]
			for i := 3; i < 6; i++ {
				add(events.PersonSubject(fmt.Sprint(i)))
			}
			add(events.ClientSubject("C"))
			consumersOn(t, n, "DIRECTORY", frozen)
			var got []uint64
			resumed := false
			err := n.Store.ReadStream(ctx, "DIRECTORY", 1, filter, func(e events.Envelope) error {
				got = append(got, e.Position)
				if e.Position == frozenHead && !resumed {
					// The consumer has delivered all its server holds and
					// says nothing is pending; let the copy catch up, as a
					// lagging replica does.
					resumed = true
					resume()
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if !resumed {
				t.Fatal("the read never reached the frozen copy's head: it did not read from the copy")
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Fatalf("positions read (-want +got):\n%s", d)
			}
		})
	}
}

// consumersOn makes every consumer of stream live on, and be fed from,
// the stream copy replica: as if the server placed it on a replica that is behind.
// Creation goes through a relay that names the copy in the request body
// (the server checks it against the subject); the other consumer API
// requests are mapped.
func consumersOn(t *testing.T, n *testkit.NATS, stream, replica string) {
	t.Helper()
	acc := n.Server.GlobalAccount()
	relay := "relay.create." + stream
	sub, err := n.Conn.Subscribe(relay+".>", func(m *nats.Msg) {
		var req map[string]any
		if err := json.Unmarshal(m.Data, &req); err != nil {
			t.Errorf("relay: %v", err)
			return
		}
		req["stream_name"] = replica
		body, err := json.Marshal(req)
		if err != nil {
			t.Errorf("relay: %v", err)
			return
		}
		resp, err := n.Conn.Request("$JS.API.CONSUMER.CREATE."+replica+strings.TrimPrefix(m.Subject, relay), body, 5*time.Second)
		if err != nil {
			t.Errorf("relay: %v", err)
			return
		}
		if err := m.Respond(resp.Data); err != nil {
			t.Errorf("relay: %v", err)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sub.Unsubscribe() })
	for src, dst := range map[string]string{
		"$JS.API.CONSUMER.CREATE." + stream + ".>":   relay + ".>",
		"$JS.API.CONSUMER.MSG.NEXT." + stream + ".*": "$JS.API.CONSUMER.MSG.NEXT." + replica + ".{{wildcard(1)}}",
		"$JS.API.CONSUMER.INFO." + stream + ".*":     "$JS.API.CONSUMER.INFO." + replica + ".{{wildcard(1)}}",
		"$JS.API.CONSUMER.DELETE." + stream + ".*":   "$JS.API.CONSUMER.DELETE." + replica + ".{{wildcard(1)}}",
	} {
		if err := acc.AddMapping(src, dst); err != nil {
			t.Fatalf("map %s: %v", src, err)
		}
	}
}

// With direct gets answered by a replica frozen behind the leader, the
// leader reads see every acknowledged append: LeaderVersion reports the
// leader's version, LoadAtLeast returns the whole history (reading past
// the replica from the leader) and AppendOf reports an append as it was
// answered, every commit of an atomic batch from any of its messages.
func TestLeaderReads(t *testing.T) {
	t.Parallel()
	n := testkit.StartNATS(t)
	ctx := ctxFor(t)
	p1, p2, p3, p4 := events.PersonSubject("1"), events.PersonSubject("2"), events.PersonSubject("3"), events.PersonSubject("4")
	single, err := n.Store.Append(ctx, events.Meta{}, events.Commit{Subject: p1, AggregateID: "1", Events: roleGranted("1", "a")})
	if err != nil {
		t.Fatal(err)
	}
	batch, err := n.Store.AppendAtomic(ctx, events.Meta{}, []events.Commit{
		{Subject: p2, AggregateID: "2", Events: roleGranted("2", "a")},
		{Subject: p3, AggregateID: "3", Events: append(roleGranted("3", "a"), roleGranted("3", "b")...)},
		{Subject: p4, AggregateID: "4", Events: roleGranted("4", "a")},
	})
	if err != nil {
		t.Fatal(err)
	}
	frozen, _ := frozenCopy(t, n, "DIRECTORY")
	if err := n.Server.GlobalAccount().AddMapping("$JS.API.DIRECT.GET.DIRECTORY", "$JS.API.DIRECT.GET."+frozen); err != nil {
		t.Fatal(err)
	}
	v := single.Sequence
	for _, role := range []string{"b", "c"} {
		a, err := n.Store.Append(ctx, events.Meta{}, events.Commit{Subject: p1, AggregateID: "1", Expected: v, Events: roleGranted("1", role)})
		if err != nil {
			t.Fatal(err)
		}
		v = a.Sequence
	}

	fresh := testkit.MustStore(t, n.Conn)
	if _, stale, err := fresh.Load(ctx, p1); err != nil || stale != single.Sequence {
		t.Fatalf("direct get: version %d, %v; want the frozen %d", stale, err, single.Sequence)
	}
	for subject, want := range map[string]uint64{p1: v, p3: batch[1].Sequence, events.PersonSubject("none"): 0} {
		if got, err := fresh.LeaderVersion(ctx, subject); err != nil || got != want {
			t.Fatalf("leader version of %s = %d, %v; want %d", subject, got, err, want)
		}
	}
	start := time.Now()
	envs, got, err := fresh.LoadAtLeast(ctx, p1, v)
	if err != nil || got != v || len(envs) != 3 || envs[2].Position != v || envs[0].Position != single.Sequence {
		t.Fatalf("load at least %d: %d events, version %d, %v", v, len(envs), got, err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("load at least took %s", d)
	}
	// What the leader added is cached: a later load does not go back to
	// the replica's older version.
	if envs, got, err := fresh.Load(ctx, p1); err != nil || got != v || len(envs) != 3 {
		t.Fatalf("load after load at least: %d events, version %d, %v", len(envs), got, err)
	}

	dup := func(as ...events.Appended) []events.Appended {
		out := make([]events.Appended, len(as))
		for i, a := range as {
			a.Duplicate = true
			out[i] = a
		}
		return out
	}
	for _, tc := range []struct {
		seq  uint64
		want []events.Appended
	}{
		{single.Sequence, dup(single)},
		{batch[0].Sequence, dup(batch...)},
		{batch[1].Sequence, dup(batch...)},
		{batch[2].Sequence, dup(batch...)},
	} {
		got, err := fresh.AppendOf(ctx, "DIRECTORY", tc.seq)
		if err != nil {
			t.Fatalf("append of %d: %v", tc.seq, err)
		}
		if d := cmp.Diff(tc.want, got); d != "" {
			t.Fatalf("append of %d (-want +got):\n%s", tc.seq, d)
		}
	}
}
