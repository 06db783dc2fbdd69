package main

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cicero/cicero/internal/testkit"
)

// TestServeQueuesNotices: serve runs the notice sagas of its contexts. A
// dashboard registration over HTTP, its approval by `cicero admin` and the
// user's login queue the registrant's and the admins' WhatsApp notices
// (ADMIN_WHATSAPP in any spelling becomes one user JID) in the outbox.
// Serve has no WhatsApp sender yet, so they wait there as pending.
func TestServeQueuesNotices(t *testing.T) {
	t.Setenv("ALLOW_DUPLICATE_REQUESTS", "true")
	t.Setenv("ADMIN_WHATSAPP", "0811-1000-0001")
	cfg := testEnv(t)
	base := startApp(t, cfg)
	if out, err := runCLI(t, "admin", "client", "create", "--id", "POLRESN", "--name", "POLRES N", "--type", "org"); err != nil {
		t.Fatalf("client: %v %s", err, out)
	}
	user := fmt.Sprintf("reg_n%d", time.Now().UnixNano()%1e6)
	body := `{"username":"` + user + `","password":"rahasia123","whatsapp":"081234560001","client_ids":["POLRESN"]}`
	testkit.Eventually(t, 10*time.Second, func() error {
		resp, err := http.Post(base+"/api/auth/dashboard-register", "application/json", strings.NewReader(body))
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			return fmt.Errorf("register: %d", resp.StatusCode)
		}
		return nil
	})
	if out, err := runCLI(t, "admin", "dashboard-user", "approve", "--username", user); err != nil {
		t.Fatalf("approve: %v %s", err, out)
	}
	komplainLogin(t, base, user)

	pool := openPool(t, cfg)
	want := []string{ // in the order of the rows, sorted
		"access-dashboard-notice 6281234560001@s.whatsapp.net pending ✅ Registrasi dashboard Anda telah disetujui.\nUsername: " + user,
		"access-dashboard-notice 6281234560001@s.whatsapp.net pending 📋 Permintaan registrasi dashboard Anda telah diterima",
		"access-login-notice 6281110000001@s.whatsapp.net pending 🔑 Login dashboard: " + user + " (operator)\nClient ID: POLRESN\nWaktu: ",
		"access-registration-admin-notice 6281110000001@s.whatsapp.net pending 📋 Permintaan User Approval dengan data sebagai berikut :\nUsername: " + user,
	}
	testkit.Eventually(t, 20*time.Second, func() error {
		rows, err := pool.Query(context.Background(), `SELECT saga, recipient, status, payload->>'text' FROM outbox
			WHERE saga LIKE 'access-%-notice' AND channel = 'whatsapp'`)
		if err != nil {
			return err
		}
		defer rows.Close()
		var got []string
		for rows.Next() {
			var saga, rcpt, status, text string
			if err := rows.Scan(&saga, &rcpt, &status, &text); err != nil {
				return err
			}
			got = append(got, saga+" "+rcpt+" "+status+" "+text)
		}
		sort.Strings(got)
		if len(got) != len(want) {
			return fmt.Errorf("outbox %q", got)
		}
		for i := range want {
			if !strings.HasPrefix(got[i], want[i]) {
				return fmt.Errorf("row %d %q, want prefix %q", i, got[i], want[i])
			}
		}
		return nil
	})
}
