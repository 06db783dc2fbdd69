package dashuser

import (
	"context"
	"fmt"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
)

// reservation is the state of one username's reservation subject: who
// holds the name (empty: free). A name is never released; a rejected
// account keeps it, as the legacy row did.
type reservation struct {
	key    string
	holder string
}

func (r *reservation) apply(ev events.Payload) {
	if e, ok := ev.(*events.DashboardUsernameReserved); ok && r.holder == "" {
		r.holder = e.DashboardUserID
	}
}

func loadReservation(ctx context.Context, l *commands.Loader, username string) (reservation, uint64, error) {
	key := events.UsernameKey(username)
	envs, v, err := l.Load(ctx, events.UsernameSubject(key))
	if err != nil {
		return reservation{}, 0, fmt.Errorf("load username reservation: %w", err)
	}
	r := reservation{key: key}
	for i := range envs {
		ev, err := l.Registry().Decode(&envs[i])
		if err != nil {
			return reservation{}, 0, fmt.Errorf("load username reservation: %w", err)
		}
		r.apply(ev)
	}
	return r, v, nil
}

// reserve claims the (free) name for id, checked against version v.
func (r reservation) reserve(v uint64, id string) events.Commit {
	return events.Commit{Subject: events.UsernameSubject(r.key), AggregateID: r.key, Expected: v,
		Events: []events.Payload{events.DashboardUsernameReserved{DashboardUserID: id}}}
}
