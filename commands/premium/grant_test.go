package premium_test

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/premium"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
)

// wib is 00:00 WIB of the given date as an instant.
func wib(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.FixedZone("WIB", 7*3600))
}

func TestApprovePremium(t *testing.T) {
	h := newHarness(t)
	id := h.dashUser("budi", true, "POLRES_A")

	t.Run("refusals without a request", func(t *testing.T) {
		for _, by := range []premium.Actor{{ID: "op-1", Role: "operator"}, {ID: "x"}, {Role: "admin"}} {
			out, err := h.h.ApprovePremium(ctx(t), commands.Meta{}, premium.ApprovePremium{DashboardUserID: id, By: by})
			wantRejected(t, out, err, apperr.Forbidden, "", "Forbidden")
		}
		out, err := h.h.ApprovePremium(ctx(t), commands.Meta{}, premium.ApprovePremium{DashboardUserID: "budi", By: admin})
		wantRejected(t, out, err, apperr.Invalid, "dashboard_user_id", "dashboard_user_id tidak valid")
		out, err = h.h.ApprovePremium(ctx(t), commands.Meta{}, premium.ApprovePremium{DashboardUserID: id, By: admin})
		wantRejected(t, out, err, apperr.NotFound, "", "Request tidak ditemukan atau sudah tidak aktif")
		out, err = h.h.ApprovePremium(ctx(t), commands.Meta{}, premium.ApprovePremium{DashboardUserID: id, RequestToken: uuid.NewString(), By: admin})
		wantRejected(t, out, err, apperr.NotFound, "request_token", "Request tidak ditemukan")
	})

	// A request for the legacy WhatsApp default tier "premium", which the
	// guard refuses: approving it as is must fail.
	token := h.request(id, func(c *premium.RequestPremium) { c.PremiumTier = "premium" })
	h.clk.advance(2 * time.Hour)
	out, err := h.h.ApprovePremium(ctx(t), commands.Meta{}, premium.ApprovePremium{DashboardUserID: id, By: admin})
	wantRejected(t, out, err, apperr.Invalid, "tier", "tier premium tidak diizinkan; gunakan salah satu: tier1, tier2, premium_1")
	out, err = h.h.ApprovePremium(ctx(t), commands.Meta{}, premium.ApprovePremium{DashboardUserID: id, Tier: "gold", By: admin})
	wantRejected(t, out, err, apperr.Invalid, "tier", "tier gold tidak diizinkan; gunakan salah satu: tier1, tier2, premium_1")
	out, err = h.h.ApprovePremium(ctx(t), commands.Meta{}, premium.ApprovePremium{DashboardUserID: id, Tier: "tier2",
		ExpiresAt: ptr(h.clk.now()), By: admin})
	wantRejected(t, out, err, apperr.Invalid, "expires_at", "expires_at harus setelah waktu sekarang")

	// The admin names an allowed tier; the default period is 30 days to the
	// end of the Jakarta day: 2 Mar 12:00 WIB + 30 d → end of 1 Apr.
	meta := commands.Meta{CommandID: uuid.Must(uuid.NewV7()).String(), Actor: "wa:628111"}
	h.do(1)(h.h.ApprovePremium(ctx(t), meta, premium.ApprovePremium{DashboardUserID: id, Tier: " TIER2 ",
		By: premium.Actor{Role: "Admin", WhatsApp: "628111@c.us"}}))
	evs := h.events(id)
	granted, ok := evs[len(evs)-1].(*events.PremiumGranted)
	if !ok {
		t.Fatalf("last event %T", evs[len(evs)-1])
	}
	want := &events.PremiumGranted{DashboardUserID: id, SubscriptionID: granted.SubscriptionID, Tier: "tier2",
		StartsAt: t0.Add(2 * time.Hour), ExpiresAt: wib(2026, 4, 2), RequestToken: token, ClientID: "POLRES_A",
		TransferAmount: "150000", By: "wa:628111", AdminWhatsApp: "628111@c.us"}
	h.wantEvents(id, evs[0], want)
	if _, err := uuid.Parse(granted.SubscriptionID); err != nil {
		t.Errorf("subscription id %q: %v", granted.SubscriptionID, err)
	}

	// Retried under the same command id: the first outcome, no second grant.
	h.do(1)(h.h.ApprovePremium(ctx(t), meta, premium.ApprovePremium{DashboardUserID: id, Tier: "tier2", By: admin}))
	// A second approval of the same request is refused.
	out, err = h.h.ApprovePremium(ctx(t), commands.Meta{}, premium.ApprovePremium{DashboardUserID: id, RequestToken: token, Tier: "tier1", By: admin})
	wantRejected(t, out, err, apperr.Invalid, "request_token", "Request sudah memiliki status approved")
	h.wantEvents(id, evs[0], want)
}

func TestGrantPremium(t *testing.T) {
	h := newHarness(t)
	id := h.dashUser("budi", true, "POLRES_A")
	grant := func(g premium.GrantPremium) (commands.Outcome, error) {
		g.DashboardUserID = id
		return h.h.GrantPremium(ctx(t), commands.Meta{}, g)
	}

	out, err := grant(premium.GrantPremium{Tier: "tier1", By: premium.Actor{ID: "u", Role: "operator"}})
	wantRejected(t, out, err, apperr.Forbidden, "", "Forbidden")
	out, err = h.h.GrantPremium(ctx(t), commands.Meta{}, premium.GrantPremium{DashboardUserID: uuid.NewString(), Tier: "tier1", By: admin})
	wantRejected(t, out, err, apperr.NotFound, "dashboard_user_id", "pengguna dashboard tidak ditemukan")
	out, err = grant(premium.GrantPremium{By: admin})
	wantRejected(t, out, err, apperr.Invalid, "tier", "tier wajib diisi")
	out, err = grant(premium.GrantPremium{Tier: "premium", By: admin})
	wantRejected(t, out, err, apperr.Invalid, "tier", "tier premium tidak diizinkan; gunakan salah satu: tier1, tier2, premium_1")
	out, err = grant(premium.GrantPremium{Tier: "tier1", Days: -1, By: admin})
	wantRejected(t, out, err, apperr.Invalid, "days", "days harus lebih dari 0")
	h.wantEvents(id)

	// --days 1 at 2 Mar 10:00 WIB → 3 Mar 10:00 WIB → end of 3 Mar.
	h.do(1)(grant(premium.GrantPremium{Tier: "premium_1", Days: 1, By: admin}))
	// The meta's actor stands in for an actor without an id.
	h.do(1)(h.h.GrantPremium(ctx(t), commands.Meta{Actor: "cli:root"}, premium.GrantPremium{DashboardUserID: id,
		Tier: "tier1", ExpiresAt: ptr(t0.Add(time.Minute)), By: premium.Actor{Role: "admin"}}))
	evs := h.events(id)
	if len(evs) != 2 {
		t.Fatalf("want 2 grants, got %d", len(evs))
	}
	g1, g2 := evs[0].(*events.PremiumGranted), evs[1].(*events.PremiumGranted)
	if g1.SubscriptionID == g2.SubscriptionID {
		t.Fatalf("two grants share subscription id %s", g1.SubscriptionID)
	}
	h.wantEvents(id,
		&events.PremiumGranted{DashboardUserID: id, SubscriptionID: g1.SubscriptionID, Tier: "premium_1", StartsAt: t0,
			ExpiresAt: wib(2026, 3, 4), By: "admin-1", AdminWhatsApp: "628111@c.us"},
		&events.PremiumGranted{DashboardUserID: id, SubscriptionID: g2.SubscriptionID, Tier: "tier1", StartsAt: t0,
			ExpiresAt: t0.Add(time.Minute), By: "cli:root"})
}

// TestAllowedTiersConfigured: the handler's tier list, not the default,
// decides what a grant may name.
func TestAllowedTiersConfigured(t *testing.T) {
	h := newHarness(t, " Gold ", "gold", "")
	if got := h.h.AllowedTiers(); len(got) != 1 || got[0] != "gold" {
		t.Fatalf("allowed tiers %v", got)
	}
	id := h.dashUser("budi", true, "POLRES_A")
	out, err := h.h.GrantPremium(ctx(t), commands.Meta{}, premium.GrantPremium{DashboardUserID: id, Tier: "tier1", By: admin})
	wantRejected(t, out, err, apperr.Invalid, "tier", "tier tier1 tidak diizinkan; gunakan salah satu: gold")
	h.do(1)(h.h.GrantPremium(ctx(t), commands.Meta{}, premium.GrantPremium{DashboardUserID: id, Tier: "GOLD", By: admin}))
}

func TestRejectPremium(t *testing.T) {
	h := newHarness(t)
	id := h.dashUser("budi", true, "POLRES_A")
	token := h.request(id)
	created := h.events(id)[0]

	out, err := h.h.RejectPremium(ctx(t), commands.Meta{}, premium.RejectPremium{DashboardUserID: id, By: premium.Actor{ID: "x", Role: "editor"}})
	wantRejected(t, out, err, apperr.Forbidden, "", "Forbidden")
	h.do(1)(h.h.RejectPremium(ctx(t), commands.Meta{}, premium.RejectPremium{DashboardUserID: id, RequestToken: token,
		Note: " bukti tidak jelas ", By: admin}))
	rejected := &events.PremiumRequestRejected{DashboardUserID: id, RequestToken: token, Note: "bukti tidak jelas",
		By: "admin-1", AdminWhatsApp: "628111@c.us"}
	h.wantEvents(id, created, rejected)

	out, err = h.h.RejectPremium(ctx(t), commands.Meta{}, premium.RejectPremium{DashboardUserID: id, RequestToken: token, By: admin})
	wantRejected(t, out, err, apperr.Invalid, "request_token", "Request sudah memiliki status denied")
	out, err = h.h.ApprovePremium(ctx(t), commands.Meta{}, premium.ApprovePremium{DashboardUserID: id, Tier: "tier1", By: admin})
	wantRejected(t, out, err, apperr.NotFound, "", "Request tidak ditemukan atau sudah tidak aktif")
	// A denied request no longer blocks a new one.
	h.request(id)
}

func TestEndOfJakartaDay(t *testing.T) {
	tests := []struct {
		in   time.Time
		want time.Time
	}{
		{time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC), wib(2026, 3, 3)},                      // 10:00 WIB
		{time.Date(2026, 3, 2, 16, 59, 59, 0, time.UTC), wib(2026, 3, 3)},                   // 23:59:59 WIB
		{time.Date(2026, 3, 2, 17, 0, 0, 0, time.UTC), wib(2026, 3, 4)},                     // 00:00 WIB of 3 Mar
		{time.Date(2026, 12, 31, 20, 0, 0, 0, time.UTC), wib(2027, 1, 2)},                   // 03:00 WIB 1 Jan
		{time.Date(2028, 2, 28, 18, 0, 0, 0, time.UTC), wib(2028, 3, 1)},                    // leap day
		{time.Date(2026, 3, 2, 10, 0, 0, 0, time.FixedZone("X", -5*3600)), wib(2026, 3, 3)}, // 22:00 WIB
	}
	for _, tc := range tests {
		if got := premium.EndOfJakartaDay(tc.in); !got.Equal(tc.want) {
			t.Errorf("EndOfJakartaDay(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
}
