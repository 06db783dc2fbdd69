package commands_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/cicero/cicero/commands"
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

// startCluster boots three clustered servers on loopback, fsync before ack.
func startCluster(t *testing.T) map[string]*natsembed.Server {
	t.Helper()
	ports := freePorts(t, 3)
	var routes []string
	for _, p := range ports {
		routes = append(routes, fmt.Sprintf("127.0.0.1:%d", p))
	}
	servers := map[string]*natsembed.Server{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	for i, p := range ports {
		name := fmt.Sprintf("n%d", i+1)
		wg.Add(1)
		go func() { // members wait for each other's routes, so start them together
			defer wg.Done()
			srv, err := natsembed.Start(natsembed.Options{Name: name, Listen: "127.0.0.1:-1", StoreDir: t.TempDir(),
				ClusterName: "cicero-test", ClusterListen: fmt.Sprintf("127.0.0.1:%d", p), Routes: routes})
			if err != nil {
				errs <- fmt.Errorf("start %s: %w", name, err)
				return
			}
			mu.Lock()
			servers[name] = srv
			mu.Unlock()
		}()
	}
	wg.Wait()
	close(errs)
	for _, srv := range servers {
		t.Cleanup(srv.Close)
	}
	for err := range errs {
		t.Fatal(err)
	}
	return servers
}

// acked is one append a command reported as stored.
type acked struct {
	subject string
	seq     uint64
	eventID string
	command string
}

// Appends keep landing while the DIRECTORY stream leader is shut down, no
// acknowledged append is lost or doubled, and a stale expected version is
// still refused by the new leader.
func TestClusterLeaderFailover(t *testing.T) {
	servers := startCluster(t)
	var urls []string
	for _, s := range servers {
		urls = append(urls, s.ClientURL())
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
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
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

	const writers, subjects = 4, 6
	var (
		mu      sync.Mutex
		acks    []acked
		failed  []error
		stop    atomic.Bool
		counter atomic.Int64
	)
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
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
		}()
	}
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
	before := counter.Load()
	servers[oldLeader].Close()
	t.Logf("shut down leader %s after %d acknowledged appends", oldLeader, before)

	waitAcks(before+150, 40*time.Second)
	stop.Store(true)
	wg.Wait()

	info, err = st.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.Cluster.Leader == "" || info.Cluster.Leader == oldLeader {
		t.Fatalf("leader after fail-over: %q (was %q)", info.Cluster.Leader, oldLeader)
	}
	t.Logf("new leader %s; %d appends acknowledged, %d commands failed", info.Cluster.Leader, len(acks), len(failed))
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
