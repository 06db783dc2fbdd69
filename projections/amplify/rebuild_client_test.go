package amplify_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/projections"
	"github.com/cicero/cicero/projections/amplify"
	auditidx "github.com/cicero/cicero/projections/audit"
	pt "github.com/cicero/cicero/projections/projectiontest"
)

// TestRebuildOneClientsReports: POLRESA's link reports and khusus posts,
// damaged the way a projection bug would leave them (a changed link, a
// lost row, a ghost row), are rebuilt alone while the live runner runs;
// POLRESB's rows, damaged too, are left exactly as they were, also while
// the rebuild's transaction is open.
func TestRebuildOneClientsReports(t *testing.T) {
	ctx := context.Background()
	n := testkit.StartNATS(t, testkit.FastSync())
	pub := time.Date(2026, 12, 2, 18, 30, 0, 0, time.UTC)
	versions := map[string]uint64{}
	heads := map[string]uint64{}
	app := func(kind, code, nrp string, ev events.Payload) {
		t.Helper()
		subject := events.LinkReportSubject(kind, code, nrp)
		a, err := n.Store.Append(ctx, events.Meta{Actor: "test"}, events.Commit{Subject: subject,
			AggregateID: events.LinkReportAggregateID(kind, code, nrp), Expected: versions[subject], Events: []events.Payload{ev}})
		if err != nil {
			t.Fatal(err)
		}
		versions[subject], heads[a.Stream] = a.Sequence, a.Sequence
	}
	submit := func(kind, code, nrp, client string, at time.Duration) {
		t.Helper()
		app(kind, code, nrp, &events.LinkReportSubmitted{Kind: kind, Shortcode: code, UserID: nrp, ClientID: client,
			Links: events.Links{Instagram: "https://ig/" + code + "/" + nrp}, PostPublishedAt: pub, SubmittedAt: pub.Add(at)})
	}
	submit("regular", "POST_A1", "1001", "POLRESA", time.Hour)
	submit("regular", "POST_A1", "1002", "POLRESA", 2*time.Hour)
	submit("khusus", "KHUSUS.A", "1001", "POLRESA", 3*time.Hour)
	submit("khusus", "KHUSUS.A", "1002", "POLRESA", 90*time.Minute) // later in the stream, earlier in time
	submit("regular", "POST_B1", "2001", "POLRESB", time.Hour)
	submit("khusus", "KHUSUS.A", "2001", "POLRESB", 4*time.Hour) // the same post, registered by B too
	app("regular", "POST_A1", "1002", &events.LinkReportUpdated{Kind: "regular", Shortcode: "POST_A1", UserID: "1002",
		Links: events.Links{Facebook: "https://fb/1002"}, UpdatedAt: pub.Add(5 * time.Hour)})
	submit("regular", "POST_A2", "1003", "POLRESA", time.Hour)
	app("regular", "POST_A2", "1003", &events.LinkReportDeleted{Kind: "regular", Shortcode: "POST_A2", UserID: "1003", DeletedAt: pub})

	pool, _ := testkit.NewDatabase(t)
	reg := n.Store.Registry()
	pt.StartRunner(t, projections.NewRunner(pool, n.Store, auditidx.Index{}, pt.QuietOpts(t)))
	pt.StartRunner(t, projections.NewRunner(pool, n.Store, amplify.NewReports(reg), pt.QuietOpts(t)))
	for s, h := range heads {
		pt.WaitProjection(t, pool, auditidx.Name, s, h)
		pt.WaitProjection(t, pool, amplify.ReportsName, s, h)
	}
	tables := amplify.NewReports(reg).Tables()
	full := pt.Dump(t, pool, tables...)
	rowsOf := func(ctx context.Context, client string) []string {
		t.Helper()
		rows, err := pool.Query(ctx, `SELECT row_to_json(r)::text FROM amplify_reports r WHERE client_id = $1
			UNION ALL SELECT row_to_json(k)::text FROM amplify_khusus_posts k WHERE client_id = $1 ORDER BY 1`, client)
		if err != nil {
			t.Fatal(err)
		}
		out, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	if a, b := rowsOf(ctx, "POLRESA"), rowsOf(ctx, "POLRESB"); len(a) != 5 || len(b) != 3 {
		t.Fatalf("before the damage: POLRESA %d rows (want 4 reports + 1 khusus post), POLRESB %d (want 2 + 1)", len(a), len(b))
	}
	for _, q := range []string{
		`UPDATE amplify_reports SET instagram_link = 'https://wrong' WHERE shortcode = 'POST_A1' AND user_id = '1001'`,
		`DELETE FROM amplify_reports WHERE shortcode = 'KHUSUS.A' AND user_id = '1002'`,
		`INSERT INTO amplify_reports (kind, shortcode, user_id, client_id, post_published_at, post_date, submitted_at, submitted_date, updated_at, version)
			SELECT 'regular', 'GHOST', '1009', 'POLRESA', post_published_at, post_date, submitted_at, submitted_date, updated_at, 1
			FROM amplify_reports WHERE shortcode = 'POST_A1' AND user_id = '1001'`,
		`UPDATE amplify_khusus_posts SET registered_at = registered_at + interval '1 day' WHERE client_id = 'POLRESA'`,
		`UPDATE amplify_reports SET instagram_link = 'https://b-damage' WHERE client_id = 'POLRESB'`,
		`DELETE FROM amplify_khusus_posts WHERE client_id = 'POLRESB'`,
	} {
		if _, err := pool.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	damagedA, damagedB := rowsOf(ctx, "POLRESA"), rowsOf(ctx, "POLRESB")
	var paused bool
	res, err := projections.RebuildClient(ctx, pool, n.Store, amplify.NewReports(reg), "polresa", auditidx.SubjectsFor,
		func(done, total int) {
			if done < total {
				return
			}
			paused = true
			rctx, cancel := context.WithTimeout(ctx, 2*time.Second)
			defer cancel()
			if got := rowsOf(rctx, "POLRESA"); !slices.Equal(got, damagedA) {
				t.Errorf("POLRESA's rows changed before the commit:\n%v", got)
			}
		})
	if err != nil {
		t.Fatal(err)
	}
	// POST_A1 ×2, KHUSUS.A ×2, POST_A2: the deleted report is replayed too.
	if !paused || res.Subjects != 5 || res.Events != 7 {
		t.Fatalf("rebuild = %+v (paused inside: %v), want POLRESA's 5 reports and their 7 events", res, paused)
	}
	if got := rowsOf(ctx, "POLRESB"); !slices.Equal(got, damagedB) {
		t.Errorf("POLRESB's rows were touched:\n%v\nwant\n%v", got, damagedB)
	}
	// POLRESA is whole again: with POLRESB's damage undone, every table
	// equals what the runner built.
	if _, err := pool.Exec(ctx, `UPDATE amplify_reports SET instagram_link = 'https://ig/' || shortcode || '/' || user_id WHERE client_id = 'POLRESB'`); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO amplify_khusus_posts VALUES ('POLRESB', 'KHUSUS.A', $1, '2026-12-03', $2)`, pub, pub.Add(4*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(full, pt.Dump(t, pool, tables...)); diff != "" {
		t.Fatalf("after rebuilding POLRESA (-built by the runner +after the client rebuild):\n%s", diff)
	}
	if c, err := projections.NewCheckpoints(pool).Position(ctx, amplify.ReportsName, "AMPLIFY"); err != nil || c != heads["AMPLIFY"] {
		t.Fatalf("checkpoint %d (%v), want %d", c, err, heads["AMPLIFY"])
	}
}
