package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cicero/cicero/internal/apispec"
	"github.com/cicero/cicero/internal/testkit"
)

// TestAuditWhoChangedTheHandle: an auditor answers "who changed this
// person's Instagram handle, when, through which channel" from the audit
// API alone, every answer matching openapi.yaml; the read is itself in the
// reads log; an operator is refused; the CLI answers the same.
func TestAuditWhoChangedTheHandle(t *testing.T) {
	t.Setenv("ALLOW_DUPLICATE_REQUESTS", "true") // logins are retried until the read model has the accounts
	cfg := testEnv(t)
	base := startApp(t, cfg)
	run := time.Now().UnixNano()
	admin, opr := fmt.Sprintf("aud_admin_%d", run), fmt.Sprintf("aud_opr_%d", run)
	for _, args := range [][]string{
		{"admin", "client", "create", "--id", "POLRESA", "--name", "POLRES A", "--type", "org"},
		{"admin", "person", "create", "--nrp", "75020001", "--name", "budi", "--client", "POLRESA", "--insta", "budi.lama"},
		{"admin", "dashboard-user", "create", "--username", admin, "--password", "rahasia123", "--role", "admin", "--clients", "POLRESA"},
		{"admin", "dashboard-user", "create", "--username", opr, "--password", "rahasia123", "--role", "operator", "--clients", "POLRESA"},
	} {
		if out, err := runCLI(t, args...); err != nil {
			t.Fatalf("%v: %v %s", args, err, out)
		}
	}
	// Log in once the read models hold the accounts (failed attempts count
	// against the login throttle).
	pool := openPool(t, cfg)
	testkit.Eventually(t, 15*time.Second, func() error {
		var n, u int
		if err := pool.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM personnel WHERE user_id = '75020001'),
			(SELECT count(*) FROM dashboard_users WHERE username IN ($1, $2))`, admin, opr).Scan(&n, &u); err != nil || n != 1 || u != 2 {
			return fmt.Errorf("not projected yet (%v)", err)
		}
		return nil
	})
	adminTok, oprTok := komplainLogin(t, base, admin), komplainLogin(t, base, opr)
	client := apispec.Client(t)
	call := func(method, token, path, body string) (int, []byte) {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var buf bytes.Buffer
		_, _ = buf.ReadFrom(resp.Body)
		return resp.StatusCode, buf.Bytes()
	}
	if code, body := call(http.MethodPut, adminTok, "/api/users/75020001", `{"insta":"budi.baru"}`); code != http.StatusOK {
		t.Fatalf("handle change = %d %s", code, body)
	}

	var hist struct {
		Data struct {
			Events []struct {
				Type       string         `json:"type"`
				Actor      string         `json:"actor"`
				Channel    string         `json:"channel"`
				CommandID  string         `json:"command_id"`
				OccurredAt string         `json:"occurred_at"`
				Sequence   uint64         `json:"sequence"`
				Payload    map[string]any `json:"payload"`
			} `json:"events"`
		} `json:"data"`
	}
	code, body := call(http.MethodGet, adminTok, "/api/audit/history/person/75020001", "")
	if code != http.StatusOK || json.Unmarshal(body, &hist) != nil {
		t.Fatalf("history = %d %s", code, body)
	}
	var who, channel, when string
	for _, e := range hist.Data.Events {
		if e.Type == "PersonHandleChanged" && e.Payload["handle"] == "budi.baru" && e.Payload["platform"] == "instagram" {
			who, channel, when = e.Actor, e.Channel, e.OccurredAt
		}
	}
	if !strings.HasPrefix(who, "dashboard:") || channel != "http" || when == "" {
		t.Fatalf("the handle change shows actor %q channel %q at %q: %s", who, channel, when, body)
	}
	if reg := hist.Data.Events[0]; reg.Type != "PersonRegistered" || reg.Channel != "cli" || !strings.HasPrefix(reg.Actor, "cli") {
		t.Fatalf("registration = %+v", reg)
	}
	// The read is in the reads log, under the admin who made the change.
	code, body = call(http.MethodGet, adminTok, "/api/audit/reads?limit=5", "")
	if code != http.StatusOK || !strings.Contains(string(body), `"actor":"`+who+`"`) || !strings.Contains(string(body), `"query":"history"`) {
		t.Fatalf("reads log = %d %s", code, body)
	}
	if code, body = call(http.MethodGet, oprTok, "/api/audit/history/person/75020001", ""); code != http.StatusForbidden {
		t.Fatalf("operator reads the audit: %d %s", code, body)
	}
	// Across streams, through the index (eventually: it is a projection).
	testkit.Eventually(t, 10*time.Second, func() error {
		code, body := call(http.MethodGet, adminTok, "/api/audit/events?type=PersonHandleChanged&client=POLRESA&channel=http", "")
		if code != http.StatusOK || strings.Count(string(body), `"type":"PersonHandleChanged"`) != 1 {
			return fmt.Errorf("events = %d %s", code, body)
		}
		return nil
	})
	code, body = call(http.MethodGet, adminTok, "/api/audit/diff/person/75020001?position=2", "")
	if code != http.StatusOK || !strings.Contains(string(body), `{"field":"Insta","then":"budi.lama","now":"budi.baru"}`) {
		t.Fatalf("diff = %d %s", code, body)
	}

	out, err := runCLI(t, "events", "history", "person", "75020001")
	if err != nil || !strings.Contains(out, `"actor": "`+who+`"`) || !strings.Contains(out, `"channel": "http"`) {
		t.Fatalf("cicero events history: %v %s", err, out)
	}
	out, err = runCLI(t, "events", "--client", "POLRESA", "--type", "PersonHandleChanged", "--json")
	if err != nil || strings.Count(out, "\n") != 1 || !strings.Contains(out, `"channel":"http"`) {
		t.Fatalf("cicero events --client: %v %q", err, out)
	}
	out, err = runCLI(t, "events", "reads", "--limit", "3")
	if err != nil || !strings.Contains(out, `"channel": "cli"`) {
		t.Fatalf("cicero events reads: %v %s", err, out)
	}
}
