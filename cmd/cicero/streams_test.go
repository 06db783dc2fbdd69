package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/config"
	"github.com/cicero/cicero/internal/natsembed"
	"github.com/cicero/cicero/internal/testkit"
)

// withDataDirServer runs f against the embedded JetStream in cfg's DATA_DIR
// while no cicero process runs, as an earlier install or another tool left it.
func withDataDirServer(t *testing.T, cfg config.Config, f func(ctx context.Context, js jetstream.JetStream)) {
	t.Helper()
	creds, err := natsembed.LoadOrCreateCredentials(cfg.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := natsembed.Start(natsembed.Options{Name: "cicero", StoreDir: filepath.Join(cfg.DataDir, "jetstream"), Credentials: creds})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	nc, err := srv.Connect("setup")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	f(ctx, js)
}

func streamConfigIn(t *testing.T, cfg config.Config, name string) jetstream.StreamConfig {
	t.Helper()
	var got jetstream.StreamConfig
	withDataDirServer(t, cfg, func(ctx context.Context, js jetstream.JetStream) {
		st, err := js.Stream(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		got = st.CachedInfo().Config
	})
	return got
}

func mustContain(t *testing.T, what, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Fatalf("%s does not say %q:\n%s", what, w, got)
		}
	}
}

// A stream that differs from the configuration stops serve and every CLI
// command with the differences and the remedy, and changes nothing;
// `migrate --streams` applies the configuration and says what it changed,
// after which serve starts.
func TestStartRefusesDriftedStreamsUntilMigrated(t *testing.T) {
	cfg := testEnv(t)
	withDataDirServer(t, cfg, func(ctx context.Context, js jetstream.JetStream) {
		drifted := events.StreamConfig("DIRECTORY", events.StreamOptions{})
		drifted.Duplicates = time.Minute
		drifted.DenyDelete, drifted.DenyPurge = false, false
		if _, err := js.CreateStream(ctx, drifted); err != nil {
			t.Fatal(err)
		}
	})
	diff := []string{
		"DIRECTORY duplicate_window: have 1m0s, want 2m0s",
		"DIRECTORY deny_delete: have false, want true",
		"DIRECTORY deny_purge: have false, want true",
		"nothing was changed",
		"run `cicero migrate --streams`",
		"set NATS_DUPLICATE_WINDOW=1m0s instead",
	}

	_, err := NewApp(context.Background(), cfg, testkit.Logger(t))
	if !errors.Is(err, events.ErrStreamDrift) {
		t.Fatalf("serve started over a drifted stream: %v", err)
	}
	mustContain(t, "serve's refusal", err.Error(), diff...)
	_, err = runCLI(t, "events", "--json")
	if !errors.Is(err, events.ErrStreamDrift) {
		t.Fatalf("CLI ran over a drifted stream: %v", err)
	}
	mustContain(t, "the CLI's refusal", err.Error(), diff...)
	if got := streamConfigIn(t, cfg, "DIRECTORY"); got.Duplicates != time.Minute || got.DenyDelete || got.DenyPurge {
		t.Fatalf("a refused start changed the stream: duplicates %v deny delete %v purge %v", got.Duplicates, got.DenyDelete, got.DenyPurge)
	}

	out, err := runCLI(t, "migrate", "--streams")
	if err != nil {
		t.Fatalf("migrate --streams: %v\n%s", err, out)
	}
	mustContain(t, "migrate --streams", out,
		"stream DIRECTORY: updated\n  duplicate_window: 1m0s -> 2m0s\n  deny_delete: false -> true\n  deny_purge: false -> true\n",
		"stream SOCIAL: created\n", // the refused starts created nothing
		"streams: 7 created, 1 updated, 0 unchanged (NATS_REPLICAS=1, NATS_DUPLICATE_WINDOW=2m0s)")
	if got := streamConfigIn(t, cfg, "DIRECTORY"); got.Duplicates != 2*time.Minute || !got.DenyDelete || !got.DenyPurge {
		t.Fatalf("after migrate --streams: duplicates %v deny delete %v purge %v", got.Duplicates, got.DenyDelete, got.DenyPurge)
	}
	out, err = runCLI(t, "migrate", "--streams")
	if err != nil || !strings.Contains(out, "streams: 0 created, 0 updated, 8 unchanged") || strings.Contains(out, "stream DIRECTORY") {
		t.Fatalf("second migrate --streams: %v\n%s", err, out)
	}

	startApp(t, cfg)
	// With serve running, a CLI started with another duplicate window is
	// refused too, and serve's streams stay as they are.
	t.Setenv("NATS_DUPLICATE_WINDOW", "5m")
	_, err = runCLI(t, "events", "--json")
	if !errors.Is(err, events.ErrStreamDrift) {
		t.Fatalf("CLI with another duplicate window against serve: %v", err)
	}
	mustContain(t, "the CLI's refusal", err.Error(), "DIRECTORY duplicate_window: have 2m0s, want 5m0s", "SOCIAL duplicate_window: have 2m0s, want 5m0s", "set NATS_DUPLICATE_WINDOW=2m0s instead")
}

// Replicas need a cluster: with the embedded server NATS_REPLICAS=3 is
// refused before anything is created or changed.
func TestReplicasNeedACluster(t *testing.T) {
	testEnv(t)
	t.Setenv("NATS_REPLICAS", "3")
	for _, args := range [][]string{{"events", "--json"}, {"migrate", "--streams"}} {
		_, err := runCLI(t, args...)
		if err == nil || !strings.Contains(err.Error(), "NATS_REPLICAS=3 needs a NATS cluster (NATS_URL)") {
			t.Fatalf("%v with NATS_REPLICAS=3 on the embedded server: %v", args, err)
		}
	}
}

// Missing streams are created at start; identical ones get no request that
// could change them.
func TestStartCreatesMissingStreamsLeavesIdenticalAlone(t *testing.T) {
	cfg := testEnv(t)
	withDataDirServer(t, cfg, func(ctx context.Context, js jetstream.JetStream) {
		if _, err := js.CreateStream(ctx, events.StreamConfig("DIRECTORY", events.StreamOptions{})); err != nil {
			t.Fatal(err)
		}
	})
	startApp(t, cfg)
	creds, err := natsembed.LoadOrCreateCredentials(cfg.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	watcher, err := nats.Connect("nats://"+cfg.NATSListen, creds.ConnectOption())
	if err != nil {
		t.Fatal(err)
	}
	defer watcher.Close()
	js, err := jetstream.New(watcher)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, name := range events.Contexts {
		if _, err := js.Stream(ctx, name); err != nil {
			t.Fatalf("stream %s after serve started: %v", name, err)
		}
	}
	changes, err := watcher.SubscribeSync("$JS.API.STREAM.*.>")
	if err != nil {
		t.Fatal(err)
	}
	if err := watcher.Flush(); err != nil {
		t.Fatal(err)
	}
	if _, err := runCLI(t, "events", "--json"); err != nil {
		t.Fatalf("CLI with serve running: %v", err)
	}
	if err := watcher.Flush(); err != nil {
		t.Fatal(err)
	}
	lookups := 0
	for {
		m, err := changes.NextMsg(0)
		if err != nil {
			break
		}
		switch strings.Split(m.Subject, ".")[3] {
		case "INFO":
			lookups++
		case "CREATE", "UPDATE", "DELETE", "PURGE":
			t.Fatalf("a CLI start over identical streams sent %s", m.Subject)
		}
	}
	if lookups < len(events.Contexts) {
		t.Fatalf("saw %d stream look-ups, want one per stream at least (is the watcher seeing the CLI?)", lookups)
	}
}

// freeLoopbackPorts reserves n ports for a cluster's routes.
func freeLoopbackPorts(t *testing.T, n int) []int {
	t.Helper()
	var ports []int
	for i := 0; i < n; i++ {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
		defer ln.Close()
	}
	return ports
}

// startCluster boots three clustered embedded servers and returns their
// client URLs for NATS_URL.
func startCluster(t *testing.T) string {
	t.Helper()
	ports := freeLoopbackPorts(t, 3)
	var routes []string
	for _, p := range ports {
		routes = append(routes, fmt.Sprintf("127.0.0.1:%d", p))
	}
	var (
		mu   sync.Mutex
		urls []string
		wg   sync.WaitGroup
	)
	errs := make(chan error, len(ports))
	for i, p := range ports {
		wg.Add(1)
		go func() { // members wait for each other's routes
			defer wg.Done()
			srv, err := natsembed.Start(natsembed.Options{Name: fmt.Sprintf("n%d", i+1), Listen: "127.0.0.1:-1", StoreDir: t.TempDir(),
				ClusterName: "cicero-streams", ClusterListen: fmt.Sprintf("127.0.0.1:%d", p), Routes: routes})
			if err != nil {
				errs <- err
				return
			}
			mu.Lock()
			defer mu.Unlock()
			t.Cleanup(srv.Close)
			urls = append(urls, srv.ClientURL())
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	return strings.Join(urls, ",")
}

// The incident this guards against: R3 streams in a cluster, and one process
// started without NATS_REPLICAS. It must refuse, not scale them down to R1.
func TestProcessWithoutReplicasLeavesR3StreamsAlone(t *testing.T) {
	testEnv(t)
	t.Setenv("NATS_URL", startCluster(t))
	t.Setenv("NATS_REPLICAS", "3")
	cfg, err := config.Load()
	if err != nil {
		t.Fatal(err)
	}
	nc, err := nats.Connect(cfg.NATSURL)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	testkit.Eventually(t, 30*time.Second, func() error {
		// Requests go unanswered until the meta leader is elected.
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_, err := events.EnsureStreams(ctx, js, events.StreamOptions{Replicas: 3})
		return err
	})

	os.Unsetenv("NATS_REPLICAS") // t.Setenv above restores it
	_, err = runCLI(t, "events", "--json")
	if !errors.Is(err, events.ErrStreamDrift) {
		t.Fatalf("a process without NATS_REPLICAS started over R3 streams: %v", err)
	}
	mustContain(t, "the refusal", err.Error(), "DIRECTORY num_replicas: have 3, want 1", "MESSAGING num_replicas: have 3, want 1", "set NATS_REPLICAS=3 instead")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, name := range events.Contexts {
		st, err := js.Stream(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		if r := st.CachedInfo().Config.Replicas; r != 3 {
			t.Fatalf("stream %s has %d replicas after a refused start, want 3", name, r)
		}
	}
}

func TestDriftAdvice(t *testing.T) {
	type diff = events.StreamDiff
	cases := []struct {
		name       string
		diffs      []diff
		want, deny []string
	}{
		{"one replica count everywhere",
			[]diff{{Stream: "A", Field: "num_replicas", Have: "3", Want: "1"}, {Stream: "B", Field: "num_replicas", Have: "3", Want: "1"}},
			[]string{"cicero migrate --streams", "set NATS_REPLICAS=3 instead"}, []string{"recreated"}},
		{"streams disagree among themselves",
			[]diff{{Stream: "A", Field: "duplicate_window", Have: "1m0s", Want: "2m0s"}, {Stream: "B", Field: "duplicate_window", Have: "3m0s", Want: "2m0s"}},
			[]string{"cicero migrate --streams"}, []string{"NATS_DUPLICATE_WINDOW="}},
		{"a fixed setting",
			[]diff{{Stream: "A", Field: "deny_delete", Have: "false", Want: "true"}},
			[]string{"cicero migrate --streams"}, []string{"NATS_", "recreated"}},
		{"a change JetStream cannot make",
			[]diff{{Stream: "A", Field: "storage", Have: "Memory", Want: "File", Fixed: "JetStream cannot change the storage type of an existing stream"}},
			[]string{"recreated with its history copied; migrate --streams refuses them"}, []string{"NATS_"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := driftAdvice(&events.DriftError{Diffs: tc.diffs})
			mustContain(t, "the advice", got, tc.want...)
			for _, d := range tc.deny {
				if strings.Contains(got, d) {
					t.Fatalf("the advice says %q:\n%s", d, got)
				}
			}
		})
	}
}
