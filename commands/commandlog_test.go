package commands_test

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/testkit"
)

// newBatchingLog starts a batching log closed at the end of the test.
func newBatchingLog(t *testing.T, pool *pgxpool.Pool, opts commands.BatchOptions) *commands.BatchingCommandLog {
	t.Helper()
	opts.Logger = testkit.Logger(t)
	l := commands.NewBatchingCommandLog(pool, opts)
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Error(err)
		}
	})
	return l
}

// rowCount counts command_log rows with the given ids.
func rowCount(t *testing.T, pool *pgxpool.Pool, ids []string) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(ctxFor(t), `SELECT count(*) FROM command_log WHERE command_id = ANY($1)`, ids).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Both logs keep the first outcome of a command id, before and after the
// batching one has written it.
func TestCommandLogFirstOutcomeWins(t *testing.T) {
	t.Parallel()
	pool, _ := testkit.NewDatabase(t)
	// A long delay keeps the batching log's rows pending until Flush.
	batching := newBatchingLog(t, pool, commands.BatchOptions{MaxDelay: time.Hour})
	for _, tc := range []struct {
		name  string
		log   commands.CommandLog
		flush func(context.Context) error
	}{
		{"pg", commands.NewPGCommandLog(pool), nil},
		{"batching", batching, batching.Flush},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := ctxFor(t)
			id := newID()
			if _, ok, err := tc.log.Get(ctx, id); err != nil || ok {
				t.Fatalf("unknown id: ok=%v err=%v", ok, err)
			}
			first := commands.Outcome{CommandID: id, Appended: []events.Appended{{Subject: "directory.person.1", Stream: "DIRECTORY",
				Sequence: 4, EventIDs: []string{"e1"}, Types: []string{"PersonRoleGranted"}}}}
			second := commands.Outcome{CommandID: id, Appended: []events.Appended{}, Rejected: &commands.Rejection{Code: apperr.Invalid, Message: "x"}}
			check := func(when string) {
				t.Helper()
				got, ok, err := tc.log.Get(ctx, id)
				if err != nil || !ok || !reflect.DeepEqual(got, first) {
					t.Fatalf("%s: get = %+v, %v, %v; want the first outcome %+v", when, got, ok, err, first)
				}
			}
			for _, o := range []commands.Outcome{first, second} {
				if err := tc.log.Put(ctx, id, "test.Grant", o); err != nil {
					t.Fatal(err)
				}
			}
			check("put")
			if tc.flush == nil {
				return
			}
			if n := rowCount(t, pool, []string{id}); n != 0 {
				t.Fatalf("%d rows before the flush, want the row still pending", n)
			}
			if err := tc.flush(ctx); err != nil {
				t.Fatal(err)
			}
			if n := rowCount(t, pool, []string{id}); n != 1 {
				t.Fatalf("%d rows after the flush, want 1", n)
			}
			check("flushed")
			if err := tc.log.Put(ctx, id, "test.Grant", second); err != nil {
				t.Fatal(err)
			}
			if err := tc.flush(ctx); err != nil {
				t.Fatal(err)
			}
			check("put again after the flush")
			fresh := commands.NewPGCommandLog(pool)
			if got, ok, err := fresh.Get(ctx, id); err != nil || !ok || !reflect.DeepEqual(got, first) {
				t.Fatalf("stored row = %+v, %v, %v; want %+v", got, ok, err, first)
			}
		})
	}
}

// A repeated command id gets the first outcome and appends nothing, while
// its row is pending, after it is written, and from another process whose
// log has not seen it (JetStream's duplicate detection answers then).
func TestBatchingCommandLogRepeatedCommand(t *testing.T) {
	t.Parallel()
	n := testkit.StartNATS(t)
	pool, _ := testkit.NewDatabase(t)
	ctx := ctxFor(t)
	clog := newBatchingLog(t, pool, commands.BatchOptions{MaxDelay: time.Hour})
	rt := commands.NewRuntime(n.Store, clog, testkit.Logger(t))
	e := &env{nats: n, pool: pool, rt: rt}

	id, refusedID := newID(), newID()
	first, err := rt.Handle(ctx, "test.Grant", commands.Meta{CommandID: id}, grant("b1", "operator"))
	if err != nil || len(first.Appended) != 1 || first.Appended[0].Duplicate {
		t.Fatalf("first = %+v, %v", first, err)
	}
	refuse := func(context.Context, *commands.Loader) ([]events.Commit, error) {
		return nil, &apperr.Error{Code: apperr.Invalid, Message: "Peran tidak dikenal"}
	}
	refused, err := rt.Handle(ctx, "test.Grant", commands.Meta{CommandID: refusedID}, refuse)
	if apperr.CodeOf(err) != apperr.Invalid || refused.Rejected == nil {
		t.Fatalf("refusal = %+v, %v", refused, err)
	}
	head := e.head(t)

	// Another process: its own log, the rows not yet in Postgres.
	other := commands.NewRuntime(n.Store, commands.NewPGCommandLog(pool), testkit.Logger(t))
	again, err := other.Handle(ctx, "test.Grant", commands.Meta{CommandID: id}, grant("b1", "operator"))
	if err != nil || len(again.Appended) != 1 || !again.Appended[0].Duplicate ||
		again.Appended[0].Sequence != first.Appended[0].Sequence ||
		!reflect.DeepEqual(again.Appended[0].EventIDs, first.Appended[0].EventIDs) {
		t.Fatalf("other process before the flush = %+v, %v; want the first append marked duplicate %+v", again, err, first)
	}

	for _, when := range []string{"pending", "flushed"} {
		want := first
		if when == "flushed" {
			if err := clog.Flush(ctx); err != nil {
				t.Fatal(err)
			}
			if c := rowCount(t, pool, []string{id, refusedID}); c != 2 {
				t.Fatalf("%d rows after the flush, want 2", c)
			}
			// The other process wrote its row first, so the stored
			// outcome is its duplicate-marked copy of the same append.
			stored, ok, err := commands.NewPGCommandLog(pool).Get(ctx, id)
			if err != nil || !ok || !reflect.DeepEqual(stored, again) {
				t.Fatalf("stored = %+v, %v, %v; want %+v", stored, ok, err, again)
			}
			want = stored
		}
		for _, r := range []*commands.Runtime{rt, other} {
			if r == other && when == "pending" {
				continue
			}
			again, err := r.Handle(ctx, "test.Grant", commands.Meta{CommandID: id}, grant("b1", "something-else"))
			if err != nil || !reflect.DeepEqual(again, want) {
				t.Fatalf("%s: repeated command = %+v, %v; want %+v", when, again, err, want)
			}
			againRefused, err := r.Handle(ctx, "test.Grant", commands.Meta{CommandID: refusedID}, grant("b1", "now-fine"))
			if !reflect.DeepEqual(againRefused, refused) || apperr.CodeOf(err) != apperr.Invalid {
				t.Fatalf("%s: repeated refusal = %+v, %v; want %+v", when, againRefused, err, refused)
			}
		}
	}
	if h := e.head(t); h != head {
		t.Fatalf("repeated commands appended (head %d → %d)", head, h)
	}
	if c := len(e.history(t, "b1")); c != 1 {
		t.Fatalf("history holds %d events, want 1", c)
	}
}

// Close writes what is queued; later Puts are written at once.
func TestBatchingCommandLogCloseFlushes(t *testing.T) {
	t.Parallel()
	pool, _ := testkit.NewDatabase(t)
	ctx := ctxFor(t)
	clog := commands.NewBatchingCommandLog(pool, commands.BatchOptions{MaxDelay: time.Hour, Logger: testkit.Logger(t)})
	ids := make([]string, 25)
	for i := range ids {
		ids[i] = newID()
		if err := clog.Put(ctx, ids[i], "test.Grant", commands.Outcome{CommandID: ids[i], Appended: []events.Appended{}}); err != nil {
			t.Fatal(err)
		}
	}
	if c := rowCount(t, pool, ids); c != 0 {
		t.Fatalf("%d rows before Close, want none yet", c)
	}
	if err := clog.Close(); err != nil {
		t.Fatal(err)
	}
	if c := rowCount(t, pool, ids); c != len(ids) {
		t.Fatalf("%d rows after Close, want %d", c, len(ids))
	}
	if err := clog.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	late := newID()
	if err := clog.Put(ctx, late, "test.Grant", commands.Outcome{CommandID: late, Appended: []events.Appended{}}); err != nil {
		t.Fatal(err)
	}
	if c := rowCount(t, pool, []string{late}); c != 1 {
		t.Fatalf("put after Close wrote %d rows, want 1", c)
	}
}

// Concurrent Puts, several per id and more than one batch, are all written
// in the background; Get finds each id right after its Put, and once all
// is written the log answers what Postgres holds.
func TestBatchingCommandLogConcurrentPuts(t *testing.T) {
	t.Parallel()
	pool, _ := testkit.NewDatabase(t)
	ctx := ctxFor(t)
	clog := newBatchingLog(t, pool, commands.BatchOptions{MaxRows: 7, MaxPending: 40})
	const workers, perWorker = 8, 30
	ids := make([]string, perWorker)
	for i := range ids {
		ids[i] = newID()
	}
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, id := range ids {
				o := commands.Outcome{CommandID: id, Appended: []events.Appended{},
					Rejected: &commands.Rejection{Code: apperr.Invalid, Message: fmt.Sprintf("worker %d", w)}}
				if err := clog.Put(ctx, id, "test.Grant", o); err != nil {
					errs <- err
					return
				}
				if got, ok, err := clog.Get(ctx, id); err != nil || !ok || got.CommandID != id || got.Rejected == nil {
					errs <- fmt.Errorf("get %s right after put: %+v, %v, %v", id, got, ok, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	testkit.Eventually(t, 10*time.Second, func() error {
		if c := rowCount(t, pool, ids); c != len(ids) {
			return fmt.Errorf("%d of %d rows written", c, len(ids))
		}
		return nil
	})
	if err := clog.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	stored := commands.NewPGCommandLog(pool)
	for _, id := range ids {
		want, ok, err := stored.Get(ctx, id)
		if err != nil || !ok {
			t.Fatalf("stored %s: %v, %v", id, ok, err)
		}
		if got, _, err := clog.Get(ctx, id); err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("log answers %+v, %v for %s; stored %+v", got, err, id, want)
		}
	}
}
