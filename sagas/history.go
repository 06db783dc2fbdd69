package sagas

import (
	"context"
	"fmt"

	"github.com/cicero/cicero/events"
)

// HistoryStore reads an aggregate's history (*events.Store, whose cache
// keeps a long history from being read again for every event decided).
type HistoryStore interface {
	Load(ctx context.Context, subject string) ([]events.Envelope, uint64, error)
	// LoadAtLeast is Load that never returns a history older than min.
	LoadAtLeast(ctx context.Context, subject string, min uint64) ([]events.Envelope, uint64, error)
	// LoadFrom reads the server's messages from sequence from on, around
	// the cache: each with the time the server recorded it.
	LoadFrom(ctx context.Context, subject string, from uint64) ([]events.Envelope, uint64, error)
}

// Fact is one event of a history, with its decoded payload.
type Fact struct {
	Env     events.Envelope
	Payload events.Payload
}

// History is the event store as it stood when the event being decided was
// recorded. Events never change and are only appended, so a replay reads
// exactly what the first run read, and DecideAt decides the same.
type History struct {
	store HistoryStore
	reg   *events.Registry
	at    events.Envelope
}

// Load returns the facts of subject, oldest first, as of the decided event:
//   - a subject in the event's own stream up to the event's stream position,
//     including every event of the message that carried it (a commit lands
//     whole: an account created already approved is one message);
//   - a subject of another stream (positions of two streams do not compare)
//     up to the event's recorded time, which the server assigns in order.
//
// The event's own subject is read at least up to the event (a replica
// behind it is waited for, then the leader asked). Another subject is read
// as the store answers: in a replicated cluster a lagging replica could
// answer with less than was recorded by then (milliseconds); the embedded
// server has no replicas.
//
// A subject of another stream is read from the server, not through the
// store's cache: times are compared there, and an event this process
// appended sits in the cache with the time its append returned (later
// than the server's by the ack's round trip, or off by the clock skew
// between this host and the server). Through the cache, a change recorded
// just before the event could be left out on the first run and be back in
// on a replay in a fresh process: another decision, another recipient.
func (h History) Load(ctx context.Context, subject string) ([]Fact, error) {
	same := events.StreamOf(subject) == h.at.Stream
	var envs []events.Envelope
	var err error
	switch {
	case subject == h.at.Subject:
		envs, _, err = h.store.LoadAtLeast(ctx, subject, h.at.Position)
	case same:
		envs, _, err = h.store.Load(ctx, subject)
	default:
		envs, _, err = h.store.LoadFrom(ctx, subject, 1)
	}
	if err != nil {
		return nil, fmt.Errorf("history of %s: %w", subject, err)
	}
	out := make([]Fact, 0, len(envs))
	for i := range envs {
		env := envs[i] // a copy: decoding must not touch the store's cache
		if (same && env.Position > h.at.Position) || (!same && env.RecordedAt.After(h.at.RecordedAt)) {
			break
		}
		p, err := h.reg.Decode(&env)
		if err != nil {
			return nil, fmt.Errorf("history of %s: %w", subject, err)
		}
		out = append(out, Fact{Env: env, Payload: p})
	}
	return out, nil
}

// Own is Load of the decided event's own subject: its aggregate's history
// up to (and with) the message that carried the event.
func (h History) Own(ctx context.Context) ([]Fact, error) { return h.Load(ctx, h.at.Subject) }
