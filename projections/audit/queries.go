package audit

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cicero/cicero/projections"
)

// EventRef is one row of audit_events: where an event lies and its
// envelope's searchable fields.
type EventRef struct {
	Stream     string
	Position   uint64
	Index      int
	EventID    string
	Type       string
	Subject    string
	Actor      string
	Channel    string
	Clients    []string
	OccurredAt time.Time
	RecordedAt time.Time
}

// Cursor is where a page ended: the last event's record time and stream
// position. Pages are ordered by record time, then stream, position and
// index, so a cursor stays valid while events are appended.
type Cursor struct {
	RecordedAt time.Time
	Stream     string
	Position   uint64
	Index      int
}

// String encodes the cursor as one opaque token (for next_cursor).
func (c Cursor) String() string {
	return fmt.Sprintf("%d.%s.%d.%d", c.RecordedAt.UnixMicro(), c.Stream, c.Position, c.Index)
}

// ParseCursor reads what Cursor.String wrote.
func ParseCursor(s string) (Cursor, error) {
	p := strings.Split(s, ".")
	if len(p) != 4 || p[1] == "" {
		return Cursor{}, fmt.Errorf("cursor %q is malformed", s)
	}
	us, err1 := strconv.ParseInt(p[0], 10, 64)
	pos, err2 := strconv.ParseUint(p[2], 10, 64)
	idx, err3 := strconv.Atoi(p[3])
	if err1 != nil || err2 != nil || err3 != nil || idx < 0 {
		return Cursor{}, fmt.Errorf("cursor %q is malformed", s)
	}
	return Cursor{RecordedAt: time.UnixMicro(us).UTC(), Stream: p[1], Position: pos, Index: idx}, nil
}

// Filter selects events across streams. Zero fields do not filter.
type Filter struct {
	Streams []string
	Types   []string
	Actor   string
	Channel string
	Client  string
	Subject string
	// Since and Until bound the business time (occurred_at), inclusive.
	Since, Until time.Time
	After        *Cursor
	Limit        int
}

// Events returns one page of events matching f, oldest recorded first, and
// the cursor of the next page (nil when this page is the last).
func Events(ctx context.Context, q projections.Querier, f Filter) ([]EventRef, *Cursor, error) {
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	if len(f.Streams) > 0 {
		where = append(where, "stream = ANY("+arg(f.Streams)+")")
	}
	if len(f.Types) > 0 {
		where = append(where, "type = ANY("+arg(f.Types)+")")
	}
	if f.Actor != "" {
		where = append(where, "actor = "+arg(f.Actor))
	}
	if f.Channel != "" {
		where = append(where, "channel = "+arg(f.Channel))
	}
	if f.Client != "" {
		where = append(where, "clients @> ARRAY["+arg(strings.ToUpper(f.Client))+"]::text[]")
	}
	if f.Subject != "" {
		where = append(where, "subject = "+arg(f.Subject))
	}
	if !f.Since.IsZero() {
		where = append(where, "occurred_at >= "+arg(f.Since))
	}
	if !f.Until.IsZero() {
		where = append(where, "occurred_at <= "+arg(f.Until))
	}
	if c := f.After; c != nil {
		where = append(where, "(recorded_at, stream, position, idx) > ("+arg(c.RecordedAt)+"::timestamptz, "+arg(c.Stream)+", "+
			arg(int64(c.Position))+"::bigint, "+arg(c.Index)+"::int)")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	sql := `SELECT stream, position, idx, event_id, type, subject, actor, channel, clients, occurred_at, recorded_at
		FROM audit_events`
	if len(where) > 0 {
		sql += " WHERE " + strings.Join(where, " AND ")
	}
	sql += " ORDER BY recorded_at, stream, position, idx LIMIT " + arg(limit+1)
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("audit events: %w", err)
	}
	defer rows.Close()
	out := []EventRef{}
	for rows.Next() {
		var e EventRef
		var pos int64
		if err := rows.Scan(&e.Stream, &pos, &e.Index, &e.EventID, &e.Type, &e.Subject, &e.Actor, &e.Channel, &e.Clients,
			&e.OccurredAt, &e.RecordedAt); err != nil {
			return nil, nil, fmt.Errorf("audit events: %w", err)
		}
		e.Position = uint64(pos)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("audit events: %w", err)
	}
	if len(out) <= limit {
		return out, nil, nil
	}
	out = out[:limit]
	last := out[limit-1]
	return out, &Cursor{RecordedAt: last.RecordedAt, Stream: last.Stream, Position: last.Position, Index: last.Index}, nil
}

// Aggregate is one row of audit_aggregates.
type Aggregate struct {
	Subject       string    `json:"subject"`
	Stream        string    `json:"stream"`
	Kind          string    `json:"kind"`
	AggregateID   string    `json:"aggregate_id"`
	Clients       []string  `json:"clients"`
	Events        int       `json:"events"`
	FirstPosition uint64    `json:"first_position"`
	LastPosition  uint64    `json:"last_position"`
	FirstAt       time.Time `json:"first_at"`
	LastAt        time.Time `json:"last_at"`
}

// Aggregates lists the aggregates of kind (every kind when "") whose events
// named client (any client when ""), by subject, at most limit after the
// subject after.
func Aggregates(ctx context.Context, q projections.Querier, kind, client, after string, limit int) ([]Aggregate, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := q.Query(ctx, `SELECT subject, stream, kind, aggregate_id, clients, events, first_position, last_position,
			first_at, last_at FROM audit_aggregates
		WHERE ($1 = '' OR kind = $1) AND ($2 = '' OR clients @> ARRAY[upper($2)]::text[]) AND subject > $3
		ORDER BY subject LIMIT $4`, kind, client, after, limit)
	if err != nil {
		return nil, fmt.Errorf("audit aggregates: %w", err)
	}
	defer rows.Close()
	out := []Aggregate{}
	for rows.Next() {
		var a Aggregate
		var fp, lp int64
		if err := rows.Scan(&a.Subject, &a.Stream, &a.Kind, &a.AggregateID, &a.Clients, &a.Events, &fp, &lp, &a.FirstAt, &a.LastAt); err != nil {
			return nil, fmt.Errorf("audit aggregates: %w", err)
		}
		a.FirstPosition, a.LastPosition = uint64(fp), uint64(lp)
		out = append(out, a)
	}
	return out, rows.Err()
}

// SubjectsOfClient lists the subjects of the given kinds whose events ever
// named client: what a per-client rebuild replays.
func SubjectsOfClient(ctx context.Context, q projections.Querier, client string, kinds []string) ([]string, error) {
	// A kind ending in ".>" names every kind below it (a link report's
	// kind still holds its post: amplify.report.<shortcode>).
	var exact, under []string
	escape := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	for _, k := range kinds {
		if p, ok := strings.CutSuffix(k, ".>"); ok {
			under = append(under, escape.Replace(p)+".%")
		} else {
			exact = append(exact, k)
		}
	}
	rows, err := q.Query(ctx, `SELECT subject FROM audit_aggregates
		WHERE clients @> ARRAY[upper($1)]::text[] AND (kind = ANY($2) OR kind LIKE ANY($3)) ORDER BY subject`,
		client, exact, under)
	if err != nil {
		return nil, fmt.Errorf("subjects of client %s: %w", client, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// ErrBehind: the index has not reached the positions a caller needs.
var ErrBehind = errors.New("the audit index is behind")

// SubjectsFor is projections.SubjectsOfClient over the index: it refuses
// while the index trails atLeast in any stream (a subject created since
// would be missed).
func SubjectsFor(ctx context.Context, tx pgx.Tx, client string, kinds []string, atLeast map[string]uint64) ([]string, error) {
	for stream, want := range atLeast {
		var have int64
		err := tx.QueryRow(ctx, `SELECT coalesce(max(position), 0) FROM projection_checkpoints WHERE projection = $1 AND stream = $2`,
			Name, stream).Scan(&have)
		if err != nil {
			return nil, fmt.Errorf("audit index position: %w", err)
		}
		if uint64(have) < want {
			return nil, fmt.Errorf("%w: %s at %d, need %d", ErrBehind, stream, have, want)
		}
	}
	return SubjectsOfClient(ctx, tx, client, kinds)
}
