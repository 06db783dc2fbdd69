package dashuser_test

import (
	"strings"
	"testing"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
)

const msgTokenBad = "token reset tidak valid atau sudah kedaluwarsa"

func TestChangePassword(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id := h.mustRegister("budi")
	cases := []struct {
		name       string
		cmd        dashuser.ChangePassword
		code       apperr.Code
		field, msg string
	}{
		{"wrong old", dashuser.ChangePassword{DashboardUserID: id, OldPassword: "Rahasia123", NewPassword: "baru-12345"},
			apperr.Invalid, "old_password", "password lama salah"},
		{"no old", dashuser.ChangePassword{DashboardUserID: id, NewPassword: "baru-12345"},
			apperr.Invalid, "old_password", "password lama salah"},
		{"new short", dashuser.ChangePassword{DashboardUserID: id, OldPassword: "rahasia123", NewPassword: "baru"},
			apperr.Invalid, "new_password", "password minimal 8 karakter"},
		{"new long", dashuser.ChangePassword{DashboardUserID: id, OldPassword: "rahasia123", NewPassword: strings.Repeat("b", 80)},
			apperr.Invalid, "new_password", "password maksimal 72 karakter"},
		{"unknown", dashuser.ChangePassword{DashboardUserID: "0190a8a0-0000-7000-8000-00000000dead", OldPassword: "rahasia123", NewPassword: "baru-12345"},
			apperr.NotFound, "dashboard_user_id", "pengguna dashboard tidak ditemukan"},
	}
	for _, c := range cases {
		out, err := h.h.ChangePassword(ctx(t), commands.Meta{}, c.cmd)
		t.Run(c.name, func(t *testing.T) { wantRejected(t, out, err, c.code, c.field, c.msg) })
	}
	h.do(1)(h.h.ChangePassword(ctx(t), commands.Meta{}, dashuser.ChangePassword{DashboardUserID: id,
		OldPassword: "rahasia123", NewPassword: "baru-12345"}))
	u := h.user(id)
	if !dashuser.VerifyPassword(u, "baru-12345") || dashuser.VerifyPassword(u, "rahasia123") {
		t.Fatal("after the change only the new password may verify")
	}
	evs := h.events(events.DashboardUserSubject(id))
	if c, ok := evs[len(evs)-1].(*events.DashboardPasswordChanged); !ok || c.Reset || c.PasswordHash != u.PasswordHash {
		t.Fatalf("last event %#v", evs[len(evs)-1])
	}
}

func TestPasswordResetByToken(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id := h.mustRegister("budi") // whatsapp 6281234567890
	other := h.mustRegister("siti")
	request := func(contact string) (string, commands.Outcome, error) {
		return h.h.RequestPasswordReset(ctx(t), commands.Meta{}, dashuser.RequestPasswordReset{DashboardUserID: id, Contact: contact})
	}
	for _, c := range []struct{ contact, msg string }{
		{" ", "username dan kontak wajib diisi"},
		{"0812-34", "kontak whatsapp tidak valid"},
		{"081299999999", "kontak tidak sesuai dengan data pengguna"},
	} {
		token, out, err := request(c.contact)
		wantRejected(t, out, err, apperr.Invalid, "contact", c.msg)
		if token != "" {
			t.Fatalf("refused request gave a token")
		}
	}

	first, out, err := request("+62 812-3456-7890")
	h.do(1)(out, err)
	if got, ok := dashuser.ParseResetToken(first); !ok || got != id {
		t.Fatalf("token names %q (%v), want %q", got, ok, id)
	}
	stored := h.events(events.DashboardUserSubject(id))[1].(*events.DashboardPasswordResetRequested)
	if strings.Contains(stored.TokenHash, first[32:]) || !stored.ExpiresAt.Equal(t0.Add(dashuser.DefaultResetTTL)) {
		t.Fatalf("stored %+v", stored)
	}
	token, out, err := request("081234567890") // the first stays valid too
	h.do(1)(out, err)

	reset := func(cmd dashuser.ResetPassword) (commands.Outcome, error) {
		return h.h.ResetPassword(ctx(t), commands.Meta{}, cmd)
	}
	for _, c := range []struct {
		name string
		cmd  dashuser.ResetPassword
	}{
		{"no token", dashuser.ResetPassword{DashboardUserID: id, NewPassword: "baru-12345"}},
		{"not a token", dashuser.ResetPassword{Token: "abc", NewPassword: "baru-12345"}},
		{"token altered", dashuser.ResetPassword{Token: token[:63] + "x", NewPassword: "baru-12345"}},
		{"token of another user", dashuser.ResetPassword{DashboardUserID: other, Token: token, NewPassword: "baru-12345"}},
		{"operator without token", dashuser.ResetPassword{DashboardUserID: id, ActorRole: "operator", NewPassword: "baru-12345"}},
	} {
		out, err := reset(c.cmd)
		t.Run(c.name, func(t *testing.T) { wantRejected(t, out, err, apperr.Invalid, "token", msgTokenBad) })
	}
	out, err = reset(dashuser.ResetPassword{Token: token, NewPassword: "pendek"})
	wantRejected(t, out, err, apperr.Invalid, "new_password", "password minimal 8 karakter")

	h.do(1)(reset(dashuser.ResetPassword{Token: " " + token + " ", NewPassword: "baru-12345"}))
	if u := h.user(id); !dashuser.VerifyPassword(u, "baru-12345") {
		t.Fatal("reset password does not verify")
	}
	evs := h.events(events.DashboardUserSubject(id))
	if c, ok := evs[len(evs)-1].(*events.DashboardPasswordChanged); !ok || !c.Reset {
		t.Fatalf("last event %#v", evs[len(evs)-1])
	}
	// The change spent every pending token.
	for _, spent := range []string{token, first} {
		out, err = reset(dashuser.ResetPassword{Token: spent, NewPassword: "lagi-12345"})
		wantRejected(t, out, err, apperr.Invalid, "token", msgTokenBad)
	}

	// A token expires after the TTL.
	late, out, err := request("081234567890")
	h.do(1)(out, err)
	h.clock.advance(dashuser.DefaultResetTTL)
	out, err = reset(dashuser.ResetPassword{Token: late, NewPassword: "lagi-12345"})
	wantRejected(t, out, err, apperr.Invalid, "token", msgTokenBad)
}

// A repeated request does not cancel the link already sent (issue 8 §6):
// each token stays valid until its own expiry or a password change.
func TestPasswordResetEarlierLinksStayValid(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id := h.mustRegister("budi")
	request := func() string {
		t.Helper()
		token, out, err := h.h.RequestPasswordReset(ctx(t), commands.Meta{}, dashuser.RequestPasswordReset{DashboardUserID: id, Contact: "081234567890"})
		h.do(1)(out, err)
		return token
	}
	reset := func(token string) (commands.Outcome, error) {
		return h.h.ResetPassword(ctx(t), commands.Meta{}, dashuser.ResetPassword{Token: token, NewPassword: "baru-12345"})
	}
	first := request()
	h.clock.advance(10 * time.Minute)
	second := request()
	third := request()
	h.clock.advance(6 * time.Minute) // the first has expired, the others not
	out, err := reset(first)
	wantRejected(t, out, err, apperr.Invalid, "token", msgTokenBad)
	h.do(1)(reset(second)) // not the latest, still valid
	out, err = reset(third)
	wantRejected(t, out, err, apperr.Invalid, "token", msgTokenBad)
}

func TestPasswordResetRepeatedRequest(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id := h.mustRegister("budi")
	meta := commands.Meta{CommandID: "0190a8a0-0000-7000-8000-0000000000cc"}
	cmd := dashuser.RequestPasswordReset{DashboardUserID: id, Contact: "081234567890"}
	token, first, err := h.h.RequestPasswordReset(ctx(t), meta, cmd)
	h.do(1)(first, err)
	again, second, err := h.h.RequestPasswordReset(ctx(t), meta, cmd)
	if err != nil || again != "" || second.Appended[0].Sequence != first.Appended[0].Sequence {
		t.Fatalf("repeat: token %q, outcome %+v, err %v; want the first outcome and no token", again, second, err)
	}
	// The first token still works: the repeat stored nothing.
	h.do(1)(h.h.ResetPassword(ctx(t), commands.Meta{}, dashuser.ResetPassword{Token: token, NewPassword: "baru-12345"}))
}

func TestPasswordResetByAdmin(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id := h.mustRegister("budi")
	h.do(1)(h.h.ResetPassword(ctx(t), commands.Meta{Actor: "system:cli"},
		dashuser.ResetPassword{DashboardUserID: id, ActorRole: "admin", NewPassword: "baru-12345"}))
	if u := h.user(id); !dashuser.VerifyPassword(u, "baru-12345") {
		t.Fatal("admin reset does not verify")
	}
	out, err := h.h.ResetPassword(ctx(t), commands.Meta{}, dashuser.ResetPassword{ActorRole: "admin", NewPassword: "baru-12345"})
	wantRejected(t, out, err, apperr.Invalid, "dashboard_user_id", "dashboard_user_id tidak valid")
}

func TestRecordLogin(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id := h.mustRegister("budi")
	out, err := h.h.RecordLogin(ctx(t), commands.Meta{}, dashuser.RecordLogin{DashboardUserID: id})
	wantRejected(t, out, err, apperr.Forbidden, "", "Akun belum disetujui")
	h.mustApprove(id)
	h.do(1)(h.h.RecordLogin(ctx(t), commands.Meta{}, dashuser.RecordLogin{DashboardUserID: id}))
	at := t0.Add(3 * time.Hour)
	h.do(1)(h.h.RecordLogin(ctx(t), commands.Meta{}, dashuser.RecordLogin{DashboardUserID: id, At: at, Source: " Mobile "}))
	evs := h.events(events.DashboardUserSubject(id))
	h.wantEvents(events.DashboardUserSubject(id), evs[0], evs[1],
		&events.DashboardUserLoggedIn{DashboardUserID: id, At: t0, Source: "web"},
		&events.DashboardUserLoggedIn{DashboardUserID: id, At: at, Source: "mobile"})
	if u := h.user(id); !u.LastLoginAt.Equal(at) {
		t.Fatalf("last login %v, want %v", u.LastLoginAt, at)
	}
	out, err = h.h.RecordLogin(ctx(t), commands.Meta{}, dashuser.RecordLogin{DashboardUserID: "0190a8a0-0000-7000-8000-00000000dead"})
	wantRejected(t, out, err, apperr.NotFound, "dashboard_user_id", "pengguna dashboard tidak ditemukan")
}

// TestExpectedVersion: a user command that names a stale version of the
// account is a conflict, not a re-decision.
func TestExpectedVersion(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id := h.mustRegister("budi")
	envs := h.envelopes(events.DashboardUserSubject(id))
	v := envs[0].Position
	h.mustApprove(id)
	_, err := h.h.RejectDashboardUser(ctx(t), commands.Meta{ExpectedVersion: &v},
		dashuser.RejectDashboardUser{DashboardUserID: id, ActorRole: "admin"})
	if apperr.CodeOf(err) != apperr.Conflict {
		t.Fatalf("stale version: want conflict, got %v", err)
	}
	if u := h.user(id); !u.Approved() {
		t.Fatalf("status %q after a refused stale command", u.Status)
	}
}
