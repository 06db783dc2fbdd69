package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/cicero/cicero/internal/config"
	"github.com/cicero/cicero/internal/importv2/v2fixture"
	"github.com/cicero/cicero/internal/testkit"
)

// oldDatabase builds a Cicero_V2 database with the edge-case rows and
// returns its URL.
func oldDatabase(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	_, db := testkit.NewDatabase(t)
	oldURL, err := v2fixture.Create(ctx, db, "v2")
	if err != nil {
		t.Fatal(err)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(v2fixture.OperatorPassword), 4)
	if err != nil {
		t.Fatal(err)
	}
	if err := v2fixture.Exec(ctx, oldURL, v2fixture.EdgeCases(string(hash))...); err != nil {
		t.Fatalf("fill the old database: %v", err)
	}
	return oldURL
}

// The import of an old database with every edge case: the rows that break
// a rule are reported with the reason, the imported operator logs in with
// their old password, and the recap endpoints give the spec's figures
// for the posts at 23:59 and 00:01 Jakarta in both platforms'
// timestamp conventions. A second run appends nothing.
func TestImportV2(t *testing.T) {
	_, base, oldURL, out := importedApp(t)
	for _, want := range []string{
		"invalid NRP/NIP (6 to 18 digits after removing non-digits) (e.g. NRP-12ab)",
		"orphan: client_id is not a client of the old database (e.g. 75020007)",
		"left out of user: 1 × instagram username also held by another person: left empty here (an active holder, else the first, keeps it) (e.g. 75020005)",
		"role not known here (operator and the directorates are): left out (e.g. 75020008)",
		"skipped dashboard_user: 1 × password_hash is not a bcrypt hash (e.g. " + v2fixture.BadHashID + ")",
		"subscription not active (expired, canceled or pending): history stays in the old database (e.g. 5b000000-0000-4000-8000-000000000002)",
		"orphan: the post's client is not a client of the old database (e.g. IGORPHAN)",
		"unparseable created_at: the post's day cannot be known (e.g. IGNOTIME)",
		"left out of insta_post: 1 × role tag not known here (posts are tagged for the directorates only): left out (e.g. IGLATE)",
		"the post was not imported (skipped or missing) (e.g. IGORPHAN)",
		"skipped dashboard_premium_request: 1 × request already answered or expired: history stays in the old database (e.g. 2)",
		"skipped premium_request: 1 × request already answered or expired: history stays in the old database (e.g. 2)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}

	token := dashboardToken(t, base, v2fixture.OperatorUsername, v2fixture.OperatorPassword)
	type recap struct {
		TotalPosts                                                     int
		SudahUsersCount, KurangUsersCount, BelumUsersCount, UsersCount int
		Data                                                           []struct {
			UserID         string `json:"user_id"`
			JumlahLike     *int   `json:"jumlah_like"`
			JumlahKomentar *int   `json:"jumlah_komentar"`
			Status         string `json:"status"`
		}
	}
	get := func(path string) recap {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, base+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var r recap
		if err := json.Unmarshal(raw, &r); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, raw)
		}
		return r
	}
	statuses := func(r recap) map[string]string {
		m := map[string]string{}
		for _, d := range r.Data {
			m[d.UserID] = d.Status
		}
		return m
	}
	// Operators of POLRES_A: Budi (likes both posts), Rina (liked the
	// 23:59 post through her handle typed as a profile link), Siti (exempt:
	// done whatever she liked); Andi is inactive and not counted.
	for _, c := range []struct {
		path   string
		posts  int
		status map[string]string
	}{
		{"/api/insta/rekap-likes?periode=harian&tanggal=2026-11-20&role=operator&scope=org&client_id=POLRES_A", 1,
			map[string]string{"75020001": "sudah", "75020004": "sudah", "75020002": "sudah"}},
		{"/api/insta/rekap-likes?periode=harian&tanggal=2026-11-21&role=operator&scope=org&client_id=POLRES_A", 1,
			map[string]string{"75020001": "sudah", "75020004": "belum", "75020002": "sudah"}},
		// TikTok times are UTC wall time: 16:59 is 23:59 Jakarta (Nov 20),
		// 17:01 is 00:01 (Nov 21). Rina has no TikTok handle.
		{"/api/tiktok/rekap-komentar?periode=harian&tanggal=2026-11-20&role=operator&scope=org", 1,
			map[string]string{"75020001": "sudah", "75020004": "no_username", "75020002": "sudah"}},
		{"/api/tiktok/rekap-komentar?periode=harian&tanggal=2026-11-21&role=operator&scope=org", 1,
			map[string]string{"75020001": "sudah", "75020004": "no_username", "75020002": "sudah"}},
	} {
		r := get(c.path)
		if r.TotalPosts != c.posts {
			t.Errorf("%s: %d posts, want %d", c.path, r.TotalPosts, c.posts)
		}
		if got := statuses(r); !mapsEqual(got, c.status) {
			t.Errorf("%s: statuses %v, want %v", c.path, got, c.status)
		}
	}

	t.Logf("first run:\n%s", out)
	again, err := runCLI(t, "import-v2", "--from", oldURL, "-q", "--wait", "0")
	if err != nil {
		t.Fatalf("second import-v2: %v\n%s", err, again)
	}
	if !strings.Contains(again, "appended 0 events") {
		t.Errorf("the second run appended events:\n%s", again)
	}

	// Every imported event names the import and its source row.
	hist, err := runCLI(t, "events", "--aggregate", "directory.person.75020001", "--json")
	if err != nil {
		t.Fatalf("events: %v\n%s", err, hist)
	}
	if !strings.Contains(hist, `"system:import-v2"`) || !strings.Contains(hist, `"v2:user:75020001"`) {
		t.Errorf("history lacks the import's actor or causation:\n%s", hist)
	}
}

func TestImportV2RefusesWrongSource(t *testing.T) {
	testEnv(t)
	_, empty := testkit.NewDatabase(t)
	for _, c := range []struct{ from, want string }{
		{"", "--from is required"},
		{"postgres://postgres@127.0.0.1:1/nope?sslmode=disable&connect_timeout=2", "connect to the old database"},
		{empty + "&search_path=nothing_here", "not a Cicero_V2 database: table(s) clients, user, user_roles, roles missing"},
	} {
		out, err := runCLI(t, "import-v2", "--from", c.from, "-q")
		if err == nil || !strings.Contains(out+err.Error(), c.want) {
			t.Errorf("--from %q: %v\n%s (want %q)", c.from, err, out, c.want)
		}
	}
}

// importedApp starts serve, builds the old database with the edge cases
// and imports it (waiting for the read models), returning serve's URL,
// the old database's and the import's report.
func importedApp(t *testing.T) (cfg config.Config, base, oldURL, report string) {
	t.Helper()
	// Other runs on this machine log the same fixture accounts in.
	t.Setenv("ALLOW_DUPLICATE_REQUESTS", "true")
	cfg = testEnv(t)
	base = startApp(t, cfg)
	oldURL = oldDatabase(t)
	out, err := runCLI(t, "import-v2", "--from", oldURL, "-q", "--wait", "60s")
	if err != nil {
		t.Fatalf("import-v2: %v\n%s", err, out)
	}
	return cfg, base, oldURL, out
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
