package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// Every audit read is itself logged, in the Postgres table audit_reads,
// before its answer is sent; a read that cannot be logged is refused.
// Why a table and not an event: reading is not a fact about any aggregate
// (no decision ever depends on it), the read side may not issue commands,
// and auditors page through thousands of events, so read traffic would
// otherwise swamp the histories it reads. The table is insert-only for the
// application (no code updates or deletes it) and is listed by
// GET /api/audit/reads and `cicero events reads`.

// ReadEntry is one logged read.
type ReadEntry struct {
	ID      int64          `json:"id"`
	At      time.Time      `json:"at"`
	Actor   string         `json:"actor"`
	Channel string         `json:"channel"`
	Query   string         `json:"query"`
	Params  map[string]any `json:"params"`
	Results int            `json:"results"`
}

// LogRead records that actor, through channel, ran query with params and
// got results items back.
func (s *Service) LogRead(ctx context.Context, actor, channel, query string, params map[string]any, results int) error {
	if params == nil {
		params = map[string]any{}
	}
	b, err := json.Marshal(params)
	if err != nil {
		return fmt.Errorf("log audit read: %w", err)
	}
	if _, err := s.Pool.Exec(ctx, `INSERT INTO audit_reads (actor, channel, query, params, results) VALUES ($1, $2, $3, $4, $5)`,
		actor, channel, query, b, results); err != nil {
		return fmt.Errorf("log audit read: %w", err)
	}
	return nil
}

// Reads lists logged reads newest first, at most limit, before id before
// (0: from the newest).
func (s *Service) Reads(ctx context.Context, before int64, limit int) ([]ReadEntry, error) {
	rows, err := s.Pool.Query(ctx, `SELECT id, at, actor, channel, query, params, results FROM audit_reads
		WHERE $1 = 0 OR id < $1 ORDER BY id DESC LIMIT $2`, before, limit)
	if err != nil {
		return nil, fmt.Errorf("audit reads: %w", err)
	}
	defer rows.Close()
	out := []ReadEntry{}
	for rows.Next() {
		var e ReadEntry
		var params []byte
		if err := rows.Scan(&e.ID, &e.At, &e.Actor, &e.Channel, &e.Query, &params, &e.Results); err != nil {
			return nil, fmt.Errorf("audit reads: %w", err)
		}
		if err := json.Unmarshal(params, &e.Params); err != nil {
			return nil, fmt.Errorf("audit reads: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
