package post_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/post"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/testkit"
)

const (
	// likesPosts is how many posts a run records likes on; each op is one
	// fetch's batch for one post, so a post's history grows by one
	// LikesRecorded every likesPosts ops.
	likesPosts = 64
	// likesPerFetch is how many new likers one fetch finds on a post.
	likesPerFetch = 50
)

// likesRun remembers the final (largest) run of a sub-benchmark.
type likesRun struct{ nsPerOp float64 }

// record reports likes/s and, given the raw run of the same server, the
// command/raw throughput ratio.
func (r *likesRun) record(b *testing.B, raw *likesRun) {
	if b.N > 0 {
		r.nsPerOp = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	}
	b.ReportMetric(float64(b.N*likesPerFetch)/b.Elapsed().Seconds(), "likes/s")
	if raw != nil && raw.nsPerOp > 0 && r.nsPerOp > 0 {
		b.ReportMetric(raw.nsPerOp/r.nsPerOp, "cmd/raw")
	}
}

// fetchBatch is the i-th batch of the run: the post it is for (one of
// likesPosts, taken in turn) and likesPerFetch usernames new to that post.
func fetchBatch(i int) (postIdx int, names []string) {
	postIdx, fetch := i%likesPosts, i/likesPosts
	names = make([]string, likesPerFetch)
	for k := range names {
		names[k] = "user" + strconv.Itoa(fetch) + "_" + strconv.Itoa(k)
	}
	return postIdx, names
}

func benchPostID(prefix string, i int) string { return fmt.Sprintf("%s%06d", prefix, i) }

// BenchmarkRecordLikes compares post.Handlers.RecordLikes through
// commands.Runtime (a system command, as the fetch job issues it: decide
// from the post's history, append with OCC) with a bare JetStream
// synchronous publish of the same LikesRecorded messages (the store's
// encoding, expected last subject sequence tracked in memory, a message
// id), on the same server, for fsync before every ack and for a 1 s sync
// interval. Posts are ingested first; each op is one fetch's batch of
// likesPerFetch new likers for one post, the posts taken in turn, so
// every post's history grows through the run.
func BenchmarkRecordLikes(b *testing.B) {
	for _, mode := range []struct {
		name string
		opts []testkit.NATSOption
	}{
		{"fsync=always", nil},
		{"fsync=1s", []testkit.NATSOption{testkit.FastSync()}},
	} {
		b.Run(mode.name, func(b *testing.B) {
			n := testkit.StartNATS(b, mode.opts...)
			pool, _ := testkit.NewDatabase(b)
			clog := commands.NewBatchingCommandLog(pool, commands.BatchOptions{Logger: testkit.Logger(b)})
			b.Cleanup(func() { _ = clog.Close() })
			rt := commands.NewRuntime(n.Store, clog, testkit.Logger(b))
			h := post.NewHandlers(rt, func() time.Time { return t0 })
			ctx := context.Background()
			ingestBenchPosts(b, rt, h)
			var raw, cmd likesRun

			rp := newRawLikes(b, n.Store)
			rawDone := 0
			b.Run("raw", func(b *testing.B) {
				for b.Loop() {
					rp.publish(b, rawDone)
					rawDone++
				}
				raw.record(b, nil)
			})
			rp.check(b, rawDone)

			cmdDone := 0
			b.Run("runtime", func(b *testing.B) {
				for b.Loop() {
					p, names := fetchBatch(cmdDone)
					_, got, err := h.RecordLikes(ctx, commands.Meta{Actor: "system:bench"}, post.RecordLikes{Platform: "instagram",
						PostID: benchPostID("CMD", p), Usernames: names, ObservedAt: t0.Add(time.Duration(cmdDone) * time.Second)})
					if err != nil {
						b.Fatal(err)
					}
					if got != likesPerFetch {
						b.Fatalf("batch %d recorded %d likes, want %d", cmdDone, got, likesPerFetch)
					}
					cmdDone++
				}
				cmd.record(b, &raw)
			})
			b.Logf("%s: %d raw batches, %d command batches (%d per post)", mode.name, rawDone, cmdDone, cmdDone/likesPosts)
		})
	}
}

// ingestBenchPosts ingests the posts the runtime records likes on.
func ingestBenchPosts(b *testing.B, rt *commands.Runtime, h *post.Handlers) {
	ctx := context.Background()
	if _, err := client.NewHandlers(rt).RegisterClient(ctx, commands.Meta{Actor: "bench"}, client.RegisterClient{ClientID: "POLRES_A", Nama: "POLRES A"}); err != nil {
		b.Fatal(err)
	}
	for i := range likesPosts {
		if _, err := h.IngestPost(ctx, commands.Meta{Actor: "system:bench"}, post.IngestPost{Platform: "instagram",
			PostID: benchPostID("CMD", i), ClientID: "POLRES_A", Account: "polres_a", PublishedAt: published}); err != nil {
			b.Fatal(err)
		}
	}
}

// rawLikes publishes LikesRecorded messages straight to JetStream, encoded
// as the store encodes a one-event commit, on posts of its own.
type rawLikes struct {
	js    jetstream.JetStream
	store *events.Store
	last  []uint64
}

func newRawLikes(b *testing.B, store *events.Store) *rawLikes {
	r := &rawLikes{js: store.JetStream(), store: store, last: make([]uint64, likesPosts)}
	for i := range likesPosts {
		id := benchPostID("RAW", i)
		a, err := store.Append(context.Background(), events.Meta{Actor: "system:bench"}, events.Commit{Subject: events.PostSubject("instagram", id),
			AggregateID: id, Events: []events.Payload{events.PostIngested{Platform: "instagram", PostID: id, ClientID: "POLRES_A",
				Account: "polres_a", PublishedAt: published, Source: "fetch"}}})
		if err != nil {
			b.Fatal(err)
		}
		r.last[i] = a.Sequence
	}
	return r
}

func (r *rawLikes) publish(b *testing.B, i int) {
	p, names := fetchBatch(i)
	id := benchPostID("RAW", p)
	at := t0.Add(time.Duration(i) * time.Second).UTC()
	body, err := json.Marshal(events.LikesRecorded{Platform: "instagram", PostID: id, Usernames: names,
		ObservedAt: at, WindowStart: at, WindowEnd: at})
	if err != nil {
		b.Fatal(err)
	}
	subject := events.PostSubject("instagram", id)
	command := uuid.Must(uuid.NewV7()).String()
	m := nats.NewMsg(subject)
	m.Header.Set(jetstream.MsgIDHeader, events.EventID(command, subject, 0))
	m.Header.Set(jetstream.ExpectedLastSubjSeqHeader, strconv.FormatUint(r.last[p], 10))
	m.Header.Set("Cicero-Type", "LikesRecorded")
	m.Header.Set("Cicero-Version", "1")
	m.Header.Set("Cicero-Aggregate", id)
	m.Header.Set("Cicero-Command", command)
	m.Header.Set("Cicero-Correlation", command)
	m.Header.Set("Cicero-Actor", "system:bench")
	m.Header.Set("Cicero-Occurred-At", at.Format(time.RFC3339Nano))
	m.Data = body
	ack, err := r.js.PublishMsg(context.Background(), m)
	if err != nil {
		b.Fatal(err)
	}
	r.last[p] = ack.Sequence
}

// check reads the first raw post back through the store: the raw messages
// must decode as the events the command path appends.
func (r *rawLikes) check(b *testing.B, done int) {
	envs, _, err := r.store.Load(context.Background(), events.PostSubject("instagram", benchPostID("RAW", 0)))
	if err != nil {
		b.Fatal(err)
	}
	var likers []string
	for i := range envs {
		ev, err := r.store.Registry().Decode(&envs[i])
		if err != nil {
			b.Fatal(err)
		}
		if l, ok := ev.(*events.LikesRecorded); ok {
			likers = append(likers, l.Usernames...)
		}
	}
	var want []string
	for i := 0; i < done; i += likesPosts {
		_, names := fetchBatch(i)
		want = append(want, names...)
	}
	if !slices.Equal(likers, want) {
		b.Fatalf("raw post 0 decodes to %d likers, want %d", len(likers), len(want))
	}
}
