package social_test

import (
	"context"
	"testing"
	"time"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/projections"
	pt "github.com/cicero/cicero/projections/projectiontest"
	"github.com/cicero/cicero/projections/social"
)

// BenchmarkEngagements measures, on one SOCIAL stream holding
// CICERO_BENCH_ENGAGEMENTS likes and comments: (a) a raw pgx COPY of the
// same rows into social_engagements of a fresh database (the baseline) and
// (b) the engagements projection catching up from position 0 to the head
// through the Runner into another fresh database (read, decode, COPY per
// batch, checkpoint in the same transaction). It reports both in rows/s and
// their ratio (proj/copy). Run it with -benchtime=1x.
func BenchmarkEngagements(b *testing.B) {
	plan := newPlan(benchEngagements(b))
	n := testkit.StartNATS(b, testkit.FastSync())
	head := plan.seed(b, n.Store)
	rows := plan.rows()
	b.ResetTimer()
	for b.Loop() {
		raw := copyRate(b, rows)
		proj := engagementsRate(b, n.Store, head, len(rows))
		b.ReportMetric(raw, "copy-rows/s")
		b.ReportMetric(proj, "proj-rows/s")
		b.ReportMetric(proj/raw, "proj/copy")
	}
}

// engagementsRate runs the engagements projection from 0 to head into a
// fresh database and returns rows/s.
func engagementsRate(b *testing.B, store *events.Store, head uint64, want int) float64 {
	pool, _ := testkit.NewDatabase(b)
	r := projections.NewRunner(pool, store, social.NewEngagements(store.Registry()), projections.RunnerOptions{Logger: testkit.Logger(b)})
	ckpt := projections.NewCheckpoints(pool)
	start := time.Now()
	stop := pt.StartRunner(b, r)
	for {
		p, err := ckpt.Position(context.Background(), social.EngagementsName, "SOCIAL")
		if err != nil {
			b.Fatal(err)
		}
		if p >= head {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	el := time.Since(start)
	stop()
	countRows(b, pool, "social_engagements", want)
	b.Logf("projection: %d rows (%d stream positions) in %s", want, head, el.Round(time.Millisecond))
	return float64(want) / el.Seconds()
}
