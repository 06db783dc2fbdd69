package commands

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// PGCommandLog keeps command outcomes in Postgres (table command_log).
type PGCommandLog struct {
	pool *pgxpool.Pool
}

// NewPGCommandLog returns a command log over pool.
func NewPGCommandLog(pool *pgxpool.Pool) *PGCommandLog { return &PGCommandLog{pool: pool} }

// Get returns the recorded outcome of commandID.
func (l *PGCommandLog) Get(ctx context.Context, commandID string) (Outcome, bool, error) {
	var raw []byte
	err := l.pool.QueryRow(ctx, `SELECT outcome FROM command_log WHERE command_id = $1`, commandID).Scan(&raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return Outcome{}, false, nil
	}
	if err != nil {
		return Outcome{}, false, fmt.Errorf("get command %s: %w", commandID, err)
	}
	var o Outcome
	if err := json.Unmarshal(raw, &o); err != nil {
		return Outcome{}, false, fmt.Errorf("decode outcome of %s: %w", commandID, err)
	}
	return o, true, nil
}

// Put records the outcome once; the first outcome wins. The row is written
// without waiting for Postgres' fsync: the events themselves are durable in
// JetStream, and a row lost in a crash only means a retry re-decides, which
// the aggregates answer idempotently. One statement (the setting is local to
// its implicit transaction) keeps it to one round trip and one parse.
func (l *PGCommandLog) Put(ctx context.Context, commandID, command string, o Outcome) error {
	raw, err := json.Marshal(o)
	if err != nil {
		return fmt.Errorf("encode outcome: %w", err)
	}
	_, err = l.pool.Exec(ctx, `WITH async AS (SELECT set_config('synchronous_commit', 'off', true))
INSERT INTO command_log (command_id, command, outcome) SELECT $1, $2, $3 FROM async
ON CONFLICT (command_id) DO NOTHING`, commandID, command, raw)
	if err != nil {
		return fmt.Errorf("put command %s: %w", commandID, err)
	}
	return nil
}
