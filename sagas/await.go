package sagas

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Deliveries lets a request whose answer depends on a message (the legacy
// "code sent" or "could not be sent") wait for it: the command appends its
// event, the saga puts the message in the outbox, a dispatcher sends it and
// records the outcome. It reads the outbox only.
type Deliveries struct {
	pool *pgxpool.Pool
	poll time.Duration
}

// NewDeliveries reads the outbox through pool.
func NewDeliveries(pool *pgxpool.Pool) *Deliveries {
	return &Deliveries{pool: pool, poll: 50 * time.Millisecond}
}

// Await waits until the message that event eventID made due to recipient
// is sent (sent true) or has failed for good (failure says why), or ctx
// ends (its error, wrapped). The message may not be in the outbox yet
// while its saga catches up. Retries of a failing send are waited out;
// bound ctx to bound them.
func (d *Deliveries) Await(ctx context.Context, eventID, recipient string) (sent bool, failure string, err error) {
	t := time.NewTicker(d.poll)
	defer t.Stop()
	for {
		var status string
		err := d.pool.QueryRow(ctx, `SELECT status, coalesce(last_error, '') FROM outbox
			WHERE event_id = $1 AND recipient = $2 AND status IN ('sent', 'failed')
			ORDER BY id LIMIT 1`, eventID, recipient).Scan(&status, &failure)
		switch {
		case err == nil:
			return status == StatusSent, failure, nil
		case !errors.Is(err, pgx.ErrNoRows):
			if ctx.Err() != nil {
				err = ctx.Err()
			}
			return false, "", fmt.Errorf("await delivery of %s: %w", eventID, err)
		}
		select {
		case <-ctx.Done():
			return false, "", fmt.Errorf("await delivery of %s: %w", eventID, ctx.Err())
		case <-t.C:
		}
	}
}

// Depth is the outbox's state for /ops: rows pending, sending and failed,
// and the age of the oldest pending one.
type Depth struct {
	Pending              int64   `json:"pending"`
	Sending              int64   `json:"sending"`
	Failed               int64   `json:"failed"`
	OldestPendingSeconds float64 `json:"oldest_pending_seconds"`
}

// Depth reads the outbox's depth.
func (d *Deliveries) Depth(ctx context.Context) (Depth, error) {
	var out Depth
	err := d.pool.QueryRow(ctx, `
		SELECT count(*) FILTER (WHERE status = 'pending'),
		       count(*) FILTER (WHERE status = 'sending'),
		       count(*) FILTER (WHERE status = 'failed'),
		       COALESCE(EXTRACT(EPOCH FROM now() - min(created_at) FILTER (WHERE status = 'pending')), 0)::float8
		FROM outbox WHERE status IN ('pending', 'sending', 'failed')`).Scan(&out.Pending, &out.Sending, &out.Failed, &out.OldestPendingSeconds)
	if err != nil {
		return Depth{}, fmt.Errorf("outbox depth: %w", err)
	}
	return out, nil
}
