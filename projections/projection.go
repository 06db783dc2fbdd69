// Package projections builds Postgres read models from the event streams.
// A projection is a name, the streams it reads, the tables it owns and an
// Apply that writes one batch; the Runner moves its checkpoint in the same
// transaction, so a crash or redelivery never double counts.
package projections

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/cicero/cicero/events"
)

// Tables maps a projection's logical table names to the physical tables a
// run writes: the live ones normally, shadow copies during a rebuild.
type Tables map[string]string

// Projection is one read model (or one saga: sagas reuse the runner and own
// no tables).
type Projection interface {
	// Name is unique; it keys checkpoints and the single-instance lock.
	Name() string
	// Streams are the event streams it reads.
	Streams() []string
	// Tables are the tables it owns (rebuilt into shadows and swapped).
	// It writes no other table.
	Tables() []string
	// EventTypes are the event types Apply acts on; other events of its
	// streams only move its checkpoint. The wiring holds them against the
	// registry, so every event type has a consumer or a stated reason for
	// none (cmd/cicero TestEveryEventHasAConsumer).
	EventTypes() []string
	// Apply writes one batch of events (already upcast, in stream order)
	// inside tx, set-based where it can. It must not commit.
	Apply(ctx context.Context, tx pgx.Tx, t Tables, batch []events.Envelope) error
}
