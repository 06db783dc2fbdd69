package social_test

import (
	"context"
	"testing"
	"time"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/projections"
	"github.com/cicero/cicero/projections/social"
)

// BenchmarkRebuild times a full rebuild of the social read models (posts,
// engagements, accounts, one after the other as `cicero rebuild` runs
// them: replay into shadow tables, swap) from a SOCIAL stream of
// CICERO_BENCH_ENGAGEMENTS likes and comments over one post per thousand,
// into a fresh database. It reports the time, stream events and engagement
// rows per second of the whole rebuild, and the engagements rebuild's rows/s
// against a raw COPY of the same rows measured in the same run
// (engagements/copy). Run it with -benchtime=1x; `make bench-full` runs it
// at 3,000,000.
func BenchmarkRebuild(b *testing.B) {
	plan := newPlan(benchEngagements(b))
	n := testkit.StartNATS(b, testkit.FastSync())
	head := plan.seed(b, n.Store)
	rows := plan.rows()
	b.ResetTimer()
	for b.Loop() {
		raw := copyRate(b, rows)
		total, engagements := rebuildAll(b, n.Store, plan)
		b.ReportMetric(total.Seconds(), "rebuild-s")
		b.ReportMetric(float64(head)/total.Seconds(), "events/s")
		b.ReportMetric(float64(len(rows))/total.Seconds(), "rows/s")
		b.ReportMetric(float64(len(rows))/engagements.Seconds()/raw, "engagements/copy")
	}
}

// rebuildAll rebuilds the three social read models into a fresh database
// and checks their row counts; it returns the total time and the
// engagements projection's.
func rebuildAll(b *testing.B, store *events.Store, plan *engagementPlan) (total, engagements time.Duration) {
	pool, _ := testkit.NewDatabase(b)
	ctx := context.Background()
	reg := store.Registry()
	for _, p := range []projections.Projection{social.NewPosts(reg), social.NewEngagements(reg), social.NewAccounts(reg)} {
		start := time.Now()
		if err := projections.Rebuild(ctx, pool, store, p, nil); err != nil {
			b.Fatal(err)
		}
		el := time.Since(start)
		b.Logf("rebuilt %s in %s", p.Name(), el.Round(time.Millisecond))
		total += el
		if p.Name() == social.EngagementsName {
			engagements = el
		}
	}
	countRows(b, pool, "social_engagements", plan.total)
	countRows(b, pool, "social_posts", len(plan.posts))
	countRows(b, pool, "social_fetch_runs", fetchRounds*benchClients)
	return total, engagements
}
