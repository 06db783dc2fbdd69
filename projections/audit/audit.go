// Package audit is the auditor's index over the event store: which
// aggregates exist (audit_aggregates, with every client their events named)
// and one row per event with its envelope's searchable fields
// (audit_events). The event bodies stay in JetStream; the audit API pages
// and filters here and reads the bodies by stream position. Its queries sit
// beside it (queries.go). It may import events and projections only.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/projections"
)

// Name is the projection's name.
const Name = "audit"

// Index is the projection. It reads every stream and every event type: it
// catalogues envelopes and does not act on any fact, so EventTypes is
// empty (no event counts as consumed because the index lists it).
type Index struct{}

var _ projections.Projection = Index{}

// Name implements projections.Projection.
func (Index) Name() string { return Name }

// Streams implements projections.Projection.
func (Index) Streams() []string { return slices.Clone(events.Contexts) }

// Tables implements projections.Projection.
func (Index) Tables() []string { return []string{"audit_aggregates", "audit_events"} }

// EventTypes implements projections.Projection: none (see Index).
func (Index) EventTypes() []string { return nil }

type aggRow struct {
	stream, kind, id  string
	clients           []string
	events            int
	firstPos, lastPos int64
	firstAt, lastAt   time.Time
	known             bool // a row exists already
}

// Apply implements projections.Projection: the batch's aggregates are
// loaded once, folded in memory, upserted with one statement; the events
// are copied in.
func (Index) Apply(ctx context.Context, tx pgx.Tx, t projections.Tables, batch []events.Envelope) error {
	aggs, err := loadAggregates(ctx, tx, t["audit_aggregates"], batch)
	if err != nil {
		return err
	}
	rows := make([][]any, 0, len(batch))
	for i := range batch {
		env := &batch[i]
		a := aggs[env.Subject]
		if a == nil {
			kind, id := SplitSubject(env.Subject)
			if env.AggregateID != "" {
				id = env.AggregateID
			}
			a = &aggRow{stream: env.Stream, kind: kind, id: id, firstPos: int64(env.Position), firstAt: env.RecordedAt}
			aggs[env.Subject] = a
		}
		for _, c := range Clients(env) {
			if !slices.Contains(a.clients, c) {
				a.clients = append(a.clients, c)
			}
		}
		a.events++
		a.lastPos, a.lastAt = int64(env.Position), env.RecordedAt
		occurred := env.Meta.OccurredAt
		if occurred.IsZero() {
			occurred = env.RecordedAt
		}
		rows = append(rows, []any{env.Stream, int64(env.Position), env.Index, env.ID, env.Type, env.Subject,
			env.Meta.Actor, env.Meta.Channel, append([]string{}, a.clients...), occurred, env.RecordedAt})
	}
	if err := writeAggregates(ctx, tx, t["audit_aggregates"], aggs); err != nil {
		return err
	}
	if len(rows) == 0 {
		return nil
	}
	_, err = tx.CopyFrom(ctx, pgx.Identifier(strings.Split(t["audit_events"], ".")),
		[]string{"stream", "position", "idx", "event_id", "type", "subject", "actor", "channel", "clients", "occurred_at", "recorded_at"},
		pgx.CopyFromRows(rows))
	if err != nil {
		return fmt.Errorf("%s: copy events: %w", Name, err)
	}
	return nil
}

func loadAggregates(ctx context.Context, tx pgx.Tx, table string, batch []events.Envelope) (map[string]*aggRow, error) {
	subjects := make([]string, 0, len(batch))
	for i := range batch {
		subjects = append(subjects, batch[i].Subject)
	}
	slices.Sort(subjects)
	subjects = slices.Compact(subjects)
	out := make(map[string]*aggRow, len(subjects))
	rows, err := tx.Query(ctx, `SELECT subject, stream, kind, aggregate_id, clients, events, first_position, last_position,
		first_at, last_at FROM `+projections.Ident(table)+` WHERE subject = ANY($1)`, subjects)
	if err != nil {
		return nil, fmt.Errorf("%s: load aggregates: %w", Name, err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		a := &aggRow{known: true}
		if err := rows.Scan(&s, &a.stream, &a.kind, &a.id, &a.clients, &a.events, &a.firstPos, &a.lastPos, &a.firstAt, &a.lastAt); err != nil {
			return nil, fmt.Errorf("%s: load aggregates: %w", Name, err)
		}
		out[s] = a
	}
	return out, rows.Err()
}

func writeAggregates(ctx context.Context, tx pgx.Tx, table string, aggs map[string]*aggRow) error {
	if len(aggs) == 0 {
		return nil
	}
	n := len(aggs)
	subj, stream, kind, id, clients := make([]string, 0, n), make([]string, 0, n), make([]string, 0, n), make([]string, 0, n), make([]string, 0, n)
	cnt, fp, lp := make([]int32, 0, n), make([]int64, 0, n), make([]int64, 0, n)
	fa, la := make([]time.Time, 0, n), make([]time.Time, 0, n)
	for s, a := range aggs {
		subj, stream, kind, id = append(subj, s), append(stream, a.stream), append(kind, a.kind), append(id, a.id)
		clients = append(clients, projections.TextArray(a.clients))
		cnt, fp, lp = append(cnt, int32(a.events)), append(fp, a.firstPos), append(lp, a.lastPos)
		fa, la = append(fa, a.firstAt), append(la, a.lastAt)
	}
	_, err := tx.Exec(ctx, `INSERT INTO `+projections.Ident(table)+` AS t (subject, stream, kind, aggregate_id, clients, events,
			first_position, last_position, first_at, last_at)
		SELECT s, st, k, i, c::text[], n, f, l, fa, la
		FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::bigint[], $8::bigint[],
			$9::timestamptz[], $10::timestamptz[]) AS u(s, st, k, i, c, n, f, l, fa, la)
		ON CONFLICT (subject) DO UPDATE SET clients = EXCLUDED.clients, events = EXCLUDED.events,
			last_position = EXCLUDED.last_position, last_at = EXCLUDED.last_at`,
		subj, stream, kind, id, clients, cnt, fp, lp, fa, la)
	if err != nil {
		return fmt.Errorf("%s: write aggregates: %w", Name, err)
	}
	return nil
}

// SplitSubject returns a subject's kind (every token but the last:
// "directory.person") and its decoded id.
func SplitSubject(subject string) (kind, id string) {
	i := strings.LastIndexByte(subject, '.')
	if i < 0 {
		return subject, ""
	}
	id, err := events.DecodeToken(subject[i+1:])
	if err != nil {
		id = subject[i+1:]
	}
	return subject[:i], id
}

// Clients are the client ids an event names: a client aggregate's own id,
// and every client_id / client_ids field of its body, at the top or one
// object down (the changed fields of an update, a renumbered person's
// snapshot). Upper-case, as client ids are compared everywhere.
func Clients(env *events.Envelope) []string {
	var out []string
	add := func(s string) {
		if s = strings.ToUpper(strings.TrimSpace(s)); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	if kind, id := SplitSubject(env.Subject); kind == events.ClientSubjectPrefix {
		add(id)
	}
	var body map[string]json.RawMessage
	if json.Unmarshal(env.Data, &body) != nil {
		return out
	}
	walk := func(m map[string]json.RawMessage, deeper bool) []map[string]json.RawMessage {
		var next []map[string]json.RawMessage
		for k, v := range m {
			switch k {
			case "client_id":
				var s string
				if json.Unmarshal(v, &s) == nil {
					add(s)
				}
			case "client_ids":
				var ss []string
				if json.Unmarshal(v, &ss) == nil {
					for _, s := range ss {
						add(s)
					}
				}
			default:
				if deeper && len(v) > 0 && v[0] == '{' {
					var sub map[string]json.RawMessage
					if json.Unmarshal(v, &sub) == nil {
						next = append(next, sub)
					}
				}
			}
		}
		return next
	}
	for _, sub := range walk(body, true) {
		walk(sub, false)
	}
	slices.Sort(out)
	return out
}
