package amplify_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/projections"
	"github.com/cicero/cicero/projections/amplify"
	pt "github.com/cicero/cicero/projections/projectiontest"
)

// The read model follows a report through submission, update and
// withdrawal; a khusus report registers its post once for the client.
func TestReportsReadModel(t *testing.T) {
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	m := pt.StartManager(t, pool, n.Store, amplify.NewReports(n.Store.Registry()))
	pub := time.Date(2026, 12, 2, 18, 30, 0, 0, time.UTC) // 01:30 on Dec 3 in Jakarta
	sub := pub.Add(2 * time.Hour)
	var last events.Appended
	versions := map[string]uint64{}
	app := func(kind, code, nrp string, ev events.Payload) {
		t.Helper()
		var err error
		subject := events.LinkReportSubject(kind, code, nrp)
		last, err = n.Store.Append(context.Background(), events.Meta{Actor: "test"}, events.Commit{Subject: subject,
			AggregateID: events.LinkReportAggregateID(kind, code, nrp), Expected: versions[subject], Events: []events.Payload{ev}})
		versions[subject] = last.Sequence
		if err != nil {
			t.Fatal(err)
		}
	}
	wait := func() {
		t.Helper()
		if err := m.WaitForAll(context.Background(), []events.Position{{Stream: last.Stream, Sequence: last.Sequence}}, 10*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	q := amplify.NewQueries(pool)
	app("regular", "POSTAAA", "1001", &events.LinkReportSubmitted{Kind: "regular", Shortcode: "POSTAAA", UserID: "1001", ClientID: "POLRESA",
		Links: events.Links{Facebook: "https://fb/1"}, PostPublishedAt: pub, SubmittedAt: sub})
	app("khusus", "POSTKKK", "1001", &events.LinkReportSubmitted{Kind: "khusus", Shortcode: "POSTKKK", UserID: "1001", ClientID: "POLRESA",
		Links: events.Links{Instagram: "https://ig/k"}, PostPublishedAt: pub, SubmittedAt: sub})
	app("khusus", "POSTKKK", "1002", &events.LinkReportSubmitted{Kind: "khusus", Shortcode: "POSTKKK", UserID: "1002", ClientID: "POLRESA",
		Links: events.Links{Instagram: "https://ig/k2"}, PostPublishedAt: pub, SubmittedAt: sub})
	wait()
	r, err := q.Report(context.Background(), amplify.ReportFilter{Kind: "regular", Shortcode: "POSTAAA", UserID: "1001"})
	if err != nil || r.PostDate != "2026-12-03" || !r.CreatedAt.Equal(pub) || !r.SubmittedAt.Equal(sub) || *r.Facebook != "https://fb/1" || r.Instagram != nil {
		t.Fatalf("report %+v %v", r, err)
	}
	var khusus int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM amplify_khusus_posts WHERE client_id = 'POLRESA' AND jakarta_date = '2026-12-03'`).Scan(&khusus); err != nil || khusus != 1 {
		t.Fatalf("%d khusus posts (%v)", khusus, err)
	}
	app("regular", "POSTAAA", "1001", &events.LinkReportUpdated{Kind: "regular", Shortcode: "POSTAAA", UserID: "1001",
		Links: events.Links{Twitter: "https://tw/1"}, UpdatedAt: sub.Add(time.Hour)})
	wait()
	r, _ = q.Report(context.Background(), amplify.ReportFilter{Kind: "regular", Shortcode: "POSTAAA", UserID: "1001"})
	if r.Facebook != nil || *r.Twitter != "https://tw/1" || !r.UpdatedAt.Equal(sub.Add(time.Hour)) || r.Version != int64(last.Sequence) {
		t.Fatalf("updated %+v", r)
	}
	app("regular", "POSTAAA", "1001", &events.LinkReportDeleted{Kind: "regular", Shortcode: "POSTAAA", UserID: "1001", DeletedAt: sub})
	wait()
	if _, err := q.Report(context.Background(), amplify.ReportFilter{Kind: "regular", Shortcode: "POSTAAA"}); err != amplify.ErrNotFound {
		t.Fatalf("deleted report still read: %v", err)
	}
	// A rebuild from history (`cicero rebuild amplify_reports`) gives the
	// same tables.
	before := dump(t, pool)
	if err := projections.Rebuild(context.Background(), pool, n.Store, amplify.NewReports(n.Store.Registry()), nil); err != nil {
		t.Fatal(err)
	}
	if after := dump(t, pool); after != before || !strings.Contains(before, "POSTKKK") {
		t.Fatalf("rebuild changed the read model:\n%s\n---\n%s", before, after)
	}
}

func dump(t *testing.T, pool *pgxpool.Pool) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{`SELECT kind, shortcode, user_id, client_id, COALESCE(instagram_link, ''), post_date::text,
		submitted_at::text, version::text FROM amplify_reports ORDER BY 1, 2, 3`,
		`SELECT client_id, shortcode, jakarta_date::text, published_at::text, registered_at::text, '', '', '' FROM amplify_khusus_posts ORDER BY 1, 2`} {
		rows, err := pool.Query(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var c [8]string
			if err := rows.Scan(&c[0], &c[1], &c[2], &c[3], &c[4], &c[5], &c[6], &c[7]); err != nil {
				t.Fatal(err)
			}
			b.WriteString(strings.Join(c[:], "|") + "\n")
		}
		rows.Close()
	}
	return b.String()
}
