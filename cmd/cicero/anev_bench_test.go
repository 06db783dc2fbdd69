package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"reflect"
	"runtime/pprof"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/projections/social"
)

// BenchmarkAnev measures GET /api/dashboard/anev for the directorate over
// 30 days on the seed-demo data set (full size by default, every post
// inside the window), over loopback as the premium demo_ditbinmas, and
// beside it the same figures computed the old way in the same Postgres:
// the legacy layout (one JSONB array of usernames per post, built by
// buildLegacyLayout without the exempt injection so totals compare like for
// like) and the legacy SQL of spec/social.md §4.1 "Engagement statistics"
// (per liker COUNT(DISTINCT shortcode) over the unnested arrays of the
// role's posts), composed per directory user as the old handler did. The
// answers must be equal: post counts, totals and every user's likes,
// comments and actions, in directory order (with SPEC.md §5.4 — the post
// count selects the engagement's posts — and §5.2 — an exempt person's
// actions are the expected ones — applied to the old side).
//
// Ours is timed end to end through HTTP (request to the last byte of the
// multi-MB JSON answer; the client decodes it after the clock stops); the
// old side as its queries and the per-user composition only (no JSON).
//
//	go test -run '^$' -bench BenchmarkAnev -benchtime 1x -timeout 60m ./cmd/cicero/
//	CICERO_BENCH_ANEV_SEED="--personnel 500 --posts 100 --engagements 50000" CICERO_BENCH_ANEV_N=20 …
//
// CICERO_BENCH_ANEV_QUERIES=1 also times the ANEV's queries alone,
// CICERO_BENCH_ANEV_EXPLAIN=1 logs the per-day read's plan, and
// CICERO_BENCH_ANEV_CPUPROFILE=FILE writes a CPU profile of the timed part.
func BenchmarkAnev(b *testing.B) {
	now := time.Now()
	today := jakarta.Date(now)
	base, cfg, n := benchSeededApp(b, "CICERO_BENCH_ANEV", 50, today)
	if out, err := runCLI(b, "admin", "premium", "grant", "--username", "demo_ditbinmas", "--tier", "tier1", "--days", "30"); err != nil {
		b.Fatalf("premium grant: %v %s", err, out)
	}
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, cfg.DatabaseURL)
	if err != nil {
		b.Fatal(err)
	}
	defer pool.Close()
	buildLegacyLayout(b, pool, false)
	token := dashboardToken(b, base, "demo_ditbinmas", "cicero-demo")
	path := "/api/dashboard/anev?time_range=30d&scope=direktorat&role=ditbinmas"
	from := jakarta.Date(now.In(jakarta.Location).AddDate(0, 0, -29))
	legacy := legacyAnev{role: "ditbinmas", from: from, to: today}
	// The grant reaches the premium read model asynchronously.
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, err := anevFetch(ctx, base, path, token); err == nil {
			break
		} else if time.Now().After(deadline) {
			b.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if prof := os.Getenv("CICERO_BENCH_ANEV_CPUPROFILE"); prof != "" {
		f, err := os.Create(prof)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			b.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	if os.Getenv("CICERO_BENCH_ANEV_QUERIES") != "" {
		q := social.NewQueries(pool)
		for _, platform := range []string{"instagram", "tiktok"} {
			d, _ := timeAnev(b, n, func() (anevFigures, error) {
				_, _, err := q.TaskEngagerCounts(ctx, platform, social.RoleTask("ditbinmas"), from, today)
				return anevFigures{}, err
			})
			b.Logf("TaskEngagerCounts %s: p50 %.2f ms p99 %.2f ms", platform, ms(d[0]), ms(d[1]))
		}
		d, _ := timeAnev(b, n, func() (anevFigures, error) {
			_, err := q.AnevDirectory(ctx, social.AnevDirectoryFilter{Scope: "direktorat", Role: "ditbinmas"})
			return anevFigures{}, err
		})
		b.Logf("AnevDirectory: p50 %.2f ms p99 %.2f ms", ms(d[0]), ms(d[1]))
	}
	if os.Getenv("CICERO_BENCH_ANEV_EXPLAIN") != "" {
		rows, err := pool.Query(ctx, `EXPLAIN (ANALYZE, BUFFERS) SELECT username, sum(posts)::int FROM social_daily_attendance
			WHERE platform = $1 AND kind = $2 AND task = $3 AND jakarta_date BETWEEN $4::date AND $5::date
			GROUP BY username ORDER BY username`, "instagram", "like", social.RoleTask("ditbinmas"), from, today)
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
			var line string
			_ = rows.Scan(&line)
			b.Log(line)
		}
		rows.Close()
	}
	b.ResetTimer()
	for range b.N {
		var raw []byte
		ours, _ := timeAnev(b, n, func() (anevFigures, error) {
			var err error
			raw, err = anevFetch(ctx, base, path, token)
			return anevFigures{}, err
		})
		oursAnswer, err := anevDecode(raw)
		if err != nil {
			b.Fatal(err)
		}
		old, oldAnswer := timeAnev(b, n, func() (anevFigures, error) { return legacy.run(ctx, pool) })
		if !reflect.DeepEqual(oursAnswer, oldAnswer) {
			b.Fatalf("answers differ:\nnew %s\nold %s", oursAnswer.summary(), oldAnswer.summary())
		}
		b.Logf("anev directorate 30d: new p50 %7.2f ms p99 %7.2f ms | old p50 %7.2f ms p99 %7.2f ms | p50 ratio %5.1fx, p99 ratio %5.1fx | %s, answer %.1f MB",
			ms(ours[0]), ms(ours[1]), ms(old[0]), ms(old[1]), float64(old[0])/float64(ours[0]), float64(old[1])/float64(ours[1]),
			oursAnswer.summary(), float64(len(raw))/1e6)
		b.ReportMetric(ms(ours[0]), "anev-p50-ms")
		b.ReportMetric(ms(ours[1]), "anev-p99-ms")
		b.ReportMetric(ms(old[0]), "old-p50-ms")
		b.ReportMetric(float64(old[0])/float64(ours[0]), "anev-p50-ratio")
		b.ReportMetric(float64(old[1])/float64(ours[1]), "anev-p99-ratio")
	}
}

// anevFigures are the figures both sides must agree on.
type anevFigures struct {
	IGPosts, TTPosts, Likes, Comments int
	Users                             []anevUserFigures
}

type anevUserFigures struct {
	ID                      string
	Likes, Comments, Action int
}

func (f anevFigures) summary() string {
	return fmt.Sprintf("%d IG + %d TikTok posts, %d likes, %d comments, %d people", f.IGPosts, f.TTPosts, f.Likes, f.Comments, len(f.Users))
}

// timeAnev runs f n times and returns p50 and p99 and the last answer.
func timeAnev(b *testing.B, n int, f func() (anevFigures, error)) ([2]time.Duration, anevFigures) {
	var ds []time.Duration
	var last anevFigures
	for range n {
		t0 := time.Now()
		got, err := f()
		ds = append(ds, time.Since(t0))
		if err != nil {
			b.Fatal(err)
		}
		last = got
	}
	slices.Sort(ds)
	return [2]time.Duration{ds[len(ds)/2], ds[min(len(ds)-1, len(ds)*99/100)]}, last
}

// anevFetch reads the ANEV's answer whole (what is timed: the request and
// the multi-MB body over loopback).
func anevFetch(ctx context.Context, base, path, token string) ([]byte, error) {
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

// anevDecode reads the figures of an ANEV answer.
func anevDecode(raw []byte) (anevFigures, error) {
	var body struct {
		Data struct {
			Aggregates struct {
				IGPosts    int `json:"instagram_posts"`
				TTPosts    int `json:"tiktok_posts"`
				Likes      int `json:"total_likes"`
				Comments   int `json:"total_comments"`
				Compliance []struct {
					UserID       string `json:"user_id"`
					Likes        int    `json:"likes"`
					Comments     int    `json:"comments"`
					TotalActions int    `json:"total_actions"`
				} `json:"compliance_per_pelaksana"`
			} `json:"aggregates"`
		} `json:"data"`
	}
	if err := json.Unmarshal(raw, &body); err != nil {
		return anevFigures{}, err
	}
	a := body.Data.Aggregates
	f := anevFigures{IGPosts: a.IGPosts, TTPosts: a.TTPosts, Likes: a.Likes, Comments: a.Comments,
		Users: make([]anevUserFigures, len(a.Compliance))}
	for i, c := range a.Compliance {
		f.Users[i] = anevUserFigures{ID: c.UserID, Likes: c.Likes, Comments: c.Comments, Action: c.TotalActions}
	}
	return f, nil
}

// legacyAnev is the old ANEV of a directorate role: the user directory,
// then per platform the legacy engagement statistics over the JSONB arrays.
type legacyAnev struct{ role, from, to string }

const legacyAnevDirectorySQL = `SELECT u.user_id, u.insta_norm, u.tiktok_norm, u.exception FROM personnel u
WHERE u.status AND $1 = ANY(u.roles) ORDER BY upper(u.nama), u.user_id`

// legacyAnevSQL ($1 platform, $2 role, $3–$4 dates): one row per
// normalised engager with its COUNT(DISTINCT post), and a last row (NULL
// username) with the selection's post count.
const legacyAnevSQL = `WITH posts AS (
	SELECT p.shortcode FROM legacy_post p
	WHERE p.platform = $1 AND p.created_at::date BETWEEN $3::date AND $4::date
	  AND (lower(trim(p.client_id)) = $2 OR EXISTS (SELECT 1 FROM legacy_post_roles r
	       WHERE r.platform = p.platform AND r.shortcode = p.shortcode AND r.role_name = $2))
), arrays AS (
	SELECT l.shortcode, l.likes AS arr FROM insta_like l JOIN posts USING (shortcode) WHERE $1 = 'instagram'
	UNION ALL
	SELECT t.video_id, t.comments FROM tiktok_comment t JOIN posts ON posts.shortcode = t.video_id WHERE $1 = 'tiktok'
), valid AS (
	SELECT a.shortcode, lower(replace(trim(COALESCE(elem->>'username', trim(both '"' FROM elem::text))), '@', '')) AS username
	FROM arrays a CROSS JOIN LATERAL jsonb_array_elements(a.arr) elem
)
SELECT username, count(DISTINCT shortcode)::int FROM valid GROUP BY username
UNION ALL SELECT NULL, count(*)::int FROM posts`

func (l legacyAnev) counts(ctx context.Context, pool *pgxpool.Pool, platform string) (map[string]int, int, int, error) {
	rows, err := pool.Query(ctx, legacyAnevSQL, platform, l.role, l.from, l.to)
	if err != nil {
		return nil, 0, 0, err
	}
	defer rows.Close()
	out := map[string]int{}
	posts, total := 0, 0
	for rows.Next() {
		var u *string
		var n int
		if err := rows.Scan(&u, &n); err != nil {
			return nil, 0, 0, err
		}
		if u == nil {
			posts = n
			continue
		}
		out[*u] = n
		total += n
	}
	return out, posts, total, rows.Err()
}

func (l legacyAnev) run(ctx context.Context, pool *pgxpool.Pool) (anevFigures, error) {
	likes, igPosts, totalLikes, err := l.counts(ctx, pool, "instagram")
	if err != nil {
		return anevFigures{}, err
	}
	comments, ttPosts, totalComments, err := l.counts(ctx, pool, "tiktok")
	if err != nil {
		return anevFigures{}, err
	}
	f := anevFigures{IGPosts: igPosts, TTPosts: ttPosts, Likes: totalLikes, Comments: totalComments, Users: []anevUserFigures{}}
	rows, err := pool.Query(ctx, legacyAnevDirectorySQL, l.role)
	if err != nil {
		return anevFigures{}, err
	}
	defer rows.Close()
	expected := igPosts + ttPosts
	for rows.Next() {
		var id, insta, tiktok string
		var exempt bool
		if err := rows.Scan(&id, &insta, &tiktok, &exempt); err != nil {
			return anevFigures{}, err
		}
		u := anevUserFigures{ID: id}
		if insta != "" {
			u.Likes = likes[insta]
		}
		if tiktok != "" {
			u.Comments = comments[tiktok]
		}
		u.Action = u.Likes + u.Comments
		if exempt {
			u.Action = max(u.Action, expected)
		}
		f.Users = append(f.Users, u)
	}
	return f, rows.Err()
}
