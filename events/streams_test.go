package events_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/natsembed"
)

// bareJetStream is an embedded server with no streams yet (testkit.StartNATS
// would create them) and a way to count the stream API requests it receives.
type bareJetStream struct {
	js      jetstream.JetStream
	nc      *nats.Conn
	creates *nats.Subscription
	updates *nats.Subscription
	watcher *nats.Conn
}

func newBareJetStream(t *testing.T) *bareJetStream {
	t.Helper()
	srv, err := natsembed.Start(natsembed.Options{Name: "streams", StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	b := &bareJetStream{}
	if b.nc, err = srv.Connect("test"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.nc.Close)
	if b.js, err = jetstream.New(b.nc); err != nil {
		t.Fatal(err)
	}
	// A second client sees every request the first sends to the JetStream API.
	if b.watcher, err = srv.Connect("watcher"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.watcher.Close)
	if b.creates, err = b.watcher.SubscribeSync("$JS.API.STREAM.CREATE.>"); err != nil {
		t.Fatal(err)
	}
	if b.updates, err = b.watcher.SubscribeSync("$JS.API.STREAM.UPDATE.>"); err != nil {
		t.Fatal(err)
	}
	if err := b.watcher.Flush(); err != nil {
		t.Fatal(err)
	}
	return b
}

// requests returns the stream names created and updated since the last call.
func (b *bareJetStream) requests(t *testing.T) (created, updated []string) {
	t.Helper()
	// Requests reach the watcher before their replies reach the sender, so a
	// round trip on the watcher after the call returned delivers them all.
	if err := b.watcher.Flush(); err != nil {
		t.Fatal(err)
	}
	drain := func(sub *nats.Subscription) []string {
		var names []string
		for {
			m, err := sub.NextMsg(0)
			if err != nil {
				return names
			}
			names = append(names, m.Subject[strings.LastIndex(m.Subject, ".")+1:])
		}
	}
	return drain(b.creates), drain(b.updates)
}

func (b *bareJetStream) config(t *testing.T, name string) jetstream.StreamConfig {
	t.Helper()
	st, err := b.js.Stream(testCtx(t), name)
	if err != nil {
		t.Fatal(err)
	}
	return st.CachedInfo().Config
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// Missing streams are created, and only those; identical streams get no
// update request, so a start never rewrites a stream it agrees with.
func TestEnsureStreamsCreatesMissingLeavesIdenticalAlone(t *testing.T) {
	t.Parallel()
	b := newBareJetStream(t)
	ctx := testCtx(t)
	made, err := events.EnsureStreams(ctx, b.js, events.StreamOptions{})
	if err != nil {
		t.Fatal(err)
	}
	creates, updates := b.requests(t)
	if !slices.Equal(made, events.Contexts) || !slices.Equal(creates, events.Contexts) || len(updates) != 0 {
		t.Fatalf("fresh server: made %v, create requests %v, update requests %v; want every context created once", made, creates, updates)
	}

	// What the server reports back compares equal to what we asked for.
	made, err = events.EnsureStreams(ctx, b.js, events.StreamOptions{})
	creates, updates = b.requests(t)
	if err != nil || len(made) != 0 || len(creates) != 0 || len(updates) != 0 {
		t.Fatalf("second start: made %v, err %v, create %v, update %v; want nothing", made, err, creates, updates)
	}
	changes, err := events.ApplyStreams(ctx, b.js, events.StreamOptions{})
	creates, updates = b.requests(t)
	if err != nil || len(changes) != 0 || len(creates) != 0 || len(updates) != 0 {
		t.Fatalf("apply on identical streams: changes %+v, err %v, create %v, update %v; want nothing", changes, err, creates, updates)
	}

	if err := b.js.DeleteStream(ctx, "PREMIUM"); err != nil {
		t.Fatal(err)
	}
	made, err = events.EnsureStreams(ctx, b.js, events.StreamOptions{})
	creates, updates = b.requests(t)
	if err != nil || !slices.Equal(made, []string{"PREMIUM"}) || !slices.Equal(creates, []string{"PREMIUM"}) || len(updates) != 0 {
		t.Fatalf("one stream missing: made %v, err %v, create %v, update %v; want PREMIUM created only", made, err, creates, updates)
	}
}

// A stream that differs from the configuration in any setting that matters
// stops the start with the stream, field, have and want; ApplyStreams then
// makes the change (and reports it) or, when JetStream cannot make it in
// place, changes nothing at all.
func TestEnsureStreamsRefusesDriftApplyStreamsMigrates(t *testing.T) {
	t.Parallel()
	type diff = events.StreamDiff
	cases := []struct {
		name  string
		drift func(*jetstream.StreamConfig)
		diffs []diff // of DIRECTORY, Stream and Fixed left out
		fixed bool   // JetStream cannot make one of them in place
	}{
		{"duplicate_window", func(c *jetstream.StreamConfig) { c.Duplicates = time.Minute },
			[]diff{{Field: "duplicate_window", Have: "1m0s", Want: "2m0s"}}, false},
		{"deny_delete", func(c *jetstream.StreamConfig) { c.DenyDelete = false },
			[]diff{{Field: "deny_delete", Have: "false", Want: "true"}}, false},
		{"rollup", func(c *jetstream.StreamConfig) { c.AllowRollup, c.DenyPurge = true, false }, // roll-ups need purge
			[]diff{{Field: "deny_purge", Have: "false", Want: "true"}, {Field: "allow_rollup_hdrs", Have: "true", Want: "false"}}, false},
		{"max_msgs_per_subject", func(c *jetstream.StreamConfig) { c.MaxMsgsPerSubject = 1 },
			[]diff{{Field: "max_msgs_per_subject", Have: "1", Want: "-1"}}, false},
		{"max_age", func(c *jetstream.StreamConfig) { c.MaxAge = 24 * time.Hour },
			[]diff{{Field: "max_age", Have: "24h0m0s", Want: "0s"}}, false},
		{"allow_direct", func(c *jetstream.StreamConfig) { c.AllowDirect = false },
			[]diff{{Field: "allow_direct", Have: "false", Want: "true"}}, false},
		{"allow_atomic", func(c *jetstream.StreamConfig) { c.AllowAtomicPublish = false },
			[]diff{{Field: "allow_atomic", Have: "false", Want: "true"}}, false},
		{"retention", func(c *jetstream.StreamConfig) { c.Retention = jetstream.InterestPolicy },
			[]diff{{Field: "retention", Have: "Interest", Want: "Limits"}}, false},
		{"subjects", func(c *jetstream.StreamConfig) { c.Subjects = append(c.Subjects, "elsewhere.>") },
			[]diff{{Field: "subjects", Have: "[directory.> elsewhere.>]", Want: "[directory.>]"}}, false},
		{"storage", func(c *jetstream.StreamConfig) { c.Storage = jetstream.MemoryStorage },
			[]diff{{Field: "storage", Have: "Memory", Want: "File"}}, true},
		// Async persistence acknowledges before writing, whatever the
		// server's fsync setting; the server refuses it with atomic publish.
		{"persist_mode", func(c *jetstream.StreamConfig) {
			c.PersistMode, c.AllowAtomicPublish = jetstream.AsyncPersistMode, false
		},
			[]diff{{Field: "persist_mode", Have: "Async", Want: "Default"}, {Field: "allow_atomic", Have: "false", Want: "true"}}, true},
		{"allow_msg_ttl", func(c *jetstream.StreamConfig) { c.AllowMsgTTL = true },
			[]diff{{Field: "allow_msg_ttl", Have: "true", Want: "false"}}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := newBareJetStream(t)
			ctx := testCtx(t)
			// DIRECTORY drifts in the field under test, SOCIAL in its
			// duplicate window, the rest are as configured.
			for _, name := range events.Contexts {
				cfg := events.StreamConfig(name, events.StreamOptions{})
				switch name {
				case "DIRECTORY":
					tc.drift(&cfg)
				case "SOCIAL":
					cfg.Duplicates = 30 * time.Second
				}
				if _, err := b.js.CreateStream(ctx, cfg); err != nil {
					t.Fatalf("create %s: %v", name, err)
				}
			}
			b.requests(t)
			before := b.config(t, "DIRECTORY")

			_, err := events.EnsureStreams(ctx, b.js, events.StreamOptions{})
			var drift *events.DriftError
			if !errors.As(err, &drift) || !errors.Is(err, events.ErrStreamDrift) {
				t.Fatalf("EnsureStreams = %v, want a DriftError", err)
			}
			var wantDiffs []events.StreamDiff
			for _, d := range tc.diffs {
				d.Stream = "DIRECTORY"
				wantDiffs = append(wantDiffs, d)
			}
			wantDiffs = append(wantDiffs, diff{Stream: "SOCIAL", Field: "duplicate_window", Have: "30s", Want: "2m0s"})
			got := slices.Clone(drift.Diffs)
			anyFixed := false
			for i := range got {
				anyFixed = anyFixed || got[i].Fixed != ""
				if got[i].Stream == "SOCIAL" && got[i].Fixed != "" {
					t.Errorf("a duplicate window change is one JetStream makes: %v", got[i])
				}
				got[i].Fixed = ""
			}
			if anyFixed != tc.fixed {
				t.Errorf("diffs %v: some fixed = %v, want %v", drift.Diffs, anyFixed, tc.fixed)
			}
			if !slices.Equal(got, wantDiffs) {
				t.Fatalf("diffs\n got %v\nwant %v", got, wantDiffs)
			}
			first := tc.diffs[0]
			if !strings.Contains(err.Error(), "DIRECTORY "+first.Field+": have "+first.Have+", want "+first.Want) {
				t.Fatalf("error does not name the difference: %v", err)
			}
			if _, updates := b.requests(t); len(updates) != 0 {
				t.Fatalf("EnsureStreams sent updates %v", updates)
			}

			changes, err := events.ApplyStreams(ctx, b.js, events.StreamOptions{})
			_, updates := b.requests(t)
			if tc.fixed {
				if !errors.Is(err, events.ErrStreamChangeImpossible) || !strings.Contains(err.Error(), "DIRECTORY "+first.Field) {
					t.Fatalf("ApplyStreams = %v, want ErrStreamChangeImpossible naming DIRECTORY %s", err, first.Field)
				}
				if len(changes) != 0 || len(updates) != 0 {
					t.Fatalf("a refused migration changed %+v (update requests %v)", changes, updates)
				}
				if after := b.config(t, "SOCIAL"); after.Duplicates != 30*time.Second {
					t.Fatalf("SOCIAL was migrated although the migration was refused: %v", after.Duplicates)
				}
				if after := b.config(t, "DIRECTORY"); len(events.DiffStream(after, before)) != 0 {
					t.Fatalf("DIRECTORY changed: %v", events.DiffStream(after, before))
				}
				return
			}
			if err != nil {
				t.Fatalf("ApplyStreams: %v", err)
			}
			if len(changes) != 2 || changes[0].Stream != "DIRECTORY" || changes[1].Stream != "SOCIAL" ||
				len(changes[0].Diffs) != len(tc.diffs) || changes[1].Diffs[0].Field != "duplicate_window" {
				t.Fatalf("changes = %+v, want DIRECTORY %v and SOCIAL duplicate_window", changes, tc.diffs)
			}
			if !slices.Equal(updates, []string{"DIRECTORY", "SOCIAL"}) {
				t.Fatalf("update requests %v, want DIRECTORY and SOCIAL only", updates)
			}
			if _, err := events.EnsureStreams(ctx, b.js, events.StreamOptions{}); err != nil {
				t.Fatalf("after ApplyStreams: %v", err)
			}
		})
	}
}

// The operator's own settings (compression, description, metadata) survive
// a migration: only what Cicero decides is changed.
func TestApplyStreamsKeepsOperatorSettings(t *testing.T) {
	t.Parallel()
	b := newBareJetStream(t)
	ctx := testCtx(t)
	cfg := events.StreamConfig("DIRECTORY", events.StreamOptions{})
	cfg.Duplicates = time.Minute
	cfg.Compression = jetstream.S2Compression
	cfg.Description = "placed by ops"
	if _, err := b.js.CreateStream(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	changes, err := events.ApplyStreams(ctx, b.js, events.StreamOptions{DuplicateWindow: 5 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != len(events.Contexts) || changes[0].Created || len(changes[0].Diffs) != 1 || !changes[1].Created {
		t.Fatalf("changes = %+v, want DIRECTORY updated and the rest created", changes)
	}
	after := b.config(t, "DIRECTORY")
	if after.Duplicates != 5*time.Minute || after.Compression != jetstream.S2Compression || after.Description != "placed by ops" {
		t.Fatalf("after migration: duplicates %v, compression %v, description %q", after.Duplicates, after.Compression, after.Description)
	}
}

// Replicas are compared like any other setting, and a start refused for
// drift creates no missing stream either; a change the server refuses (R3 on
// a single server) comes back with the stream named.
func TestApplyStreamsReplicas(t *testing.T) {
	t.Parallel()
	b := newBareJetStream(t)
	ctx := testCtx(t)
	if _, err := events.EnsureStreams(ctx, b.js, events.StreamOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := b.js.DeleteStream(ctx, "MESSAGING"); err != nil {
		t.Fatal(err)
	}
	b.requests(t)
	made, err := events.EnsureStreams(ctx, b.js, events.StreamOptions{Replicas: 3})
	if creates, _ := b.requests(t); len(made) != 0 || len(creates) != 0 {
		t.Fatalf("a start refused for drift created %v (requests %v): a wrong configuration creates wrong streams", made, creates)
	}
	var drift *events.DriftError
	if !errors.As(err, &drift) || len(drift.Diffs) != len(events.Contexts)-1 ||
		drift.Diffs[0] != (events.StreamDiff{Stream: "DIRECTORY", Field: "num_replicas", Have: "1", Want: "3"}) {
		t.Fatalf("EnsureStreams with R3 over R1 streams = %v", err)
	}
	_, err = events.ApplyStreams(ctx, b.js, events.StreamOptions{Replicas: 3})
	if err == nil || !strings.Contains(err.Error(), "update stream DIRECTORY") || !strings.Contains(err.Error(), "replicas") {
		t.Fatalf("ApplyStreams R3 on one server = %v, want the server's refusal for DIRECTORY", err)
	}
}
