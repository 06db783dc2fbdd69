package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/sagas/email/emailtest"
)

// TestKomplainAnswersAndQueuesWhatsApp: with serve running, an operator
// answers a complaint about one of its personnel; the answer is composed
// from the read models (nothing recorded for the handle → the comparison
// and verification steps), recorded, and the complaint saga queues one
// WhatsApp message per number in the outbox — the person's and the
// operator's — and never a second time when the same answer is retried
// with its Idempotency-Key.
func TestKomplainAnswersAndQueuesWhatsApp(t *testing.T) {
	t.Setenv("ALLOW_DUPLICATE_REQUESTS", "true")
	smtp := emailtest.Start(t)
	t.Setenv("SMTP_HOST", smtp.Host)
	t.Setenv("SMTP_PORT", strconv.Itoa(smtp.Port))
	t.Setenv("SMTP_TLS", "none")
	cfg := testEnv(t)
	base := startApp(t, cfg)
	run := time.Now().UnixNano() % 1e6
	opr := fmt.Sprintf("opr_k%d", run)
	for _, args := range [][]string{
		{"admin", "client", "create", "--id", "POLRESK", "--name", "POLRES K", "--type", "org"},
		{"admin", "person", "create", "--nrp", "76010001", "--name", "BUDI", "--title", "AIPTU", "--client", "POLRESK",
			"--insta", "budi.k", "--whatsapp", "081211112222"},
		{"admin", "person", "create", "--nrp", "76010002", "--name", "SITI", "--client", "POLRESK",
			"--email", "siti.k@polri.test"},
		{"admin", "dashboard-user", "create", "--username", opr, "--password", "rahasia123", "--role", "operator",
			"--clients", "POLRESK", "--whatsapp", "081233334444"},
	} {
		if out, err := runCLI(t, args...); err != nil {
			t.Fatalf("%v: %v %s", args, err, out)
		}
	}
	token := komplainLogin(t, base, opr)
	pool := openPool(t, cfg)
	// The answer reads the person from the directory read model: wait for
	// it there, so the keyed request below is not answered (and its answer
	// kept) before the person is visible.
	testkit.Eventually(t, 15*time.Second, func() error {
		var n int
		if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM personnel WHERE user_id = '76010001'`).Scan(&n); err != nil || n != 1 {
			return fmt.Errorf("person not projected yet (%v)", err)
		}
		return nil
	})
	body := `{"nrp":"76010001","message":"Pesan Komplain\nNRP: 76010001\nNama: budi\nUsername IG: @Budi.Lain\nKendala:\n- sudah melaksanakan like instagram tetapi belum terdata"}`
	var answer struct {
		Data struct {
			Platform, Issue, Solution, Message, Channel string
			WhatsappDelivery                            map[string]struct{ Status, Reason, Target string }
		}
	}
	status, raw := komplainPost(t, base, token, body, "komplain-1")
	if status != http.StatusOK {
		t.Fatalf("%d %s", status, raw)
	}
	if err := json.Unmarshal(raw, &answer); err != nil {
		t.Fatal(err)
	}
	d := answer.Data
	for _, want := range []string{"Belum ada like yang tercatat", "@budi.k", "@budi.lain", "*Verifikasi Lanjutan*"} {
		if !strings.Contains(d.Solution, want) {
			t.Errorf("solution lacks %q:\n%s", want, d.Solution)
		}
	}
	if d.Platform != "Instagram" || d.Channel != "whatsapp" || !strings.Contains(d.Message, "*Pelapor*: AIPTU BUDI") {
		t.Errorf("answer %+v", d)
	}
	if p := d.WhatsappDelivery["personnel"]; p.Status != "pending" || p.Target != "6281211112222@c.us" {
		t.Errorf("personnel delivery %+v", p)
	}
	if p := d.WhatsappDelivery["dashboardUser"]; p.Status != "pending" || p.Target != "6281233334444@c.us" {
		t.Errorf("dashboard delivery %+v", p)
	}

	rows := func() map[string]string {
		out := map[string]string{}
		r, err := pool.Query(context.Background(), `SELECT recipient, status FROM outbox WHERE saga = 'social-complaint-notice'`)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		for r.Next() {
			var rcpt, st string
			if err := r.Scan(&rcpt, &st); err != nil {
				t.Fatal(err)
			}
			out[rcpt] = st
		}
		return out
	}
	want := map[string]string{"6281211112222@s.whatsapp.net": "pending", "6281233334444@s.whatsapp.net": "pending"}
	testkit.Eventually(t, 15*time.Second, func() error {
		if got := rows(); fmt.Sprint(got) != fmt.Sprint(want) {
			return fmt.Errorf("outbox rows %v, want %v", got, want)
		}
		return nil
	})
	// The retry answers the same and queues nothing more.
	if status, raw := komplainPost(t, base, token, body, "komplain-1"); status != http.StatusOK {
		t.Fatalf("retry: %d %s", status, raw)
	}
	time.Sleep(500 * time.Millisecond) // the saga's poll interval is far shorter
	if got := rows(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("after the retry: outbox rows %v, want %v", got, want)
	}

	// A person without a number but with an address gets the answer by
	// e-mail, sent by the dispatcher over SMTP.
	testkit.Eventually(t, 15*time.Second, func() error {
		var n int
		if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM personnel WHERE user_id = '76010002'`).Scan(&n); err != nil || n != 1 {
			return fmt.Errorf("person not projected yet (%v)", err)
		}
		return nil
	})
	status, raw = komplainPost(t, base, token, `{"nrp":"76010002","message":"akun saya belum terdata"}`, "komplain-2")
	if status != http.StatusOK || !strings.Contains(string(raw), `"channel":"email"`) {
		t.Fatalf("email complaint: %d %s", status, raw)
	}
	m := smtp.WaitFor(t, 1, 15*time.Second)[0]
	if !slices.Contains(m.RcptTo, "siti.k@polri.test") || !strings.Contains(m.Body, "*Pelapor*: SITI") || m.Subject != "Tindak Lanjut Laporan Cicero - SITI" {
		t.Errorf("mail to %v (%s): %.300s", m.RcptTo, m.Subject, m.Body)
	}
}

func komplainLogin(t *testing.T, base, user string) string {
	t.Helper()
	var token string
	testkit.Eventually(t, 10*time.Second, func() (err error) {
		token, err = tryDashboardToken(base, user, "rahasia123")
		return err
	})
	return token
}

func komplainPost(t *testing.T, base, token, body, key string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+"/api/dashboard/komplain/insta", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Idempotency-Key", key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var raw json.RawMessage
	_ = json.NewDecoder(resp.Body).Decode(&raw)
	return resp.StatusCode, raw
}
