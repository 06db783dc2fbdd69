package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/cicero/cicero/internal/apispec"
	"github.com/cicero/cicero/internal/config"
	"github.com/cicero/cicero/internal/schedule"
	"github.com/cicero/cicero/internal/testkit"
)

// artifactsDir is where browser tests leave screenshots: $ARTIFACTS_DIR,
// else artifacts/ at the repository root (CI keeps it).
func artifactsDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("ARTIFACTS_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// chromium finds Debian's chromium (make browser installs it).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("no chromium on PATH: run `make browser` (apt-get install chromium)")
	return ""
}

// TestOpsPage: /ops is for admins only; it answers JSON to Accept:
// application/json and renders in a real headless Chromium with an admin
// cookie (projections with their lag, sagas, outbox, the schedule with its
// next runs, "no WhatsApp adapter"); the screenshot goes to the artifacts.
func TestOpsPage(t *testing.T) {
	t.Setenv("ALLOW_DUPLICATE_REQUESTS", "true")
	cfg := testEnv(t)
	cfg.SchedulerEnabled = true // the page shows each job's next run
	base := startApp(t, cfg)
	run := time.Now().UnixNano()
	admin, opr := fmt.Sprintf("ops_admin_%d", run), fmt.Sprintf("ops_opr_%d", run)
	for _, args := range [][]string{
		{"admin", "client", "create", "--id", "POLRESA", "--name", "POLRES A", "--type", "org"},
		{"admin", "dashboard-user", "create", "--username", admin, "--password", "rahasia123", "--role", "admin", "--clients", "POLRESA"},
		{"admin", "dashboard-user", "create", "--username", opr, "--password", "rahasia123", "--role", "operator", "--clients", "POLRESA"},
	} {
		if out, err := runCLI(t, args...); err != nil {
			t.Fatalf("%v: %v %s", args, err, out)
		}
	}
	pool := openPool(t, cfg)
	testkit.Eventually(t, 15*time.Second, func() error {
		var n int
		if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM dashboard_users WHERE username IN ($1, $2)`,
			admin, opr).Scan(&n); err != nil || n != 2 {
			return fmt.Errorf("accounts not projected yet (%v)", err)
		}
		return nil
	})
	adminTok, oprTok := komplainLogin(t, base, admin), komplainLogin(t, base, opr)

	get := func(token, accept string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, base+"/ops", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		c := http.DefaultClient // the page's HTML is not an API body
		if accept == "application/json" {
			c = apispec.Client(t)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b strings.Builder
		buf := make([]byte, 32<<10)
		for {
			n, err := resp.Body.Read(buf)
			b.Write(buf[:n])
			if err != nil {
				break
			}
		}
		return resp.StatusCode, b.String()
	}
	for _, c := range []struct {
		token, accept string
		status        int
		contains      string
	}{
		{"", "application/json", http.StatusUnauthorized, `"reason":"missing_token"`},
		{oprTok, "application/json", http.StatusForbidden, `"message":"Forbidden"`},
		{oprTok, "text/html", http.StatusForbidden, `Halaman ini hanya untuk admin.`},
		{"", "text/html", http.StatusUnauthorized, `Masuk sebagai admin`},
	} {
		if code, body := get(c.token, c.accept); code != c.status || !strings.Contains(body, c.contains) {
			t.Errorf("GET /ops as %.8q accepting %s = %d %.200s, want %d with %q", c.token, c.accept, code, body, c.status, c.contains)
		}
	}
	// JSON, once every projection has caught up.
	var rep struct {
		Projections []struct {
			Projection string `json:"projection"`
			LagEvents  uint64 `json:"lag_events"`
		} `json:"projections"`
		Sagas    []json.RawMessage `json:"sagas"`
		Outbox   map[string]any    `json:"outbox"`
		WhatsApp []any             `json:"whatsapp"`
		Pairings []any             `json:"whatsapp_pairings"` // the wa_sessions read model: none paired here
		Jobs     []struct {
			Name    string  `json:"name"`
			NextRun *string `json:"next_run"`
		} `json:"jobs"`
	}
	testkit.Eventually(t, 15*time.Second, func() error {
		code, body := get(adminTok, "application/json")
		if code != http.StatusOK {
			return fmt.Errorf("ops json = %d %s", code, body)
		}
		if err := json.Unmarshal([]byte(body), &rep); err != nil {
			return err
		}
		for _, p := range rep.Projections {
			if p.LagEvents != 0 {
				return fmt.Errorf("%s lags %d", p.Projection, p.LagEvents)
			}
		}
		return nil
	})
	names := map[string]bool{}
	for _, p := range rep.Projections {
		names[p.Projection] = true
	}
	if !names["directory"] || !names["audit"] || !names["social_engagements"] || len(rep.Sagas) == 0 ||
		rep.Outbox["recent_failures"] == nil || rep.WhatsApp == nil || len(rep.WhatsApp) != 0 || rep.Pairings == nil || len(rep.Jobs) == 0 || rep.Jobs[0].NextRun == nil {
		t.Fatalf("ops json = %+v", rep)
	}

	// The page in a real browser.
	actx, cancel := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)), chromedp.NoSandbox, chromedp.Headless, chromedp.WindowSize(1280, 1600))...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	setCookie := func(token string) {
		t.Helper()
		if _, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{Name: "token", Value: token, URL: base, Path: "/"}); err != nil {
			t.Fatalf("set cookie: %v", err)
		}
	}
	setCookie(adminTok)
	resp, err := chromedp.RunResponse(ctx, chromedp.Navigate(base+"/ops"))
	if err != nil {
		t.Fatalf("open /ops: %v", err)
	}
	if resp.Status != http.StatusOK {
		t.Fatalf("/ops in the browser = %d", resp.Status)
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible("#projections")); err != nil {
		t.Fatal(err)
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(sel))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
	if s := text("#projections"); !strings.Contains(s, "directory") || !strings.Contains(s, "social_engagements") ||
		!strings.Contains(s, "lag (events)") {
		t.Errorf("projections table renders %q", s)
	}
	if s := text(`tr[data-projection="directory"] td.lag`); s != "0" {
		t.Errorf("directory lag renders %q, want 0", s)
	}
	if s := text("#whatsapp"); !strings.Contains(s, "no WhatsApp adapter") {
		t.Errorf("whatsapp renders %q", s)
	}
	if s := text("#jobs"); !strings.Contains(s, "retention") {
		t.Errorf("jobs render %q", s)
	}
	if s := text("#outbox"); !strings.Contains(s, "pending") {
		t.Errorf("outbox renders %q", s)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(artifactsDir(t), "ops.png")
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", path, len(shot))

	// An operator's cookie gets the refusal page.
	setCookie(oprTok)
	resp, err = chromedp.RunResponse(ctx, chromedp.Navigate(base+"/ops"))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != http.StatusForbidden || !strings.Contains(text("#refusal"), "hanya untuk admin") {
		t.Fatalf("/ops as an operator = %d", resp.Status)
	}
}

// newAdminToken makes a dashboard admin with the CLI and logs it in once
// the read model has it (for tests that read /ops).
func newAdminToken(t *testing.T, base string, cfg config.Config) string {
	t.Helper()
	user := fmt.Sprintf("ops_admin_%d", time.Now().UnixNano())
	out, err := runCLI(t, "admin", "dashboard-user", "create", "--username", user, "--password", "rahasia123", "--role", "admin",
		"--clients", "POLRESA")
	if err != nil {
		t.Fatalf("create admin: %v %s", err, out)
	}
	pool := openPool(t, cfg)
	testkit.Eventually(t, 15*time.Second, func() error {
		var n int
		if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM dashboard_users WHERE username = $1`, user).Scan(&n); err != nil || n != 1 {
			return fmt.Errorf("admin not projected yet (%v)", err)
		}
		return nil
	})
	return komplainLogin(t, base, user)
}

func TestOpsJobsNextRunFollowsTheScheduler(t *testing.T) {
	next := time.Date(2026, 12, 3, 21, 0, 0, 0, time.UTC)
	st := []schedule.Status{{Name: "fetch-sosmed", Cron: "0,30 6-21 * * *", Active: true, NextRun: &next}}
	for _, c := range []struct {
		on   bool
		want *time.Time
	}{{true, &next}, {false, nil}} {
		got := opsJobs(st, c.on)
		if len(got) != 1 || got[0].Name != "fetch-sosmed" || !got[0].Active || got[0].NextRun != c.want {
			t.Errorf("scheduler on=%v: jobs = %+v, want next run %v", c.on, got, c.want)
		}
	}
}
