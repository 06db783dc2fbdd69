package premium

import (
	"context"
	"math/big"
	"strings"

	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/commands/personnelpremium"
	dashpremium "github.com/cicero/cicero/commands/premium"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/sagas"
)

// dashboardPremium folds the user's premium aggregate as of the event and
// also returns the stream position of each request's PremiumRequested
// (the legacy request_id, as the premium read model numbers requests).
func dashboardPremium(ctx context.Context, h sagas.History) (dashpremium.Premium, map[string]uint64, error) {
	facts, err := h.Own(ctx)
	if err != nil {
		return dashpremium.Premium{}, nil, err
	}
	var p dashpremium.Premium
	ids := map[string]uint64{}
	for _, f := range facts {
		if r, ok := f.Payload.(*events.PremiumRequested); ok {
			ids[r.RequestToken] = f.Env.Position
		}
		p.Apply(f.Payload)
	}
	return p, ids, nil
}

// dashboardUser folds the dashboard user (stream ACCESS) as it stood when
// the premium event was recorded.
func dashboardUser(ctx context.Context, h sagas.History, id string) (dashuser.User, error) {
	facts, err := h.Load(ctx, events.DashboardUserSubject(id))
	if err != nil {
		return dashuser.User{}, err
	}
	u := dashuser.User{ID: id}
	for _, f := range facts {
		u.Apply(f.Payload)
	}
	return u, nil
}

// personnelPremium folds the person's premium aggregate as of the event.
func personnelPremium(ctx context.Context, h sagas.History) (personnelpremium.Premium, error) {
	facts, err := h.Own(ctx)
	if err != nil {
		return personnelpremium.Premium{}, err
	}
	var p personnelpremium.Premium
	for _, f := range facts {
		p.Apply(f.Payload)
	}
	return p, nil
}

// personOf folds the person (stream DIRECTORY) as it stood when the
// premium event was recorded: his number then is where the notice goes.
func personOf(ctx context.Context, h sagas.History, nrp string) (person.Person, error) {
	facts, err := h.Load(ctx, events.PersonSubject(nrp))
	if err != nil {
		return person.Person{}, err
	}
	p := person.Person{NRP: nrp}
	for _, f := range facts {
		p.Apply(f.Payload)
	}
	return p, nil
}

// requestedAt reports whether the message at pos also carried a new
// PremiumRequested (a stale request closed by the new one).
func requestedAt(ctx context.Context, h sagas.History, pos uint64) (bool, error) {
	facts, err := h.Own(ctx)
	if err != nil {
		return false, err
	}
	for _, f := range facts {
		if _, ok := f.Payload.(*events.PremiumRequested); ok && f.Env.Position == pos {
			return true, nil
		}
	}
	return false, nil
}

// rupiah is the legacy formatCurrencyId: "Rp " and the amount in id-ID
// digits (thousands ".", decimals "," up to three); "-" when there is no
// amount, the text itself when it is not a number.
func rupiah(amount string) string {
	amount = strings.TrimSpace(amount)
	if amount == "" {
		return "-"
	}
	// Exact decimal arithmetic: FloatString rounds halves away from zero,
	// as Intl.NumberFormat does, where a float would round 999.9995 down.
	v, ok := new(big.Rat).SetString(amount)
	if !ok {
		return amount
	}
	s := v.FloatString(3)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	frac = strings.TrimRight(frac, "0")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if frac != "" {
		out += "," + frac
	}
	if neg {
		out = "-" + out
	}
	return "Rp " + out
}
