package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cicero/cicero/internal/apispec"
	"github.com/cicero/cicero/internal/testkit"
)

// TestEditorialApprovalNotifiesTheWriter: with serve running, a writer
// whose number an admin recorded (CLI) submits a release; a penulis's
// approval is refused, the editor's (made through the CLI) is accepted,
// a second one is a 409, and the notice saga queues one WhatsApp row to
// the writer with the decision's text.
func TestEditorialApprovalNotifiesTheWriter(t *testing.T) {
	t.Setenv("ALLOW_DUPLICATE_REQUESTS", "true")
	cfg := testEnv(t)
	base := startApp(t, cfg)
	client := apispec.Client(t)
	run := time.Now().UnixNano() % 1e9
	writer, editor := fmt.Sprintf("siti_%d", run), fmt.Sprintf("red_%d", run)
	call := func(method, path, token, body string) (int, map[string]any) {
		t.Helper()
		req, err := http.NewRequest(method, base+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var m map[string]any
		_ = json.Unmarshal(raw, &m)
		return resp.StatusCode, m
	}
	for _, u := range []string{writer, editor} {
		if st, m := call(http.MethodPost, "/api/auth/penmas-register", "", fmt.Sprintf(`{"username":%q,"password":"rahasia"}`, u)); st != http.StatusCreated {
			t.Fatalf("register %s: %d %v", u, st, m)
		}
	}
	for _, args := range [][]string{
		{"admin", "penmas-user", "set", "--username", editor, "--role", "editor"},
		{"admin", "penmas-user", "set", "--username", writer, "--whatsapp", "0812-4444-5555"},
	} {
		if out, err := runCLI(t, args...); err != nil || !strings.Contains(out, "PenmasUser") {
			t.Fatalf("%v: %v %s", args, err, out)
		}
	}
	login := func(u, role string) string {
		var token string
		testkit.Eventually(t, 10*time.Second, func() error {
			st, m := call(http.MethodPost, "/api/auth/penmas-login", "", fmt.Sprintf(`{"username":%q,"password":"rahasia"}`, u))
			user, _ := m["user"].(map[string]any)
			if st != http.StatusOK || user["role"] != role {
				return fmt.Errorf("login %s: %d %v", u, st, m)
			}
			token, _ = m["token"].(string)
			return nil
		})
		return token
	}
	wt, et := login(writer, "penulis"), login(editor, "editor")

	st, m := call(http.MethodPost, "/api/events", wt, `{"event_date":"2026-03-05 09:00","topic":"Bakti sosial","judul_berita":"Bakti sosial Polres"}`)
	data, _ := m["data"].(map[string]any)
	if st != http.StatusCreated || data == nil {
		t.Fatalf("create: %d %v", st, m)
	}
	st, m = call(http.MethodPost, "/api/approvals", wt, fmt.Sprintf(`{"event_id":%v}`, data["event_id"]))
	req, _ := m["data"].(map[string]any)
	if st != http.StatusCreated || req == nil {
		t.Fatalf("submit: %d %v", st, m)
	}
	path := fmt.Sprintf("/api/approvals/%v", req["request_id"])
	if st, m := call(http.MethodPut, path, wt, `{"status":"approved"}`); st != http.StatusForbidden {
		t.Fatalf("penulis approval: %d %v", st, m)
	}
	if st, m := call(http.MethodPut, path, et, `{"status":"approved","note":"Terbitkan pagi ini"}`); st != http.StatusOK {
		t.Fatalf("editor approval: %d %v", st, m)
	}
	if st, m := call(http.MethodPut, path, et, `{"status":"approved"}`); st != http.StatusConflict {
		t.Fatalf("second approval: %d %v", st, m)
	}

	pool := openPool(t, cfg)
	want := fmt.Sprintf("✅ *Siaran pers disetujui*\nJudul: Bakti sosial Polres\nTanggal kegiatan: 05/03/2026\n"+
		"Permintaan: #%v (berita #%v)\nDisetujui oleh: %s\nCatatan: Terbitkan pagi ini\nBerita dapat diterbitkan.",
		req["request_id"], data["event_id"], editor)
	testkit.Eventually(t, 15*time.Second, func() error {
		var n int
		var rcpt, text string
		err := pool.QueryRow(context.Background(), `SELECT count(*) OVER (), recipient, payload->>'text' FROM outbox
			WHERE saga = 'editorial-release-notice' AND recipient = '6281244445555@s.whatsapp.net'`).Scan(&n, &rcpt, &text)
		if err != nil {
			return fmt.Errorf("no notice row yet: %w", err)
		}
		if n != 1 || text != want {
			return fmt.Errorf("%d rows; text %q, want %q", n, text, want)
		}
		return nil
	})
}
