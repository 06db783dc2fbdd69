// Package testkit holds the shared test helpers: an embedded JetStream, a
// fresh migrated Postgres database, Redis, and a poller for eventual results.
// Every helper fails the test itself and cleans up with t.Cleanup.
package testkit

import (
	"context"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

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
