package ops_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/readapi/ops"
)

type sessions []ops.Session

func (s sessions) Sessions() []ops.Session { return s }

// TestPageRendersEverySection: the rows the wiring hands in — a lagging
// saga, failures, a job that failed, a fetch run that fell back to another
// host, a session waiting for its QR — reach the HTML, escaped, and the
// JSON; sessions appear only when an adapter is wired.
func TestPageRendersEverySection(t *testing.T) {
	ctx := context.Background()
	authn, err := auth.New(testkit.NewRedis(t), auth.Options{Secret: []byte("ops-test-" + t.Name())})
	if err != nil {
		t.Fatal(err)
	}
	issue := func(role string) string {
		is, err := authn.Issue(ctx, auth.KindDashboard, auth.Claims{DashboardUserID: fmt.Sprintf("%s-%d", role, time.Now().UnixNano()),
			Role: role, ClientIDs: []string{"POLRESA"}})
		if err != nil {
			t.Fatal(err)
		}
		return is.Token
	}
	at := time.Date(2026, 12, 3, 2, 0, 0, 0, time.UTC)
	deps := ops.Deps{
		Auth: authn,
		Projections: func(context.Context) ([]ops.Lag, error) {
			return []ops.Lag{{Projection: "directory", Stream: "DIRECTORY", Checkpoint: 7, Head: 7, Active: true}}, nil
		},
		Sagas: func(context.Context) ([]ops.Lag, error) {
			return []ops.Lag{{Projection: "social-complaint-notice", Stream: "COMPLAINT", Checkpoint: 3, Head: 9, LagEvents: 6, LagSeconds: 4.5}}, nil
		},
		Outbox: func(context.Context) (ops.Outbox, error) {
			return ops.Outbox{Pending: 2, Failed: 1, RecentFailures: []ops.Failure{{ID: 11, Saga: "social-complaint-notice",
				Channel: "whatsapp", Recipient: "…@g.us", Status: "failed", Attempts: 5, LastError: "<session not ready>", CreatedAt: at}}}, nil
		},
		Jobs: func(context.Context) ([]ops.Job, error) {
			next := at.Add(time.Hour)
			return []ops.Job{{Name: "fetch-sosmed", Cron: "0,30 6-21 * * *", Active: true, LastRun: &at, LastError: "rapidapi 503", NextRun: &next}}, nil
		},
		FetchRuns: func(context.Context) ([]ops.FetchRun, error) {
			return []ops.FetchRun{{RunID: "r1", ClientID: "POLRESA", Platform: "instagram", HostUsed: "fallback.rapidapi.test",
				Posts: 4, Failures: 1, Errors: []string{"likes IGX: timeout"}, FinishedAt: at}}, nil
		},
	}
	get := func(d ops.Deps, token, accept string) (int, string) {
		srv := httptest.NewServer(ops.Handler(d))
		defer srv.Close()
		req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
		req.AddCookie(&http.Cookie{Name: "token", Value: token})
		req.Header.Set("Accept", accept)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	admin := issue("admin")
	code, html := get(deps, admin, "text/html")
	if code != http.StatusOK {
		t.Fatalf("page = %d %s", code, html)
	}
	for _, want := range []string{
		`data-saga="social-complaint-notice"`, `>6</td>`, "4.5s", "&lt;session not ready&gt;", "…@g.us",
		"rapidapi 503", "2026-12-03T10:00:00&#43;07:00", "fallback.rapidapi.test", "likes IGX: timeout", "no WhatsApp adapter",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %q: %s", want, html[strings.Index(html, `id="jobs"`):])
		}
	}
	if _, body := get(deps, admin, "application/json"); !strings.Contains(body, `"whatsapp":[]`) {
		t.Errorf("json without an adapter: %s", body)
	}
	if !strings.Contains(html, "no pairing recorded") {
		t.Errorf("pairing history without rows: %s", html[strings.Index(html, `id="pairings"`):])
	}
	// wa-gateway shows its code; wa-user (logged out: awaiting a scan, no
	// code yet) offers a pairing; wa is connected.
	deps.WhatsApp = sessions{{Name: "wa-gateway", AwaitingQR: true, QRReady: true}, {Name: "wa", Paired: true, Ready: true, Sent: 3},
		{Name: "wa-user", AwaitingQR: true}}
	deps.Pairings = func(context.Context) ([]ops.Pairing, error) {
		return []ops.Pairing{{Session: "wa", JID: "6281200000001:3@s.whatsapp.net", PairedAt: &at, LoggedOutAt: &at,
			LogoutReason: "logged out from the phone"}}, nil
	}
	_, html = get(deps, admin, "text/html")
	if !strings.Contains(html, `src="/ops/whatsapp/wa-gateway/qr.png"`) || strings.Contains(html, "no WhatsApp adapter") ||
		!strings.Contains(html, "waiting for a scan") || !strings.Contains(html, `<span class="ok">ready</span>`) ||
		strings.Count(html, "qr.png") != 1 || !strings.Contains(html, `<form method="post" action="/ops/whatsapp/wa-user/pair">`) ||
		strings.Count(html, "/pair") != 1 || !strings.Contains(html, "6281200000001:3@s.whatsapp.net") ||
		!strings.Contains(html, "logged out from the phone") || strings.Contains(html, "no pairing recorded") {
		t.Errorf("whatsapp section: %s", html[strings.Index(html, `id="whatsapp"`):])
	}
	code, body := get(deps, admin, "application/json")
	var rep ops.Report
	if code != http.StatusOK || json.Unmarshal([]byte(body), &rep) != nil || len(rep.WhatsApp) != 3 || len(rep.Pairings) != 1 ||
		rep.Outbox.RecentFailures[0].Attempts != 5 || rep.FetchRuns[0].HostUsed != "fallback.rapidapi.test" {
		t.Fatalf("json = %d %s", code, body)
	}
	if code, _ := get(deps, issue("operator"), "application/json"); code != http.StatusForbidden {
		t.Fatalf("an operator got %d", code)
	}
	if code, _ := get(deps, "not-a-token", "text/html"); code != http.StatusUnauthorized {
		t.Fatalf("a bad token got %d", code)
	}
}
