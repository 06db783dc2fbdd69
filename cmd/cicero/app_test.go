package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cicero/cicero/projections/directory"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cicero/cicero/internal/apispec"
	"github.com/cicero/cicero/internal/config"
	"github.com/cicero/cicero/internal/testkit"
)

// freeAddr returns a loopback address nobody listens on right now.
func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// testEnv points the process configuration at a fresh database, a fresh data
// directory and a free NATS port, through the environment like production.
func testEnv(t testing.TB) config.Config {
	t.Helper()
	_, dbURL := testkit.NewDatabase(t)
	t.Setenv("DATABASE_URL", dbURL)
	t.Setenv("DATA_DIR", t.TempDir())
	t.Setenv("NATS_LISTEN", freeAddr(t))
	t.Setenv("NATS_URL", "")
	t.Setenv("REDIS_URL", testkit.RedisURL())
	t.Setenv("PORT", "0")
	t.Setenv("JWT_SECRET", "test-secret-"+t.Name())
	// WhatsApp off unless a test turns it on (cfg.WASkipInit = false):
	// nothing is paired in tests, and a sender with no ready session would
	// hold WhatsApp messages for retries instead of refusing them.
	t.Setenv("WA_SERVICE_SKIP_INIT", "true")
	// The scheduler off unless a test turns it on (cfg.SchedulerEnabled):
	// on the wall clock a half-hourly fetch or routine would append events
	// in the middle of a test that counts them.
	t.Setenv("SCHEDULER_ENABLED", "false")
	cfg, err := config.Load()
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// startApp runs `serve` in-process and returns its base URL.
func startApp(t testing.TB, cfg config.Config) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	app, err := NewApp(ctx, cfg, testkit.Logger(t))
	if err != nil {
		cancel()
		t.Fatalf("new app: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- app.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("app run: %v", err)
		}
		app.Close()
	})
	return "http://" + app.Addr()
}

// runCLI executes the cicero command line with args and returns stdout.
func runCLI(t testing.TB, args ...string) (string, error) {
	t.Helper()
	cmd := newRootCmd()
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(context.Background())
	if err != nil {
		return out.String() + errOut.String(), err
	}
	return out.String(), nil
}

func TestServePlatformRoutes(t *testing.T) {
	base := startApp(t, testEnv(t))
	client := apispec.Client(t)
	cases := []struct {
		method, path string
		status       int
		contains     string
	}{
		{"GET", "/", 200, `{"status":"ok"}`},
		{"POST", "/", 200, `{"status":"ok"}`},
		{"GET", "/healthz", 200, `"ok"`},
		{"GET", "/readyz", 200, `"ready"`},
		{"GET", "/metrics", 200, "go_goroutines"},
		{"GET", "/openapi.yaml", 200, `"openapi": "3.0.3"`},
		{"GET", "/ops", 401, `Masuk sebagai admin`}, // admins only: TestOpsPage
		{"GET", "/nothing-here", 404, `{"success":false,"message":"Endpoint not found"}`},
		// Under /api identity comes first: an anonymous caller learns nothing about routes.
		{"GET", "/api/nothing-here", 401, `"reason":"missing_token"`},
		{"GET", "/.env", 404, `{"success":false,"message":"Endpoint not found"}`},
	}
	for _, tc := range cases {
		t.Run(tc.method+tc.path, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, base+tc.path, nil)
			c := client
			if tc.status == 404 || tc.path == "/api/nothing-here" {
				c = http.DefaultClient // an unknown path is, by definition, not in the document
			}
			if tc.path == "/ops" {
				c = http.DefaultClient // an HTML page: the validator decodes JSON bodies only
			}
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var buf bytes.Buffer
			_, _ = buf.ReadFrom(resp.Body)
			if resp.StatusCode != tc.status || !strings.Contains(buf.String(), tc.contains) {
				t.Fatalf("%s %s = %d %q, want %d containing %q", tc.method, tc.path, resp.StatusCode, buf.String(), tc.status, tc.contains)
			}
		})
	}
}

func TestReadyzReportsEachDependency(t *testing.T) {
	base := startApp(t, testEnv(t))
	resp, err := http.Get(base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Status string            `json:"status"`
		Checks map[string]string `json:"checks"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	for _, dep := range []string{"nats", "postgres", "redis"} {
		if body.Checks[dep] != "ok" {
			t.Errorf("check %s = %q, want ok (body %+v)", dep, body.Checks[dep], body)
		}
	}
}

func TestCLIWorksWithAndWithoutServe(t *testing.T) {
	cfg := testEnv(t)
	// Without serve: the CLI starts its own in-process server on DATA_DIR.
	if _, err := runCLI(t, "events", "--json"); err != nil {
		t.Fatalf("events without serve: %v", err)
	}
	// With serve: the data dir is in use, so the CLI must reach serve's NATS.
	startApp(t, cfg)
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, err := runCLI(t, "events", "--json")
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("events with serve running: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if _, err := runCLI(t, "events", "--since", "not-a-date"); err == nil || !strings.Contains(err.Error(), "--since") {
		t.Fatalf("bad --since should fail clearly, got %v", err)
	}
}

// opsStatus reads /ops (as JSON) with an admin's token.
func opsStatus(t *testing.T, base, adminToken string) []struct {
	Projection string `json:"projection"`
	Stream     string `json:"stream"`
	Checkpoint uint64 `json:"checkpoint"`
	Head       uint64 `json:"head"`
	Active     bool   `json:"active"`
} {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/ops", nil)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+adminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/ops = %d", resp.StatusCode)
	}
	var body struct {
		Projections []struct {
			Projection string `json:"projection"`
			Stream     string `json:"stream"`
			Checkpoint uint64 `json:"checkpoint"`
			Head       uint64 `json:"head"`
			Active     bool   `json:"active"`
		} `json:"projections"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return body.Projections
}

// TestServeProjectsAndRebuilds: commands issued through the CLI while serve
// runs reach the read model, and a rebuild through the CLI swaps in tables
// equal to the live ones without stopping serve.
func TestServeProjectsAndRebuilds(t *testing.T) {
	cfg := testEnv(t)
	base := startApp(t, cfg)
	for _, args := range [][]string{
		{"admin", "client", "create", "--id", "POLRESA", "--name", "POLRES A", "--type", "org", "--regional", "JATIM"},
		{"admin", "person", "create", "--nrp", "75020001", "--name", "budi", "--client", "POLRESA", "--insta", "@Budi.IG", "--roles", "operator"},
		{"admin", "person", "role", "grant", "--nrp", "75020001", "--role", "ditbinmas"},
	} {
		if out, err := runCLI(t, args...); err != nil {
			t.Fatalf("%v: %v %s", args, err, out)
		}
	}
	pool, err := pgxpool.New(context.Background(), cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	q := directory.NewQueries(pool)
	testkit.Eventually(t, 10*time.Second, func() error {
		p, err := q.Person(context.Background(), "75020001")
		if err != nil {
			return err
		}
		if p.Nama != "BUDI" || p.ClientName == nil || *p.ClientName != "POLRES A" || !p.Ditbinmas || !p.Operator {
			return fmt.Errorf("person not projected yet: %+v", p)
		}
		return nil
	})
	var dir []string
	for _, s := range opsStatus(t, base, newAdminToken(t, base, cfg)) {
		if s.Projection == "directory" {
			dir = append(dir, fmt.Sprintf("%s %d/%d active=%v", s.Stream, s.Checkpoint, s.Head, s.Active))
		}
	}
	if strings.Join(dir, ";") != "DIRECTORY 3/3 active=true" {
		t.Fatalf("/ops directory = %v, want DIRECTORY at 3 of 3, active", dir)
	}
	before, err := q.Person(context.Background(), "75020001")
	if err != nil {
		t.Fatal(err)
	}
	out, err := runCLI(t, "rebuild", "directory")
	if err != nil || !strings.Contains(out, "rebuilt directory") {
		t.Fatalf("rebuild: %v %q", err, out)
	}
	after, err := q.Person(context.Background(), "75020001")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, after); diff != "" {
		t.Fatalf("rebuilt person differs (-live +rebuilt):\n%s", diff)
	}
	// The refusal names the read models (each context adds its own).
	_, err = runCLI(t, "rebuild", "nope")
	for _, name := range []string{"audit", "dashboard_users", "directory", "editorial", "messaging_reminders", "wa_sessions", "penmas_users", "personnel_premium", "premium"} {
		if err == nil || !strings.Contains(err.Error(), "known: ") || !strings.Contains(err.Error(), " "+name+",") &&
			!strings.HasSuffix(strings.TrimSuffix(err.Error(), ")"), " "+name) {
			t.Fatalf("unknown projection: %v (does not name %s)", err, name)
		}
	}
	// serve keeps projecting after the swap.
	if out, err := runCLI(t, "admin", "person", "update", "--nrp", "75020001", "--title", "aiptu"); err != nil {
		t.Fatalf("%v %s", err, out)
	}
	testkit.Eventually(t, 10*time.Second, func() error {
		p, err := q.Person(context.Background(), "75020001")
		if err != nil || p.Title != "AIPTU" {
			return fmt.Errorf("update after rebuild not projected: %+v %v", p, err)
		}
		return nil
	})
}

// TestServeLoginAndDirectory: an account made with the CLI logs in over
// HTTP and reads its client's directory; every answer matches openapi.yaml.
func TestServeLoginAndDirectory(t *testing.T) {
	cfg := testEnv(t)
	base := startApp(t, cfg)
	// Identical logins from one address within 5 minutes are refused (429,
	// spec/access.md §6.2) and Redis outlives a test run: a fresh name.
	user := fmt.Sprintf("opr_%d", time.Now().UnixNano())
	for _, args := range [][]string{
		{"admin", "client", "create", "--id", "POLRESA", "--name", "POLRES A", "--type", "org"},
		{"admin", "client", "create", "--id", "POLRESB", "--name", "POLRES B", "--type", "org"},
		{"admin", "person", "create", "--nrp", "75020001", "--name", "budi", "--client", "POLRESA", "--roles", "operator"},
		{"admin", "dashboard-user", "create", "--username", user, "--password", "rahasia123", "--role", "operator", "--clients", "POLRESA"},
	} {
		if out, err := runCLI(t, args...); err != nil {
			t.Fatalf("%v: %v %s", args, err, out)
		}
	}
	client := apispec.Client(t)
	var token string
	testkit.Eventually(t, 10*time.Second, func() error {
		resp, err := client.Post(base+"/api/auth/dashboard-login", "application/json",
			strings.NewReader(`{"username":"`+user+`","password":"rahasia123"}`))
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		var body struct {
			Success bool   `json:"success"`
			Token   string `json:"token"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK || body.Token == "" {
			return fmt.Errorf("login = %d (read model not caught up yet?)", resp.StatusCode)
		}
		token = body.Token
		return nil
	})
	get := func(path string) (int, string) {
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var buf bytes.Buffer
		_, _ = buf.ReadFrom(resp.Body)
		return resp.StatusCode, buf.String()
	}
	code, body := get("/api/users/list?client_id=POLRESA")
	if code != http.StatusOK || !strings.Contains(body, `"75020001"`) {
		t.Fatalf("own client's directory = %d %s", code, body)
	}
	if code, body := get("/api/users/list?client_id=POLRESB"); code != http.StatusForbidden || !strings.Contains(body, "client_id tidak diizinkan") {
		t.Fatalf("other client's directory = %d %s, want 403 client_id tidak diizinkan", code, body)
	}
}
