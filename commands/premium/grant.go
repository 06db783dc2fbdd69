package premium

import (
	"context"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
)

// GrantPremium gives a dashboard user premium without a request
// (`cicero admin premium grant --username U --tier T --days N`, the admin
// API). Tier is required and must be one of the handler's allowed tiers;
// the expiry is ExpiresAt (after now) or the end of the Asia/Jakarta day
// on which now + Days×24 h falls (Days 0: 30) — so "--days 30" on
// 2 March 10:00 WIB runs until 1 April 24:00 WIB. A grant while another
// subscription runs adds one; the snapshot shows the one ending last.
// An open request of the user is left as it is.
// Refusals: Forbidden "Forbidden" unless By is an admin; Invalid
// "dashboard_user_id tidak valid"; NotFound "pengguna dashboard tidak
// ditemukan"; Invalid for tier, expires_at or days.
type GrantPremium struct {
	DashboardUserID string     `json:"dashboard_user_id"`
	Tier            string     `json:"tier"`
	ExpiresAt       *time.Time `json:"expires_at,omitempty"`
	Days            int        `json:"days,omitempty"`
	By              Actor      `json:"by"`
	// StartsAt backdates the subscription to when it began elsewhere
	// (`cicero import-v2`); not after now. A subscription with the same
	// tier, start and expiry is already recorded: nothing is appended,
	// so an import repeated after its command-log rows were lost does not
	// grant twice.
	StartsAt *time.Time `json:"starts_at,omitempty"`
}

func (cmd GrantPremium) decide(ctx context.Context, l *commands.Loader, d decision) ([]events.Commit, error) {
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
	u, _, err := dashuser.Load(ctx, l, id)
	if err != nil {
		return nil, err
	}
	if !u.Registered {
		return nil, &apperr.Error{Code: apperr.NotFound, Field: "dashboard_user_id", Message: msgUserNotFound}
	}
	g := grant{tier: cmd.Tier, expiresAt: cmd.ExpiresAt, days: cmd.Days, by: by, byWhatsApp: cmd.By.WhatsApp}
	ev, err := g.event(p, v, d)
	if err != nil {
		return nil, err
	}
	if cmd.StartsAt != nil {
		start := cmd.StartsAt.UTC().Truncate(time.Microsecond)
		if start.After(d.now) {
			return nil, invalid("starts_at", msgStartsInFuture)
		}
		ev.StartsAt = start
		for _, s := range p.Subscriptions {
			if s.Tier == ev.Tier && s.StartsAt.Equal(ev.StartsAt) && s.ExpiresAt.Equal(ev.ExpiresAt) {
				return nil, nil
			}
		}
	}
	return p.commit(v, ev), nil
}
