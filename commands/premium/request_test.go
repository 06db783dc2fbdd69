package premium_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/premium"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
)

func TestRequestPremiumRefusals(t *testing.T) {
	h := newHarness(t)
	one := h.dashUser("one", true, "POLRES_A")
	two := h.dashUser("two", true, "POLRES_A", "POLRES_B")
	pending := h.dashUser("pending", false, "POLRES_A")
	none := h.dashUser("none", true)
	valid := func(id string) premium.RequestPremium {
		return premium.RequestPremium{DashboardUserID: id, BankName: "BCA", AccountNumber: "123", SenderName: "Budi"}
	}
	with := func(id string, f func(*premium.RequestPremium)) premium.RequestPremium {
		c := valid(id)
		f(&c)
		return c
	}
	tests := []struct {
		name  string
		cmd   premium.RequestPremium
		code  apperr.Code
		field string
		msg   string
	}{
		{"not a uuid", valid("abc"), apperr.Unauthorized, "", "Dashboard user tidak valid"},
		{"unknown user", valid(uuid.NewString()), apperr.Unauthorized, "", "Dashboard user tidak valid"},
		{"not approved", valid(pending), apperr.Unauthorized, "", "Dashboard user tidak valid"},
		{"no clients", valid(none), apperr.Forbidden, "client_id", "Dashboard user belum memiliki relasi client"},
		{"client not the user's", with(one, func(c *premium.RequestPremium) { c.ClientID = "POLRES_B" }),
			apperr.Forbidden, "client_id", "client_id tidak valid untuk pengguna ini"},
		{"several clients, none named", valid(two), apperr.Invalid, "client_id", "client_id wajib diisi"},
		{"bank_name first", with(one, func(c *premium.RequestPremium) { c.BankName, c.SenderName = " ", "" }),
			apperr.Invalid, "bank_name", "bank_name wajib diisi"},
		{"account_number", with(one, func(c *premium.RequestPremium) { c.AccountNumber = "" }),
			apperr.Invalid, "account_number", "account_number wajib diisi"},
		{"sender_name", with(one, func(c *premium.RequestPremium) { c.SenderName = "" }),
			apperr.Invalid, "sender_name", "sender_name wajib diisi"},
		{"transfer_amount", with(one, func(c *premium.RequestPremium) { c.TransferAmount = "150.000,00" }),
			apperr.Invalid, "transfer_amount", "transfer_amount tidak valid"},
		{"whatsapp", with(one, func(c *premium.RequestPremium) { c.WhatsApp = "0812" }),
			apperr.Invalid, "whatsapp", "whatsapp tidak valid"},
		{"metadata not an object", with(one, func(c *premium.RequestPremium) { c.Metadata = json.RawMessage(`[1]`) }),
			apperr.Invalid, "metadata", "metadata harus berupa objek JSON"},
		{"deadline override past the window", with(one, func(c *premium.RequestPremium) { c.ExpiredAt = ptr(t0.Add(25 * time.Hour)) }),
			apperr.Invalid, "expired_at", "expired_at tidak valid"},
		{"deadline override in the past", with(one, func(c *premium.RequestPremium) { c.ExpiredAt = ptr(t0) }),
			apperr.Invalid, "expired_at", "expired_at tidak valid"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := h.h.RequestPremium(ctx(t), commands.Meta{}, tc.cmd)
			wantRejected(t, out, err, tc.code, tc.field, tc.msg)
		})
	}
	for _, id := range []string{one, two, pending, none} {
		h.wantEvents(id)
	}
}

func TestRequestPremium(t *testing.T) {
	h := newHarness(t)
	id := h.dashUser("budi", true, "POLRES_A", "POLRES_B")

	meta := commands.Meta{CommandID: uuid.Must(uuid.NewV7()).String(), Actor: id}
	cmd := premium.RequestPremium{DashboardUserID: id, ClientID: "polres_b", BankName: " BCA ", AccountNumber: "123",
		SenderName: "Budi", TransferAmount: "150000.50", PremiumTier: " Tier1", Metadata: json.RawMessage(`{"a": 1}`)}
	h.do(1)(h.h.RequestPremium(ctx(t), meta, cmd))
	first := premium.RequestTokenFor(meta.CommandID)
	req := &events.PremiumRequested{DashboardUserID: id, RequestToken: first, ClientID: "POLRES_B", Username: "budi",
		WhatsApp: "6281200001", BankName: "BCA", AccountNumber: "123", SenderName: "Budi", TransferAmount: "150000.50",
		PremiumTier: "tier1", Status: events.PremiumStatusPending, ExpiredAt: t0.Add(24 * time.Hour),
		Metadata: json.RawMessage(`{"a":1}`)}
	h.wantEvents(id, req)

	// The same command again: the first outcome, nothing new.
	h.do(1)(h.h.RequestPremium(ctx(t), meta, cmd))
	h.wantEvents(id, req)

	// One open request at a time, until its deadline.
	h.clk.advance(24*time.Hour - time.Second)
	out, err := h.h.RequestPremium(ctx(t), commands.Meta{}, cmd)
	wantRejected(t, out, err, apperr.Conflict, "",
		"Permintaan premium sebelumnya masih diproses. Tunggu hingga selesai sebelum mengajukan kembali.")

	// At the deadline the stale request is closed in the same message as
	// the new one, which came with its proof: confirmed, 48 h.
	h.clk.advance(time.Second)
	now := h.clk.now()
	out = h.do(1)(h.h.RequestPremium(ctx(t), commands.Meta{}, premium.RequestPremium{DashboardUserID: id,
		ClientID: "POLRES_A", BankName: "BRI", AccountNumber: "9", SenderName: "B", ProofURL: "https://x/p.jpg",
		WhatsApp: "0812 9999 0000"}))
	if got := out.Appended[0].Types; len(got) != 2 {
		t.Fatalf("one message with two events expected, got %v", got)
	}
	second := premium.RequestTokenFor(out.CommandID)
	h.wantEvents(id, req,
		&events.PremiumRequestExpired{DashboardUserID: id, RequestToken: first, At: now},
		&events.PremiumRequested{DashboardUserID: id, RequestToken: second, ClientID: "POLRES_A", Username: "budi",
			WhatsApp: "6281299990000", BankName: "BRI", AccountNumber: "9", SenderName: "B", ProofURL: "https://x/p.jpg",
			Status: events.PremiumStatusConfirmed, ExpiredAt: now.Add(48 * time.Hour)})
}

func TestConfirmRequest(t *testing.T) {
	h := newHarness(t)
	id := h.dashUser("budi", true, "POLRES_A")
	token := h.request(id)
	created := h.events(id)[0]

	out, err := h.h.ConfirmRequest(ctx(t), commands.Meta{}, premium.ConfirmRequest{DashboardUserID: id, RequestToken: token})
	wantRejected(t, out, err, apperr.Invalid, "proof_url", "proof_url wajib diisi")
	for _, tok := range []string{uuid.NewString(), "not-a-uuid"} {
		out, err = h.h.ConfirmRequest(ctx(t), commands.Meta{}, premium.ConfirmRequest{DashboardUserID: id, RequestToken: tok, ProofURL: "u"})
		wantRejected(t, out, err, apperr.NotFound, "", "Request tidak ditemukan")
	}
	// Another user's token is not found under this user.
	other := h.dashUser("other", true, "POLRES_A")
	out, err = h.h.ConfirmRequest(ctx(t), commands.Meta{}, premium.ConfirmRequest{DashboardUserID: other, RequestToken: token, ProofURL: "u"})
	wantRejected(t, out, err, apperr.NotFound, "", "Request tidak ditemukan")

	h.clk.advance(time.Hour)
	confirm := premium.ConfirmRequest{DashboardUserID: id, RequestToken: token, ProofURL: "https://x/1.jpg",
		TransferAmount: "150000", BankName: "BNI", PremiumTier: "TIER2"}
	h.do(1)(h.h.ConfirmRequest(ctx(t), commands.Meta{}, confirm))
	deadline := t0.Add(time.Hour + 48*time.Hour)
	first := &events.PremiumRequestConfirmed{DashboardUserID: id, RequestToken: token, ProofURL: "https://x/1.jpg",
		Changes: events.PremiumRequestChanges{BankName: ptr("BNI"), PremiumTier: ptr("tier2")}, ExpiredAt: deadline}
	h.wantEvents(id, created, first)

	// Repeating it changes nothing; a new proof keeps the deadline.
	h.clk.advance(time.Hour)
	h.do(0)(h.h.ConfirmRequest(ctx(t), commands.Meta{}, confirm))
	h.do(1)(h.h.ConfirmRequest(ctx(t), commands.Meta{}, premium.ConfirmRequest{DashboardUserID: id, RequestToken: token, ProofURL: "https://x/2.jpg"}))
	h.wantEvents(id, created, first,
		&events.PremiumRequestConfirmed{DashboardUserID: id, RequestToken: token, ProofURL: "https://x/2.jpg", ExpiredAt: deadline})

	// Past the deadline the request counts as expired.
	h.clk.advance(deadline.Sub(h.clk.now()))
	out, err = h.h.ConfirmRequest(ctx(t), commands.Meta{}, premium.ConfirmRequest{DashboardUserID: id, RequestToken: token, ProofURL: "u"})
	wantRejected(t, out, err, apperr.Invalid, "request_token", "Request sudah memiliki status expired")
}

// TestRequestDeadlineOverride: an earlier deadline is kept; instants are
// cut to the microseconds Postgres stores.
func TestRequestDeadlineOverride(t *testing.T) {
	h := newHarness(t)
	id := h.dashUser("budi", true, "POLRES_A")
	h.clk.advance(1500 * time.Nanosecond)
	h.request(id, func(c *premium.RequestPremium) { c.ExpiredAt = ptr(t0.Add(time.Hour + 999*time.Nanosecond)) })
	got := h.events(id)[0].(*events.PremiumRequested).ExpiredAt
	if want := t0.Add(time.Hour); !got.Equal(want) {
		t.Fatalf("deadline %s, want %s", got, want)
	}
	h.do(1)(h.h.GrantPremium(ctx(t), commands.Meta{}, premium.GrantPremium{DashboardUserID: id, Tier: "tier1", Days: 1, By: admin}))
	g := h.events(id)[1].(*events.PremiumGranted)
	if want := t0.Add(time.Microsecond); !g.StartsAt.Equal(want) {
		t.Fatalf("starts_at %s, want %s", g.StartsAt, want)
	}
}
