package audit_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/projections"
	"github.com/cicero/cicero/projections/audit"
	pt "github.com/cicero/cicero/projections/projectiontest"
)

// BenchmarkIndexCatchUp measures how fast the audit index catches up on a
// DIRECTORY stream of CICERO_BENCH_EVENTS events (default 50,000; one event
// per message, 16 clients, a person's registration then handle changes).
func BenchmarkIndexCatchUp(b *testing.B) {
	total := 50_000
	if v := os.Getenv("CICERO_BENCH_EVENTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 100 {
			b.Fatalf("CICERO_BENCH_EVENTS=%q", v)
		}
		total = n
	}
	ctx := context.Background()
	n := testkit.StartNATS(b, testkit.FastSync())
	const workers = 16
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			var v uint64
			nrp := strconv.Itoa(90000000 + w)
			for i := range total / workers {
				var ev events.Payload = events.PersonHandleChanged{NRP: nrp, Platform: events.PlatformInstagram, Handle: fmt.Sprintf("h%d", i)}
				if i == 0 {
					ev = events.PersonRegistered{NRP: nrp, Nama: "X", ClientID: fmt.Sprintf("POLRES_%02d", w)}
				}
				res, err := n.Store.Append(ctx, events.Meta{Actor: "bench", Channel: "cli"}, events.Commit{Subject: events.PersonSubject(nrp),
					AggregateID: nrp, Expected: v, Events: []events.Payload{ev}})
				if err != nil {
					b.Error(err)
					return
				}
				v = res.Sequence
			}
		})
	}
	wg.Wait()
	head, err := n.Store.StreamHead(ctx, "DIRECTORY")
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		pool, _ := testkit.NewDatabase(b)
		start := time.Now()
		stop := pt.StartRunner(b, projections.NewRunner(pool, n.Store, audit.Index{}, pt.QuietOpts(b)))
		pt.WaitProjection(b, pool, audit.Name, "DIRECTORY", head)
		el := time.Since(start)
		stop()
		b.ReportMetric(float64(head)/el.Seconds(), "events/s")
	}
}
