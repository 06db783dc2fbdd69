// Package testkit holds the shared test helpers: an embedded JetStream, a
// fresh migrated Postgres database, Redis, and a poller for eventual results.
// Every helper fails the test itself and cleans up with t.Cleanup.
package testkit

import (
	"context"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/natsembed"
)

// NATS is a running embedded server with a connection and a provisioned store.
type NATS struct {
	Server *natsembed.Server
	Conn   *nats.Conn
	Store  *events.Store
	Dir    string
}

// NATSOption tweaks the embedded server of a test.
type NATSOption func(*natsembed.Options)

// FastSync lets tests that append thousands of events fsync on an interval;
// durability and crash tests keep the default fsync-before-ack.
func FastSync() NATSOption {
	return func(o *natsembed.Options) { o.SyncInterval = time.Second }
}

// Listen makes the server listen on a loopback port (for CLI-style clients).
func Listen() NATSOption {
	return func(o *natsembed.Options) { o.Listen = "127.0.0.1:-1" }
}

// StartNATS starts an in-process JetStream in a temporary directory and
// provisions every event stream.
func StartNATS(tb testing.TB, opts ...NATSOption) *NATS {
	tb.Helper()
	o := natsembed.Options{Name: "test", StoreDir: tb.TempDir()}
	for _, f := range opts {
		f(&o)
	}
	srv, err := natsembed.Start(o)
	if err != nil {
		tb.Fatalf("start nats: %v", err)
	}
	tb.Cleanup(srv.Close)
	nc, err := srv.Connect("test", natsembed.LogErrors(Logger(tb)))
	if err != nil {
		tb.Fatalf("connect nats: %v", err)
	}
	tb.Cleanup(nc.Close)
	store := MustStore(tb, nc)
	return &NATS{Server: srv, Conn: nc, Store: store, Dir: o.StoreDir}
}

// MustStore builds an event store on nc and creates the streams (as a
// process start does: an existing stream that differs fails the test).
func MustStore(tb testing.TB, nc *nats.Conn) *events.Store {
	tb.Helper()
	store, err := events.NewStore(nc, events.NewRegistry(), Logger(tb))
	if err != nil {
		tb.Fatalf("event store: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := events.EnsureStreams(ctx, store.JetStream(), events.StreamOptions{}); err != nil {
		tb.Fatalf("ensure streams: %v", err)
	}
	return store
}

// Logger is a quiet logger for tests (CICERO_TEST_LOG=1 shows it).
func Logger(tb testing.TB) *slog.Logger {
	if os.Getenv("CICERO_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// CheckFsyncBeforeAck appends small messages through nc, each waiting for
// its acknowledgement, and checks from what this process sent to storage
// (Linux /proc/self/io write_bytes) whether the server fsynced before every
// acknowledgement. An fsync writes the stream's last page back to disk, so
// the next append dirties it again: at least one page per append. Without
// fsync the page stays dirty in the page cache and is counted once.
// The caller must not run in parallel with tests that write files.
func CheckFsyncBeforeAck(tb testing.TB, nc *nats.Conn, want bool) {
	tb.Helper()
	const appends = 100
	js, err := jetstream.New(nc)
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "FSYNC_PROBE", Subjects: []string{"fsyncprobe.>"}, Storage: jetstream.FileStorage}); err != nil {
		tb.Fatalf("fsync probe stream: %v", err)
	}
	defer func() { _ = js.DeleteStream(context.Background(), "FSYNC_PROBE") }()
	body := []byte(strings.Repeat("e", 64))
	if _, err := js.Publish(ctx, "fsyncprobe.warm", body); err != nil {
		tb.Fatal(err)
	}
	before := writeBytes(tb)
	for i := 0; i < appends; i++ {
		if _, err := js.Publish(ctx, "fsyncprobe.x", body); err != nil {
			tb.Fatal(err)
		}
	}
	pages := (writeBytes(tb) - before) / int64(os.Getpagesize())
	switch {
	case want && pages == 0:
		tb.Skip("the file system under the store does not report writes (tmpfs?)")
	case want && pages < appends:
		tb.Fatalf("%d appends sent %d pages to storage: not fsynced before each acknowledgement", appends, pages)
	case !want && pages >= appends/4:
		tb.Fatalf("%d appends sent %d pages to storage: fsynced although a sync interval was set", appends, pages)
	}
}

// writeBytes is what this process has caused to be sent to storage so far.
func writeBytes(tb testing.TB) int64 {
	tb.Helper()
	raw, err := os.ReadFile("/proc/self/io")
	if err != nil {
		tb.Skipf("no per-process I/O accounting: %v", err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "write_bytes: "); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			if err != nil {
				tb.Fatalf("/proc/self/io write_bytes %q: %v", v, err)
			}
			return n
		}
	}
	tb.Skip("/proc/self/io has no write_bytes")
	return 0
}
