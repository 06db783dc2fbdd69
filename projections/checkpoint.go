package projections

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cicero/cicero/events"
)

// ErrNotCaughtUp: WaitFor gave up before the projection passed a position.
// The error WaitFor returns then also matches context.DeadlineExceeded.
var ErrNotCaughtUp = errors.New("projection has not reached the position yet")

// db is what the checkpoint helpers need from a pool, a connection or a tx.
type db interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// ensureCheckpoints creates the missing checkpoint rows (position 0) of a
// projection, so that FOR UPDATE always has a row to lock.
func ensureCheckpoints(ctx context.Context, q db, projection string, streams []string) error {
	_, err := q.Exec(ctx, `INSERT INTO projection_checkpoints (projection, stream)
		SELECT $1, s FROM unnest($2::text[]) AS s ON CONFLICT DO NOTHING`, projection, streams)
	if err != nil {
		return fmt.Errorf("create checkpoints of %s: %w", projection, err)
	}
	return nil
}

// checkpoint is one stored checkpoint row. at (updated_at, the writing
// transaction's start time) tells two writes of the same position apart.
type checkpoint struct {
	pos uint64
	at  time.Time
}

// readCheckpoints returns stream → checkpoint of a projection. With lock it
// takes the rows FOR UPDATE: the handshake between a runner's batch, a
// stand-by taking over and a rebuild's swap.
func readCheckpoints(ctx context.Context, q db, projection string, streams []string, lock bool) (map[string]checkpoint, error) {
	sql := `SELECT stream, position, updated_at FROM projection_checkpoints WHERE projection = $1 AND stream = ANY($2)`
	if lock {
		sql += ` ORDER BY stream FOR UPDATE`
	}
	rows, err := q.Query(ctx, sql, projection, streams)
	if err != nil {
		return nil, fmt.Errorf("read checkpoints of %s: %w", projection, err)
	}
	out := make(map[string]checkpoint, len(streams))
	for rows.Next() {
		var s string
		var p int64
		var at time.Time
		if err := rows.Scan(&s, &p, &at); err != nil {
			return nil, fmt.Errorf("read checkpoints of %s: %w", projection, err)
		}
		out[s] = checkpoint{pos: uint64(p), at: at}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read checkpoints of %s: %w", projection, err)
	}
	return out, nil
}

// writeCheckpoints moves the given streams' checkpoints and returns the
// updated_at it stamped them with.
func writeCheckpoints(ctx context.Context, q db, projection string, pos map[string]uint64) (time.Time, error) {
	streams := make([]string, 0, len(pos))
	seqs := make([]int64, 0, len(pos))
	for s, p := range pos {
		streams = append(streams, s)
		seqs = append(seqs, int64(p))
	}
	var at time.Time
	err := q.QueryRow(ctx, `WITH moved AS (
			UPDATE projection_checkpoints AS c SET position = u.pos, updated_at = now()
			FROM unnest($2::text[], $3::bigint[]) AS u(stream, pos)
			WHERE c.projection = $1 AND c.stream = u.stream
			RETURNING c.updated_at)
		SELECT coalesce(max(updated_at), now()) FROM moved`, projection, streams, seqs).Scan(&at)
	if err != nil {
		return time.Time{}, fmt.Errorf("move checkpoints of %s: %w", projection, err)
	}
	return at, nil
}

// Checkpoints answers where projections stand, for read-your-writes and
// status pages. It only reads.
type Checkpoints struct {
	pool *pgxpool.Pool
	// Polling interval bounds for WaitFor.
	minPoll, maxPoll time.Duration
}

// NewCheckpoints reads checkpoints through pool.
func NewCheckpoints(pool *pgxpool.Pool) *Checkpoints {
	return &Checkpoints{pool: pool, minPoll: 2 * time.Millisecond, maxPoll: 25 * time.Millisecond}
}

// Position returns the last stream sequence the projection has applied in
// stream (0 when it has applied nothing or never ran).
func (c *Checkpoints) Position(ctx context.Context, projection, stream string) (uint64, error) {
	var p int64
	err := c.pool.QueryRow(ctx, `SELECT position FROM projection_checkpoints WHERE projection = $1 AND stream = $2`,
		projection, stream).Scan(&p)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("checkpoint of %s/%s: %w", projection, stream, err)
	}
	return uint64(p), nil
}

// WaitFor blocks until the projection's checkpoint has reached every given
// position (each in its own stream), for at most max. It returns nil once
// they are all passed, an error wrapping ErrNotCaughtUp and
// context.DeadlineExceeded when max runs out, or ctx's error.
//
// It polls the checkpoint rows (one indexed query for all positions, every
// 2 ms growing to 25 ms) rather than LISTEN/NOTIFY: a poll is a primary-key
// read, waits are bounded and rare, and it needs no long-lived listener
// connection that would have to survive Postgres restarts. Callers pass only
// positions in streams the projection reads (Manager.WaitFor filters them).
func (c *Checkpoints) WaitFor(ctx context.Context, projection string, positions []events.Position, max time.Duration) error {
	need := map[string]uint64{}
	for _, p := range positions {
		if p.Sequence > need[p.Stream] {
			need[p.Stream] = p.Sequence
		}
	}
	if len(need) == 0 {
		return nil
	}
	streams := make([]string, 0, len(need))
	for s := range need {
		streams = append(streams, s)
	}
	deadline := time.Now().Add(max)
	wait := c.minPoll
	for {
		have, err := readCheckpoints(ctx, c.pool, projection, streams, false)
		if err != nil {
			return err
		}
		behind := ""
		for s, seq := range need {
			if have[s].pos < seq {
				behind = fmt.Sprintf("%s at %d, want %d", s, have[s].pos, seq)
				break
			}
		}
		if behind == "" {
			return nil
		}
		left := time.Until(deadline)
		if left <= 0 {
			return fmt.Errorf("%s: %w (%s): %w", projection, ErrNotCaughtUp, behind, context.DeadlineExceeded)
		}
		t := time.NewTimer(min(wait, left))
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		wait = min(wait*2, c.maxPoll)
	}
}
