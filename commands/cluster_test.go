package commands_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/claim"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/natsembed"
	"github.com/cicero/cicero/internal/testkit"
)

// freePorts reserves n loopback ports and releases them for the servers.
func freePorts(t *testing.T, n int) []int {
	t.Helper()
	var ls []net.Listener
	var ports []int
	for i := 0; i < n; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range ls {
		l.Close()
	}
	return ports
}

// clusterNodeEnv turns the test binary into one cluster member instead of
// a test run; its value is the member's natsembed.Options as JSON. Members
// run as child processes so that the test can stop one with SIGKILL: an
// in-process server can only shut down gracefully (it flushes its stores
// and tells its peers it is leaving), which is not what a crash looks like.
const clusterNodeEnv = "CICERO_TEST_CLUSTER_NODE"

func TestMain(m *testing.M) {
	if spec := os.Getenv(clusterNodeEnv); spec != "" {
		os.Exit(runClusterNode(spec))
	}
	os.Exit(m.Run())
}

// runClusterNode runs one member until it is killed or its parent goes
// away (its stdin closes).
func runClusterNode(spec string) int {
	var o natsembed.Options
	if err := json.Unmarshal([]byte(spec), &o); err != nil {
		fmt.Fprintln(os.Stderr, "cluster node spec:", err)
		return 2
	}
	srv, err := natsembed.Start(o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cluster node:", err)
		return 1
	}
	fmt.Println("ready", srv.ClientURL())
	_, _ = io.Copy(io.Discard, os.Stdin)
	srv.Close()
	return 0
}

// member is one cluster member running as a child process; it keeps its
// ports and store directory across restarts.
type member struct {
	name string
	opts natsembed.Options
	url  string
	cmd  *exec.Cmd
}

// start runs the member and waits until it accepts clients.
func (m *member) start() error {
	spec, err := json.Marshal(m.opts)
	if err != nil {
		return err
	}
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), clusterNodeEnv+"="+string(spec))
	cmd.Stderr = os.Stderr
	if _, err := cmd.StdinPipe(); err != nil { // closed when the test process ends
		return err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", m.name, err)
	}
	ready := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(out).ReadString('\n')
		ready <- strings.TrimSpace(line)
	}()
	select {
	case line := <-ready:
		url, ok := strings.CutPrefix(line, "ready ")
		if !ok {
			m.kill()
			return fmt.Errorf("%s did not start: %q", m.name, line)
		}
		m.url, m.cmd = url, cmd
		return nil
	case <-time.After(60 * time.Second):
		m.cmd = cmd
		m.kill()
		return fmt.Errorf("%s not ready within 60s", m.name)
	}
}

// kill stops the member with SIGKILL: no flush, no goodbye to its peers.
func (m *member) kill() {
	if m.cmd == nil {
		return
	}
	_ = m.cmd.Process.Kill()
	_ = m.cmd.Wait()
	m.cmd = nil
}

// startCluster boots three clustered members on loopback, fsync before
// ack, each a child process.
func startCluster(t *testing.T) map[string]*member {
	t.Helper()
	ports := freePorts(t, 6)
	var routes []string
	for _, p := range ports[3:] {
		routes = append(routes, fmt.Sprintf("127.0.0.1:%d", p))
	}
	members := map[string]*member{}
	for i := 0; i < 3; i++ {
		name := fmt.Sprintf("n%d", i+1)
		members[name] = &member{name: name, opts: natsembed.Options{Name: name, Listen: fmt.Sprintf("127.0.0.1:%d", ports[i]),
			StoreDir: t.TempDir(), ClusterName: "cicero-test", ClusterListen: routes[i], Routes: routes}}
	}
	t.Cleanup(func() {
		for _, m := range members {
			m.kill()
		}
	})
	var wg sync.WaitGroup
	errs := make(chan error, len(members))
	for _, m := range members {
		wg.Go(func() { // members wait for each other's routes, so start them together
			if err := m.start(); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	return members
}

// acked is one append a command reported as stored.
type acked struct {
	subject string
	seq     uint64
	eventID string
	command string
}

// rereads counts the decisions a runtime found behind the stream leader.
type rereads struct{ n atomic.Int64 }

func (r *rereads) Enabled(context.Context, slog.Level) bool { return true }
func (r *rereads) Handle(_ context.Context, rec slog.Record) error {
	if strings.HasPrefix(rec.Message, "decision read behind the stream leader") {
		r.n.Add(1)
	}
	return nil
}
func (r *rereads) WithAttrs([]slog.Attr) slog.Handler { return r }
func (r *rereads) WithGroup(string) slog.Handler      { return r }

// The DIRECTORY stream leader is killed (SIGKILL) while commands append:
// appends keep landing through the survivors, no acknowledged append is
// lost or doubled, the stream head read right after the kill (while the
// group may have no leader) holds every acknowledged append, and a stale
// expected version is still refused by the new leader.
//
// Then the old leader restarts on its store as a follower, behind by
// everything appended while it was down, and a client connected only to
// it issues commands whose right answer depends on what it missed:
// granting a role revoked meanwhile (stale: already held, nothing to do)
// and a claim by a person registered meanwhile (stale: not found). The
// server lets a restarted replica answer direct gets only once it has
// nearly caught up (checked every 2 s), so those are mostly answered by
// the others; the member's own stale window is under load: with writers
// running again, each round revokes a role through the leader and at once
// grants it back through the restarted member, whose direct get usually
// answers before it has applied the revoke. No command may be refused or
// answered with nothing; the log says how many decisions the leader check
// caught on stale reads (against the runtime before the check, a round
// answers "nothing to change").
func TestClusterLeaderFailover(t *testing.T) {
	members := startCluster(t)
	var urls []string
	for _, m := range members {
		urls = append(urls, m.url)
	}
	nc, err := nats.Connect(strings.Join(urls, ","), nats.MaxReconnects(-1), nats.ReconnectWait(50*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	store, err := events.NewStore(nc, events.NewRegistry(), testkit.Logger(t), events.WithRetryBudget(30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	js := store.JetStream()
	testkit.Eventually(t, 30*time.Second, func() error {
		// Requests go unanswered until the meta leader is elected.
		actx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		return events.Provision(actx, js, events.StreamOptions{Replicas: 3})
	})
	pool, _ := testkit.NewDatabase(t)
	rt := commands.NewRuntime(store, commands.NewPGCommandLog(pool), testkit.Logger(t))
	people := person.NewHandlers(rt)

	// People whose role ditbinmas is revoked while the leader is down.
	const changed = 10
	revoked, joined := make([]string, changed), make([]string, changed)
	for i := range changed {
		revoked[i], joined[i] = fmt.Sprint(81000000+i), fmt.Sprint(82000000+i)
		if _, err := people.RegisterPerson(ctx, commands.Meta{}, person.RegisterPerson{NRP: revoked[i], Nama: "Budi",
			Roles: []string{"ditbinmas"}}); err != nil {
			t.Fatal(err)
		}
	}

	const writers, subjects = 4, 6
	var (
		mu      sync.Mutex
		acks    []acked
		failed  []error
		stop    atomic.Bool
		counter atomic.Int64
	)
	var wg sync.WaitGroup
	writer := func(w int) {
		for i := 0; !stop.Load(); i++ {
			nrp := fmt.Sprint("c", (w+i)%subjects)
			id := newID()
			out, err := rt.Handle(ctx, "test.Grant", commands.Meta{CommandID: id, Actor: "system:cluster-test"},
				grant(nrp, fmt.Sprint("w", w, "-", i)))
			mu.Lock()
			if err != nil {
				failed = append(failed, err)
			} else {
				a := out.Appended[0]
				acks = append(acks, acked{a.Subject, a.Sequence, a.EventIDs[0], id})
			}
			mu.Unlock()
			if err == nil {
				counter.Add(1)
			}
		}
	}
	startWriters := func() {
		for w := 0; w < writers; w++ {
			wg.Go(func() {
				writer(w)
			})
		}
	}
	startWriters()
	waitAcks := func(n int64, within time.Duration) {
		t.Helper()
		testkit.Eventually(t, within, func() error {
			if got := counter.Load(); got < n {
				return fmt.Errorf("%d of %d appends acknowledged", got, n)
			}
			return nil
		})
	}
	waitAcks(150, 20*time.Second)

	st, err := js.Stream(ctx, "DIRECTORY")
	if err != nil {
		t.Fatal(err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.Cluster == nil || info.Cluster.Leader == "" || len(info.Cluster.Replicas) != 2 {
		t.Fatalf("DIRECTORY is not an R3 stream with a leader: %+v", info.Cluster)
	}
	oldLeader := info.Cluster.Leader
	staleSubject := events.PersonSubject("c0")
	_, staleVersion, err := store.Load(ctx, staleSubject)
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	var ackedHead uint64
	for _, a := range acks {
		ackedHead = max(ackedHead, a.seq)
	}
	mu.Unlock()
	before := counter.Load()
	members[oldLeader].kill()
	t.Logf("killed leader %s (SIGKILL) after %d acknowledged appends", oldLeader, before)
	// While the group elects a new leader any member answers stream info
	// with its own state; the head must still hold every acknowledged append.
	if head, err := store.StreamHead(ctx, "DIRECTORY"); err != nil || head < ackedHead {
		t.Fatalf("stream head right after the kill = %d, %v; %d was acknowledged", head, err, ackedHead)
	}

	waitAcks(before+150, 40*time.Second)
	stop.Store(true)
	wg.Wait()
	// The last changes the killed member misses: the ones the commands
	// below depend on.
	for i := range changed {
		if _, err := people.RevokeRole(ctx, commands.Meta{}, person.RevokeRole{NRP: revoked[i], Role: "ditbinmas"}); err != nil {
			t.Fatal(err)
		}
		if _, err := people.RegisterPerson(ctx, commands.Meta{}, person.RegisterPerson{NRP: joined[i], Nama: "Ani", Email: "ani@polri.go.id"}); err != nil {
			t.Fatal(err)
		}
	}

	info, err = st.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.Cluster.Leader == "" || info.Cluster.Leader == oldLeader {
		t.Fatalf("leader after fail-over: %q (was %q)", info.Cluster.Leader, oldLeader)
	}
	newLeader := info.Cluster.Leader
	t.Logf("new leader %s; %d appends acknowledged, %d commands failed", newLeader, len(acks), len(failed))
	if len(failed) > 0 {
		t.Fatalf("commands failed during fail-over (first: %v)", failed[0])
	}

	checkAcknowledged(t, ctx, store, st, acks)

	// The new leader still refuses a version that moved on.
	_, err = store.Append(ctx, events.Meta{}, events.Commit{Subject: staleSubject, AggregateID: "c0", Expected: staleVersion,
		Events: []events.Payload{events.PersonRoleGranted{NRP: "c0", Role: "stale"}}})
	if !errors.Is(err, events.ErrConflict) {
		t.Fatalf("stale append after fail-over: err = %v, want ErrConflict", err)
	}
	_, err = rt.Handle(ctx, "test.Grant", commands.Meta{ExpectedVersion: &staleVersion}, grant("c0", "stale"))
	if !errors.Is(err, commands.ErrConflict) {
		t.Fatalf("stale command after fail-over: err = %v, want commands.ErrConflict", err)
	}

	// The old leader comes back on its store, behind, as a follower.
	restarted := members[oldLeader]
	if err := restarted.start(); err != nil {
		t.Fatal(err)
	}
	rnc, err := nats.Connect(restarted.url, nats.MaxReconnects(-1))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rnc.Close)
	rstore, err := events.NewStore(rnc, events.NewRegistry(), testkit.Logger(t), events.WithRetryBudget(30*time.Second),
		events.WithLoadCache(0))
	if err != nil {
		t.Fatal(err)
	}
	seen := &rereads{}
	rrt := commands.NewRuntime(rstore, commands.NewPGCommandLog(pool), slog.New(seen))
	rpeople, rclaims := person.NewHandlers(rrt), claim.NewHandlers(rrt)
	outs := make([]commands.Outcome, 2*changed)
	errs := make([]error, 2*changed)
	var cg sync.WaitGroup
	for i := range changed {
		cg.Go(func() {
			outs[i], errs[i] = rpeople.GrantRole(ctx, commands.Meta{}, person.GrantRole{NRP: revoked[i], Role: "ditbinmas"})
		})
		cg.Go(func() {
			outs[changed+i], errs[changed+i] = rclaims.RequestOTP(ctx, commands.Meta{}, claim.RequestOTP{NRP: joined[i],
				Email: "ani@polri.go.id", ExpiresAt: time.Now().Add(time.Hour)})
		})
	}
	cg.Wait()
	for i := range outs {
		if errs[i] != nil || len(outs[i].Appended) != 1 {
			t.Errorf("command %d through the restarted member: %+v, %v; want one append", i, outs[i], errs[i])
		}
	}
	afterDown := seen.n.Load()
	currentFollower(t, ctx, st, oldLeader)
	stop.Store(false)
	startWriters()
	// A change acknowledged by the leader (with the other member's copy)
	// and at once a command through the restarted member that depends on
	// it.
	const rounds = 60
	for i := range rounds {
		nrp := revoked[i%changed]
		if out, err := people.RevokeRole(ctx, commands.Meta{}, person.RevokeRole{NRP: nrp, Role: "ditbinmas"}); err != nil || len(out.Appended) != 1 {
			t.Fatalf("round %d: revoke: %+v, %v", i, out, err)
		}
		if out, err := rpeople.GrantRole(ctx, commands.Meta{}, person.GrantRole{NRP: nrp, Role: "ditbinmas"}); err != nil || len(out.Appended) != 1 {
			t.Fatalf("round %d: grant through the restarted member right after a revoke: %+v, %v; want one append", i, out, err)
		}
	}
	stop.Store(true)
	wg.Wait()
	t.Logf("through restarted %s: %d commands on what it missed while down (%d decisions re-made on finding their reads behind the leader), %d right after a change (%d re-made)",
		oldLeader, len(outs), afterDown, rounds, seen.n.Load()-afterDown)
	if len(failed) > 0 {
		t.Fatalf("commands failed after the restart (first: %v)", failed[0])
	}
	currentFollower(t, ctx, st, oldLeader)

	// Two members down: the survivor's stream has no leader, and once it
	// notices it answers stream info with its own state, which may miss
	// the last acknowledged appends. StreamHead must not take that answer.
	info, err = st.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var survivor *member
	for name, m := range members {
		if name != info.Cluster.Leader && survivor == nil {
			survivor = m
		}
	}
	for _, m := range members {
		if m != survivor {
			m.kill()
		}
	}
	snc, err := nats.Connect(survivor.url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(snc.Close)
	sstore, err := events.NewStore(snc, events.NewRegistry(), testkit.Logger(t), events.WithRetryBudget(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	testkit.Eventually(t, 30*time.Second, func() error {
		actx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		st, err := sstore.JetStream().Stream(actx, "DIRECTORY")
		if err != nil {
			return err
		}
		if l := st.CachedInfo().Cluster.Leader; l != "" {
			return fmt.Errorf("stream info still names leader %s", l)
		}
		return nil
	})
	if head, err := sstore.StreamHead(ctx, "DIRECTORY"); !errors.Is(err, events.ErrUnavailable) {
		t.Fatalf("stream head from a leaderless member = %d, %v; want events.ErrUnavailable", head, err)
	}
}

// currentFollower waits until name follows the stream's leader and is
// current.
func currentFollower(t *testing.T, ctx context.Context, st jetstream.Stream, name string) {
	t.Helper()
	testkit.Eventually(t, 30*time.Second, func() error {
		info, err := st.Info(ctx)
		if err != nil {
			return err
		}
		if info.Cluster.Leader == name {
			return fmt.Errorf("%s leads again", name)
		}
		for _, r := range info.Cluster.Replicas {
			if r.Name == name && r.Current {
				return nil
			}
		}
		return fmt.Errorf("%s is not a current follower: %+v", name, info.Cluster.Replicas)
	})
}

// checkAcknowledged verifies that every acknowledged append is in the
// stream at its sequence with its event id, and that each subject's history
// has every acknowledged event once, in order, and nothing else.
func checkAcknowledged(t *testing.T, ctx context.Context, store *events.Store, st jetstream.Stream, acks []acked) {
	t.Helper()
	bySubject := map[string][]acked{}
	for _, a := range acks {
		m, err := st.GetMsg(ctx, a.seq)
		if err != nil {
			t.Fatalf("acknowledged %s at %d: %v", a.subject, a.seq, err)
		}
		if m.Subject != a.subject || m.Header.Get(jetstream.MsgIDHeader) != a.eventID {
			t.Fatalf("sequence %d holds %s/%s, acknowledged as %s/%s", a.seq, m.Subject, m.Header.Get(jetstream.MsgIDHeader), a.subject, a.eventID)
		}
		bySubject[a.subject] = append(bySubject[a.subject], a)
	}
	// Read every subject through the stream leader (an ordered consumer),
	// not a follower's direct get.
	stored := map[string][]events.Envelope{}
	if err := store.ReadStream(ctx, "DIRECTORY", 1, "", func(e events.Envelope) error {
		stored[e.Subject] = append(stored[e.Subject], e)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for subj, want := range bySubject {
		hist := stored[subj]
		ids := map[string]bool{}
		commandsSeen := map[string]bool{}
		for i, e := range hist {
			if i > 0 && e.Position <= hist[i-1].Position {
				t.Fatalf("%s: position %d after %d", subj, e.Position, hist[i-1].Position)
			}
			if ids[e.ID] || commandsSeen[e.Meta.CommandID] {
				t.Fatalf("%s: event %s (command %s) stored twice", subj, e.ID, e.Meta.CommandID)
			}
			ids[e.ID], commandsSeen[e.Meta.CommandID] = true, true
		}
		if len(hist) != len(want) {
			t.Fatalf("%s: %d events stored, %d acknowledged", subj, len(hist), len(want))
		}
		for _, a := range want {
			if !ids[a.eventID] {
				t.Fatalf("%s: acknowledged event %s at %d is missing", subj, a.eventID, a.seq)
			}
		}
	}
}
