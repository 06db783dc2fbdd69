package personnelpremium_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/personnelpremium"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
)

func TestApproveRequest(t *testing.T) {
	h := newHarness(t)
	h.person("75020001")
	id := h.request("75020001")
	other := h.request("75020001")
	bad := "Request " + id + " tidak valid."
	approve := func(mod func(*personnelpremium.ApproveRequest)) personnelpremium.ApproveRequest {
		c := personnelpremium.ApproveRequest{UserID: "75020001", RequestID: id, By: admin}
		if mod != nil {
			mod(&c)
		}
		return c
	}
	for _, tc := range []struct {
		name  string
		cmd   personnelpremium.ApproveRequest
		code  apperr.Code
		field string
		msg   string
	}{
		{"not an admin", approve(func(c *personnelpremium.ApproveRequest) { c.By.Role = "operator" }), apperr.Forbidden, "", "Forbidden"},
		{"no actor", approve(func(c *personnelpremium.ApproveRequest) { c.By.ID = "" }), apperr.Forbidden, "", "Forbidden"},
		{"bad user", approve(func(c *personnelpremium.ApproveRequest) { c.UserID = "x" }), apperr.Invalid, "user_id", "user_id tidak valid"},
		{"negative days", approve(func(c *personnelpremium.ApproveRequest) { c.Days = -1 }), apperr.Invalid, "days", "days harus lebih dari 0"},
		{"too many days", approve(func(c *personnelpremium.ApproveRequest) { c.Days = 3651 }), apperr.Invalid, "days", "days maksimal 3650"},
		{"unknown request", approve(func(c *personnelpremium.ApproveRequest) { c.RequestID = "b8a1c6a2-0000-4000-8000-000000000001" }),
			apperr.Invalid, "request_id", "Request b8a1c6a2-0000-4000-8000-000000000001 tidak valid."},
		{"not a UUID", approve(func(c *personnelpremium.ApproveRequest) { c.RequestID = " 12 " }), apperr.Invalid, "request_id", "Request 12 tidak valid."},
		{"another person's", approve(func(c *personnelpremium.ApproveRequest) { c.UserID = "75020002" }), apperr.Invalid, "request_id", bad},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := h.h.ApproveRequest(ctx(t), commands.Meta{}, tc.cmd)
			wantRejected(t, out, err, tc.code, tc.field, tc.msg)
		})
	}
	reqs := h.events("75020001")

	// Default: 30 days from now (legacy grantsub#).
	h.clk.advance(time.Hour)
	now := h.clk.now()
	h.do(1)(h.h.ApproveRequest(ctx(t), commands.Meta{}, approve(nil)))
	granted := &events.PersonnelPremiumGranted{UserID: "75020001", RequestID: id, ExpiresAt: now.AddDate(0, 0, 30), By: admin.ID}
	h.wantEvents("75020001", append(reqs, granted)...)
	out, err := h.h.ApproveRequest(ctx(t), commands.Meta{}, approve(nil))
	wantRejected(t, out, err, apperr.Invalid, "request_id", bad)
	out, err = h.h.RejectRequest(ctx(t), commands.Meta{}, personnelpremium.RejectRequest{UserID: "75020001", RequestID: id, By: admin})
	wantRejected(t, out, err, apperr.Invalid, "request_id", bad)

	// A shorter second grant keeps the running premium's end; the actor
	// defaults to the command's.
	h.do(1)(h.h.ApproveRequest(ctx(t), commands.Meta{Actor: "dashboard:boss"}, personnelpremium.ApproveRequest{
		UserID: "75020001", RequestID: other, Days: 7, By: personnelpremium.Actor{Role: "Admin"}}))
	h.wantEvents("75020001", append(reqs, granted, &events.PersonnelPremiumGranted{UserID: "75020001", RequestID: other,
		ExpiresAt: granted.ExpiresAt, By: "dashboard:boss"})...)
}

func TestApproveDaysAndReject(t *testing.T) {
	h := newHarness(t)
	h.person("75020001")
	a, b := h.request("75020001"), h.request("75020001")
	reqs := h.events("75020001")
	h.do(1)(h.h.ApproveRequest(ctx(t), commands.Meta{}, personnelpremium.ApproveRequest{UserID: "75020001", RequestID: a,
		Days: 90, By: admin}))
	out, err := h.h.RejectRequest(ctx(t), commands.Meta{}, personnelpremium.RejectRequest{UserID: "75020001", RequestID: b,
		Note: strings.Repeat("a", 501), By: admin})
	wantRejected(t, out, err, apperr.Invalid, "note", "note maksimal 500 karakter")
	h.do(1)(h.h.RejectRequest(ctx(t), commands.Meta{}, personnelpremium.RejectRequest{UserID: "75020001", RequestID: b,
		Note: " bukti buram ", By: admin}))
	h.wantEvents("75020001", append(reqs,
		&events.PersonnelPremiumGranted{UserID: "75020001", RequestID: a, ExpiresAt: t0.AddDate(0, 0, 90), By: admin.ID},
		&events.PersonnelPremiumRequestRejected{UserID: "75020001", RequestID: b, By: admin.ID, Note: "bukti buram"})...)
}

// TestApproveConcurrency: a stale expected version is a conflict, and two
// admins approving the same request at once grant it once.
func TestApproveConcurrency(t *testing.T) {
	h := newHarness(t)
	h.person("75020001")
	id := h.request("75020001")
	stale := uint64(0)
	_, err := h.h.ApproveRequest(ctx(t), commands.Meta{ExpectedVersion: &stale},
		personnelpremium.ApproveRequest{UserID: "75020001", RequestID: id, By: admin})
	if !errors.Is(err, commands.ErrConflict) {
		t.Fatalf("stale expected version: %v, want ErrConflict", err)
	}

	const n = 6
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = h.h.ApproveRequest(ctx(t), commands.Meta{CommandID: uuid.Must(uuid.NewV7()).String()},
				personnelpremium.ApproveRequest{UserID: "75020001", RequestID: id, Days: i + 1, By: admin})
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case apperr.MessageOf(err) != "Request "+id+" tidak valid.":
			t.Fatalf("unexpected error: %v", err)
		}
	}
	grants := 0
	for _, e := range h.events("75020001") {
		if _, is := e.(*events.PersonnelPremiumGranted); is {
			grants++
		}
	}
	if ok != 1 || grants != 1 {
		t.Fatalf("%d approvals succeeded and %d grants stored, want 1 and 1", ok, grants)
	}
}
