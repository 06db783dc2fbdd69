// Package premium is the premium aggregate of the PREMIUM context: one
// dashboard user's premium requests and subscriptions, keyed by the user's
// UUID (subject premium.<dashboard_user_id>). Requests and subscriptions
// share the aggregate because the rules that matter span both (one open
// request at a time; approving a request grants a subscription) and a user
// has few of either. Requests are named by their request_token,
// subscriptions by their subscription_id.
//
// Commands (one file each) decide from this subject and, where the
// requester matters, from the dashboard user's own ACCESS subject
// (commands/dashuser), never from read models; handlers.go lists them.
// Times are instants; where the spec speaks of days (a grant "for 30
// days") the day is the Asia/Jakarta calendar day.
package premium

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
)

// Request is one premium request as the aggregate knows it.
type Request struct {
	Token                 string
	ClientID              string
	Username              string
	WhatsApp              string
	BankName              string
	AccountNumber         string
	SenderName            string
	TransferAmount        string
	PremiumTier           string
	ProofURL              string
	SubscriptionExpiresAt *time.Time
	Status                string // events.PremiumStatus*
	ExpiredAt             time.Time
}

// openStatus reports whether the request still waits for an admin by its
// status alone (its deadline may have passed without the job noticing).
func (r *Request) openStatus() bool {
	return r.Status == events.PremiumStatusPending || r.Status == events.PremiumStatusConfirmed
}

// Open reports whether the request waits for an admin at now: pending or
// confirmed, and its deadline not reached.
func (r *Request) Open(now time.Time) bool { return r.openStatus() && r.ExpiredAt.After(now) }

// EffectiveStatus is the status at now: an open request past its deadline
// counts as expired even before the expiry job records it.
func (r *Request) EffectiveStatus(now time.Time) string {
	if r.openStatus() && !r.ExpiredAt.After(now) {
		return events.PremiumStatusExpired
	}
	return r.Status
}

// Subscription is one grant of premium.
type Subscription struct {
	ID           string
	Tier         string
	StartsAt     time.Time
	ExpiresAt    time.Time
	Status       string // events.Subscription*
	RequestToken string
}

// Premium is the state of one dashboard user's premium, folded from the
// subject's events.
type Premium struct {
	DashboardUserID string
	Requests        []*Request // oldest first
	Subscriptions   []*Subscription
}

// Apply folds one event into the state.
func (p *Premium) Apply(ev events.Payload) {
	switch e := ev.(type) {
	case *events.PremiumRequested:
		p.Requests = append(p.Requests, &Request{Token: e.RequestToken, ClientID: e.ClientID, Username: e.Username,
			WhatsApp: e.WhatsApp, BankName: e.BankName, AccountNumber: e.AccountNumber, SenderName: e.SenderName,
			TransferAmount: e.TransferAmount, PremiumTier: e.PremiumTier, ProofURL: e.ProofURL,
			SubscriptionExpiresAt: e.SubscriptionExpiresAt, Status: e.Status, ExpiredAt: e.ExpiredAt})
	case *events.PremiumRequestConfirmed:
		if r := p.Request(e.RequestToken); r != nil {
			r.applyConfirmed(e)
		}
	case *events.PremiumGranted:
		p.Subscriptions = append(p.Subscriptions, &Subscription{ID: e.SubscriptionID, Tier: e.Tier,
			StartsAt: e.StartsAt, ExpiresAt: e.ExpiresAt, Status: events.SubscriptionActive, RequestToken: e.RequestToken})
		if r := p.Request(e.RequestToken); r != nil {
			r.Status = events.PremiumStatusApproved
		}
	case *events.PremiumRequestRejected:
		if r := p.Request(e.RequestToken); r != nil {
			r.Status = events.PremiumStatusDenied
		}
	case *events.PremiumRequestExpired:
		if r := p.Request(e.RequestToken); r != nil {
			r.Status = events.PremiumStatusExpired
		}
	case *events.PremiumRevoked:
		p.setStatus(e.SubscriptionIDs, events.SubscriptionCanceled)
	case *events.PremiumExpired:
		p.setStatus(e.SubscriptionIDs, events.SubscriptionExpired)
	}
}

func (r *Request) applyConfirmed(e *events.PremiumRequestConfirmed) {
	c := e.Changes
	for _, f := range []struct {
		dst *string
		v   *string
	}{{&r.TransferAmount, c.TransferAmount}, {&r.BankName, c.BankName}, {&r.AccountNumber, c.AccountNumber},
		{&r.SenderName, c.SenderName}, {&r.PremiumTier, c.PremiumTier}} {
		if f.v != nil {
			*f.dst = *f.v
		}
	}
	if c.SubscriptionExpiresAt != nil {
		r.SubscriptionExpiresAt = c.SubscriptionExpiresAt
	}
	r.ProofURL, r.Status, r.ExpiredAt = e.ProofURL, events.PremiumStatusConfirmed, e.ExpiredAt
}

func (p *Premium) setStatus(ids []string, status string) {
	for _, s := range p.Subscriptions {
		if slices.Contains(ids, s.ID) {
			s.Status = status
		}
	}
}

// Request returns the request with token (nil when there is none).
func (p *Premium) Request(token string) *Request {
	if token == "" {
		return nil
	}
	for _, r := range p.Requests {
		if r.Token == token {
			return r
		}
	}
	return nil
}

// OpenRequest returns the request waiting for an admin at now, if any.
// There is at most one: a new request closes a stale one first.
func (p *Premium) OpenRequest(now time.Time) *Request {
	for _, r := range slices.Backward(p.Requests) {
		if r.Open(now) {
			return r
		}
	}
	return nil
}

// staleRequests are the requests still open by status whose deadline is
// at or before now.
func (p *Premium) staleRequests(now time.Time) []*Request {
	var out []*Request
	for _, r := range p.Requests {
		if r.openStatus() && !r.ExpiredAt.After(now) {
			out = append(out, r)
		}
	}
	return out
}

// Active returns the subscriptions whose status is active, split into those
// still running at now and those past their expiry (due for the job).
func (p *Premium) Active(now time.Time) (running, due []*Subscription) {
	for _, s := range p.Subscriptions {
		if s.Status != events.SubscriptionActive {
			continue
		}
		if s.ExpiresAt.After(now) {
			running = append(running, s)
		} else {
			due = append(due, s)
		}
	}
	return running, due
}

// Load reads and folds the premium aggregate of a dashboard user (a
// canonical UUID string) through the command's loader.
func Load(ctx context.Context, l *commands.Loader, dashboardUserID string) (Premium, uint64, error) {
	envs, v, err := l.Load(ctx, events.PremiumSubject(dashboardUserID))
	if err != nil {
		return Premium{}, 0, fmt.Errorf("load premium: %w", err)
	}
	p := Premium{DashboardUserID: dashboardUserID}
	for i := range envs {
		ev, err := l.Registry().Decode(&envs[i])
		if err != nil {
			return Premium{}, 0, fmt.Errorf("load premium: %w", err)
		}
		p.Apply(ev)
	}
	return p, v, nil
}

// commit wraps events for the aggregate's own subject at version v.
func (p Premium) commit(v uint64, evs ...events.Payload) []events.Commit {
	return []events.Commit{{Subject: events.PremiumSubject(p.DashboardUserID), AggregateID: p.DashboardUserID,
		Expected: v, Events: evs}}
}

// idSpace names the UUIDs this package derives (name-based, SHA-1).
var idSpace = uuid.MustParse("5b0f6c1e-8a47-4c2e-9d3b-7e21c4a9f0d5")

// RequestTokenFor is the request token RequestPremium uses when the command
// names none: derived from the command id, so a retried command names the
// same request and the caller, knowing its command id, knows the token.
func RequestTokenFor(commandID string) string {
	return uuid.NewSHA1(idSpace, []byte("request/"+commandID)).String()
}

// subscriptionID derives a grant's id from the user and the aggregate
// version the grant was decided on: unique per grant, stable for tests.
func subscriptionID(dashboardUserID string, version uint64) string {
	return uuid.NewSHA1(idSpace, []byte("subscription/"+dashboardUserID+"/"+strconv.FormatUint(version, 10))).String()
}
