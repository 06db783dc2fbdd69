package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/internal/testkit"
)

// logBuffer is a concurrency-safe sink for the app's JSON log.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// records decodes every log line.
func (b *logBuffer) records() []map[string]any {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	for _, l := range strings.Split(b.buf.String(), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(l), &m) == nil {
			out = append(out, m)
		}
	}
	return out
}

// A request whose client goes away while the server waits (here on a
// Postgres table lock) is logged at INFO "request cancelled by client" with
// status 499, also in the access log — not as a server error (issue 8 §6).
func TestCancelledRequestIsNotAServerError(t *testing.T) {
	// The login below is retried until the read model has the account: an
	// identical retry must not be refused as a duplicate request.
	t.Setenv("ALLOW_DUPLICATE_REQUESTS", "true")
	cfg := testEnv(t)
	logs := &logBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	ctx, cancel := context.WithCancel(context.Background())
	app, err := NewApp(ctx, cfg, log)
	if err != nil {
		cancel()
		t.Fatal(err)
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
	base := "http://" + app.Addr()
	// Unique per run: login throttling and the duplicate-request guard
	// live in the Redis every run on the machine shares.
	admin := fmt.Sprintf("adm_cancel_%d", time.Now().UnixNano())
	for _, args := range [][]string{
		{"admin", "client", "create", "--id", "POLRESA", "--name", "POLRES A", "--type", "org"},
		{"admin", "dashboard-user", "create", "--username", admin, "--password", "rahasia123", "--role", "admin", "--clients", "POLRESA"},
	} {
		if out, err := runCLI(t, args...); err != nil {
			t.Fatalf("%v: %v %s", args, err, out)
		}
	}
	var token string
	testkit.Eventually(t, 10*time.Second, func() error {
		resp, err := http.Post(base+"/api/auth/dashboard-login", "application/json",
			strings.NewReader(`{"username":"`+admin+`","password":"rahasia123"}`))
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		var body struct{ Token string }
		_ = json.NewDecoder(resp.Body).Decode(&body)
		if resp.StatusCode != http.StatusOK || body.Token == "" {
			return fmt.Errorf("login %d", resp.StatusCode)
		}
		token = body.Token
		return nil
	})

	// Hold a lock that blocks every read of the personnel read model.
	conn, err := pgx.Connect(context.Background(), cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	tx, err := conn.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback(context.Background()) }()
	if _, err := tx.Exec(context.Background(), "LOCK TABLE personnel IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}

	reqCtx, stop := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer stop()
	req, _ := http.NewRequestWithContext(reqCtx, http.MethodGet, base+"/api/users/list?client_id=POLRESA&role=operator", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("the read answered %d while the table was locked", resp.StatusCode)
	}

	testkit.Eventually(t, 10*time.Second, func() error {
		var cancelled, access bool
		for _, r := range logs.records() {
			if r["path"] != "/api/users/list" {
				continue
			}
			switch {
			case r["level"] == "ERROR":
				return fmt.Errorf("logged as an error: %v", r)
			case r["msg"] == httpx.MsgClientGone && r["level"] == "INFO":
				cancelled = true
			case r["msg"] == "http" && r["status"] == float64(httpx.StatusClientClosed):
				access = true
			}
		}
		if !cancelled || !access {
			return fmt.Errorf("cancelled logged %v, access log 499 %v", cancelled, access)
		}
		return nil
	})
}
