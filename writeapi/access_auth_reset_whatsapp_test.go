package writeapi_test

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/sagas"
)

// waPeer is a WhatsApp sender standing in for a paired session: it records
// what the dispatcher hands it (secrets already opened) or refuses for
// good, as WhatsApp does for a number without an account.
type waPeer struct {
	mu     sync.Mutex
	refuse bool
	got    []sagas.Message
}

var _ sagas.Sender = (*waPeer)(nil)

func (p *waPeer) Send(_ context.Context, m sagas.Message, key string) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.refuse {
		return "", sagas.Permanent(errors.New("not on WhatsApp"))
	}
	p.got = append(p.got, m)
	return key, nil
}

func (p *waPeer) messages() []sagas.Message {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]sagas.Message(nil), p.got...)
}

// With a WhatsApp sender present a reset by WhatsApp number goes out (the
// legacy's path; without one it answers 500 before issuing a token): the
// token reaches the account's user JID from the main session and resets
// the password. A refusal by WhatsApp answers the legacy 500.
func TestAuthPasswordResetByWhatsApp(t *testing.T) {
	wa := &waPeer{}
	r := newAuthRigWith(t, 0, wa)
	r.createUserWith(dashuser.CreateDashboardUser{Username: "rina", Role: "operator", WhatsApp: "081299990000",
		ClientIDs: []string{"POLRES_A"}})
	const req = "/api/auth/dashboard-password-reset/request"
	r.post(req, map[string]any{"username": "RINA", "contact": "+62 812-9999-0000"}).
		want(t, http.StatusOK, "Instruksi reset password telah dikirim melalui WhatsApp.")
	got := wa.messages()
	if len(got) != 1 || got[0].Recipient != "6281299990000@s.whatsapp.net" || got[0].Content.Session != sagas.SessionMain ||
		got[0].Channel != sagas.ChannelWhatsApp || got[0].Content.Sealed != "" {
		t.Fatalf("WhatsApp sends %+v", got)
	}
	text := got[0].Content.Text
	m := regexp.MustCompile(`(?m)^Token: (\S+)$`).FindStringSubmatch(text)
	if m == nil || !strings.HasPrefix(text, "🔐 Reset Password Dashboard\n\nSilakan buka tautan berikut untuk mengatur ulang password Anda:\n"+
		"https://dash.example/reset-password?token="+m[1]+"\n\nUsername: rina\n") ||
		!strings.HasSuffix(text, "\nToken berlaku selama 15 menit. Dengan url https://dash.example/reset-password\nCopy") {
		t.Fatalf("reset text %q", text)
	}
	r.post("/api/auth/password-reset/confirm", map[string]any{"token": m[1], "password": "barubaru1", "confirmPassword": "barubaru1"}).
		want(t, http.StatusOK, "Password berhasil diperbarui. Silakan login kembali.")
	if n := len(r.msg.SMTP.Messages()); n != 0 {
		t.Errorf("%d mails for a reset by WhatsApp", n)
	}

	wa.mu.Lock()
	wa.refuse = true
	wa.mu.Unlock()
	r.post(req, map[string]any{"username": "rina", "contact": "081299990000"}).
		want(t, http.StatusInternalServerError, "Instruksi reset tidak dapat dikirim. Silakan hubungi admin untuk bantuan.")
}
