package premium

import (
	"context"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
)

// ExpirePremium is the subscription expiry job's command for one dashboard
// user (the job lists candidates with PremiumQueries.DueSubscriptions).
// Active subscriptions whose expires_at is at or before now become expired
// (one PremiumExpired listing them; expires_at is kept). Idempotent on
// state: nothing due — not yet, or already expired or canceled — appends
// nothing, so a clock running behind the read model's or a repeated run is
// harmless. Refusal: Invalid "dashboard_user_id tidak valid".
type ExpirePremium struct {
	DashboardUserID string `json:"dashboard_user_id"`
}

func (cmd ExpirePremium) decide(ctx context.Context, l *commands.Loader, d decision) ([]events.Commit, error) {
	id, err := parseUserID(cmd.DashboardUserID, invalid("dashboard_user_id", msgUserIDInvalid))
	if err != nil {
		return nil, err
	}
	p, v, err := Load(ctx, l, id)
	if err != nil {
		return nil, err
	}
	_, due := p.Active(d.now)
	if len(due) == 0 {
		return nil, nil
	}
	return p.commit(v, events.PremiumExpired{DashboardUserID: id, SubscriptionIDs: ids(due), At: d.now}), nil
}

// ExpireRequest is the request expiry job's command (legacy hourly at :20;
// candidates from PremiumQueries.DueRequests): the user's requests still
// pending or confirmed whose deadline is at or before now become expired,
// only the one named by RequestToken when given. Idempotent on state like
// ExpirePremium. Refusal: Invalid "dashboard_user_id tidak valid".
type ExpireRequest struct {
	DashboardUserID string `json:"dashboard_user_id"`
	RequestToken    string `json:"request_token,omitempty"`
}

func (cmd ExpireRequest) decide(ctx context.Context, l *commands.Loader, d decision) ([]events.Commit, error) {
	id, err := parseUserID(cmd.DashboardUserID, invalid("dashboard_user_id", msgUserIDInvalid))
	if err != nil {
		return nil, err
	}
	token, ok := parseToken(cmd.RequestToken)
	if !ok {
		return nil, invalid("request_token", msgRequestTokenInvalid)
	}
	p, v, err := Load(ctx, l, id)
	if err != nil {
		return nil, err
	}
	var evs []events.Payload
	for _, r := range p.staleRequests(d.now) {
		if token == "" || r.Token == token {
			evs = append(evs, events.PremiumRequestExpired{DashboardUserID: id, RequestToken: r.Token, At: d.now})
		}
	}
	if len(evs) == 0 {
		return nil, nil
	}
	return p.commit(v, evs...), nil
}
