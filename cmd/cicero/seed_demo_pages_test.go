package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cicero/cicero/internal/jakarta"
)

// TestSeedDemoFillsEveryDashboardPage: after `cicero seed-demo` (ending
// today), every page of the dashboard has data for its demo login — the
// landing page (aggregator, stats), the Instagram and TikTok insight and
// recap pages (posts, rekap-likes, rekap-komentar, profiles), the users
// page and ANEV (operator and directorate; the logins have premium).
func TestSeedDemoFillsEveryDashboardPage(t *testing.T) {
	t.Setenv("ALLOW_DUPLICATE_REQUESTS", "true")
	cfg := testEnv(t)
	base := startApp(t, cfg)
	now := time.Now()
	today := jakarta.Date(now)
	// The recaps read the seeded days themselves: on the 1st or 2nd of a
	// month, "bulanan" would miss the oldest of them (LAMONGAN's only
	// TikTok post is on it).
	seeded := "start_date=" + jakarta.Date(now.AddDate(0, 0, -2)) + "&end_date=" + today
	out, err := runCLI(t, "seed-demo", "--seed", "21", "--clients", "2", "--personnel", "120", "--days", "3",
		"--end-date", today, "--posts", "24", "--engagements", "4000", "--concurrency", "4", "-q", "--wait", "60s")
	if err != nil || !strings.Contains(out, "read models caught up") {
		t.Fatalf("seed-demo: %v\n%s", err, out)
	}
	login := func(user string) string { return dashboardToken(t, base, user, "cicero-demo") }
	opr, dit, adm := login("demo_operator"), login("demo_ditbinmas"), login("demo_admin")
	const polres = "LAMONGAN"

	// nonEmpty asserts that the JSON at path (dot separated; a number
	// means an array index) is a non-empty array, a non-zero number or a
	// non-empty string or object.
	type page struct {
		name, token, path string
		nonEmpty          []string
	}
	for _, p := range []page{
		{"landing: aggregator", opr, "/api/aggregator?client_id=" + polres, []string{"data.igPosts", "data.tiktokPosts", "data.igProfile"}},
		{"landing: stats", opr, "/api/dashboard/stats?" + seeded + "&role=operator&scope=org", []string{"data.users", "data.igPosts", "data.ttPosts"}},
		{"instagram recap (operator)", opr, "/api/insta/rekap-likes?" + seeded + "&role=operator&scope=org", []string{"data", "totalPosts", "summary.totalLikes"}},
		{"tiktok recap (operator)", opr, "/api/tiktok/rekap-komentar?" + seeded + "&role=operator&scope=org", []string{"data", "totalPosts"}},
		{"instagram recap (directorate)", dit, "/api/insta/rekap-likes?" + seeded + "&role=ditbinmas&scope=direktorat&client_id=DITBINMAS", []string{"data", "totalPosts"}},
		// The post lists are staff reads (operators read posts through the
		// aggregator and the recaps).
		{"instagram posts", adm, "/api/instagram/posts?client_id=" + polres + "&" + seeded, []string{"data"}},
		{"tiktok posts", adm, "/api/tiktok/posts?client_id=" + polres, []string{"data"}},
		{"instagram profile", adm, "/api/insta/rapid-profile?username=polres_lamongan", []string{"data"}},
		{"users (operator)", opr, "/api/users/list", []string{"data"}},
		{"users (directorate)", dit, "/api/users/list?client_id=DITBINMAS&scope=direktorat&role=ditbinmas", []string{"data"}},
		{"anev (operator)", opr, "/api/dashboard/anev?time_range=30d&role=operator&scope=org",
			[]string{"data.user_directory", "data.aggregates.instagram_posts", "data.aggregates.total_likes"}},
		{"anev (directorate)", dit, "/api/dashboard/anev?time_range=30d&role=ditbinmas&scope=direktorat",
			[]string{"data.user_directory", "data.aggregates.instagram_posts", "data.aggregates.tiktok_posts"}},
	} {
		t.Run(p.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, base+p.path, nil)
			req.Header.Set("Authorization", "Bearer "+p.token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			raw, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%d %s", resp.StatusCode, raw)
			}
			var body any
			if err := json.Unmarshal(raw, &body); err != nil {
				t.Fatal(err)
			}
			for _, path := range p.nonEmpty {
				if v := jsonAt(body, path); isEmptyJSON(v) {
					t.Errorf("%s is empty (%v) in %.300s", path, v, raw)
				}
			}
		})
	}
}

func jsonAt(v any, path string) any {
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func isEmptyJSON(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	case float64:
		return x == 0
	case string:
		return x == ""
	}
	return false
}

// tryDashboardToken logs user in on the dashboard and returns the token,
// or why there is none.
func tryDashboardToken(base, user, password string) (string, error) {
	resp, err := http.Post(base+"/api/auth/dashboard-login", "application/json",
		strings.NewReader(fmt.Sprintf(`{"username":%q,"password":%q}`, user, password)))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var got struct{ Token string }
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil || got.Token == "" {
		return "", fmt.Errorf("login %s: %d %v", user, resp.StatusCode, err)
	}
	return got.Token, nil
}

// dashboardToken is tryDashboardToken that fails the test.
func dashboardToken(tb testing.TB, base, user, password string) string {
	tb.Helper()
	token, err := tryDashboardToken(base, user, password)
	if err != nil {
		tb.Fatal(err)
	}
	return token
}
