package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cicero/cicero/internal/config"
	"github.com/cicero/cicero/internal/pgdb"
	"github.com/cicero/cicero/projections/social"
)

// BenchmarkRekap measures the attendance recaps on the seed-demo data set
// (full size by default: 10,000 personnel, 3,000 posts, 3,000,000
// engagements, seeded through the command handlers with serve running),
// over loopback through the real endpoints, and beside each the same
// answer computed the old way in the same Postgres: the legacy layout (one
// JSONB array of usernames per post, insta_like(shortcode, likes) and
// tiktok_comment(video_id, comments) with "@", exempt handles injected as
// the old fetch did) and its on-the-fly SQL (spec/social.md §4.2). The two
// answers must be equal (per person, with the SPEC.md §5.2 fix applied to
// the old one: an exempt person without a handle counts every post too).
// A third column times the read model's query alone (social.Queries
// Attendance, as the endpoint asks it), so that new SQL and old SQL
// compare like with like; the endpoint is timed to the answer's last byte.
//
//	go test -run '^$' -bench BenchmarkRekap -benchtime 1x -timeout 60m ./cmd/cicero/
//	CICERO_BENCH_REKAP_SEED="--personnel 500 --posts 100 --engagements 50000" CICERO_BENCH_REKAP_N=20 …
func BenchmarkRekap(b *testing.B) {
	base, cfg, n := benchSeededApp(b, "CICERO_BENCH_REKAP", 100, "2026-12-07")
	ctx := context.Background()
	pool, err := pgdb.Open(ctx, cfg.DatabaseURL) // as serve opens it
	if err != nil {
		b.Fatal(err)
	}
	defer pool.Close()
	q := social.NewQueries(pool)
	buildLegacyLayout(b, pool, true)
	token := dashboardToken(b, base, "demo_admin", "cicero-demo")
	org := social.PeopleFilter{Client: "LAMONGAN"}
	dir := social.PeopleFilter{Role: "ditbinmas"}
	cases := []struct {
		name, path string
		query      social.AttendanceQuery // what the endpoint asks the read model
		legacy     legacyRekap
	}{
		{"likes-org-harian", "/api/insta/rekap-likes?client_id=LAMONGAN&tanggal=2026-12-05",
			social.AttendanceQuery{Platform: "instagram", Task: social.ClientTask("LAMONGAN"), From: "2026-12-05", To: "2026-12-05", People: org},
			legacyRekap{platform: "instagram", client: "LAMONGAN", from: "2026-12-05", to: "2026-12-05"}},
		{"likes-org-bulanan", "/api/insta/rekap-likes?client_id=LAMONGAN&periode=bulanan&tanggal=2026-12",
			social.AttendanceQuery{Platform: "instagram", Task: social.ClientTask("LAMONGAN"), From: "2026-12-01", To: "2026-12-31", People: org},
			legacyRekap{platform: "instagram", client: "LAMONGAN", from: "2026-12-01", to: "2026-12-31"}},
		{"likes-directorate-bulanan", "/api/likes/instagram?periode=bulanan&tanggal=2026-12",
			social.AttendanceQuery{Platform: "instagram", Task: social.RoleTask("ditbinmas"), From: "2026-12-01", To: "2026-12-31", People: dir},
			legacyRekap{platform: "instagram", role: "ditbinmas", from: "2026-12-01", to: "2026-12-31"}},
		{"komentar-org-harian", "/api/tiktok/rekap-komentar?client_id=LAMONGAN&tanggal=2026-12-05",
			social.AttendanceQuery{Platform: "tiktok", Task: social.ClientTask("LAMONGAN"), From: "2026-12-05", To: "2026-12-05", People: org},
			legacyRekap{platform: "tiktok", client: "LAMONGAN", from: "2026-12-05", to: "2026-12-05"}},
	}
	b.ResetTimer()
	for range b.N {
		for _, c := range cases {
			// Interleaved rounds, so a burst of load elsewhere on the
			// machine falls on all three alike.
			var ours, sql, old []time.Duration
			var oursAnswer, sqlAnswer, oldAnswer map[string]int
			for range n {
				// The endpoint is timed to its last byte; decoding the
				// answer for the comparison is the client's work, not timed.
				var raw []byte
				ours, _ = timeOnce(b, ours, func() (map[string]int, error) {
					var err error
					raw, err = benchGet(ctx, base, c.path, token)
					return nil, err
				})
				if oursAnswer, err = decodeRekap(raw); err != nil {
					b.Fatalf("%s: %v", c.path, err)
				}
				sql, sqlAnswer = timeOnce(b, sql, func() (map[string]int, error) { return attendanceAnswer(ctx, q, c.query) })
				old, oldAnswer = timeOnce(b, old, func() (map[string]int, error) { return c.legacy.run(ctx, pool) })
			}
			if fmt.Sprint(oursAnswer) != fmt.Sprint(oldAnswer) || fmt.Sprint(sqlAnswer) != fmt.Sprint(oldAnswer) {
				b.Fatalf("%s: answers differ:\nendpoint %v\nnew SQL %v\nold %v", c.name, oursAnswer, sqlAnswer, oldAnswer)
			}
			e, s, o := pct(ours), pct(sql), pct(old)
			b.Logf("%-26s endpoint p50 %6.2f p99 %6.2f ms | new SQL p50 %6.2f p99 %6.2f ms | old SQL p50 %6.2f p99 %6.2f ms"+
				" | old/endpoint p50 %5.1fx p99 %5.1fx | old/new SQL p50 %5.1fx p99 %5.1fx (%d people)",
				c.name, ms(e[0]), ms(e[1]), ms(s[0]), ms(s[1]), ms(o[0]), ms(o[1]),
				float64(o[0])/float64(e[0]), float64(o[1])/float64(e[1]), float64(o[0])/float64(s[0]), float64(o[1])/float64(s[1]),
				len(oursAnswer)-1)
			b.ReportMetric(ms(e[1]), c.name+"-p99-ms")
			b.ReportMetric(float64(o[0])/float64(e[0]), c.name+"-p50-ratio")
			b.ReportMetric(float64(o[0])/float64(s[0]), c.name+"-sql-p50-ratio")
		}
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// timeOnce runs f once, adds its time to ds and returns its answer.
func timeOnce(b *testing.B, ds []time.Duration, f func() (map[string]int, error)) ([]time.Duration, map[string]int) {
	t0 := time.Now()
	got, err := f()
	ds = append(ds, time.Since(t0))
	if err != nil {
		b.Fatal(err)
	}
	return ds, got
}

// pct is p50 and p99 of ds.
func pct(ds []time.Duration) [2]time.Duration {
	ds = slices.Clone(ds)
	slices.Sort(ds)
	return [2]time.Duration{ds[len(ds)/2], ds[min(len(ds)-1, len(ds)*99/100)]}
}

// benchSeededApp starts serve and seeds it with seed-demo ending endDate:
// full size unless <env>_SEED names other flags; n is the rounds to time,
// unless <env>_N says otherwise.
func benchSeededApp(b *testing.B, env string, n int, endDate string) (string, config.Config, int) {
	b.Helper()
	seed := "--personnel 10000 --posts 3000 --engagements 3000000 --concurrency 16"
	if s := os.Getenv(env + "_SEED"); s != "" {
		seed = s
	}
	if s := os.Getenv(env + "_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	b.Setenv("ALLOW_DUPLICATE_REQUESTS", "true") // the demo logins, again within 5 minutes
	cfg := testEnv(b)
	u, err := url.Parse(startApp(b, cfg))
	if err != nil {
		b.Fatal(err)
	}
	args := append([]string{"seed-demo", "-q", "--wait", "30m", "--end-date", endDate}, strings.Fields(seed)...)
	if out, err := runCLI(b, args...); err != nil {
		b.Fatalf("seed-demo: %v %s", err, out)
	}
	return "http://" + net.JoinHostPort("127.0.0.1", u.Port()), cfg, n
}

// attendanceAnswer is the read model's query alone, as the endpoint asks
// it: user_id → count, and "" → the task posts.
func attendanceAnswer(ctx context.Context, q *social.Queries, aq social.AttendanceQuery) (map[string]int, error) {
	att, err := q.Attendance(ctx, aq)
	if err != nil {
		return nil, err
	}
	out := map[string]int{"": att.TotalPosts}
	for _, r := range att.Rows {
		out[r.UserID] = r.Done
	}
	return out, nil
}

// benchGet reads a recap's answer.
func benchGet(ctx context.Context, base, path, token string) ([]byte, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %d %v %.200s", path, resp.StatusCode, err, raw)
	}
	return raw, nil
}

// decodeRekap reads a recap: user_id → count, and "" → the task posts.
func decodeRekap(raw []byte) (map[string]int, error) {
	var body struct {
		TotalPosts int `json:"totalPosts"`
		Data       []struct {
			UserID         string `json:"user_id"`
			JumlahLike     *int   `json:"jumlah_like"`
			JumlahKomentar *int   `json:"jumlah_komentar"`
		} `json:"data"`
	}
	if err := json.Unmarshal(raw, &body); err != nil {
		return nil, err
	}
	out := map[string]int{"": body.TotalPosts}
	for _, r := range body.Data {
		switch {
		case r.JumlahLike != nil:
			out[r.UserID] = *r.JumlahLike
		case r.JumlahKomentar != nil:
			out[r.UserID] = *r.JumlahKomentar
		}
	}
	return out, nil
}

// buildLegacyLayout writes the old system's tables from the read models:
// posts with a Jakarta wall-clock created_at, one JSONB array of usernames
// per post (Instagram lower-case, TikTok "@lower"), with inject every exempt
// person's handle injected into every array, as the old fetch did. A post
// shared by two clients' accounts is in both feeds (SPEC.md §5.6; the old
// table kept one owner, which would make the answers differ for no reason
// of speed).
func buildLegacyLayout(b *testing.B, pool *pgxpool.Pool, inject bool) {
	ctx := context.Background()
	injected := strconv.FormatBool(inject)
	for _, q := range []string{
		`CREATE TABLE legacy_post (platform text, shortcode text, client_id text, created_at timestamp, PRIMARY KEY (platform, shortcode, client_id))`,
		`CREATE TABLE legacy_post_roles (platform text, shortcode text, role_name text, PRIMARY KEY (platform, shortcode, role_name))`,
		`CREATE TABLE insta_like (shortcode text PRIMARY KEY, likes jsonb, updated_at timestamp)`,
		`CREATE TABLE tiktok_comment (video_id text PRIMARY KEY, comments jsonb, updated_at timestamp)`,
		`INSERT INTO legacy_post SELECT c.platform, c.post_id, c.client_id,
			c.published_at AT TIME ZONE 'Asia/Jakarta' FROM social_post_clients c WHERE NOT c.withdrawn`,
		`INSERT INTO legacy_post_roles SELECT platform, post_id, role FROM social_post_roles`,
		`INSERT INTO insta_like SELECT p.shortcode, coalesce((SELECT jsonb_agg(x.u) FROM (
			SELECT e.username AS u FROM social_engagements e WHERE e.platform = 'instagram' AND e.kind = 'like' AND e.post_id = p.shortcode
			UNION SELECT insta_norm FROM personnel WHERE ` + injected + ` AND exception AND insta_norm <> '') x), '[]'), now()
			FROM (SELECT DISTINCT shortcode FROM legacy_post WHERE platform = 'instagram') p`,
		`INSERT INTO tiktok_comment SELECT p.shortcode, coalesce((SELECT jsonb_agg('@' || x.u) FROM (
			SELECT e.username AS u FROM social_engagements e WHERE e.platform = 'tiktok' AND e.kind = 'comment' AND e.post_id = p.shortcode
			UNION SELECT tiktok_norm FROM personnel WHERE ` + injected + ` AND exception AND tiktok_norm <> '') x), '[]'), now()
			FROM (SELECT DISTINCT shortcode FROM legacy_post WHERE platform = 'tiktok') p`,
		`ANALYZE legacy_post`, `ANALYZE legacy_post_roles`, `ANALYZE insta_like`, `ANALYZE tiktok_comment`,
		`VACUUM ANALYZE social_daily_attendance`, `VACUUM ANALYZE social_attendance_tasks`, `ANALYZE personnel`, `ANALYZE clients`,
	} {
		if _, err := pool.Exec(ctx, q); err != nil {
			b.Fatalf("legacy layout: %v\n%s", err, q)
		}
	}
}

// legacyRekap is the old on-the-fly recap: unnest every task post's array,
// normalise each element, count distinct posts per username, join the
// personnel by their handle.
type legacyRekap struct {
	platform, client, role, from, to string
}

const legacyRekapSQL = `WITH posts AS (
	SELECT DISTINCT p.shortcode FROM legacy_post p
	WHERE p.platform = $1 AND p.created_at::date BETWEEN $4::date AND $5::date
	  AND CASE WHEN $2 <> '' THEN lower(p.client_id) = lower($2)
	      ELSE lower(p.client_id) = $3 OR EXISTS (SELECT 1 FROM legacy_post_roles r
	           WHERE r.platform = p.platform AND r.shortcode = p.shortcode AND r.role_name = $3) END
), arrays AS (
	SELECT l.shortcode, l.likes AS arr FROM insta_like l JOIN posts USING (shortcode) WHERE $1 = 'instagram'
	UNION ALL
	SELECT t.video_id, t.comments FROM tiktok_comment t JOIN posts ON posts.shortcode = t.video_id WHERE $1 = 'tiktok'
), valid AS (
	SELECT a.shortcode, lower(replace(trim(COALESCE(elem->>'username', trim(both '"' FROM elem::text))), '@', '')) AS username
	FROM arrays a CROSS JOIN LATERAL jsonb_array_elements(a.arr) elem
), counts AS (
	SELECT username, count(DISTINCT shortcode) AS n FROM valid GROUP BY username
)
SELECT u.user_id, coalesce(c.n, 0)::int, u.exception, (SELECT count(*)::int FROM posts)
FROM personnel u LEFT JOIN counts c ON c.username = CASE WHEN $1 = 'tiktok' THEN u.tiktok_norm ELSE u.insta_norm END
WHERE u.status AND CASE WHEN $2 <> '' THEN upper(u.client_id) = upper($2) OR lower($2) = ANY(u.roles)
	ELSE $3 = ANY(u.roles) END`

func (l legacyRekap) run(ctx context.Context, pool *pgxpool.Pool) (map[string]int, error) {
	rows, err := pool.Query(ctx, legacyRekapSQL, l.platform, l.client, l.role, l.from, l.to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{"": 0}
	for rows.Next() {
		var id string
		var n, total int
		var exempt bool
		if err := rows.Scan(&id, &n, &exempt, &total); err != nil {
			return nil, err
		}
		if exempt { // SPEC.md §5.2: done, with or without a handle
			n = total
		}
		out[id], out[""] = n, total
	}
	return out, rows.Err()
}
