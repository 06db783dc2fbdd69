package projections_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/projections"
	"github.com/cicero/cicero/projections/directory"
	pt "github.com/cicero/cicero/projections/projectiontest"
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

func storageOptions(tb testing.TB, pool *pgxpool.Pool, table string) []string {
	tb.Helper()
	var opts []string
	if err := pool.QueryRow(context.Background(), `SELECT coalesce(reloptions, '{}') FROM pg_class WHERE oid = $1::regclass`, table).Scan(&opts); err != nil {
		tb.Fatal(err)
	}
	return opts
}

// TestRebuildWhileLive rebuilds the directory and a counting projection
// while their live runners keep applying newly appended events: afterwards
// the counts are exact (nothing lost or applied twice across the swap), the
// directory equals yet another fresh rebuild, and the indexes carry their
// migration names again.
func TestRebuildWhileLive(t *testing.T) {
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	pt.CreateCounterTable(t, pool)
	a := pt.NewAppender(n.Store)
	w := pt.NewWorkload(a, 7)
	w.Run(t, 1500)
	tables := []string{"clients", "personnel", "test_counts"}
	indexesBefore := indexNames(t, pool, tables...)
	optionsBefore := storageOptions(t, pool, "personnel")
	if len(optionsBefore) == 0 {
		t.Fatal("personnel has no storage options to carry over")
	}

	dir, cnt := directory.New(n.Store.Registry()), pt.Counter{ID: "counter"}
	opts := pt.QuietOpts(t)
	opts.BatchSize = 100
	m, err := projections.NewManager(pool, n.Store, opts, dir, cnt)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = m.Run(ctx) }()
	defer func() { cancel(); <-done }()
	pt.WaitCheckpoint(t, pool, directory.Name, a.Head())

	var mu sync.Mutex
	var reports [][2]uint64
	progress := func(d, total uint64) {
		mu.Lock()
		reports = append(reports, [2]uint64{d, total})
		mu.Unlock()
	}
	headAtStart := a.Head()
	errs := make(chan error, 2)
	var wg sync.WaitGroup
	wg.Go(func() { errs <- projections.Rebuild(ctx, pool, n.Store, dir, progress) })
	wg.Go(func() { errs <- projections.Rebuild(ctx, pool, n.Store, cnt, nil) })
	rebuilt := make(chan struct{})
	go func() { wg.Wait(); close(rebuilt) }()
	during := 0
	for running := true; running || during < 300; during++ {
		w.Run(t, 1)
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
	w.Run(t, 50)
	pt.WaitCheckpoint(t, pool, directory.Name, a.Head())
	pt.WaitCheckpoint(t, pool, "counter", a.Head())
	if got := pt.CountedEvents(t, pool); got != a.Count() {
		t.Fatalf("counted %d events after the rebuild, want %d", got, a.Count())
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
	if d := cmp.Diff(optionsBefore, storageOptions(t, pool, "personnel")); d != "" {
		t.Errorf("storage options after the swap (-before +after):\n%s", d)
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
	live := pt.DumpDirectory(t, pool)
	if err := projections.Rebuild(context.Background(), pool, n.Store, dir, nil); err != nil {
		t.Fatal(err)
	}
	rebuildEquals(t, pool, live, pt.DumpDirectory(t, pool))
	if !slices.Equal(indexesBefore, indexNames(t, pool, tables...)) {
		t.Error("index names changed by the second rebuild")
	}
}

// lowerNames stands for a fixed version of the directory code: its rows
// differ from what the running version wrote.
type lowerNames struct{ *directory.ReadModel }

func (l lowerNames) Apply(ctx context.Context, tx pgx.Tx, t projections.Tables, batch []events.Envelope) error {
	if err := l.ReadModel.Apply(ctx, tx, t, batch); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `UPDATE `+projections.Ident(t["personnel"])+` SET nama = lower(nama)`)
	return err
}

// TestRebuildSwapResetsRunner swaps in tables rebuilt by different code
// while the live runner is caught up, so the swap leaves the checkpoint at
// the very position the runner holds: the runner must still notice the
// swap and stop trusting what it remembers of the old tables.
func TestRebuildSwapResetsRunner(t *testing.T) {
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	a := pt.NewAppender(n.Store)
	for _, nrp := range []string{"1001", "1002"} {
		a.Person(t, a.At(1), nrp, events.PersonRegistered{NRP: nrp, Nama: "NAMA " + nrp, Roles: []string{"operator"}})
	}
	pt.StartRunner(t, projections.NewRunner(pool, n.Store, directory.New(n.Store.Registry()), pt.QuietOpts(t)))
	pt.WaitCheckpoint(t, pool, directory.Name, a.Head())
	if err := projections.Rebuild(context.Background(), pool, n.Store, lowerNames{directory.New(n.Store.Registry())}, nil); err != nil {
		t.Fatal(err)
	}
	if cp := pt.CheckpointOf(t, pool, directory.Name); cp != a.Head() {
		t.Fatalf("checkpoint %d after the swap, want %d", cp, a.Head())
	}
	a.Person(t, a.At(2), "1001", events.PersonRoleGranted{NRP: "1001", Role: "ditbinmas"})
	pt.WaitCheckpoint(t, pool, directory.Name, a.Head())
	got := pt.DumpDirectory(t, pool)["personnel"]
	want := []string{"1001", "nama 1001", "ditbinmas", "1002", "nama 1002"}
	var all string
	for _, r := range got {
		all += r
	}
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Fatalf("personnel after the swap lacks %q:\n%s", w, strings.Join(got, "\n"))
		}
	}
	if strings.Contains(all, "NAMA 1001") {
		t.Fatalf("the runner wrote back a row it remembered from before the swap:\n%s", strings.Join(got, "\n"))
	}
}
