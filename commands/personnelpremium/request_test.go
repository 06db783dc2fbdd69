package personnelpremium_test

import (
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/personnelpremium"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
)

func TestRequestPremiumRefusals(t *testing.T) {
	h := newHarness(t)
	h.person("75020001")
	valid := func(mod func(*personnelpremium.RequestPremium)) personnelpremium.RequestPremium {
		c := personnelpremium.RequestPremium{UserID: "75020001", SenderName: "Budi", AccountNumber: "0123", BankName: "BRI"}
		if mod != nil {
			mod(&c)
		}
		return c
	}
	tests := []struct {
		name  string
		cmd   personnelpremium.RequestPremium
		code  apperr.Code
		field string
		msg   string
	}{
		{"no NRP", valid(func(c *personnelpremium.RequestPremium) { c.UserID = "abc" }), apperr.Unauthorized, "", "User tidak valid"},
		{"not a person", valid(func(c *personnelpremium.RequestPremium) { c.UserID = "75020009" }), apperr.Unauthorized, "", "User tidak valid"},
		{"sender_name first", valid(func(c *personnelpremium.RequestPremium) { c.SenderName, c.BankName = " ", "" }),
			apperr.Invalid, "sender_name", "sender_name wajib diisi"},
		{"account_number", valid(func(c *personnelpremium.RequestPremium) { c.AccountNumber = "" }),
			apperr.Invalid, "account_number", "account_number wajib diisi"},
		{"bank_name", valid(func(c *personnelpremium.RequestPremium) { c.BankName = "\t" }),
			apperr.Invalid, "bank_name", "bank_name wajib diisi"},
		{"sender_name too long", valid(func(c *personnelpremium.RequestPremium) { c.SenderName = strings.Repeat("é", 201) }),
			apperr.Invalid, "sender_name", "sender_name maksimal 200 karakter"},
		{"NUL", valid(func(c *personnelpremium.RequestPremium) { c.BankName = "BR\x00I" }),
			apperr.Invalid, "bank_name", "bank_name tidak valid"},
		{"screenshot not a URL", valid(func(c *personnelpremium.RequestPremium) { c.ScreenshotURL = "bukti.jpg" }),
			apperr.Invalid, "screenshot_url", "screenshot_url harus berupa URL http(s)"},
		{"screenshot other scheme", valid(func(c *personnelpremium.RequestPremium) { c.ScreenshotURL = "javascript://x/alert(1)" }),
			apperr.Invalid, "screenshot_url", "screenshot_url harus berupa URL http(s)"},
		{"screenshot too long", valid(func(c *personnelpremium.RequestPremium) {
			c.ScreenshotURL = "https://x/" + strings.Repeat("a", 1991)
		}), apperr.Invalid, "screenshot_url", "screenshot_url maksimal 2000 karakter"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := h.h.RequestPremium(ctx(t), commands.Meta{}, tc.cmd)
			wantRejected(t, out, err, tc.code, tc.field, tc.msg)
		})
	}
	h.wantEvents("75020001")
	h.wantEvents("75020009")
}

func TestRequestPremium(t *testing.T) {
	h := newHarness(t)
	h.person("75020001")
	meta := commands.Meta{CommandID: uuid.Must(uuid.NewV7()).String(), Actor: "user:75020001"}
	cmd := personnelpremium.RequestPremium{UserID: "75.020.001", SenderName: " Budi Santoso ", AccountNumber: "0123",
		BankName: "BRI", ScreenshotURL: "https://x/" + strings.Repeat("a", 1990)}
	h.do(1)(h.h.RequestPremium(ctx(t), meta, cmd))
	first := &events.PersonnelPremiumRequested{UserID: "75020001", RequestID: personnelpremium.RequestIDFor(meta.CommandID),
		SenderName: "Budi Santoso", AccountNumber: "0123", BankName: "BRI", ScreenshotURL: cmd.ScreenshotURL}
	h.wantEvents("75020001", first)

	// The same command again: the first outcome, nothing new.
	h.do(1)(h.h.RequestPremium(ctx(t), meta, cmd))
	h.wantEvents("75020001", first)

	// Another request is a new one (the legacy API allowed several).
	out := h.do(1)(h.h.RequestPremium(ctx(t), commands.Meta{}, personnelpremium.RequestPremium{UserID: "75020001",
		SenderName: "B", AccountNumber: "9", BankName: "BCA"}))
	h.wantEvents("75020001", first, &events.PersonnelPremiumRequested{UserID: "75020001",
		RequestID: personnelpremium.RequestIDFor(out.CommandID), SenderName: "B", AccountNumber: "9", BankName: "BCA"})
}

func TestUpdateRequest(t *testing.T) {
	h := newHarness(t)
	h.person("75020001")
	h.person("75020002")
	id := h.request("75020001")
	created := h.events("75020001")[0]

	notFound := []struct {
		name string
		cmd  personnelpremium.UpdateRequest
	}{
		{"unknown id", personnelpremium.UpdateRequest{UserID: "75020001", RequestID: uuid.NewString(), BankName: ptr("BNI")}},
		{"not a UUID", personnelpremium.UpdateRequest{UserID: "75020001", RequestID: "12", BankName: ptr("BNI")}},
		{"someone else's", personnelpremium.UpdateRequest{UserID: "75020002", RequestID: id, BankName: ptr("BNI")}},
	}
	for _, tc := range notFound {
		t.Run(tc.name, func(t *testing.T) {
			out, err := h.h.UpdateRequest(ctx(t), commands.Meta{}, tc.cmd)
			wantRejected(t, out, err, apperr.NotFound, "", "not found")
		})
	}
	out, err := h.h.UpdateRequest(ctx(t), commands.Meta{}, personnelpremium.UpdateRequest{UserID: "75020001", RequestID: id,
		ScreenshotURL: ptr("ftp://x/b.jpg")})
	wantRejected(t, out, err, apperr.Invalid, "screenshot_url", "screenshot_url harus berupa URL http(s)")

	// Only what changed is recorded; blank fields are left alone.
	meta := commands.Meta{CommandID: uuid.Must(uuid.NewV7()).String()}
	upd := personnelpremium.UpdateRequest{UserID: "75020001", RequestID: strings.ToUpper(id), SenderName: ptr("Budi"),
		AccountNumber: ptr(" "), BankName: ptr(" BNI "), ScreenshotURL: ptr("https://x/bukti.jpg")}
	h.do(1)(h.h.UpdateRequest(ctx(t), meta, upd))
	changed := &events.PersonnelPremiumRequestUpdated{UserID: "75020001", RequestID: id, BankName: ptr("BNI"),
		ScreenshotURL: ptr("https://x/bukti.jpg")}
	h.wantEvents("75020001", created, changed)
	// The same command id: nothing new; the same change again: nothing to record.
	h.do(1)(h.h.UpdateRequest(ctx(t), meta, upd))
	h.do(0)(h.h.UpdateRequest(ctx(t), commands.Meta{}, upd))
	h.wantEvents("75020001", created, changed)

	// A decided request can no longer change.
	h.do(1)(h.h.RejectRequest(ctx(t), commands.Meta{}, personnelpremium.RejectRequest{UserID: "75020001", RequestID: id, By: admin}))
	out, err = h.h.UpdateRequest(ctx(t), commands.Meta{}, personnelpremium.UpdateRequest{UserID: "75020001", RequestID: id,
		BankName: ptr("BCA")})
	wantRejected(t, out, err, apperr.Invalid, "request_id", "Request sudah memiliki status rejected")
}
