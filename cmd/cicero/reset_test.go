package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cicero/cicero/internal/apispec"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/sagas/email/emailtest"
)

// TestServePasswordResetByMail: an account registered with an e-mail
// address resets its password through the real SMTP adapter (a local SMTP
// server here); a reset to a WhatsApp number answers that it cannot be
// sent while no WhatsApp session exists, instead of claiming it was.
func TestServePasswordResetByMail(t *testing.T) {
	smtp := emailtest.Start(t)
	t.Setenv("SMTP_HOST", smtp.Host)
	t.Setenv("SMTP_PORT", strconv.Itoa(smtp.Port))
	t.Setenv("SMTP_TLS", "none")
	t.Setenv("DASHBOARD_PASSWORD_RESET_URL", "https://dash.example/")
	cfg := testEnv(t)
	base := startApp(t, cfg)
	// Redis outlives a test run and de-duplicates identical requests: fresh names.
	user := fmt.Sprintf("reset_%d", time.Now().UnixNano())
	for _, args := range [][]string{
		{"admin", "client", "create", "--id", "POLRESA", "--name", "POLRES A", "--type", "org"},
		{"admin", "dashboard-user", "create", "--username", user, "--password", "rahasia123", "--role", "operator",
			"--clients", "POLRESA", "--email", "Rina@Example.test", "--whatsapp", "081288887777"},
	} {
		if out, err := runCLI(t, args...); err != nil {
			t.Fatalf("%v: %v %s", args, err, out)
		}
	}
	client := apispec.Client(t)
	post := func(path, body string) (int, string) {
		resp, err := client.Post(base+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b struct {
			Message string `json:"message"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&b)
		return resp.StatusCode, b.Message
	}

	// The username is reserved in the event store, so the reset works at once.
	code, msg := post("/api/auth/dashboard-password-reset/request", `{"username":"`+user+`","contact":"rina@example.TEST"}`)
	if code != http.StatusOK || msg != "Instruksi reset password telah dikirim melalui email." {
		t.Fatalf("reset by mail: %d %q", code, msg)
	}
	m := smtp.WaitFor(t, 1, 10*time.Second)[0]
	if len(m.RcptTo) != 1 || m.RcptTo[0] != "rina@example.test" || m.Subject != "Reset Password Dashboard" {
		t.Fatalf("mail to %v subject %q", m.RcptTo, m.Subject)
	}
	token := regexp.MustCompile(`Token: (\S+)`).FindStringSubmatch(m.Body)
	if token == nil || !strings.Contains(m.Body, "https://dash.example/reset-password?token="+token[1]) ||
		!strings.Contains(m.Body, "Username: "+user) || !strings.Contains(m.Body, "Token berlaku selama 15 menit") {
		t.Fatalf("mail body %q", m.Body)
	}

	// A WhatsApp contact can't be served yet: the legacy failure answer,
	// given before any token is issued.
	code, msg = post("/api/auth/password-reset/request", `{"username":"`+user+`","contact":"0812-8888-7777"}`)
	if code != http.StatusInternalServerError || msg != "Instruksi reset tidak dapat dikirim. Silakan hubungi admin untuk bantuan." {
		t.Fatalf("reset by WhatsApp: %d %q", code, msg)
	}
	if got := len(smtp.Messages()); got != 1 {
		t.Fatalf("%d mails, want 1", got)
	}
	// The refused request issued no token: the mailed one still works.
	code, msg = post("/api/password-reset/confirm", `{"token":"`+token[1]+`","password":"baru-rahasia-9","confirmPassword":"baru-rahasia-9"}`)
	if code != http.StatusOK || msg != "Password berhasil diperbarui. Silakan login kembali." {
		t.Fatalf("confirm: %d %q", code, msg)
	}
	testkit.Eventually(t, 10*time.Second, func() error {
		if code, msg := post("/api/auth/dashboard-login", `{"username":"`+user+`","password":"baru-rahasia-9"}`); code != http.StatusOK {
			return fmt.Errorf("login with the new password: %d %q", code, msg)
		}
		return nil
	})

	// serve runs the saga and the dispatcher the mail went through; /ops
	// and /metrics show where they stand.
	var ops struct {
		Sagas []struct {
			Projection string `json:"projection"`
			Stream     string `json:"stream"`
			Checkpoint uint64 `json:"checkpoint"`
			Head       uint64 `json:"head"`
			Active     bool   `json:"active"`
		} `json:"sagas"`
		Outbox struct {
			Pending, Sending, Failed *int64
		} `json:"outbox"`
	}
	adminTok := newAdminToken(t, base, cfg)
	testkit.Eventually(t, 10*time.Second, func() error {
		req, _ := http.NewRequest(http.MethodGet, base+"/ops", nil)
		req.Header.Set("Accept", "application/json")
		req.Header.Set("Authorization", "Bearer "+adminTok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if err := json.NewDecoder(resp.Body).Decode(&ops); err != nil {
			return err
		}
		for _, s := range ops.Sagas {
			if s.Projection == "access-password-reset" && s.Stream == "ACCESS" && s.Active && s.Checkpoint == s.Head && s.Head > 0 {
				return nil
			}
		}
		return fmt.Errorf("/ops sagas %+v: the reset saga is not caught up and active", ops.Sagas)
	})
	if ops.Outbox.Pending == nil || *ops.Outbox.Pending != 0 || ops.Outbox.Failed == nil || *ops.Outbox.Failed != 0 {
		t.Fatalf("/ops outbox %+v, want nothing pending or failed", ops.Outbox)
	}
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	for _, want := range []string{`cicero_outbox_messages{status="pending"} 0`,
		`cicero_projection_lag_events{projection="access-password-reset",stream="ACCESS"} 0`,
		`cicero_projection_lag_events{projection="access-claim-otp-mail",stream="ACCESS"}`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}
