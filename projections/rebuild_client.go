package projections

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cicero/cicero/events"
)

// ClientPartition is a projection whose rows of one client can be rebuilt
// while the other clients' rows keep serving: the client's rows are built
// only from the events of some aggregates (the client's own, its personnel,
// the posts in its feed), and the projection can take back what those
// aggregates' events contributed.
type ClientPartition interface {
	Projection
	// ClientKinds are the subject kinds (the subject without its id token,
	// "directory.person") of the aggregates that build a client's rows; a
	// kind ending in ".>" names every kind below it ("amplify.report.>").
	ClientKinds() []string
	// ForgetSubjects removes, in tx, everything the events of subjects
	// contributed to the tables t, so that applying those events again
	// (in stream order) restores it. subjects are all of client's (the
	// client as the caller typed it): rows that only client's aggregates
	// build may be removed by the client's id.
	ForgetSubjects(ctx context.Context, tx pgx.Tx, t Tables, client string, subjects []string) error
	// SettleSubjects runs after the replay, in tx: figures that several
	// aggregates share (counts over many posts) are recomputed from the
	// rows, so they come out right even when they were wrong before.
	SettleSubjects(ctx context.Context, tx pgx.Tx, t Tables, subjects []string) error
}

// SubjectsOfClient lists the subjects of kinds whose events named client,
// as of at least the given stream positions (it errors when its index is
// behind them). The wiring passes the audit index.
type SubjectsOfClient func(ctx context.Context, tx pgx.Tx, client string, kinds []string, atLeast map[string]uint64) ([]string, error)

// ErrNotPartitioned: the projection cannot rebuild one client's rows.
var ErrNotPartitioned = errors.New("this projection cannot be rebuilt per client")

// ClientRebuild is what RebuildClient did.
type ClientRebuild struct {
	Subjects int
	Events   int
}

// RebuildClient rebuilds one client's rows of p in the live tables, in one
// transaction: it locks p's checkpoint rows (the live runner's next batch
// waits), finds the client's aggregates, takes back what their events
// contributed and applies their events again, up to the checkpoint, with
// p's own Apply. Readers see the old rows until the commit and the new ones
// after it; other clients' rows are never touched. The checkpoint keeps its
// positions; its stamp moves, so a live runner that kept rows in memory
// (Retainer) notices, forgets them and continues from the same position.
//
// progress, when not nil, is called inside the transaction after each
// replayed batch with the events applied so far and their total.
func RebuildClient(ctx context.Context, pool *pgxpool.Pool, store *events.Store, p Projection, client string, find SubjectsOfClient,
	progress func(done, total int)) (ClientRebuild, error) {
	var out ClientRebuild
	cp, ok := p.(ClientPartition)
	if !ok {
		return out, fmt.Errorf("rebuild %s --client: %w", p.Name(), ErrNotPartitioned)
	}
	name := p.Name()
	if err := ensureCheckpoints(ctx, pool, name, p.Streams()); err != nil {
		return out, err
	}
	tx, err := pool.Begin(ctx)
	if err != nil {
		return out, fmt.Errorf("rebuild %s --client %s: %w", name, client, err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // no-op after commit
	if _, err := tx.Exec(ctx, `SET LOCAL lock_timeout = '30s'`); err != nil {
		return out, err
	}
	ckpt, err := readCheckpoints(ctx, tx, name, p.Streams(), true)
	if err != nil {
		return out, err
	}
	pos := make(map[string]uint64, len(ckpt))
	for s, c := range ckpt {
		pos[s] = c.pos
	}
	subjects, err := find(ctx, tx, client, cp.ClientKinds(), pos)
	if err != nil {
		return out, fmt.Errorf("rebuild %s --client %s: %w", name, client, err)
	}
	live := Tables{}
	for _, t := range p.Tables() {
		live[t] = t
	}
	if err := cp.ForgetSubjects(ctx, tx, live, client, subjects); err != nil {
		return out, fmt.Errorf("rebuild %s --client %s: forget: %w", name, client, err)
	}
	var envs []events.Envelope
	for _, s := range subjects {
		upTo, ok := pos[events.StreamOf(s)]
		if !ok || upTo == 0 {
			continue
		}
		h, _, err := store.LoadUpTo(ctx, s, upTo)
		if err != nil {
			return out, fmt.Errorf("rebuild %s --client %s: %w", name, client, err)
		}
		envs = append(envs, h...)
	}
	slices.SortFunc(envs, func(a, b events.Envelope) int {
		return cmp.Or(cmp.Compare(a.Stream, b.Stream), cmp.Compare(a.Position, b.Position), cmp.Compare(a.Index, b.Index))
	})
	// A subject's history is its own, but be safe against one listed twice.
	envs = slices.CompactFunc(envs, func(a, b events.Envelope) bool {
		return a.Stream == b.Stream && a.Position == b.Position && a.Index == b.Index
	})
	// The live runner may have kept rows of this transaction's tables in
	// memory; Apply here must read the tables, not that memory.
	forget(p)
	defer forget(p)
	for start := 0; start < len(envs); start += rebuildBatch {
		batch := envs[start:min(start+rebuildBatch, len(envs))]
		if err := p.Apply(ctx, tx, live, batch); err != nil {
			return out, fmt.Errorf("rebuild %s --client %s: replay: %w", name, client, err)
		}
		if progress != nil {
			progress(start+len(batch), len(envs))
		}
	}
	if err := cp.SettleSubjects(ctx, tx, live, subjects); err != nil {
		return out, fmt.Errorf("rebuild %s --client %s: settle: %w", name, client, err)
	}
	if _, err := writeCheckpoints(ctx, tx, name, pos); err != nil {
		return out, err
	}
	if err := tx.Commit(ctx); err != nil {
		return out, fmt.Errorf("rebuild %s --client %s: commit: %w", name, client, err)
	}
	return ClientRebuild{Subjects: len(subjects), Events: len(envs)}, nil
}
