package projections

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cicero/cicero/internal/testkit"
)

func indexNames(tb testing.TB, pool *pgxpool.Pool, tables ...string) []string {
	tb.Helper()
	rows, err := pool.Query(context.Background(), `SELECT tablename || '.' || indexname FROM pg_indexes
		WHERE schemaname = current_schema() AND tablename = ANY($1) ORDER BY 1`, tables)
	if err != nil {
		tb.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// TestRebuildWhileLive rebuilds the directory and a counting projection
// while their live runners keep applying newly appended events: afterwards
// the counts are exact (nothing lost or applied twice across the swap), the
// directory equals yet another fresh rebuild, and the indexes carry their
// migration names again.
func TestRebuildWhileLive(t *testing.T) {
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	createCounterTable(t, pool)
	a := newAppender(n.Store)
	w := newWorkload(a, 7)
	w.run(t, 1500)
	tables := []string{"clients", "personnel", "test_counts"}
	indexesBefore := indexNames(t, pool, tables...)

	dir, cnt := NewDirectory(n.Store.Registry()), counter{"counter"}
	opts := quietOpts(t)
	opts.BatchSize = 100
	m, err := NewManager(pool, n.Store, opts, dir, cnt)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = m.Run(ctx) }()
	defer func() { cancel(); <-done }()
	waitCheckpoint(t, pool, DirectoryName, a.head())

	var mu sync.Mutex
	var reports [][2]uint64
	progress := func(d, total uint64) {
		mu.Lock()
		reports = append(reports, [2]uint64{d, total})
		mu.Unlock()
	}
	headAtStart := a.head()
	errs := make(chan error, 2)
	var wg sync.WaitGroup
	wg.Go(func() { errs <- Rebuild(ctx, pool, n.Store, dir, progress) })
	wg.Go(func() { errs <- Rebuild(ctx, pool, n.Store, cnt, nil) })
	rebuilt := make(chan struct{})
	go func() { wg.Wait(); close(rebuilt) }()
	during := 0
	for running := true; running || during < 300; during++ {
		w.step(t)
		select {
		case <-rebuilt:
			running = false
		default:
		}
	}
	t.Logf("appended %d commands while rebuilding", during)
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("rebuild: %v", err)
		}
	}
	w.run(t, 50)
	waitCheckpoint(t, pool, DirectoryName, a.head())
	waitCheckpoint(t, pool, "counter", a.head())
	if got := countedEvents(t, pool); got != a.count() {
		t.Fatalf("counted %d events after the rebuild, want %d", got, a.count())
	}
	if len(reports) == 0 {
		t.Fatal("no progress reported")
	}
	last := reports[len(reports)-1]
	if last[0] < headAtStart || last[0] != last[1] {
		t.Errorf("last progress %d/%d, want done = total ≥ %d", last[0], last[1], headAtStart)
	}
	if d := cmp.Diff(indexesBefore, indexNames(t, pool, tables...)); d != "" {
		t.Errorf("index names after the swap (-before +after):\n%s", d)
	}
	var leftovers []string
	rows, err := pool.Query(context.Background(), `SELECT tablename FROM pg_tables WHERE schemaname = current_schema()
		AND (tablename LIKE '%\_\_rebuild' OR tablename LIKE '%\_\_old')`)
	if err != nil {
		t.Fatal(err)
	}
	if leftovers, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil || len(leftovers) > 0 {
		t.Errorf("tables left behind: %v %v", leftovers, err)
	}

	cancel()
	<-done
	live := dumpDirectory(t, pool)
	if err := Rebuild(context.Background(), pool, n.Store, dir, nil); err != nil {
		t.Fatal(err)
	}
	rebuildEquals(t, pool, live, dumpDirectory(t, pool))
	if !slices.Equal(indexesBefore, indexNames(t, pool, tables...)) {
		t.Error("index names changed by the second rebuild")
	}
}
