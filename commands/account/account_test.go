package account_test

import (
	"context"
	"testing"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/account"
	"github.com/cicero/cicero/commands/fetchrun"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/testkit"
)

func TestObserveProfileRecordsOnlyChanges(t *testing.T) {
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	rt := commands.NewRuntime(n.Store, commands.NewPGCommandLog(pool), testkit.Logger(t))
	h := account.NewHandlers(rt)
	ctx := context.Background()
	at := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	observe := func(followers int, bio string, m int) (commands.Outcome, error) {
		return h.ObserveProfile(ctx, commands.Meta{}, account.ObserveProfile{Platform: "instagram", Username: "@Polres_A",
			FullName: "POLRES A", Bio: bio, Followers: followers, Following: 10, Posts: 300, ObservedAt: at.Add(time.Duration(m) * time.Minute)})
	}
	for i, c := range []struct {
		followers int
		bio       string
		appends   int
	}{{1000, "resmi", 1}, {1000, "resmi", 0}, {1001, "resmi", 1}, {1001, "resmi!", 1}, {1001, "resmi!", 0}} {
		out, err := observe(c.followers, c.bio, i*30)
		if err != nil || len(out.Appended) != c.appends {
			t.Fatalf("observation %d: %+v %v, want %d appended", i, out, err, c.appends)
		}
	}
	envs, _, err := n.Store.Load(ctx, events.AccountSubject("instagram", "polres_a"))
	if err != nil || len(envs) != 3 {
		t.Fatalf("%d events on the account (%v), want 3", len(envs), err)
	}
	if _, err := h.ObserveProfile(ctx, commands.Meta{}, account.ObserveProfile{Platform: "instagram", Username: "@", ObservedAt: at}); apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("blank username: %v", err)
	}
}

func TestCompleteFetchRunOnce(t *testing.T) {
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	rt := commands.NewRuntime(n.Store, commands.NewPGCommandLog(pool), testkit.Logger(t))
	h := fetchrun.NewHandlers(rt)
	ctx := context.Background()
	start := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	run := events.FetchRunCompleted{RunID: "run-1", ClientID: "polres_a", Platform: "instagram", HostUsed: "social-api4.p.rapidapi.com",
		Posts: 3, Likes: 40, StartedAt: start, FinishedAt: start.Add(5 * time.Second), Succeeded: true}
	for i, want := range []int{1, 0} {
		out, err := h.CompleteFetchRun(ctx, commands.Meta{}, fetchrun.CompleteFetchRun{Run: run})
		if err != nil || len(out.Appended) != want {
			t.Fatalf("completion %d: %+v %v, want %d appended", i, out, err, want)
		}
	}
	bad := run
	bad.RunID, bad.FinishedAt = "run-2", start.Add(-time.Second)
	if _, err := h.CompleteFetchRun(ctx, commands.Meta{}, fetchrun.CompleteFetchRun{Run: bad}); apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("finished before it started: %v", err)
	}
}
