package premium

import (
	"context"
	"fmt"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
)

// ApprovePremium is an admin's approval of a dashboard user's open request
// (WhatsApp "grant access#…", "grantdashsub#<token>", the admin API). The
// request is the one named by RequestToken or, without one, the user's
// open request. The grant:
//   - tier: Tier, else the request's premium_tier; lower-cased; required
//     (Invalid "tier wajib diisi") and one of the handler's allowed tiers
//     (Invalid "tier <t> tidak diizinkan; gunakan salah satu: …") — the
//     legacy default tier "premium" that the guard then refused (quirk #32)
//     is gone;
//   - expiry: ExpiresAt when given (after now, else Invalid "expires_at
//     harus setelah waktu sekarang"), else the end of the Jakarta day
//     Days (default 30) days from now. The requester's
//     subscription_expires_at is shown to the admin but not applied on its
//     own: the admin names the period.
//
// Refusals, checked first to last: Forbidden "Forbidden" unless By is an
// admin; Invalid "dashboard_user_id tidak valid"; NotFound "Request tidak
// ditemukan" (unknown token) or "Request tidak ditemukan atau sudah tidak
// aktif" (no open request); Invalid "Request sudah memiliki status
// <status>"; then the tier and expiry checks.
type ApprovePremium struct {
	DashboardUserID string     `json:"dashboard_user_id"`
	RequestToken    string     `json:"request_token,omitempty"`
	Tier            string     `json:"tier,omitempty"`
	ExpiresAt       *time.Time `json:"expires_at,omitempty"`
	Days            int        `json:"days,omitempty"`
	By              Actor      `json:"by"`
}

func (cmd ApprovePremium) decide(ctx context.Context, l *commands.Loader, d decision) ([]events.Commit, error) {
	by, err := cmd.By.admin(d.actor)
	if err != nil {
		return nil, err
	}
	id, err := parseUserID(cmd.DashboardUserID, invalid("dashboard_user_id", msgUserIDInvalid))
	if err != nil {
		return nil, err
	}
	p, v, err := Load(ctx, l, id)
	if err != nil {
		return nil, err
	}
	r, err := p.pickOpen(cmd.RequestToken, d.now)
	if err != nil {
		return nil, err
	}
	tier := cmd.Tier
	if tier == "" {
		tier = r.PremiumTier
	}
	g := grant{tier: tier, expiresAt: cmd.ExpiresAt, days: cmd.Days, by: by, byWhatsApp: cmd.By.WhatsApp}
	ev, err := g.event(p, v, d)
	if err != nil {
		return nil, err
	}
	ev.RequestToken, ev.ClientID, ev.TransferAmount = r.Token, r.ClientID, r.TransferAmount
	return p.commit(v, ev), nil
}

// pickOpen finds the request an admin acts on: the one named by token, or
// the open one.
func (p *Premium) pickOpen(rawToken string, now time.Time) (*Request, error) {
	token, ok := parseToken(rawToken)
	if !ok {
		return nil, &apperr.Error{Code: apperr.NotFound, Field: "request_token", Message: msgRequestNotFound}
	}
	if token == "" {
		if r := p.OpenRequest(now); r != nil {
			return r, nil
		}
		return nil, &apperr.Error{Code: apperr.NotFound, Message: msgNoOpenRequest}
	}
	r := p.Request(token)
	if r == nil {
		return nil, &apperr.Error{Code: apperr.NotFound, Field: "request_token", Message: msgRequestNotFound}
	}
	if !r.Open(now) {
		return nil, invalid("request_token", fmt.Sprintf(msgRequestStatus, r.EffectiveStatus(now)))
	}
	return r, nil
}

// grant is a validated-to-be grant of premium.
type grant struct {
	tier       string
	expiresAt  *time.Time
	days       int
	by         string
	byWhatsApp string
}

// event checks tier and expiry and builds the PremiumGranted of a grant
// decided on version v of p.
func (g grant) event(p Premium, v uint64, d decision) (events.PremiumGranted, error) {
	tier, err := parseTier(g.tier, d.tiers)
	if err != nil {
		return events.PremiumGranted{}, err
	}
	exp, err := grantExpiry(d.now, g.expiresAt, g.days)
	if err != nil {
		return events.PremiumGranted{}, err
	}
	return events.PremiumGranted{DashboardUserID: p.DashboardUserID, SubscriptionID: subscriptionID(p.DashboardUserID, v),
		Tier: tier, StartsAt: d.now, ExpiresAt: exp, By: g.by, AdminWhatsApp: g.byWhatsApp}, nil
}
