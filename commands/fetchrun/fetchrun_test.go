package fetchrun_test

import (
	"context"
	"testing"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/fetchrun"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/testkit"
)

// TestCompleteFetchRunRecordsOnce: a run is recorded once, whatever the
// command id of a retry (Loader.RecordOnce), and a malformed run is refused.
func TestCompleteFetchRunRecordsOnce(t *testing.T) {
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	h := fetchrun.NewHandlers(commands.NewRuntime(n.Store, commands.NewPGCommandLog(pool), testkit.Logger(t)))
	ctx := context.Background()
	at := time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)
	run := events.FetchRunCompleted{RunID: "run-1", ClientID: "polresa", Platform: events.PlatformInstagram,
		StartedAt: at, FinishedAt: at.Add(time.Minute), Succeeded: true}
	first, err := h.CompleteFetchRun(ctx, commands.Meta{CommandID: "c-1"}, fetchrun.CompleteFetchRun{Run: run})
	if err != nil || len(first.Appended) != 1 {
		t.Fatalf("first: %+v %v", first, err)
	}
	again, err := h.CompleteFetchRun(ctx, commands.Meta{CommandID: "c-2"}, fetchrun.CompleteFetchRun{Run: run})
	if err != nil || len(again.Appended) != 0 {
		t.Fatalf("a retry under another id appended: %+v %v", again, err)
	}
	envs, _, err := n.Store.Load(ctx, events.FetchRunSubject("run-1"))
	if err != nil || len(envs) != 1 {
		t.Fatalf("history %d events, %v", len(envs), err)
	}
	bad := run
	bad.RunID = "run-2"
	bad.FinishedAt = at.Add(-time.Minute)
	if _, err := h.CompleteFetchRun(ctx, commands.Meta{}, fetchrun.CompleteFetchRun{Run: bad}); apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("finish before start: %v, want Invalid", err)
	}
}
