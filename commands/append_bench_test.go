package commands_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/internal/testkit"
)

// benchSubjects is how many aggregates the appends rotate over; their
// histories grow to b.N/benchSubjects events.
const benchSubjects = 1024

// benchRun remembers the final (largest) run of a sub-benchmark.
type benchRun struct{ nsPerOp float64 }

// record reports events/s and, given the raw run of the same server, the
// command/raw throughput ratio.
func (r *benchRun) record(b *testing.B, raw *benchRun) {
	if b.N > 0 {
		r.nsPerOp = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	if raw != nil && raw.nsPerOp > 0 && r.nsPerOp > 0 {
		b.ReportMetric(raw.nsPerOp/r.nsPerOp, "cmd/raw")
	}
}

// BenchmarkAppend compares one command through commands.Runtime (command-log
// lookup, load, decide, append with OCC, command-log write batched in the background) with
// a bare JetStream synchronous publish with OCC (expected last subject
// sequence tracked in memory, and a message id as the store sets one), on
// the same server, for fsync before every ack and for a 1 s sync interval.
func BenchmarkAppend(b *testing.B) {
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
			ctx := context.Background()
			var raw, cmd benchRun

			last := make([]uint64, benchSubjects)
			rawDone := 0
			b.Run("raw", func(b *testing.B) {
				js := n.Store.JetStream()
				body := []byte(`{"user_id":"r","role":"operator"}`)
				for b.Loop() {
					k := rawDone % benchSubjects
					m := nats.NewMsg("directory.person.raw" + strconv.Itoa(k))
					m.Header.Set(jetstream.MsgIDHeader, "raw-"+strconv.Itoa(rawDone))
					m.Header.Set(jetstream.ExpectedLastSubjSeqHeader, strconv.FormatUint(last[k], 10))
					m.Data = body
					ack, err := js.PublishMsg(ctx, m)
					if err != nil {
						b.Fatal(err)
					}
					last[k] = ack.Sequence
					rawDone++
				}
				raw.record(b, nil)
			})

			cmdDone := 0
			b.Run("runtime", func(b *testing.B) {
				for b.Loop() {
					nrp := "cmd" + strconv.Itoa(cmdDone%benchSubjects)
					out, err := rt.Handle(ctx, "bench.Grant", commands.Meta{CommandID: newID(), Actor: "system:bench"}, grant(nrp, "operator"))
					if err != nil {
						b.Fatal(err)
					}
					if len(out.Appended) != 1 {
						b.Fatalf("outcome %+v", out)
					}
					cmdDone++
				}
				cmd.record(b, &raw)
			})

			// A system command (ingestion job, saga) carries no client
			// command id: nothing to look up, the decision comes from the
			// cached aggregate, and the append is the only round trip.
			var sys benchRun
			sysDone := 0
			b.Run("runtime-system", func(b *testing.B) {
				for b.Loop() {
					nrp := "sys" + strconv.Itoa(sysDone%benchSubjects)
					out, err := rt.Handle(ctx, "bench.Grant", commands.Meta{Actor: "system:bench"}, grant(nrp, "operator"))
					if err != nil {
						b.Fatal(err)
					}
					if len(out.Appended) != 1 {
						b.Fatalf("outcome %+v", out)
					}
					sysDone++
				}
				sys.record(b, &raw)
			})
		})
	}
}

// benchParallelism × GOMAXPROCS callers run at once in the parallel runs.
const benchParallelism = 8

// BenchmarkAppendParallel is BenchmarkAppend with concurrent callers, as
// the write API runs them: throughput rather than latency.
func BenchmarkAppendParallel(b *testing.B) {
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
			ctx := context.Background()
			var raw, cmd benchRun
			b.Run("raw", func(b *testing.B) {
				js := n.Store.JetStream()
				body := []byte(`{"user_id":"r","role":"operator"}`)
				b.SetParallelism(benchParallelism)
				b.RunParallel(func(pb *testing.PB) {
					// Each goroutine owns its subjects, so OCC never conflicts.
					me := newID()
					var last [16]uint64
					for i := 0; pb.Next(); i++ {
						k := i % len(last)
						m := nats.NewMsg(fmt.Sprintf("directory.person.raw%s-%d", me[len(me)-8:], k))
						m.Header.Set(jetstream.MsgIDHeader, me+strconv.Itoa(i))
						m.Header.Set(jetstream.ExpectedLastSubjSeqHeader, strconv.FormatUint(last[k], 10))
						m.Data = body
						ack, err := js.PublishMsg(ctx, m)
						if err != nil {
							b.Error(err)
							return
						}
						last[k] = ack.Sequence
					}
				})
				raw.record(b, nil)
			})
			b.Run("runtime", func(b *testing.B) {
				b.SetParallelism(benchParallelism)
				b.RunParallel(func(pb *testing.PB) {
					me := newID()
					for i := 0; pb.Next(); i++ {
						nrp := fmt.Sprintf("cmd%s-%d", me[len(me)-8:], i%16)
						if _, err := rt.Handle(ctx, "bench.Grant", commands.Meta{CommandID: newID()}, grant(nrp, "operator")); err != nil {
							b.Error(err)
							return
						}
					}
				})
				cmd.record(b, &raw)
			})
		})
	}
}
