package penmasuser

import (
	"context"
	"fmt"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
)

// reservation is the state of one username's reservation subject: who
// holds the name (empty: free). A name is never released.
type reservation struct {
	key    string
	holder string
}

func (r *reservation) apply(ev events.Payload) {
	if e, ok := ev.(*events.PenmasUsernameReserved); ok && r.holder == "" {
		r.holder = e.UserID
	}
}

func foldReservation(reg *events.Registry, key string, envs []events.Envelope) (reservation, error) {
	r := reservation{key: key}
	for i := range envs {
		ev, err := reg.Decode(&envs[i])
		if err != nil {
			return reservation{}, fmt.Errorf("load penmas username: %w", err)
		}
		r.apply(ev)
	}
	return r, nil
}

func loadReservation(ctx context.Context, l *commands.Loader, username string) (reservation, uint64, error) {
	key := events.PenmasUsernameKey(username)
	envs, v, err := l.Load(ctx, events.PenmasUsernameSubject(key))
	if err != nil {
		return reservation{}, 0, fmt.Errorf("load penmas username: %w", err)
	}
	r, err := foldReservation(l.Registry(), key, envs)
	return r, v, err
}

// reserve claims the (free) name for id, checked against version v.
func (r reservation) reserve(v uint64, id string) events.Commit {
	return events.Commit{Subject: events.PenmasUsernameSubject(r.key), AggregateID: r.key, Expected: v,
		Events: []events.Payload{events.PenmasUsernameReserved{UserID: id}}}
}
