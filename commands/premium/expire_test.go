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

// granted returns the subscription ids of the user's grants, in order.
func (h *harness) granted(id string) []string {
	h.t.Helper()
	var out []string
	for _, e := range h.events(id) {
		if g, ok := e.(*events.PremiumGranted); ok {
			out = append(out, g.SubscriptionID)
		}
	}
	return out
}

func TestExpirePremiumOnlyAfterExpiry(t *testing.T) {
	h := newHarness(t)
	id := h.dashUser("budi", true, "POLRES_A")
	expires := t0.Add(time.Hour)
	h.do(1)(h.h.GrantPremium(ctx(t), commands.Meta{}, premium.GrantPremium{DashboardUserID: id, Tier: "tier1", ExpiresAt: &expires, By: admin}))
	sub := h.granted(id)[0]
	expire := func() commands.Outcome {
		out, err := h.h.ExpirePremium(ctx(t), commands.Meta{Actor: "system:premium-expiry"}, premium.ExpirePremium{DashboardUserID: id})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}

	for _, step := range []time.Duration{0, 59*time.Minute + 59*time.Second} {
		h.clk.advance(step)
		if out := expire(); len(out.Appended) != 0 {
			t.Fatalf("expired at %s, before expires_at %s", h.clk.now(), expires)
		}
	}
	h.clk.advance(time.Second) // exactly expires_at
	if out := expire(); len(out.Appended) != 1 {
		t.Fatalf("not expired at expires_at: %+v", out)
	}
	h.clk.advance(time.Hour)
	if out := expire(); len(out.Appended) != 0 {
		t.Fatalf("expired twice: %+v", out)
	}
	evs := h.events(id)
	h.wantEvents(id, evs[0], &events.PremiumExpired{DashboardUserID: id, SubscriptionIDs: []string{sub}, At: expires})

	out, err := h.h.ExpirePremium(ctx(t), commands.Meta{}, premium.ExpirePremium{DashboardUserID: "x"})
	wantRejected(t, out, err, apperr.Invalid, "dashboard_user_id", "dashboard_user_id tidak valid")
}

func TestRevokePremium(t *testing.T) {
	h := newHarness(t)
	id := h.dashUser("budi", true, "POLRES_A")

	out, err := h.h.RevokePremium(ctx(t), commands.Meta{}, premium.RevokePremium{DashboardUserID: id, By: premium.Actor{ID: "op", Role: "operator"}})
	wantRejected(t, out, err, apperr.Forbidden, "", "Forbidden")
	// Nothing to revoke: nothing appended.
	h.do(0)(h.h.RevokePremium(ctx(t), commands.Meta{}, premium.RevokePremium{DashboardUserID: id, By: admin}))

	short, long := t0.Add(time.Hour), t0.Add(48*time.Hour)
	for _, exp := range []time.Time{short, long} {
		h.do(1)(h.h.GrantPremium(ctx(t), commands.Meta{}, premium.GrantPremium{DashboardUserID: id, Tier: "tier1", ExpiresAt: &exp, By: admin}))
	}
	subs := h.granted(id)
	h.clk.advance(2 * time.Hour)
	now := h.clk.now()
	out = h.do(1)(h.h.RevokePremium(ctx(t), commands.Meta{}, premium.RevokePremium{DashboardUserID: id, Note: "salah", By: admin}))
	if len(out.Appended[0].Types) != 2 {
		t.Fatalf("want expiry and revocation in one message, got %v", out.Appended[0].Types)
	}
	evs := h.events(id)
	h.wantEvents(id, evs[0], evs[1],
		&events.PremiumExpired{DashboardUserID: id, SubscriptionIDs: []string{subs[0]}, At: now},
		&events.PremiumRevoked{DashboardUserID: id, SubscriptionIDs: []string{subs[1]}, Note: "salah", By: "admin-1", At: now})

	h.do(0)(h.h.RevokePremium(ctx(t), commands.Meta{}, premium.RevokePremium{DashboardUserID: id, By: admin}))
	h.do(0)(h.h.ExpirePremium(ctx(t), commands.Meta{}, premium.ExpirePremium{DashboardUserID: id}))
}

func TestExpireRequest(t *testing.T) {
	h := newHarness(t)
	id := h.dashUser("budi", true, "POLRES_A")
	token := h.request(id)
	created := h.events(id)[0]
	expire := func(tok string) commands.Outcome {
		out, err := h.h.ExpireRequest(ctx(t), commands.Meta{}, premium.ExpireRequest{DashboardUserID: id, RequestToken: tok})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	h.clk.advance(24*time.Hour - time.Nanosecond)
	if len(expire("").Appended) != 0 {
		t.Fatal("request expired before its deadline")
	}
	h.clk.advance(time.Nanosecond)
	if len(expire(uuid.NewString()).Appended) != 0 {
		t.Fatal("another token expired this request")
	}
	if len(expire(token).Appended) != 1 {
		t.Fatal("request not expired at its deadline")
	}
	if len(expire("").Appended) != 0 {
		t.Fatal("request expired twice")
	}
	h.wantEvents(id, created, &events.PremiumRequestExpired{DashboardUserID: id, RequestToken: token, At: t0.Add(24 * time.Hour)})

	out, err := h.h.ApprovePremium(ctx(t), commands.Meta{}, premium.ApprovePremium{DashboardUserID: id, RequestToken: token, Tier: "tier1", By: admin})
	wantRejected(t, out, err, apperr.Invalid, "request_token", "Request sudah memiliki status expired")
}
