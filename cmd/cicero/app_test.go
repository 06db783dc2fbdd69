package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cicero/cicero/internal/config"
	"github.com/cicero/cicero/internal/testkit"
)

// freeAddr returns a loopback address nobody listens on right now.
func freeAddr(t *testing.T) string {
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
func testEnv(t *testing.T) config.Config {
	t.Helper()
	_, dbURL := testkit.NewDatabase(t)
	t.Setenv("DATABASE_URL", dbURL)
	t.Setenv("DATA_DIR", t.TempDir())
	t.Setenv("NATS_LISTEN", freeAddr(t))
	t.Setenv("NATS_URL", "")
	t.Setenv("REDIS_URL", testkit.RedisURL())
	t.Setenv("PORT", "0")
	cfg, err := config.Load()
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// startApp runs `serve` in-process and returns its base URL.
func startApp(t *testing.T, cfg config.Config) string {
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
func runCLI(t *testing.T, args ...string) (string, error) {
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
		{"GET", "/api/nothing-here", 404, `{"success":false,"message":"Endpoint not found"}`},
	}
	for _, tc := range cases {
		t.Run(tc.method+tc.path, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, base+tc.path, nil)
			resp, err := http.DefaultClient.Do(req)
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
