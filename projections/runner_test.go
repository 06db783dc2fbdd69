package projections_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/natsembed"
	"github.com/cicero/cicero/internal/pgdb"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/projections"
	"github.com/cicero/cicero/projections/directory"
	pt "github.com/cicero/cicero/projections/projectiontest"
)

// TestRedeliveryDoesNotDoubleCount delivers the same messages twice, as a
// lost acknowledgement or a restarted consumer would: the checkpoint check
// in the batch transaction refuses the second copy.
func TestRedeliveryDoesNotDoubleCount(t *testing.T) {
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	pt.CreateCounterTable(t, pool)
	a := pt.NewAppender(n.Store)
	pt.NewWorkload(a, 1).Run(t, 60)
	ctx := context.Background()
	r := projections.NewRunner(pool, n.Store, pt.Counter{ID: "counter"}, pt.QuietOpts(t))
	streams := []string{pt.DirectoryStream}
	if err := projections.EnsureCheckpoints(ctx, pool, "counter", streams); err != nil {
		t.Fatal(err)
	}
	in := make(chan projections.Message, 1000)
	if err := projections.Feed(ctx, n.Store, pt.DirectoryStream, 1, a.Head(), 100, in); err != nil {
		t.Fatal(err)
	}
	close(in)
	var batch []projections.Message
	for m := range in {
		batch = append(batch, m)
	}
	stamp, err := projections.StoredStamp(ctx, pool, "counter", pt.DirectoryStream)
	if err != nil {
		t.Fatal(err)
	}
	r.Believe(map[string]uint64{pt.DirectoryStream: 0}, map[string]time.Time{pt.DirectoryStream: stamp})
	if err := r.Commit(ctx, streams, batch); err != nil {
		t.Fatal(err)
	}
	if got := pt.CountedEvents(t, pool); got != a.Count() {
		t.Fatalf("after first delivery counted %d, want %d", got, a.Count())
	}
	// A runner that did not see its commit land.
	r.Believe(map[string]uint64{pt.DirectoryStream: 0}, map[string]time.Time{pt.DirectoryStream: stamp})
	if err := r.Commit(ctx, streams, batch); !errors.Is(err, projections.ErrCheckpointMoved) {
		t.Fatalf("second delivery: want projections.ErrCheckpointMoved, got %v", err)
	}
	if got := pt.CountedEvents(t, pool); got != a.Count() {
		t.Fatalf("after redelivery counted %d, want %d", got, a.Count())
	}
	// Restarting runs read from the stored checkpoint, not from the start.
	for i := 0; i < 3; i++ {
		stop := pt.StartRunner(t, projections.NewRunner(pool, n.Store, pt.Counter{ID: "counter"}, pt.QuietOpts(t)))
		pt.NewWorkload(a, uint64(10+i)).Run(t, 20)
		pt.WaitCheckpoint(t, pool, "counter", a.Head())
		stop()
	}
	if got := pt.CountedEvents(t, pool); got != a.Count() {
		t.Fatalf("after restarts counted %d, want %d", got, a.Count())
	}
}

// rebuildEquals checks that a fresh rebuild of the directory gives exactly
// the rows the live runner left.
func rebuildEquals(t *testing.T, pool interface{ Close() }, live map[string][]string, rebuilt map[string][]string) {
	t.Helper()
	if len(live["personnel"]) == 0 || len(live["clients"]) == 0 {
		t.Fatalf("empty read model: %d clients, %d personnel", len(live["clients"]), len(live["personnel"]))
	}
	if d := cmp.Diff(live, rebuilt); d != "" {
		t.Errorf("live read model differs from a fresh rebuild (-live +rebuilt):\n%s", d)
	}
}

// TestCrashBetweenApplyAndCommit cancels the runner after a batch has been
// written but before it commits: nothing of it may stay, and a restarted
// runner must end where a fresh rebuild ends.
func TestCrashBetweenApplyAndCommit(t *testing.T) {
	n := testkit.StartNATS(t) // fsync before ack, as in production
	pool, _ := testkit.NewDatabase(t)
	a := pt.NewAppender(n.Store)
	pt.NewWorkload(a, 2).Run(t, 300)
	head := a.Head()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts := pt.QuietOpts(t)
	opts.BatchSize = 50
	var batches atomic.Int32
	opts = projections.WithAfterApply(opts, func(context.Context) {
		if batches.Add(1) == 3 {
			cancel()
		}
	})
	// The same projection value restarts, as in a process whose runner
	// retries: what it kept in memory of the failed batch must not count.
	dir := directory.New(n.Store.Registry())
	if err := projections.NewRunner(pool, n.Store, dir, opts).Run(ctx); err != nil {
		t.Fatal(err)
	}
	cp := pt.CheckpointOf(t, pool, directory.Name)
	if cp == 0 || cp >= head {
		t.Fatalf("checkpoint %d after the crash, want between 0 and %d", cp, head)
	}
	var newest uint64
	if err := pool.QueryRow(context.Background(), `SELECT greatest((SELECT max(version) FROM clients), (SELECT max(version) FROM personnel))`).Scan(&newest); err != nil {
		t.Fatal(err)
	}
	if newest > cp {
		t.Fatalf("rows of the uncommitted batch are visible: version %d > checkpoint %d", newest, cp)
	}

	stop := pt.StartRunner(t, projections.NewRunner(pool, n.Store, dir, pt.QuietOpts(t)))
	pt.WaitCheckpoint(t, pool, directory.Name, head)
	stop()
	live := pt.DumpDirectory(t, pool)
	if err := projections.Rebuild(context.Background(), pool, n.Store, directory.New(n.Store.Registry()), nil); err != nil {
		t.Fatal(err)
	}
	rebuildEquals(t, pool, live, pt.DumpDirectory(t, pool))
}

// TestCrashRightAfterCommit stops a runner dead right after a batch's
// transaction commits — before anything else the runner would do — on a
// projection that double counts whatever it is given twice. The checkpoint
// must have committed with the batch: a restarted runner goes on from it
// and every event is counted exactly once. (Writing the checkpoint after
// the commit instead would re-apply that batch here.)
func TestCrashRightAfterCommit(t *testing.T) {
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	pt.CreateCounterTable(t, pool)
	a := pt.NewAppender(n.Store)
	pt.NewWorkload(a, 5).Run(t, 200)
	opts := pt.QuietOpts(t)
	opts.BatchSize = 20
	var batches atomic.Int32
	opts = projections.WithAfterCommit(opts, func() {
		if batches.Add(1) == 3 {
			runtime.Goexit() // the process dies here: nothing after the commit runs
		}
	})
	counter := pt.Counter{ID: "counter"}
	crashed := make(chan struct{})
	go func() {
		defer close(crashed)
		_ = projections.NewRunner(pool, n.Store, counter, opts).Run(context.Background())
	}()
	<-crashed
	if got := pt.CountedEvents(t, pool); got == 0 || got >= a.Count() {
		t.Fatalf("counted %d events before the crash, want some of %d", got, a.Count())
	}
	stop := pt.StartRunner(t, projections.NewRunner(pool, n.Store, counter, pt.QuietOpts(t)))
	pt.WaitCheckpoint(t, pool, "counter", a.Head())
	stop()
	if got := pt.CountedEvents(t, pool); got != a.Count() {
		t.Fatalf("counted %d events after the restart, want each of %d once", got, a.Count())
	}
}

// TestRestartProcess stops everything mid catch-up — runner, Postgres pool,
// NATS connection and server — reopens the same JetStream directory and
// database, appends more and checks the result against a fresh rebuild.
func TestRestartProcess(t *testing.T) {
	dir := t.TempDir()
	srv, err := natsembed.Start(natsembed.Options{Name: "restart", StoreDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	nc, err := srv.Connect("before")
	if err != nil {
		t.Fatal(err)
	}
	store := testkit.MustStore(t, nc)
	pool, url := testkit.NewDatabase(t)
	a := pt.NewAppender(store)
	w := pt.NewWorkload(a, 3)
	w.Run(t, 200)

	// The process dies in the middle of its fifth batch.
	ctx, cancel := context.WithCancel(context.Background())
	opts := pt.QuietOpts(t)
	opts.BatchSize = 20
	var batches atomic.Int32
	opts = projections.WithAfterApply(opts, func(context.Context) {
		if batches.Add(1) == 5 {
			cancel()
		}
	})
	if err := projections.NewRunner(pool, store, directory.New(store.Registry()), opts).Run(ctx); err != nil {
		t.Fatal(err)
	}
	opts = projections.WithAfterApply(opts, nil)
	pool.Close()
	nc.Close()
	srv.Close()

	srv, err = natsembed.Start(natsembed.Options{Name: "restart", StoreDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	nc, err = srv.Connect("after")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	store = testkit.MustStore(t, nc)
	pool, err = pgdb.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	if cp := pt.CheckpointOf(t, pool, directory.Name); cp == 0 || cp >= a.Head() {
		t.Fatalf("checkpoint %d after the restart, want between 0 and %d", cp, a.Head())
	}
	a.UseStore(store)
	w.Run(t, 100)
	stop := pt.StartRunner(t, projections.NewRunner(pool, store, directory.New(store.Registry()), opts))
	pt.WaitCheckpoint(t, pool, directory.Name, a.Head())
	stop()
	live := pt.DumpDirectory(t, pool)
	if err := projections.Rebuild(context.Background(), pool, store, directory.New(store.Registry()), nil); err != nil {
		t.Fatal(err)
	}
	rebuildEquals(t, pool, live, pt.DumpDirectory(t, pool))
}

func appliedBy(m *projections.Metrics, projection string) int {
	return int(m.Applied(projection, pt.DirectoryStream))
}

// TestStandbyTakesOver runs two instances of one projection: only the one
// holding the lock applies; when it stops, or loses its lock session, the
// other takes over and nothing is lost or applied twice.
func TestStandbyTakesOver(t *testing.T) {
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	pt.CreateCounterTable(t, pool)
	a := pt.NewAppender(n.Store)
	w := pt.NewWorkload(a, 4)
	w.Run(t, 100)

	newInstance := func() (*projections.Runner, *projections.Metrics) {
		m, err := projections.NewMetrics(prometheus.NewRegistry())
		if err != nil {
			t.Fatal(err)
		}
		o := pt.QuietOpts(t)
		o.Metrics = m
		return projections.NewRunner(pool, n.Store, pt.Counter{ID: "counter"}, o), m
	}
	r1, m1 := newInstance()
	r2, m2 := newInstance()
	stop1 := pt.StartRunner(t, r1)
	testkit.Eventually(t, 10*time.Second, func() error {
		if !r1.Active() {
			return errors.New("first instance not active")
		}
		return nil
	})
	stop2 := pt.StartRunner(t, r2)
	pt.WaitCheckpoint(t, pool, "counter", a.Head())
	if r2.Active() || appliedBy(m2, "counter") != 0 {
		t.Fatalf("stand-by applied %d events (active %v)", appliedBy(m2, "counter"), r2.Active())
	}
	if got := appliedBy(m1, "counter"); got != a.Count() {
		t.Fatalf("active instance applied %d, want %d", got, a.Count())
	}

	stop1() // kill the active one
	before := a.Count()
	w.Run(t, 100)
	pt.WaitCheckpoint(t, pool, "counter", a.Head())
	if !r2.Active() {
		t.Fatal("stand-by did not take over")
	}
	if got := appliedBy(m2, "counter"); got != a.Count()-before {
		t.Fatalf("new active applied %d, want %d", got, a.Count()-before)
	}

	// Now the active one's lock session dies under it (network partition,
	// Postgres restart): the stand-by takes the lock while the old leader
	// may still be mid-batch; the checkpoint check keeps them from both
	// applying the same events.
	r3, _ := newInstance()
	pt.StartRunner(t, r3)
	_, err := pool.Exec(context.Background(), `SELECT pg_terminate_backend(l.pid) FROM pg_locks l
		JOIN pg_database d ON d.oid = l.database
		WHERE l.locktype = 'advisory' AND l.granted AND d.datname = current_database()`)
	if err != nil {
		t.Fatal(err)
	}
	w.Run(t, 100)
	pt.WaitCheckpoint(t, pool, "counter", a.Head())
	testkit.Eventually(t, 10*time.Second, func() error {
		if r2.Active() == r3.Active() {
			return fmt.Errorf("active: r2 %v, r3 %v; want exactly one", r2.Active(), r3.Active())
		}
		return nil
	})
	stop2()
	if got := pt.CountedEvents(t, pool); got != a.Count() {
		t.Fatalf("counted %d events, want %d", got, a.Count())
	}
}

// TestWaitFor: read-your-writes waits return once the checkpoint passes the
// positions and give up, bounded, otherwise.
func TestWaitFor(t *testing.T) {
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	a := pt.NewAppender(n.Store)
	w := pt.NewWorkload(a, 5)
	w.Run(t, 20)
	m, err := projections.NewManager(pool, n.Store, pt.QuietOpts(t), directory.New(n.Store.Registry()))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = m.Run(ctx) }()
	defer func() { cancel(); <-done }()

	// A position in a stream the projection does not read is ignored.
	if err := m.WaitFor(ctx, directory.Name, []events.Position{{Stream: pt.DirectoryStream, Sequence: a.Head()},
		{Stream: "SOCIAL", Sequence: 1 << 40}}, 10*time.Second); err != nil {
		t.Fatalf("wait for appended position: %v", err)
	}
	start := time.Now()
	err = m.Checkpoints().WaitFor(ctx, directory.Name, []events.Position{{Stream: pt.DirectoryStream, Sequence: a.Head() + 5}}, 100*time.Millisecond)
	if !errors.Is(err, projections.ErrNotCaughtUp) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("wait for a future position: want projections.ErrNotCaughtUp, got %v", err)
	}
	if el := time.Since(start); el < 100*time.Millisecond || el > 2*time.Second {
		t.Fatalf("bounded wait took %s", el)
	}
	// A wait for positions not yet written returns once they are applied.
	want := a.Head() + 3
	res := make(chan error, 1)
	go func() {
		res <- m.WaitForAll(ctx, []events.Position{{Stream: pt.DirectoryStream, Sequence: want}}, 20*time.Second)
	}()
	w.Run(t, 3)
	if err := <-res; err != nil {
		t.Fatalf("wait for positions appended later: %v", err)
	}
	if p, err := m.Checkpoints().Position(ctx, directory.Name, pt.DirectoryStream); err != nil || p < want {
		t.Fatalf("checkpoint %d after WaitFor returned, want ≥ %d (%v)", p, want, err)
	}
	if err := m.WaitFor(ctx, "nope", nil, time.Second); err == nil {
		t.Fatal("unknown projection accepted")
	}
}

// gated holds every Apply until the gate opens.
type gated struct {
	projections.Projection
	gate chan struct{}
}

func (g gated) Apply(ctx context.Context, tx pgx.Tx, t projections.Tables, batch []events.Envelope) error {
	select {
	case <-g.gate:
	case <-ctx.Done():
		return ctx.Err()
	}
	return g.Projection.Apply(ctx, tx, t, batch)
}

// TestLagMetrics: the lag gauges show head − checkpoint (and a positive
// age) while the projection is held back, and zero once it caught up.
func TestLagMetrics(t *testing.T) {
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	a := pt.NewAppender(n.Store)
	pt.NewWorkload(a, 6).Run(t, 30)
	head := a.Head()
	m, err := projections.NewMetrics(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	opts := pt.QuietOpts(t)
	opts.Metrics = m
	opts.LagInterval = 20 * time.Millisecond
	g := gated{directory.New(n.Store.Registry()), make(chan struct{})}
	pt.StartRunner(t, projections.NewRunner(pool, n.Store, g, opts))
	lagEvents := func() float64 {
		ev, _ := m.Lag(directory.Name, pt.DirectoryStream)
		return ev
	}
	lagSeconds := func() float64 {
		_, secs := m.Lag(directory.Name, pt.DirectoryStream)
		return secs
	}
	testkit.Eventually(t, 10*time.Second, func() error {
		if lagEvents() != float64(head) || lagSeconds() <= 0 {
			return fmt.Errorf("lag %v events %v s, want %d events and a positive age", lagEvents(), lagSeconds(), head)
		}
		return nil
	})
	idle, err := projections.NewManager(pool, n.Store, pt.QuietOpts(t), directory.New(n.Store.Registry()))
	if err != nil {
		t.Fatal(err)
	}
	st, err := idle.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(st) != 1 || st[0].Checkpoint != 0 || st[0].Head != head || st[0].LagEvents != head || st[0].LagSeconds <= 0 || st[0].Active {
		t.Fatalf("status while held back: %+v", st)
	}
	close(g.gate)
	testkit.Eventually(t, 10*time.Second, func() error {
		if lagEvents() != 0 || lagSeconds() != 0 {
			return fmt.Errorf("lag %v events %v s after catching up", lagEvents(), lagSeconds())
		}
		return nil
	})
	if got := int(m.Applied(directory.Name, pt.DirectoryStream)); got != a.Count() {
		t.Fatalf("applied counter %d, want %d", got, a.Count())
	}
	st, err = idle.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st[0].Checkpoint != head || st[0].LagEvents != 0 || st[0].LagSeconds != 0 {
		t.Fatalf("status after catching up: %+v", st)
	}
}

// TestRunnerReadsSeveralStreams: one projection over two streams keeps a
// checkpoint per stream, moved in the same transaction as its events.
func TestRunnerReadsSeveralStreams(t *testing.T) {
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	pt.CreateCounterTable(t, pool)
	a := pt.NewAppender(n.Store)
	w := pt.NewWorkload(a, 8)
	p := pt.Counter{ID: "both", Of: []string{pt.DirectoryStream, "MESSAGING"}}
	m, err := projections.NewManager(pool, n.Store, pt.QuietOpts(t), p)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = m.Run(ctx) }()
	defer func() { cancel(); <-done }()
	var last events.Appended
	for i := range 30 {
		w.Run(t, 1)
		if i%3 == 0 {
			last = a.Add(t, a.At(i), events.DeliverySubject("test", fmt.Sprint(i)), "", events.MessageDelivered{OutboxID: int64(i), Channel: "wa"})
		}
	}
	dirHead, err := n.Store.StreamHead(ctx, pt.DirectoryStream)
	if err != nil {
		t.Fatal(err)
	}
	want := []events.Position{{Stream: pt.DirectoryStream, Sequence: dirHead}, {Stream: "MESSAGING", Sequence: last.Sequence}}
	if err := m.WaitFor(ctx, "both", want, 20*time.Second); err != nil {
		t.Fatal(err)
	}
	if got := pt.CountedEvents(t, pool); got != a.Count() {
		t.Fatalf("counted %d events over both streams, want %d", got, a.Count())
	}
	st, err := m.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(st) != 2 || st[1].Stream != "MESSAGING" || st[1].Checkpoint != last.Sequence || st[1].LagEvents != 0 {
		t.Fatalf("status: %+v", st)
	}
}
