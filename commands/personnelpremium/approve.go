package personnelpremium

import (
	"context"
	"fmt"
	"strings"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
)

// ApproveRequest is an admin's approval of a pending request (WhatsApp
// grantsub#<id>, POST /api/premium-requests/:id/approve). The person gets
// premium until now + Days days (0: 30, the legacy period), or keeps a
// running premium that already ends later: an approval never shortens what
// the person has (the legacy command overwrote the end date).
//
// Refusals, first to last: Forbidden "Forbidden" unless By is an admin;
// Invalid "user_id tidak valid"; Invalid "Request <id> tidak valid." when
// the request is unknown or not pending (the legacy reply); Invalid "days
// harus lebih dari 0" / "days maksimal 3650".
type ApproveRequest struct {
	UserID    string `json:"user_id"`
	RequestID string `json:"request_id"`
	Days      int    `json:"days,omitempty"`
	By        Actor  `json:"by"`
	// RequestVersion, when set, must be the request's Version: the details
	// changed since the admin looked → commands.ErrConflict (409).
	RequestVersion *uint64 `json:"request_version,omitempty"`
}

func (cmd ApproveRequest) decide(ctx context.Context, l *commands.Loader, d decision) ([]events.Commit, error) {
	by, err := cmd.By.admin(d.actor)
	if err != nil {
		return nil, err
	}
	nrp, err := parseNRP(cmd.UserID, invalid("user_id", msgUserIDInvalid))
	if err != nil {
		return nil, err
	}
	days := cmd.Days
	switch {
	case days < 0:
		return nil, invalid("days", msgDaysInvalid)
	case days > MaxGrantDays:
		return nil, invalid("days", fmt.Sprintf(msgDaysTooLarge, MaxGrantDays))
	case days == 0:
		days = DefaultGrantDays
	}
	p, v, r, err := loadPending(ctx, l, nrp, cmd.RequestID, cmd.RequestVersion)
	if err != nil {
		return nil, err
	}
	end := d.now.AddDate(0, 0, days)
	if p.Active && p.EndDate != nil && p.EndDate.After(end) {
		end = *p.EndDate
	}
	return p.commit(v, events.PersonnelPremiumGranted{UserID: nrp, RequestID: r.ID, ExpiresAt: end, By: by}), nil
}

// loadPending loads the person's premium and the pending request rawID
// names; anything else is the legacy "Request <id> tidak valid.".
func loadPending(ctx context.Context, l *commands.Loader, nrp, rawID string, version *uint64) (Premium, uint64, *Request, error) {
	bad := invalid("request_id", fmt.Sprintf(msgRequestInvalid, strings.TrimSpace(rawID)))
	id, ok := parseID(rawID)
	if !ok {
		return Premium{}, 0, nil, bad
	}
	p, v, err := Load(ctx, l, nrp)
	if err != nil {
		return Premium{}, 0, nil, err
	}
	r := p.Request(id)
	if r == nil || r.Status != events.PersonnelRequestPending {
		return Premium{}, 0, nil, bad
	}
	if version != nil && *version != r.Version {
		return Premium{}, 0, nil, commands.ErrConflict
	}
	return p, v, r, nil
}
