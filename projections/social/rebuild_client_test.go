package social_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/projections"
	auditidx "github.com/cicero/cicero/projections/audit"
	pt "github.com/cicero/cicero/projections/projectiontest"
	"github.com/cicero/cicero/projections/social"
)

// TestRebuildOneClient: POLRES_A's attendance figures, damaged the way a
// projection bug would leave them, are rebuilt alone while the live runner
// runs; POLRES_B's figures answer unchanged while the rebuild's transaction
// is open (and A's old rows stay visible until it commits); afterwards
// every table equals a full rebuild's.
func TestRebuildOneClient(t *testing.T) {
	ctx := context.Background()
	n := testkit.StartNATS(t)
	heads := attWorld(t, n)
	pool, _ := testkit.NewDatabase(t)
	reg := n.Store.Registry()
	eng := social.NewEngagements(reg)
	pt.StartRunner(t, projections.NewRunner(pool, n.Store, auditidx.Index{}, pt.QuietOpts(t)))
	pt.StartRunner(t, projections.NewRunner(pool, n.Store, eng, pt.QuietOpts(t)))
	for s, h := range heads {
		pt.WaitProjection(t, pool, auditidx.Name, s, h)
	}
	pt.WaitProjection(t, pool, social.EngagementsName, "SOCIAL", heads["SOCIAL"])
	if err := projections.Rebuild(ctx, pool, n.Store, social.NewEngagements(reg), nil); err != nil {
		t.Fatal(err)
	}
	tables := eng.Tables()
	full := pt.Dump(t, pool, tables...)
	clientRows := func(q *pgxpool.Pool, ctx context.Context, client string) []string {
		t.Helper()
		rows, err := q.Query(ctx, `SELECT row_to_json(d)::text FROM social_daily_attendance d WHERE task = $1 ORDER BY 1`,
			social.ClientTask(client))
		if err != nil {
			t.Fatal(err)
		}
		out, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	bBefore := clientRows(pool, ctx, "POLRES_B")
	if len(bBefore) == 0 {
		t.Fatal("POLRES_B has no attendance rows to watch")
	}
	for _, q := range []string{
		`UPDATE social_daily_attendance SET posts = posts + 5 WHERE task = 'client:POLRES_A'`,
		`INSERT INTO social_daily_attendance VALUES ('instagram', 'like', 'client:POLRES_A', '2026-05-04', 'ghost', 1)`,
		`DELETE FROM social_engagements WHERE post_id = 'IGA0000001' AND username = 'budi.a'`,
		`DELETE FROM social_attendance_tasks WHERE post_id = 'IGA0000003'`,
	} {
		if _, err := pool.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	damaged := clientRows(pool, ctx, "POLRES_A")
	if cmp.Equal(full, pt.Dump(t, pool, tables...)) {
		t.Fatal("the damage did not change the tables")
	}
	var paused bool
	res, err := projections.RebuildClient(ctx, pool, n.Store, social.NewEngagements(reg), "polres_a", auditidx.SubjectsFor,
		func(done, total int) {
			if done < total {
				return
			}
			paused = true
			rctx, cancel := context.WithTimeout(ctx, 2*time.Second)
			defer cancel()
			if got := clientRows(pool, rctx, "POLRES_B"); !slices.Equal(got, bBefore) {
				t.Errorf("POLRES_B during the rebuild:\n%v\nwant\n%v", got, bBefore)
			}
			if got := clientRows(pool, rctx, "POLRES_A"); !slices.Equal(got, damaged) {
				t.Errorf("POLRES_A's rows changed before the commit: %v", got)
			}
		})
	if err != nil {
		t.Fatal(err)
	}
	if !paused || res.Subjects != 4 || res.Events == 0 {
		t.Fatalf("rebuild = %+v (paused inside: %v), want POLRES_A's 4 posts", res, paused)
	}
	if diff := cmp.Diff(full, pt.Dump(t, pool, tables...)); diff != "" {
		t.Fatalf("after rebuilding POLRES_A (-full rebuild +client rebuild):\n%s", diff)
	}
	if got := clientRows(pool, ctx, "POLRES_B"); !slices.Equal(got, bBefore) {
		t.Fatalf("POLRES_B changed: %v", got)
	}
	// The checkpoint kept its position; the live runner continues from it.
	if c, err := projections.NewCheckpoints(pool).Position(ctx, social.EngagementsName, "SOCIAL"); err != nil || c != heads["SOCIAL"] {
		t.Fatalf("checkpoint = %d %v, want %d", c, err, heads["SOCIAL"])
	}
	// A projection that cannot be split per client says so.
	if _, err := projections.RebuildClient(ctx, pool, n.Store, social.NewPosts(reg), "POLRES_A", auditidx.SubjectsFor, nil); err == nil {
		t.Fatal("social_posts rebuilt per client")
	}
}
