package sagas

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Failure is an outbox row that failed (a dead letter) or whose last
// attempt failed and waits for a retry (a MessageFailed was recorded).
type Failure struct {
	ID        int64     `json:"id"`
	Saga      string    `json:"saga"`
	Channel   string    `json:"channel"`
	Recipient string    `json:"recipient"` // masked: the last four characters only
	Status    string    `json:"status"`
	Attempts  int       `json:"attempts"`
	LastError string    `json:"last_error"`
	CreatedAt time.Time `json:"created_at"`
}

// RecentFailures lists the newest outbox rows that failed or whose last
// attempt failed, at most limit, for /ops. Recipients (phone numbers,
// addresses) are masked.
func (d *Deliveries) RecentFailures(ctx context.Context, limit int) ([]Failure, error) {
	rows, err := d.pool.Query(ctx, `SELECT id, saga, channel, recipient, status, attempts, coalesce(last_error, ''), created_at
		FROM outbox WHERE status = 'failed' OR (status IN ('pending', 'sending') AND last_error IS NOT NULL)
		ORDER BY id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("outbox failures: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Failure, error) {
		var f Failure
		err := r.Scan(&f.ID, &f.Saga, &f.Channel, &f.Recipient, &f.Status, &f.Attempts, &f.LastError, &f.CreatedAt)
		f.Recipient = mask(f.Recipient)
		return f, err
	})
	if err != nil {
		return nil, fmt.Errorf("outbox failures: %w", err)
	}
	return out, nil
}

func mask(s string) string {
	r := []rune(s)
	if len(r) <= 4 {
		return "…"
	}
	return "…" + string(r[len(r)-4:])
}
