package projections

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cicero/cicero/events"
)

// Manager runs a set of projections, one Runner each, and answers what
// /ops, /readyz and read-your-writes need about them.
type Manager struct {
	pool    *pgxpool.Pool
	store   *events.Store
	runners []*Runner
	byName  map[string]*Runner
	ckpt    *Checkpoints
}

// Status is where one projection stands in one stream.
type Status struct {
	Projection string  `json:"projection"`
	Stream     string  `json:"stream"`
	Checkpoint uint64  `json:"checkpoint"`
	Head       uint64  `json:"head"`
	LagEvents  uint64  `json:"lag_events"`
	LagSeconds float64 `json:"lag_seconds"`
	// Active is true when this process holds the projection's lock.
	Active bool `json:"active"`
}

// NewManager builds a runner per projection with the same options. Names
// must be unique.
func NewManager(pool *pgxpool.Pool, store *events.Store, opts RunnerOptions, ps ...Projection) (*Manager, error) {
	m := &Manager{pool: pool, store: store, byName: map[string]*Runner{}, ckpt: NewCheckpoints(pool)}
	for _, p := range ps {
		if _, dup := m.byName[p.Name()]; dup {
			return nil, fmt.Errorf("projection %s registered twice", p.Name())
		}
		r := NewRunner(pool, store, p, opts)
		m.runners = append(m.runners, r)
		m.byName[p.Name()] = r
	}
	return m, nil
}

// Run runs every projection until ctx ends.
func (m *Manager) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	for _, r := range m.runners {
		wg.Go(func() { _ = r.Run(ctx) })
	}
	wg.Wait()
	return nil
}

// Checkpoints gives read access to the checkpoints.
func (m *Manager) Checkpoints() *Checkpoints { return m.ckpt }

// Names lists the managed projections in registration order.
func (m *Manager) Names() []string {
	out := make([]string, len(m.runners))
	for i, r := range m.runners {
		out[i] = r.Name()
	}
	return out
}

// WaitFor is Checkpoints.WaitFor for a managed projection, ignoring
// positions in streams the projection does not read (a write may touch
// several contexts; a read waits only for its own).
func (m *Manager) WaitFor(ctx context.Context, projection string, positions []events.Position, max time.Duration) error {
	r, ok := m.byName[projection]
	if !ok {
		return fmt.Errorf("unknown projection %q", projection)
	}
	streams := r.p.Streams()
	var mine []events.Position
	for _, p := range positions {
		if slices.Contains(streams, p.Stream) {
			mine = append(mine, p)
		}
	}
	return m.ckpt.WaitFor(ctx, projection, mine, max)
}

// WaitForAll waits, within one bound max, until every managed projection
// that reads one of the positions' streams has passed them: the
// read-your-writes wait of a read that does not name its read model.
func (m *Manager) WaitForAll(ctx context.Context, positions []events.Position, max time.Duration) error {
	deadline := time.Now().Add(max)
	for _, r := range m.runners {
		if err := m.WaitFor(ctx, r.Name(), positions, time.Until(deadline)); err != nil {
			return err
		}
	}
	return nil
}

// Status reports every projection's checkpoint, stream head and lag, read
// fresh from Postgres and JetStream (so it is right on stand-by instances
// too). An error means one of them is unreachable: readyz fails on it.
func (m *Manager) Status(ctx context.Context) ([]Status, error) {
	var out []Status
	for _, r := range m.runners {
		streams := r.p.Streams()
		pos, err := readCheckpoints(ctx, m.pool, r.Name(), streams, false)
		if err != nil {
			return nil, err
		}
		for _, s := range streams {
			cp := pos[s].pos
			head, secs, err := streamLag(ctx, m.store, s, cp)
			if err != nil {
				return nil, fmt.Errorf("status of %s: %w", r.Name(), err)
			}
			out = append(out, Status{Projection: r.Name(), Stream: s, Checkpoint: cp, Head: head,
				LagEvents: head - min(cp, head), LagSeconds: secs, Active: r.Active()})
		}
	}
	return out, nil
}
