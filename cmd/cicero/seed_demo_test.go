package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/config"
	"github.com/cicero/cicero/internal/demo"
	"github.com/cicero/cicero/internal/testkit"
)

// seedArgs is a small data set on a fixed end date.
func seedArgs(seed string) []string {
	return []string{"seed-demo", "--seed", seed, "--clients", "2", "--personnel", "80", "--days", "2",
		"--end-date", "2026-03-02", "--posts", "16", "--engagements", "3000", "--concurrency", "4", "-q", "--wait", "60s"}
}

func seedPlan(t *testing.T, seed uint64) *demo.Plan {
	t.Helper()
	p, err := demo.New(demo.Options{Seed: seed, Clients: 2, Personnel: 80, Days: 2, EndDate: "2026-03-02", Posts: 16,
		Engagements: 3000, Password: "cicero-demo"})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func mustSeed(t *testing.T, seed string) string {
	t.Helper()
	out, err := runCLI(t, seedArgs(seed)...)
	if err != nil {
		t.Fatalf("seed-demo --seed %s: %v\n%s", seed, err, out)
	}
	if !strings.Contains(out, "read models caught up") {
		t.Fatalf("seed-demo did not wait for the read models:\n%s", out)
	}
	return out
}

var appendedRE = regexp.MustCompile(`events\s+(\d+) appended`)

func appended(t *testing.T, out string) string {
	t.Helper()
	m := appendedRE.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no event count in:\n%s", out)
	}
	return m[1]
}

// TestSeedDemo: a small seed through the CLI, with serve running, fills
// the directory and the social read models with exactly the planned data
// (personnel handles typed any way match their likes and comments), its
// logins work, and a second run appends nothing.
func TestSeedDemo(t *testing.T) {
	// The logins are the same every run: without this the dedup guard
	// refuses them for 5 minutes after a previous run of the test.
	t.Setenv("ALLOW_DUPLICATE_REQUESTS", "true")
	cfg := testEnv(t)
	base := startApp(t, cfg)
	out := mustSeed(t, "11")
	if n := appended(t, out); n == "0" {
		t.Fatalf("first run appended nothing:\n%s", out)
	}
	pool := openPool(t, cfg)
	plan := seedPlan(t, 11)
	want := seedCounts(plan)
	before := readSeedCounts(t, pool)
	if d := cmp.Diff(want, before); d != "" {
		t.Fatalf("read models (-plan +got):\n%s", d)
	}
	for _, l := range plan.Logins {
		dashboardLogin(t, base, l.Username, "cicero-demo")
	}
	again := mustSeed(t, "11")
	if n := appended(t, again); n != "0" || !strings.Contains(again, "nothing new") {
		t.Fatalf("second run appended %s events:\n%s", n, again)
	}
	if d := cmp.Diff(before, readSeedCounts(t, pool)); d != "" {
		t.Fatalf("second run changed the read models (-before +after):\n%s", d)
	}
	// Another password: the logins exist, keep theirs, and say so.
	other, err := runCLI(t, append(seedArgs("11"), "--password", "lain-lagi-123")...)
	if err != nil || appended(t, other) != "0" || strings.Count(other, "existed already") != len(plan.Logins) {
		t.Fatalf("run with another password: %v\n%s", err, other)
	}
	if code := loginStatus(t, base, "demo_admin", "lain-lagi-123"); code == http.StatusOK {
		t.Fatal("the other password logs in: the existing account was changed")
	}
}

// TestSeedDemoIsDeterministic: two fresh systems seeded alike hold the
// same events (by subject, in order; ids, payloads, business times) and
// the same read-model rows; another seed gives other data.
func TestSeedDemoIsDeterministic(t *testing.T) {
	var evs, rows []map[string]string
	for range 2 {
		cfg := testEnv(t)
		startApp(t, cfg)
		mustSeed(t, "5")
		evs = append(evs, seedEvents(t, cfg))
		rows = append(rows, readModelDigest(t, openPool(t, cfg)))
	}
	if d := cmp.Diff(evs[0], evs[1]); d != "" {
		t.Fatalf("events of two systems seeded alike differ (-first +second):\n%s", d)
	}
	if d := cmp.Diff(rows[0], rows[1]); d != "" {
		t.Fatalf("read models of two systems seeded alike differ (-first +second):\n%s", d)
	}
	cfg := testEnv(t)
	startApp(t, cfg)
	mustSeed(t, "6")
	other := readModelDigest(t, openPool(t, cfg))
	for _, table := range []string{"personnel", "social_posts", "social_engagements"} {
		if other[table] == rows[0][table] {
			t.Errorf("seeds 5 and 6 gave the same %s", table)
		}
	}
}

func TestSeedDemoFlags(t *testing.T) {
	testEnv(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--personnel", "10001"}, "--personnel must be between 0 and 10000"},
		{[]string{"--posts", "0"}, "--posts must be between 1 and 3000"},
		{[]string{"--engagements", "3000001"}, "--engagements must be between 0 and 3000000"},
		{[]string{"--concurrency", "0"}, "--concurrency must be between 1 and 64"},
		{[]string{"--end-date", "yesterday"}, "--end-date must be a date"},
		{[]string{"--posts", "1", "--engagements", "100001"}, "raise --posts"},
	} {
		if _, err := runCLI(t, append([]string{"seed-demo"}, c.args...)...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.args, err, c.want)
		}
	}
}

func openPool(t *testing.T, cfg config.Config) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// seedCounts is what the read models must hold after plan.
func seedCounts(plan *demo.Plan) map[string]int {
	handles := map[string]bool{}
	for _, p := range plan.People {
		handles[demo.Instagram+"|"+p.InstaNorm] = true
		handles[demo.Tiktok+"|"+p.TiktokNorm] = true
	}
	c := map[string]int{"clients": len(plan.Clients), "personnel": len(plan.People), "profiles": 2 * len(plan.Clients),
		"dashboard_users": len(plan.Logins)}
	for _, platform := range []string{demo.Instagram, demo.Tiktok} {
		for _, k := range []string{"feeds ", "withdrawn ", "tags "} {
			c[k+platform] = 0
		}
	}
	for i, p := range plan.Posts {
		c["posts "+p.Platform]++
		c["feeds "+p.Platform]++
		if p.SharedWith != "" {
			c["feeds "+p.Platform]++
		}
		if p.Withdrawn {
			c["withdrawn "+p.Platform]++
		}
		c["tags "+p.Platform] += len(p.Roles)
		for _, u := range plan.Engagers(i) {
			c["engagements "+p.Platform]++
			if handles[p.Platform+"|"+u] {
				c["by personnel "+p.Platform]++
			}
		}
	}
	return c
}

func readSeedCounts(t *testing.T, pool *pgxpool.Pool) map[string]int {
	t.Helper()
	c := map[string]int{}
	for key, sql := range map[string]string{
		"clients":         `SELECT count(*) FROM clients`,
		"personnel":       `SELECT count(*) FROM personnel`,
		"profiles":        `SELECT count(*) FROM social_profiles`,
		"dashboard_users": `SELECT count(*) FROM dashboard_users WHERE approved`,
	} {
		c[key] = count(t, pool, sql)
	}
	for _, platform := range []string{demo.Instagram, demo.Tiktok} {
		c["posts "+platform] = count(t, pool, `SELECT count(*) FROM social_posts WHERE platform = $1`, platform)
		c["engagements "+platform] = count(t, pool, `SELECT count(*) FROM social_engagements WHERE platform = $1`, platform)
		c["feeds "+platform] = count(t, pool, `SELECT count(*) FROM social_post_clients WHERE platform = $1`, platform)
		c["withdrawn "+platform] = count(t, pool, `SELECT count(*) FROM social_post_clients WHERE platform = $1 AND withdrawn`, platform)
		c["tags "+platform] = count(t, pool, `SELECT count(*) FROM social_post_roles WHERE platform = $1`, platform)
		c["by personnel "+platform] = count(t, pool, `SELECT count(*) FROM social_engagements e JOIN personnel p
			ON e.username = CASE WHEN $1 = 'instagram' THEN p.insta_norm ELSE p.tiktok_norm END
			WHERE e.platform = $1 AND e.username <> ''`, platform)
	}
	return c
}

func count(t *testing.T, pool *pgxpool.Pool, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// readModelDigest is a digest per table of the rows the seed decides
// (stream positions and projection times left out).
func readModelDigest(t *testing.T, pool *pgxpool.Pool) map[string]string {
	t.Helper()
	out := map[string]string{}
	for table, cols := range map[string]string{
		"clients":             "client_id, nama, client_type, client_insta, client_tiktok",
		"personnel":           "user_id, nama, title, divisi, jabatan, client_id, insta, tiktok, insta_norm, tiktok_norm, whatsapp, exception, roles",
		"social_posts":        "platform, post_id, account, caption, media, published_at, jakarta_date, likes, comments",
		"social_post_clients": "platform, post_id, client_id, jakarta_date, withdrawn",
		"social_engagements":  "platform, post_id, kind, username, first_seen",
		"social_profiles":     "platform, username, followers, following, posts, observed_at",
	} {
		var d string
		sql := fmt.Sprintf(`SELECT coalesce(md5(string_agg(r::text, '|' ORDER BY r::text)), '') FROM (SELECT %s FROM %s) r`, cols, table)
		if err := pool.QueryRow(context.Background(), sql).Scan(&d); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		out[table] = d
	}
	return out
}

// seedEvents reads the seeded streams of a running serve: per subject,
// its events in order (id, type, command, business time, payload); the
// bcrypt hash of a password is salted, so only its presence is kept.
func seedEvents(t *testing.T, cfg config.Config) map[string]string {
	t.Helper()
	nc, _, err := openNATS(cfg, testkit.Logger(t), false)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	store, err := events.NewStore(nc, events.NewRegistry(), testkit.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	bySubject := map[string][]string{}
	for _, st := range seedStreams {
		err := store.ReadStream(context.Background(), st, 1, "", func(e events.Envelope) error {
			var body map[string]any
			if err := json.Unmarshal(e.Data, &body); err != nil {
				return err
			}
			if _, ok := body["password_hash"]; ok {
				body["password_hash"] = "<bcrypt>"
			}
			data, _ := json.Marshal(body)
			bySubject[e.Subject] = append(bySubject[e.Subject], fmt.Sprintf("%s %s %s %s %s %s", e.ID, e.Type,
				e.Meta.CommandID, e.Meta.Actor, e.Meta.OccurredAt.UTC().Format(time.RFC3339Nano), data))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	out := make(map[string]string, len(bySubject))
	for s, evs := range bySubject {
		out[s] = strings.Join(evs, "\n")
	}
	if len(out) == 0 || !slices.ContainsFunc(keys(out), func(s string) bool { return strings.HasPrefix(s, "social.ig.post.") }) {
		t.Fatalf("no post subjects among %d", len(out))
	}
	return out
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// dashboardLogin logs in over HTTP and fails the test unless it works.
func dashboardLogin(t *testing.T, base, user, password string) {
	t.Helper()
	if code := loginStatus(t, base, user, password); code != http.StatusOK {
		t.Fatalf("login %s = %d", user, code)
	}
}

// loginStatus is the status of a dashboard login (200 only with a token).
func loginStatus(t *testing.T, base, user, password string) int {
	t.Helper()
	body := fmt.Sprintf(`{"username":%q,"password":%q}`, user, password)
	resp, err := http.Post(base+"/api/auth/dashboard-login", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got struct {
		Token string `json:"token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&got); resp.StatusCode == http.StatusOK && (err != nil || got.Token == "") {
		t.Fatalf("login %s: 200 without a token (%v)", user, err)
	}
	return resp.StatusCode
}
