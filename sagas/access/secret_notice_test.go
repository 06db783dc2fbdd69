package access_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/crypto/bcrypt"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/claim"
	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/sagas"
	"github.com/cicero/cicero/sagas/access"
	"github.com/cicero/cicero/sagas/sagatest"
)

// The secret-carrying messages through the real commands: a reset asked
// by WhatsApp and a claim code for a person with only a number go to the
// user JIDs from the main session, sealed; a crash-and-replay sends
// nothing twice.
func TestSecretNoticesByWhatsApp(t *testing.T) {
	r := newRig(t)
	rt := commands.NewRuntime(r.n.Store, commands.NewPGCommandLog(r.pool), testkit.Logger(t))
	users := dashuser.NewHandlers(rt, dashuser.WithHashCost(bcrypt.MinCost), dashuser.WithSealer(func(s string) string { return "sealed:" + s }))
	id, _, err := users.CreateDashboardUser(bg(t), admin, dashuser.CreateDashboardUser{Username: "rina", Password: "rahasia123",
		Role: "operator", WhatsApp: "081299990000", ClientIDs: []string{"POLRES_A"}, ActorRole: dashuser.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	token, _, err := users.RequestPasswordReset(bg(t), commands.Meta{Actor: "password-reset"},
		dashuser.RequestPasswordReset{DashboardUserID: id, Contact: "0812-9999-0000"})
	if err != nil || token == "" {
		t.Fatalf("reset: %q %v", token, err)
	}
	if _, err := person.NewHandlers(rt).RegisterPerson(bg(t), commands.Meta{Actor: "test"},
		person.RegisterPerson{NRP: "75040001", Nama: "ANI", ClientID: "POLRES_A", WhatsApp: "081255550001"}); err != nil {
		t.Fatal(err)
	}
	if _, err := claim.NewHandlers(rt).RequestOTP(bg(t), commands.Meta{Actor: "claim:75040001"}, claim.RequestOTP{NRP: "75040001",
		Email: "ani@polri.test", ExpiresAt: time.Now().Add(5 * time.Minute), SealedCode: "sealed-code", ByWhatsApp: true}); err != nil {
		t.Fatal(err)
	}

	reset := access.PasswordReset("https://dash.test", 15*time.Minute)
	sagatest.RunToHeads(t, r.pool, r.n.Store, reset)
	rows := sagatest.Rows(t, r.pool, reset.Name)
	if len(rows) != 1 || rows[0].Recipient != "6281299990000@s.whatsapp.net" || rows[0].Content.Session != sagas.SessionMain ||
		rows[0].Content.Sealed != "sealed:"+token || rows[0].Content.Text != "🔐 Reset Password Dashboard\n\nSilakan buka tautan berikut untuk mengatur ulang password Anda:\n"+
		"https://dash.test/reset-password?token={{secret}}\n\nUsername: rina\n"+
		"Token: {{secret}}\nToken berlaku selama 15 menit. Dengan url https://dash.test/reset-password\nCopy" {
		t.Fatalf("reset rows %+v", rows)
	}
	sagatest.ReplaySendsNothingTwice(t, r.pool, r.n.Store, reset, 1)

	code := access.OTPMail(5 * time.Minute)
	sagatest.RunToHeads(t, r.pool, r.n.Store, code)
	got := sagatest.Rows(t, r.pool, code.Name)
	if len(got) != 1 {
		t.Fatalf("code rows %+v", got)
	}
	want := []sagatest.Row{{EventID: got[0].EventID, Recipient: "6281255550001@s.whatsapp.net",
		Channel: sagas.ChannelWhatsApp, Content: sagas.Content{Text: "Kode OTP Anda: " + sagas.SecretPlaceholder, Sealed: "sealed-code",
			Session: sagas.SessionMain}}}
	if d := cmp.Diff(want, got, cmpopts.IgnoreFields(sagatest.Row{}, "ID", "Status")); d != "" {
		t.Fatalf("code rows (-want +got):\n%s", d)
	}
	sagatest.ReplaySendsNothingTwice(t, r.pool, r.n.Store, code, 1)
}
