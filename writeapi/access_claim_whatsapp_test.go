package writeapi_test

import (
	"fmt"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/cicero/cicero/commands/claim"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/sagas"
)

var waCodeRE = regexp.MustCompile(`^Kode OTP Anda: (\d{6})$`)

// With a WhatsApp sender present, a person without an e-mail on file but
// with a number gets the claim code at that number (main session, the
// mail's text); entering it proves the NRP and attaches the address typed.
// A person with an address still gets it by mail; one with neither, or
// asking with another person's address, gets nothing.
func TestClaimOTPByWhatsApp(t *testing.T) {
	wa := &waPeer{}
	r := newClaimRigWith(t, claimRigOpts{wa: wa})
	withEmail := r.registerWith("budi@polri.test", "081255550000")
	waOnly := r.registerWith("", "0812-5555-0001")
	neither := r.register("")

	r.code(withEmail, "budi@polri.test") // by mail, as before
	if n := len(wa.messages()); n != 0 {
		t.Fatalf("%d WhatsApp sends for a person with an address on file", n)
	}

	r.post("request-otp", map[string]any{"nrp": neither, "email": "new@polri.test"}).want(t, http.StatusForbidden, claim.MsgNoContact)
	r.post("request-otp", map[string]any{"nrp": waOnly, "email": "BUDI@polri.test"}).want(t, http.StatusConflict,
		"Email sudah dipakai akun lain. Gunakan email berbeda atau hubungi admin untuk memperbaiki data.")

	r.post("request-otp", map[string]any{"nrp": waOnly, "email": "Ani@Polri.test"}).want(t, http.StatusAccepted, "OTP akan dikirim sesaat lagi")
	got := wa.messages()
	if len(got) != 1 || got[0].Recipient != "6281255550001@s.whatsapp.net" || got[0].Channel != sagas.ChannelWhatsApp ||
		got[0].Content.Session != sagas.SessionMain {
		t.Fatalf("WhatsApp sends %+v", got)
	}
	m := waCodeRE.FindStringSubmatch(got[0].Content.Text)
	if m == nil {
		t.Fatalf("code text %q", got[0].Content.Text)
	}
	if n := len(r.smtp.Messages()); n != 1 {
		t.Fatalf("%d mails, want only the first person's", n)
	}
	var issued *events.ClaimOTPIssued
	for _, p := range r.claimEvents(waOnly) {
		if e, ok := p.(*events.ClaimOTPIssued); ok {
			issued = e
		}
	}
	if issued == nil || issued.WhatsApp != "6281255550001" || issued.Email != "ani@polri.test" {
		t.Fatalf("issued %+v", issued)
	}

	res := r.post("verify-otp", map[string]any{"nrp": waOnly, "email": "ani@polri.test", "otp": m[1]})
	if res.Status != http.StatusOK || res.data()["verified"] != true {
		t.Fatalf("verify: %d %v", res.Status, res.Body)
	}
	testkit.Eventually(t, 10*time.Second, func() error {
		p, err := r.dir.Person(claimCtx(t), waOnly)
		if err != nil {
			return err
		}
		if p.Email != "ani@polri.test" {
			return fmt.Errorf("e-mail on file %q", p.Email)
		}
		return nil
	})
}
