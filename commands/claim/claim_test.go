package claim_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/claim"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/testkit"
)

var expires = time.Date(2026, 3, 2, 8, 5, 0, 0, time.UTC)

type harness struct {
	t      *testing.T
	n      *testkit.NATS
	h      *claim.Handlers
	people *person.Handlers
	seq    int
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	rt := commands.NewRuntime(n.Store, commands.NewPGCommandLog(pool), testkit.Logger(t))
	return &harness{t: t, n: n, h: claim.NewHandlers(rt), people: person.NewHandlers(rt)}
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

// person registers a fresh NRP with the given e-mail ("" for none).
func (h *harness) person(email string) string {
	h.t.Helper()
	h.seq++
	nrp := fmt.Sprintf("7502%04d", h.seq)
	if _, err := h.people.RegisterPerson(ctx(h.t), commands.Meta{Actor: "test"},
		person.RegisterPerson{NRP: nrp, Nama: "Budi", Email: email}); err != nil {
		h.t.Fatalf("register %s: %v", nrp, err)
	}
	return nrp
}

func (h *harness) events(nrp string) []events.Payload {
	h.t.Helper()
	envs, _, err := h.n.Store.Load(ctx(h.t), events.ClaimSubject(nrp))
	if err != nil {
		h.t.Fatalf("load: %v", err)
	}
	out := []events.Payload{}
	for i := range envs {
		p, err := h.n.Store.Registry().Decode(&envs[i])
		if err != nil {
			h.t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

func (h *harness) request(nrp, email string) (commands.Outcome, error) {
	return h.h.RequestOTP(ctx(h.t), commands.Meta{Actor: "claim:" + nrp}, claim.RequestOTP{NRP: nrp, Email: email, ExpiresAt: expires})
}

func (h *harness) verify(cmd claim.VerifyOTP) (commands.Outcome, error) {
	return h.h.VerifyOTP(ctx(h.t), commands.Meta{Actor: "claim:" + cmd.NRP}, cmd)
}

func wantErr(t *testing.T, err error, code apperr.Code, msg string) {
	t.Helper()
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Code != code || ae.Message != msg {
		t.Fatalf("err %v, want %s %q", err, code, msg)
	}
}

func TestRequestOTP(t *testing.T) {
	h := newHarness(t)
	withEmail := h.person("budi@polri.test")
	withoutEmail := h.person("")
	moved := h.person("")
	if _, err := h.people.RenumberPerson(ctx(t), commands.Meta{}, person.RenumberPerson{OldNRP: moved, NewNRP: "99990001"}); err != nil {
		t.Fatalf("renumber: %v", err)
	}
	cases := []struct {
		name, nrp, email string
		code             apperr.Code // "" = accepted
		msg              string
		want             events.Payload
	}{
		{"missing nrp", "", "a@b.test", apperr.Invalid, "nrp dan email wajib diisi", nil},
		{"missing email", withEmail, " ", apperr.Invalid, "nrp dan email wajib diisi", nil},
		{"bad email", withEmail, "budi@", apperr.Invalid, "Format email tidak valid. Pastikan menulis alamat lengkap seperti nama@contoh.com", nil},
		{"unknown nrp", "12345678", "a@b.test", apperr.NotFound, "User tidak ditemukan", nil},
		{"too short nrp", "123", "a@b.test", apperr.NotFound, "User tidak ditemukan", nil},
		{"renumbered away", moved, "a@b.test", apperr.NotFound, "User tidak ditemukan", nil},
		{"other email", withEmail, "eve@polri.test", apperr.Invalid, "email tidak sesuai", nil},
		{"stored email, any case", " " + withEmail + " ", " Budi@Polri.TEST", "", "",
			&events.ClaimOTPIssued{NRP: withEmail, Email: "budi@polri.test", ExpiresAt: expires}},
		// SPEC §5.10 / hardening: the first comer may not name the address.
		{"no stored email", withoutEmail, "new@polri.test", apperr.Forbidden, claim.MsgNoContact, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := h.request(c.nrp, c.email)
			if c.code != "" {
				wantErr(t, err, c.code, c.msg)
				if len(out.Appended) != 0 {
					t.Fatalf("refused command appended %+v", out.Appended)
				}
				return
			}
			if err != nil {
				t.Fatalf("request: %v", err)
			}
			if len(out.Appended) != 1 || out.Appended[0].Stream != "ACCESS" {
				t.Fatalf("appended %+v, want one commit in ACCESS", out.Appended)
			}
			evs := h.events(c.want.(*events.ClaimOTPIssued).NRP)
			if d := cmp.Diff(c.want, evs[len(evs)-1]); d != "" {
				t.Fatalf("event (-want +got):\n%s", d)
			}
		})
	}
}

func TestVerifyOTP(t *testing.T) {
	h := newHarness(t)
	const email = "budi@polri.test"
	verified := func(nrp string) claim.VerifyOTP {
		return claim.VerifyOTP{NRP: nrp, Email: email, Verified: true, Attempts: 1}
	}
	rejected := func(nrp, reason string, n int) claim.VerifyOTP {
		return claim.VerifyOTP{NRP: nrp, Email: email, Reason: reason, Attempts: n}
	}
	type step struct {
		cmd      func(nrp string) claim.VerifyOTP
		issue    bool // RequestOTP before this step
		conflict bool
		appends  int
	}
	cases := []struct {
		name  string
		steps []step
		want  func(nrp string) []events.Payload
	}{
		{"verified spends the code", []step{{issue: true, cmd: verified, appends: 1}, {cmd: verified, conflict: true}},
			func(nrp string) []events.Payload {
				return []events.Payload{&events.ClaimOTPIssued{NRP: nrp, Email: email, ExpiresAt: expires},
					&events.ClaimVerified{NRP: nrp, Email: email}}
			}},
		{"nothing pending: verification refused, rejection not recorded", []step{
			{cmd: verified, conflict: true}, {cmd: func(n string) claim.VerifyOTP { return rejected(n, events.ClaimRejectedMismatch, 1) }}},
			func(string) []events.Payload { return []events.Payload{} }},
		{"verification for another address", []step{{issue: true, cmd: func(n string) claim.VerifyOTP {
			c := verified(n)
			c.Email = "eve@polri.test"
			return c
		}, conflict: true}},
			func(nrp string) []events.Payload {
				return []events.Payload{&events.ClaimOTPIssued{NRP: nrp, Email: email, ExpiresAt: expires}}
			}},
		{"mismatches then burnt", []step{
			{issue: true, cmd: func(n string) claim.VerifyOTP { return rejected(n, events.ClaimRejectedMismatch, 1) }, appends: 1},
			{cmd: func(n string) claim.VerifyOTP { return rejected(n, events.ClaimRejectedExhausted, 2) }, appends: 1},
			{cmd: func(n string) claim.VerifyOTP { return rejected(n, events.ClaimRejectedExpired, 0) }},
			{cmd: verified, conflict: true}},
			func(nrp string) []events.Payload {
				return []events.Payload{&events.ClaimOTPIssued{NRP: nrp, Email: email, ExpiresAt: expires},
					&events.ClaimOTPRejected{NRP: nrp, Reason: "mismatch", Attempts: 1},
					&events.ClaimOTPRejected{NRP: nrp, Reason: "attempts_exhausted", Attempts: 2}}
			}},
		{"expired once, then a new code", []step{
			{issue: true, cmd: func(n string) claim.VerifyOTP { return rejected(n, events.ClaimRejectedExpired, 0) }, appends: 1},
			{issue: true, cmd: verified, appends: 1}},
			func(nrp string) []events.Payload {
				return []events.Payload{&events.ClaimOTPIssued{NRP: nrp, Email: email, ExpiresAt: expires},
					&events.ClaimOTPRejected{NRP: nrp, Reason: "expired"},
					&events.ClaimOTPIssued{NRP: nrp, Email: email, ExpiresAt: expires},
					&events.ClaimVerified{NRP: nrp, Email: email}}
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			nrp := h.person(email)
			for i, s := range c.steps {
				if s.issue {
					if _, err := h.request(nrp, email); err != nil {
						t.Fatalf("step %d: request: %v", i, err)
					}
				}
				out, err := h.verify(s.cmd(nrp))
				if s.conflict {
					wantErr(t, err, apperr.Conflict, "OTP tidak valid")
					continue
				}
				if err != nil {
					t.Fatalf("step %d: %v", i, err)
				}
				if len(out.Appended) != s.appends {
					t.Fatalf("step %d: appended %d commits, want %d", i, len(out.Appended), s.appends)
				}
			}
			if d := cmp.Diff(c.want(nrp), h.events(nrp)); d != "" {
				t.Fatalf("events (-want +got):\n%s", d)
			}
		})
	}
}

func TestVerifyOTPUnknownReason(t *testing.T) {
	h := newHarness(t)
	nrp := h.person("")
	_, err := h.verify(claim.VerifyOTP{NRP: nrp, Email: "a@b.test", Reason: "bored"})
	if err == nil || apperr.CodeOf(err) != apperr.Internal {
		t.Fatalf("err %v, want an internal error", err)
	}
}

func TestRequestOTPIsIdempotent(t *testing.T) {
	h := newHarness(t)
	nrp := h.person("a@b.test")
	meta := commands.Meta{CommandID: "0195b1a2-0000-7000-8000-000000000001", Actor: "claim:" + nrp}
	cmd := claim.RequestOTP{NRP: nrp, Email: "a@b.test", ExpiresAt: expires}
	first, err := h.h.RequestOTP(ctx(t), meta, cmd)
	if err != nil {
		t.Fatal(err)
	}
	again, err := h.h.RequestOTP(ctx(t), meta, cmd)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(first, again); d != "" {
		t.Fatalf("repeat outcome differs:\n%s", d)
	}
	if n := len(h.events(nrp)); n != 1 {
		t.Fatalf("%d events after a repeated command, want 1", n)
	}
}

// A caller that can send WhatsApp may have the code go to the number on
// file of a person without an address; an address on file still wins, and
// a person with neither (or a number too short) is refused as before.
func TestRequestOTPByWhatsApp(t *testing.T) {
	h := newHarness(t)
	reg := func(email, wa string) string {
		h.seq++
		nrp := fmt.Sprintf("7503%04d", h.seq)
		if _, err := h.people.RegisterPerson(ctx(t), commands.Meta{Actor: "test"},
			person.RegisterPerson{NRP: nrp, Nama: "Budi", Email: email, WhatsApp: wa}); err != nil {
			t.Fatalf("register %s: %v", nrp, err)
		}
		return nrp
	}
	both, waOnly, neither := reg("budi@polri.test", "081200000001"), reg("", "081200000002"), reg("", "")
	request := func(nrp, email string, byWA bool) (commands.Outcome, error) {
		return h.h.RequestOTP(ctx(t), commands.Meta{Actor: "claim:" + nrp},
			claim.RequestOTP{NRP: nrp, Email: email, ExpiresAt: expires, ByWhatsApp: byWA})
	}
	for _, c := range []struct {
		name, nrp, email string
		byWA             bool
		want             *events.ClaimOTPIssued
	}{
		{"address on file wins", both, "budi@polri.test", true, &events.ClaimOTPIssued{NRP: both, Email: "budi@polri.test", ExpiresAt: expires}},
		{"number on file", waOnly, "Ani@polri.test", true,
			&events.ClaimOTPIssued{NRP: waOnly, Email: "ani@polri.test", ExpiresAt: expires, WhatsApp: "6281200000002"}},
		{"no WhatsApp sender", waOnly, "ani@polri.test", false, nil},
		{"no contact", neither, "x@polri.test", true, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := request(c.nrp, c.email, c.byWA)
			if c.want == nil {
				wantErr(t, err, apperr.Forbidden, claim.MsgNoContact)
				if len(out.Appended) != 0 {
					t.Fatalf("refused command appended %+v", out.Appended)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			evs := h.events(c.nrp)
			if d := cmp.Diff(c.want, evs[len(evs)-1]); d != "" {
				t.Fatalf("event (-want +got):\n%s", d)
			}
		})
	}
}
