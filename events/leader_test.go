package events_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/events/storetest"
	"github.com/cicero/cicero/internal/testkit"
)

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
			replica := storetest.FreezeReplica(t, n, "DIRECTORY")
			frozenHead := want[len(want)-1]
			for i := 3; i < 6; i++ {
				add(events.PersonSubject(fmt.Sprint(i)))
			}
			add(events.ClientSubject("C"))
			replica.Consumers()
			var got []uint64
			resumed := false
			err := n.Store.ReadStream(ctx, "DIRECTORY", 1, filter, func(e events.Envelope) error {
				got = append(got, e.Position)
				if e.Position == frozenHead && !resumed {
					// The consumer has delivered all its server holds and
					// says nothing is pending; let the copy catch up, as a
					// lagging replica does.
					resumed = true
					replica.Resume()
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
	storetest.FreezeReplica(t, n, "DIRECTORY").DirectGets()
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
