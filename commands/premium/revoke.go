package premium

import (
	"context"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
)

// RevokePremium ends a dashboard user's premium now (an admin's decision;
// the legacy system had no way to do it). Every running subscription is
// canceled (PremiumRevoked); an active one already past its expiry is
// recorded as expired (PremiumExpired) in the same message, as the expiry
// job would have. A user without an active subscription: nothing is
// appended. Refusals: Forbidden "Forbidden" unless By is an admin; Invalid
// "dashboard_user_id tidak valid"; NotFound "pengguna dashboard tidak
// ditemukan" (an id that never had premium and names no account).
type RevokePremium struct {
	DashboardUserID string `json:"dashboard_user_id"`
	Note            string `json:"note,omitempty"`
	By              Actor  `json:"by"`
}

func (cmd RevokePremium) decide(ctx context.Context, l *commands.Loader, d decision) ([]events.Commit, error) {
	by, err := cmd.By.admin(d.actor)
	if err != nil {
		return nil, err
	}
	id, err := parseUserID(cmd.DashboardUserID, invalid("dashboard_user_id", msgUserIDInvalid))
	if err != nil {
		return nil, err
	}
	note, err := text("note", cmd.Note)
	if err != nil {
		return nil, err
	}
	p, v, err := Load(ctx, l, id)
	if err != nil {
		return nil, err
	}
	if len(p.Subscriptions) == 0 {
		// Nothing to revoke; tell a mistyped id from an account without
		// premium, as a grant does.
		u, _, err := dashuser.Load(ctx, l, id)
		if err != nil {
			return nil, err
		}
		if !u.Registered {
			return nil, &apperr.Error{Code: apperr.NotFound, Field: "dashboard_user_id", Message: msgUserNotFound}
		}
		return nil, nil
	}
	running, due := p.Active(d.now)
	var evs []events.Payload
	if len(due) > 0 {
		evs = append(evs, events.PremiumExpired{DashboardUserID: id, SubscriptionIDs: ids(due), At: d.now})
	}
	if len(running) > 0 {
		evs = append(evs, events.PremiumRevoked{DashboardUserID: id, SubscriptionIDs: ids(running), Note: note, By: by, At: d.now})
	}
	if len(evs) == 0 {
		return nil, nil
	}
	return p.commit(v, evs...), nil
}

func ids(subs []*Subscription) []string {
	out := make([]string, len(subs))
	for i, s := range subs {
		out[i] = s.ID
	}
	return out
}
