package sagas

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Outbox statuses. A row moves pending → sending (claimed, under a lease) →
// sent | failed, or back to pending after a retryable failure or a shutdown.
const (
	StatusPending = "pending"
	StatusSending = "sending"
	StatusSent    = "sent"
	StatusFailed  = "failed"
)

// outboxRow is one message as stored (or about to be stored) in the outbox.
type outboxRow struct {
	ID        int64
	Saga      string
	EventID   string
	Recipient string
	Channel   string
	Content   Content
	Attempts  int
	// Recovering: the row was claimed from 'sending' after its lease ran
	// out, so an earlier dispatcher may have sent it already.
	Recovering bool
}

func (r outboxRow) message() Message {
	return Message{Channel: r.Channel, Recipient: r.Recipient, Content: r.Content}
}

// idempotencyKey is the same for every attempt at one message, and even for
// a row re-created from history, since it hashes the outbox key itself.
func (r outboxRow) idempotencyKey() string { return MessageKey(r.Saga, r.EventID, r.Recipient) }

// MessageKey is the idempotency key of the message saga owes recipient for
// event eventID: what an adapter hands the peer (the e-mail Message-ID,
// the WhatsApp message id) and what the outcome's event ids derive from.
func MessageKey(saga, eventID, recipient string) string {
	h := sha256.Sum256([]byte(saga + "\x00" + eventID + "\x00" + recipient))
	return hex.EncodeToString(h[:16])
}

// insertOutbox adds rows in one statement; rows already there (a replay)
// are left untouched.
func insertOutbox(ctx context.Context, tx pgx.Tx, rows []outboxRow) error {
	if len(rows) == 0 {
		return nil
	}
	// A batch comes from one saga; the column arrays keep it to one round trip.
	sagas := make([]string, len(rows))
	eventIDs := make([]string, len(rows))
	recipients := make([]string, len(rows))
	channels := make([]string, len(rows))
	payloads := make([]string, len(rows))
	for i, r := range rows {
		b, err := json.Marshal(r.Content)
		if err != nil {
			return fmt.Errorf("encode outbox payload: %w", err)
		}
		sagas[i], eventIDs[i], recipients[i], channels[i], payloads[i] = r.Saga, r.EventID, r.Recipient, r.Channel, string(b)
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO outbox (saga, event_id, recipient, channel, payload)
		SELECT s, e, r, c, p::jsonb
		FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u(s, e, r, c, p)
		ON CONFLICT (saga, event_id, recipient) DO NOTHING`,
		sagas, eventIDs, recipients, channels, payloads)
	if err != nil {
		return fmt.Errorf("insert %d outbox rows: %w", len(rows), err)
	}
	return nil
}

// outbox is the dispatcher's view of the table. Times come from the
// database clock so that leases mean the same on every instance.
type outbox struct {
	pool *pgxpool.Pool
}

// claim takes the oldest due row of a channel — pending and due, or sending
// with an expired lease — marks it sending under a fresh lease and counts the
// attempt, in one committed statement. SKIP LOCKED lets many dispatchers
// claim side by side. For a sending row next_attempt_at equals the lease end,
// so one index serves both kinds of due row.
func (o outbox) claim(ctx context.Context, channel string, lease time.Duration) (outboxRow, bool, error) {
	var r outboxRow
	var payload []byte
	err := o.pool.QueryRow(ctx, `
		WITH due AS (
			SELECT id, status FROM outbox
			WHERE channel = $1 AND status IN ('pending', 'sending') AND next_attempt_at <= now()
			ORDER BY next_attempt_at, id
			LIMIT 1
			FOR UPDATE SKIP LOCKED
		)
		UPDATE outbox o
		SET status = 'sending', attempts = o.attempts + 1,
		    claimed_until = now() + $2::bigint * interval '1 millisecond',
		    next_attempt_at = now() + $2::bigint * interval '1 millisecond'
		FROM due WHERE o.id = due.id
		RETURNING o.id, o.saga, o.event_id, o.recipient, o.channel, o.payload, o.attempts, due.status = 'sending'`,
		channel, lease.Milliseconds()).
		Scan(&r.ID, &r.Saga, &r.EventID, &r.Recipient, &r.Channel, &payload, &r.Attempts, &r.Recovering)
	if errors.Is(err, pgx.ErrNoRows) {
		return outboxRow{}, false, nil
	}
	if err != nil {
		return outboxRow{}, false, fmt.Errorf("claim %s outbox row: %w", channel, err)
	}
	if err := json.Unmarshal(payload, &r.Content); err != nil {
		return outboxRow{}, false, fmt.Errorf("decode outbox row %d payload: %w", r.ID, err)
	}
	return r, true, nil
}

// finish records the final state that the row's outcome event states. It is
// not fenced by the claim: the event is the authority, whoever copies it.
func (o outbox) finish(ctx context.Context, id int64, status, lastError string) error {
	_, err := o.pool.Exec(ctx, `
		UPDATE outbox
		SET status = $2, claimed_until = NULL, last_error = NULLIF($3, ''),
		    sent_at = CASE WHEN $2 = 'sent' THEN now() END
		WHERE id = $1 AND status = 'sending'`, id, status, lastError)
	if err != nil {
		return fmt.Errorf("finish outbox row %d: %w", id, err)
	}
	return nil
}

// retry puts a claimed row back to pending after a retryable failure. The
// attempts fence makes a stale dispatcher (whose lease ran out and whose
// row was claimed again) change nothing.
func (o outbox) retry(ctx context.Context, r outboxRow, after time.Duration, lastError string) error {
	_, err := o.pool.Exec(ctx, `
		UPDATE outbox
		SET status = 'pending', claimed_until = NULL, last_error = $3,
		    next_attempt_at = now() + $4::bigint * interval '1 millisecond'
		WHERE id = $1 AND attempts = $2 AND status = 'sending'`,
		r.ID, r.Attempts, lastError, after.Milliseconds())
	if err != nil {
		return fmt.Errorf("reschedule outbox row %d: %w", r.ID, err)
	}
	return nil
}

// release hands a claimed row back at shutdown without counting the attempt.
func (o outbox) release(ctx context.Context, r outboxRow) error {
	_, err := o.pool.Exec(ctx, `
		UPDATE outbox
		SET status = 'pending', claimed_until = NULL, attempts = attempts - 1, next_attempt_at = now()
		WHERE id = $1 AND attempts = $2 AND status = 'sending'`, r.ID, r.Attempts)
	if err != nil {
		return fmt.Errorf("release outbox row %d: %w", r.ID, err)
	}
	return nil
}

// PruneOutbox deletes the outbox rows that finished (sent or failed) before
// before, oldest first, in batches of batch rows (0: 10 000), and returns
// how many went. Pending and sending rows are never pruned. A pruned row is
// never sent again: the sagas skip events older than their MaxAge, which
// the wiring keeps shorter than the retention, and an outcome stays in the
// MESSAGING history for good.
func PruneOutbox(ctx context.Context, pool *pgxpool.Pool, before time.Time, batch int) (int64, error) {
	if batch <= 0 {
		batch = 10000
	}
	var total int64
	for {
		tag, err := pool.Exec(ctx, `DELETE FROM outbox WHERE id IN (
			SELECT id FROM outbox WHERE status IN ('sent', 'failed') AND created_at < $1
			ORDER BY created_at LIMIT $2)`, before, batch)
		total += tag.RowsAffected()
		if err != nil {
			return total, fmt.Errorf("prune outbox: %w", err)
		}
		if tag.RowsAffected() < int64(batch) {
			return total, nil
		}
	}
}
