package projections

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/natsembed"
	"github.com/cicero/cicero/internal/pgdb"
	"github.com/cicero/cicero/internal/testkit"
)

// TestRedeliveryDoesNotDoubleCount delivers the same messages twice, as a
// lost acknowledgement or a restarted consumer would: the checkpoint check
// in the batch transaction refuses the second copy.
func TestRedeliveryDoesNotDoubleCount(t *testing.T) {
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	createCounterTable(t, pool)
	a := newAppender(n.Store)
	newWorkload(a, 1).run(t, 60)
	ctx := context.Background()
	r := NewRunner(pool, n.Store, counter{name: "counter"}, quietOpts(t))
	streams := []string{directoryStream}
	if err := ensureCheckpoints(ctx, pool, "counter", streams); err != nil {
		t.Fatal(err)
	}
	in := make(chan message, 1000)
	if err := feed(ctx, n.Store.JetStream(), n.Store.Registry(), directoryStream, 1, a.head(), 100, in); err != nil {
		t.Fatal(err)
	}
	close(in)
	var batch []message
	for m := range in {
		batch = append(batch, m)
	}
	stored, err := readCheckpoints(ctx, pool, "counter", streams, false)
	if err != nil {
		t.Fatal(err)
	}
	r.pos, r.head = map[string]uint64{directoryStream: 0}, map[string]uint64{}
	r.stamp = map[string]time.Time{directoryStream: stored[directoryStream].at}
	if err := r.commit(ctx, streams, batch); err != nil {
		t.Fatal(err)
	}
	if got := countedEvents(t, pool); got != a.count() {
		t.Fatalf("after first delivery counted %d, want %d", got, a.count())
	}
	r.pos[directoryStream] = 0 // a runner that did not see its commit land
	if err := r.commit(ctx, streams, batch); !errors.Is(err, errCheckpointMoved) {
		t.Fatalf("second delivery: want errCheckpointMoved, got %v", err)
	}
	if got := countedEvents(t, pool); got != a.count() {
		t.Fatalf("after redelivery counted %d, want %d", got, a.count())
	}
	// Restarting runs read from the stored checkpoint, not from the start.
	for i := 0; i < 3; i++ {
		stop := startRunner(t, NewRunner(pool, n.Store, counter{name: "counter"}, quietOpts(t)))
		newWorkload(a, uint64(10+i)).run(t, 20)
		waitCheckpoint(t, pool, "counter", a.head())
		stop()
	}
	if got := countedEvents(t, pool); got != a.count() {
		t.Fatalf("after restarts counted %d, want %d", got, a.count())
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
	a := newAppender(n.Store)
	newWorkload(a, 2).run(t, 300)
	head := a.head()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts := quietOpts(t)
	opts.BatchSize = 50
	var batches atomic.Int32
	opts.afterApply = func(context.Context) {
		if batches.Add(1) == 3 {
			cancel()
		}
	}
	// The same projection value restarts, as in a process whose runner
	// retries: what it kept in memory of the failed batch must not count.
	dir := NewDirectory(n.Store.Registry())
	if err := NewRunner(pool, n.Store, dir, opts).Run(ctx); err != nil {
		t.Fatal(err)
	}
	cp := checkpointOf(t, pool, DirectoryName)
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

	stop := startRunner(t, NewRunner(pool, n.Store, dir, quietOpts(t)))
	waitCheckpoint(t, pool, DirectoryName, head)
	stop()
	live := dumpDirectory(t, pool)
	if err := Rebuild(context.Background(), pool, n.Store, NewDirectory(n.Store.Registry()), nil); err != nil {
		t.Fatal(err)
	}
	rebuildEquals(t, pool, live, dumpDirectory(t, pool))
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
	a := newAppender(store)
	w := newWorkload(a, 3)
	w.run(t, 200)

	// The process dies in the middle of its fifth batch.
	ctx, cancel := context.WithCancel(context.Background())
	opts := quietOpts(t)
	opts.BatchSize = 20
	var batches atomic.Int32
	opts.afterApply = func(context.Context) {
		if batches.Add(1) == 5 {
			cancel()
		}
	}
	if err := NewRunner(pool, store, NewDirectory(store.Registry()), opts).Run(ctx); err != nil {
		t.Fatal(err)
	}
	opts.afterApply = nil
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
	if cp := checkpointOf(t, pool, DirectoryName); cp == 0 || cp >= a.head() {
		t.Fatalf("checkpoint %d after the restart, want between 0 and %d", cp, a.head())
	}
	a.store = store
	w.run(t, 100)
	stop := startRunner(t, NewRunner(pool, store, NewDirectory(store.Registry()), opts))
	waitCheckpoint(t, pool, DirectoryName, a.head())
	stop()
	live := dumpDirectory(t, pool)
	if err := Rebuild(context.Background(), pool, store, NewDirectory(store.Registry()), nil); err != nil {
		t.Fatal(err)
	}
	rebuildEquals(t, pool, live, dumpDirectory(t, pool))
}

func appliedBy(m *Metrics, projection string) int {
	return int(testutil.ToFloat64(m.applied.WithLabelValues(projection, directoryStream)))
}

// TestStandbyTakesOver runs two instances of one projection: only the one
// holding the lock applies; when it stops, or loses its lock session, the
// other takes over and nothing is lost or applied twice.
func TestStandbyTakesOver(t *testing.T) {
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	createCounterTable(t, pool)
	a := newAppender(n.Store)
	w := newWorkload(a, 4)
	w.run(t, 100)

	newInstance := func() (*Runner, *Metrics) {
		m, err := NewMetrics(prometheus.NewRegistry())
		if err != nil {
			t.Fatal(err)
		}
		o := quietOpts(t)
		o.Metrics = m
		return NewRunner(pool, n.Store, counter{name: "counter"}, o), m
	}
	r1, m1 := newInstance()
	r2, m2 := newInstance()
	stop1 := startRunner(t, r1)
	testkit.Eventually(t, 10*time.Second, func() error {
		if !r1.Active() {
			return errors.New("first instance not active")
		}
		return nil
	})
	stop2 := startRunner(t, r2)
	waitCheckpoint(t, pool, "counter", a.head())
	if r2.Active() || appliedBy(m2, "counter") != 0 {
		t.Fatalf("stand-by applied %d events (active %v)", appliedBy(m2, "counter"), r2.Active())
	}
	if got := appliedBy(m1, "counter"); got != a.count() {
		t.Fatalf("active instance applied %d, want %d", got, a.count())
	}

	stop1() // kill the active one
	before := a.count()
	w.run(t, 100)
	waitCheckpoint(t, pool, "counter", a.head())
	if !r2.Active() {
		t.Fatal("stand-by did not take over")
	}
	if got := appliedBy(m2, "counter"); got != a.count()-before {
		t.Fatalf("new active applied %d, want %d", got, a.count()-before)
	}

	// Now the active one's lock session dies under it (network partition,
	// Postgres restart): the stand-by takes the lock while the old leader
	// may still be mid-batch; the checkpoint check keeps them from both
	// applying the same events.
	r3, _ := newInstance()
	startRunner(t, r3)
	_, err := pool.Exec(context.Background(), `SELECT pg_terminate_backend(l.pid) FROM pg_locks l
		JOIN pg_database d ON d.oid = l.database
		WHERE l.locktype = 'advisory' AND l.granted AND d.datname = current_database()`)
	if err != nil {
		t.Fatal(err)
	}
	w.run(t, 100)
	waitCheckpoint(t, pool, "counter", a.head())
	testkit.Eventually(t, 10*time.Second, func() error {
		if r2.Active() == r3.Active() {
			return fmt.Errorf("active: r2 %v, r3 %v; want exactly one", r2.Active(), r3.Active())
		}
		return nil
	})
	stop2()
	if got := countedEvents(t, pool); got != a.count() {
		t.Fatalf("counted %d events, want %d", got, a.count())
	}
}

// TestWaitFor: read-your-writes waits return once the checkpoint passes the
// positions and give up, bounded, otherwise.
func TestWaitFor(t *testing.T) {
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	a := newAppender(n.Store)
	w := newWorkload(a, 5)
	w.run(t, 20)
	m, err := NewManager(pool, n.Store, quietOpts(t), NewDirectory(n.Store.Registry()))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = m.Run(ctx) }()
	defer func() { cancel(); <-done }()

	// A position in a stream the projection does not read is ignored.
	if err := m.WaitFor(ctx, DirectoryName, []events.Position{{Stream: directoryStream, Sequence: a.head()},
		{Stream: "SOCIAL", Sequence: 1 << 40}}, 10*time.Second); err != nil {
		t.Fatalf("wait for appended position: %v", err)
	}
	start := time.Now()
	err = m.Checkpoints().WaitFor(ctx, DirectoryName, []events.Position{{Stream: directoryStream, Sequence: a.head() + 5}}, 100*time.Millisecond)
	if !errors.Is(err, ErrNotCaughtUp) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("wait for a future position: want ErrNotCaughtUp, got %v", err)
	}
	if el := time.Since(start); el < 100*time.Millisecond || el > 2*time.Second {
		t.Fatalf("bounded wait took %s", el)
	}
	// A wait for positions not yet written returns once they are applied.
	want := a.head() + 3
	res := make(chan error, 1)
	go func() {
		res <- m.WaitForAll(ctx, []events.Position{{Stream: directoryStream, Sequence: want}}, 20*time.Second)
	}()
	w.run(t, 3)
	if err := <-res; err != nil {
		t.Fatalf("wait for positions appended later: %v", err)
	}
	if p, err := m.Checkpoints().Position(ctx, DirectoryName, directoryStream); err != nil || p < want {
		t.Fatalf("checkpoint %d after WaitFor returned, want ≥ %d (%v)", p, want, err)
	}
	if err := m.WaitFor(ctx, "nope", nil, time.Second); err == nil {
		t.Fatal("unknown projection accepted")
	}
}

// gated holds every Apply until the gate opens.
type gated struct {
	Projection
	gate chan struct{}
}

func (g gated) Apply(ctx context.Context, tx pgx.Tx, t Tables, batch []events.Envelope) error {
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
	a := newAppender(n.Store)
	newWorkload(a, 6).run(t, 30)
	head := a.head()
	m, err := NewMetrics(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	opts := quietOpts(t)
	opts.Metrics = m
	opts.LagInterval = 20 * time.Millisecond
	g := gated{NewDirectory(n.Store.Registry()), make(chan struct{})}
	startRunner(t, NewRunner(pool, n.Store, g, opts))
	lagEvents := func() float64 { return testutil.ToFloat64(m.lagEvents.WithLabelValues(DirectoryName, directoryStream)) }
	lagSeconds := func() float64 {
		return testutil.ToFloat64(m.lagSeconds.WithLabelValues(DirectoryName, directoryStream))
	}
	testkit.Eventually(t, 10*time.Second, func() error {
		if lagEvents() != float64(head) || lagSeconds() <= 0 {
			return fmt.Errorf("lag %v events %v s, want %d events and a positive age", lagEvents(), lagSeconds(), head)
		}
		return nil
	})
	idle, err := NewManager(pool, n.Store, quietOpts(t), NewDirectory(n.Store.Registry()))
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
	if got := int(testutil.ToFloat64(m.applied.WithLabelValues(DirectoryName, directoryStream))); got != a.count() {
		t.Fatalf("applied counter %d, want %d", got, a.count())
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
	createCounterTable(t, pool)
	a := newAppender(n.Store)
	w := newWorkload(a, 8)
	p := counter{name: "both", streams: []string{directoryStream, "MESSAGING"}}
	m, err := NewManager(pool, n.Store, quietOpts(t), p)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = m.Run(ctx) }()
	defer func() { cancel(); <-done }()
	var last events.Appended
	for i := range 30 {
		w.step(t)
		if i%3 == 0 {
			last = a.add(t, a.at(i), events.DeliverySubject(int64(i)), "", events.MessageDelivered{OutboxID: int64(i), Channel: "wa"})
		}
	}
	dirHead, err := n.Store.StreamHead(ctx, directoryStream)
	if err != nil {
		t.Fatal(err)
	}
	want := []events.Position{{Stream: directoryStream, Sequence: dirHead}, {Stream: "MESSAGING", Sequence: last.Sequence}}
	if err := m.WaitFor(ctx, "both", want, 20*time.Second); err != nil {
		t.Fatal(err)
	}
	if got := countedEvents(t, pool); got != a.count() {
		t.Fatalf("counted %d events over both streams, want %d", got, a.count())
	}
	st, err := m.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(st) != 2 || st[1].Stream != "MESSAGING" || st[1].Checkpoint != last.Sequence || st[1].LagEvents != 0 {
		t.Fatalf("status: %+v", st)
	}
}
