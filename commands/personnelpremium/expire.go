package personnelpremium

import (
	"context"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
)

// ExpirePremium is the expiry job's command for one person (legacy
// cronPremiumExpiry; candidates from PersonnelPremiumQueries.Due): an
// active premium whose end is at or before now ends (premium_status false,
// premium_end_date cleared, as the legacy job did). Idempotent on state:
// premium not active, or not yet due, appends nothing, so a clock running
// behind the read model's or a repeated run is harmless. Refusal: Invalid
// "user_id tidak valid".
type ExpirePremium struct {
	UserID string `json:"user_id"`
}

func (cmd ExpirePremium) decide(ctx context.Context, l *commands.Loader, d decision) ([]events.Commit, error) {
	nrp, err := parseNRP(cmd.UserID, invalid("user_id", msgUserIDInvalid))
	if err != nil {
		return nil, err
	}
	p, v, err := Load(ctx, l, nrp)
	if err != nil {
		return nil, err
	}
	if !p.Due(d.now) {
		return nil, nil
	}
	return p.commit(v, events.PersonnelPremiumExpired{UserID: nrp, ExpiredAt: d.now}), nil
}
