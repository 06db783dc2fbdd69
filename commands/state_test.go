package commands_test

import (
	"context"
	"sync"
	"testing"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/testkit"
)

// roles is a folded person: the roles granted, in order.
type roles struct {
	granted []string
}

// grantFolded is grant deciding on a folded state: it appends the role and
// reports the state it decided on and how many events its fold applied.
func grantFolded(nrp, role string, seen *[]string, applied *int) commands.Decide {
	return func(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
		subj := events.PersonSubject(nrp)
		*applied = 0
		s, v, err := commands.Fold(ctx, l, subj, func() roles { return roles{} }, func(s *roles, env *events.Envelope) error {
			ev, err := l.Registry().Decode(env)
			if err != nil {
				return err
			}
			*applied++
			if g, ok := ev.(*events.PersonRoleGranted); ok {
				s.granted = append(s.granted, g.Role)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		*seen = append((*seen)[:0], s.granted...)
		return []events.Commit{{Subject: subj, AggregateID: nrp, Expected: v,
			Events: []events.Payload{events.PersonRoleGranted{NRP: nrp, Role: role}}}}, nil
	}
}

// TestFoldContinuesFromTheLastDecision: a decision on an aggregate decided
// on before applies only the events that followed, and sees the same state
// as a fold of the whole history, also when another process appended in
// between (its events are applied on top, after the conflict re-decides).
func TestFoldContinuesFromTheLastDecision(t *testing.T) {
	e := newEnv(t)
	ctx := ctxFor(t)
	other := commands.NewRuntime(testkit.MustStore(t, e.nats.Conn), commands.NewPGCommandLog(e.pool), testkit.Logger(t))
	var seen []string
	applied := 0
	run := func(rt *commands.Runtime, role string, wantSeen []string, wantApplied int) {
		t.Helper()
		if _, err := rt.Handle(ctx, "test.Grant", commands.Meta{}, grantFolded("7001", role, &seen, &applied)); err != nil {
			t.Fatal(err)
		}
		if len(seen) != len(wantSeen) || applied != wantApplied {
			t.Fatalf("grant %s decided on %v applying %d events, want %v applying %d", role, seen, applied, wantSeen, wantApplied)
		}
		for i := range seen {
			if seen[i] != wantSeen[i] {
				t.Fatalf("grant %s decided on %v, want %v", role, seen, wantSeen)
			}
		}
	}
	run(e.rt, "a", nil, 0)
	run(e.rt, "b", []string{"a"}, 1)
	run(e.rt, "c", []string{"a", "b"}, 1)
	// Another process appends twice; this one's next decision reads its
	// own cache first (a conflict), then the server, and applies the two.
	run(other, "x", []string{"a", "b", "c"}, 3)
	run(other, "y", []string{"a", "b", "c", "x"}, 1)
	run(e.rt, "d", []string{"a", "b", "c", "x", "y"}, 2)
}

// TestFoldConcurrentDecisions: decisions on one aggregate at once never
// share a state; each decides on the history it read.
func TestFoldConcurrentDecisions(t *testing.T) {
	e := newEnv(t)
	ctx := ctxFor(t)
	const n = 20
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			var seen []string
			applied := 0
			if _, err := e.rt.Handle(ctx, "test.Grant", commands.Meta{}, grantFolded("7002", string(rune('a'+i)), &seen, &applied)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	var seen []string
	applied := 0
	if _, err := e.rt.Handle(ctx, "test.Grant", commands.Meta{}, grantFolded("7002", "z", &seen, &applied)); err != nil {
		t.Fatal(err)
	}
	if len(seen) != n {
		t.Fatalf("last decision saw %d roles, want %d: %v", len(seen), n, seen)
	}
	if got := len(e.history(t, "7002")); got != n+1 {
		t.Fatalf("history holds %d events, want %d", got, n+1)
	}
}
