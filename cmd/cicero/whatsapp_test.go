package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	waevents "go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	"github.com/cicero/cicero/internal/apispec"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/internal/whatsapp"
	"github.com/cicero/cicero/internal/whatsapp/whatsapptest"
)

// TestServeWhatsApp: serve with WhatsApp on (nothing paired, so nothing
// dials out) and the main and gateway sessions' clients replaced by
// recorders: a password reset to a WhatsApp number leaves through the saga,
// the outbox, the dispatcher and the WhatsApp sender, from the session the
// saga names (wa), and arrives as a whatsmeow text message; /ops, /metrics
// and the QR route show the sessions.
func TestServeWhatsApp(t *testing.T) {
	cfg := testEnv(t)
	cfg.WASkipInit = false
	ctx, cancel := context.WithCancel(context.Background())
	app, err := NewApp(ctx, cfg, testkit.Logger(t))
	if err != nil {
		cancel()
		t.Fatalf("new app: %v", err)
	}
	rec := whatsapptest.Attach(t, app.wa, whatsapp.SessionMain)
	gateway := whatsapptest.Attach(t, app.wa, whatsapp.SessionGateway)
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

	user := fmt.Sprintf("wareset_%d", time.Now().UnixNano())
	for _, args := range [][]string{
		{"admin", "client", "create", "--id", "POLRESA", "--name", "POLRES A", "--type", "org"},
		{"admin", "dashboard-user", "create", "--username", user, "--password", "rahasia123", "--role", "operator",
			"--clients", "POLRESA", "--whatsapp", "081288887777"},
	} {
		if out, err := runCLI(t, args...); err != nil {
			t.Fatalf("%v: %v %s", args, err, out)
		}
	}
	client := apispec.Client(t)
	resp, err := client.Post(base+"/api/auth/password-reset/request", "application/json",
		strings.NewReader(`{"username":"`+user+`","contact":"0812-8888-7777"}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Instruksi reset password telah dikirim melalui WhatsApp.") {
		t.Fatalf("reset by WhatsApp: %d %s", resp.StatusCode, body)
	}
	sent := rec.Sent()
	if len(sent) != 1 || len(gateway.Sent()) != 0 {
		t.Fatalf("%d WhatsApp messages from wa and %d from wa-gateway, want 1 from wa", len(sent), len(gateway.Sent()))
	}
	text := whatsapptest.Text(sent[0].Message)
	if sent[0].To != types.NewJID("6281288887777", types.DefaultUserServer) || sent[0].Message.GetConversation() == "" ||
		!regexp.MustCompile(`^3EB0[0-9A-F]{18}$`).MatchString(string(sent[0].ID)) {
		t.Fatalf("sent %+v", sent[0])
	}
	if !strings.Contains(text, user) || strings.Contains(text, "{{secret}}") {
		t.Fatalf("reset text %q", text)
	}

	var ops struct {
		WhatsApp []whatsapp.SessionStatus `json:"whatsapp"`
	}
	adminTok := newAdminToken(t, base, cfg) // /ops and the QR are for admins
	asAdmin := func(url string) *http.Request {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("Authorization", "Bearer "+adminTok)
		req.Header.Set("Accept", "application/json")
		return req
	}
	resp, err = client.Do(asAdmin(base + "/ops"))
	if err != nil {
		t.Fatal(err)
	}
	err = json.NewDecoder(resp.Body).Decode(&ops)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(ops.WhatsApp) != 3 {
		t.Fatalf("/ops whatsapp %+v", ops.WhatsApp)
	}
	for _, s := range ops.WhatsApp {
		if ready := s.Name != whatsapp.SessionUser; s.Ready != ready || (s.Name == whatsapp.SessionMain) != (s.Sent == 1) {
			t.Errorf("/ops session %+v", s)
		}
	}
	metrics := waGet(t, client, base+"/metrics")
	for _, want := range []string{`cicero_whatsapp_session_ready{session="wa-gateway"} 1`, `cicero_whatsapp_session_ready{session="wa-user"} 0`,
		`cicero_whatsapp_messages_sent_total{session="wa"} 1`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	// serve hands inbound messages to the menus' router, whose reply goes
	// out through the outbox on the session the message came in on.
	from := types.NewJID("6281299990001", types.DefaultUserServer)
	app.wa.HandleEvent(whatsapp.SessionMain, &waevents.Message{
		Info: types.MessageInfo{MessageSource: types.MessageSource{Chat: from, Sender: from}, ID: types.MessageID(fmt.Sprintf("3EB0INBOUND%011d", time.Now().UnixNano()%1e11)), // Redis outlives a run: a fresh id
			Timestamp: time.Now()},
		Message: &waE2E.Message{Conversation: proto.String("userrequest")}})
	testkit.Eventually(t, 20*time.Second, func() error {
		if n := len(rec.Sent()); n != 2 {
			return fmt.Errorf("%d messages sent from wa, want the reset and the reply", n)
		}
		return nil
	})
	if reply := rec.Sent()[1]; reply.To != from ||
		!strings.Contains(whatsapptest.Text(reply.Message), "Menu pengguna hanya tersedia melalui nomor *WA-USER*") {
		t.Fatalf("reply to an inbound userrequest on the main number: %+v %q", reply.To, whatsapptest.Text(reply.Message))
	}
	// What a chat caused is recorded as coming through WhatsApp (audit).
	testkit.Eventually(t, 10*time.Second, func() error {
		resp, err := client.Do(asAdmin(base + "/api/audit/events?type=MessageQueued&channel=whatsapp"))
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), `"actor":"system:wa-router","channel":"whatsapp"`) {
			return fmt.Errorf("audit of the reply: %d %s", resp.StatusCode, b)
		}
		return nil
	})
	for _, s := range []string{"wa", "nope"} {
		resp, err := client.Do(asAdmin(base + "/ops/whatsapp/" + s + "/qr.png"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("QR of %s without a pairing: %d", s, resp.StatusCode)
		}
	}
	// A pairing starts from /ops (admins only). wa is connected: refused.
	// wa-user has no device: the pairing starts, and here (no route to
	// WhatsApp) ends without a code, after which it may start again.
	pair := func(session, token string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, base+"/ops/whatsapp/"+session+"/pair", nil)
		req.Header.Set("Accept", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := client.Do(req) // answers checked against openapi.yaml
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, c := range []struct {
		session, token string
		status         int
		contains       string
	}{
		{"wa-user", "", http.StatusUnauthorized, ""},
		{"nope", adminTok, http.StatusNotFound, "Sesi WhatsApp tidak dikenal"},
		{"wa", adminTok, http.StatusConflict, "wa-logout wa"},
		{"wa-user", adminTok, http.StatusAccepted, `"qr":"/ops/whatsapp/wa-user/qr.png"`},
	} {
		if code, body := pair(c.session, c.token); code != c.status || !strings.Contains(body, c.contains) {
			t.Errorf("pair %s = %d %s, want %d with %q", c.session, code, body, c.status, c.contains)
		}
	}
	testkit.Eventually(t, 20*time.Second, func() error {
		if code, body := pair(whatsapp.SessionUser, adminTok); code != http.StatusAccepted {
			return fmt.Errorf("pair wa-user again = %d %s", code, body)
		}
		return nil
	})
	anon := asAdmin(base + "/ops/whatsapp/wa/qr.png")
	anon.Header.Del("Authorization")
	if resp, err := client.Do(anon); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("QR without a token: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
}

func waGet(t *testing.T, client *http.Client, url string) string {
	t.Helper()
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func waGetJSON(t *testing.T, client *http.Client, url string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(waGet(t, client, url)), v); err != nil {
		t.Fatal(err)
	}
}

// TestWALoginRefusals: wa-login names one of the three sessions and
// refuses a session that is paired already, before anything dials out.
func TestWALoginRefusals(t *testing.T) {
	cfg := testEnv(t)
	pool, err := pgxpool.New(context.Background(), cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if _, err := pool.Exec(context.Background(), `INSERT INTO whatsapp_devices (device_id, session, jid, state)
		VALUES ('wa-gateway', 'wa-gateway', '628111222333:5@s.whatsapp.net', 'paired')`); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"wa-login", "wa-admin"}, `unknown session "wa-admin"`},
		{[]string{"wa-logout", "gateway"}, `unknown session "gateway"`},
		{[]string{"wa-login", "wa-gateway"}, "session wa-gateway is paired already: run `cicero wa-logout wa-gateway` first"},
	} {
		out, err := runCLI(t, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v %s, want %q", c.args, err, out, c.want)
		}
	}
}
