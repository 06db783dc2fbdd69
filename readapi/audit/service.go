// Package audit answers the auditor's questions from the event store and
// its index (projections/audit): the history of one aggregate with every
// envelope field, events across streams filtered and paged, an aggregate's
// state as of a position or an instant and its difference from now, and the
// events behind a person's attendance on one day. The HTTP routes
// (/api/audit/..., admins only) and `cicero events` both use Service, and
// every answer is first written to the reads log (reads.go).
//
// States are folded with the aggregates' own Apply code, handed in as
// Kinds by the wiring (readapi does not import commands).
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/jakarta"
	auditidx "github.com/cicero/cicero/projections/audit"
)

// Fold turns an aggregate's decoded events into its state.
type Fold func(id string, evs []events.Payload) any

// Kind is an aggregate kind the auditor may name: its subject prefix and,
// when it has decide-state code, the fold of that code.
type Kind struct {
	Name   string
	Prefix string
	Fold   Fold // nil: history only
}

// FoldWith makes a Fold from an aggregate state type with an
// Apply(events.Payload) method (the commands' own state), starting from
// zero(id).
func FoldWith[S any, P interface {
	*S
	Apply(events.Payload)
}](zero func(id string) S) Fold {
	return func(id string, evs []events.Payload) any {
		s := zero(id)
		for _, ev := range evs {
			P(&s).Apply(ev)
		}
		return s
	}
}

// Service answers audit queries.
type Service struct {
	Store *events.Store
	Pool  *pgxpool.Pool
	Kinds []Kind
	// Person folds a person's events into what attendance depends on
	// (nil: Why answers not found).
	Person func(nrp string, evs []events.Payload) Person
}

// Event is one event with its whole envelope, as the audit API and
// `cicero events --json` show it. Secrets in payloads (password and token
// hashes, sealed codes) are redacted.
type Event struct {
	ID            string          `json:"id"`
	Type          string          `json:"type"`
	Version       int             `json:"version"`
	Stream        string          `json:"stream"`
	Sequence      uint64          `json:"sequence"`
	Index         int             `json:"index"`
	Subject       string          `json:"subject"`
	AggregateID   string          `json:"aggregate_id"`
	Actor         string          `json:"actor"`
	Channel       string          `json:"channel"`
	CommandID     string          `json:"command_id"`
	CorrelationID string          `json:"correlation_id"`
	CausationID   string          `json:"causation_id"`
	OccurredAt    string          `json:"occurred_at"`
	RecordedAt    string          `json:"recorded_at"`
	Payload       json.RawMessage `json:"payload,omitempty"`
}

// EventOf renders an envelope.
func EventOf(e *events.Envelope) Event {
	return Event{ID: e.ID, Type: e.Type, Version: e.Version, Stream: e.Stream, Sequence: e.Position, Index: e.Index,
		Subject: e.Subject, AggregateID: e.AggregateID, Actor: e.Meta.Actor, Channel: e.Meta.Channel,
		CommandID: e.Meta.CommandID, CorrelationID: e.Meta.CorrelationID, CausationID: e.Meta.CausationID,
		OccurredAt: jakarta.Format(e.Meta.OccurredAt), RecordedAt: jakarta.Format(e.RecordedAt), Payload: Redact(e.Data)}
}

// secretKeys are payload fields an auditor never needs to read.
var secretKeys = []string{"hash", "sealed", "password"}

func secret(key string) bool {
	k := strings.ToLower(key)
	for _, s := range secretKeys {
		if strings.Contains(k, s) {
			return true
		}
	}
	return false
}

// Redact replaces the values of secret fields (at any depth) with
// "[redacted]".
func Redact(raw json.RawMessage) json.RawMessage {
	var v any
	if len(raw) == 0 || json.Unmarshal(raw, &v) != nil {
		return raw
	}
	b, err := json.Marshal(redactValue(v))
	if err != nil {
		return raw
	}
	return b
}

func redactValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if secret(k) {
				if s, ok := val.(string); ok && s == "" {
					continue
				}
				x[k] = "[redacted]"
				continue
			}
			x[k] = redactValue(val)
		}
	case []any:
		for i := range x {
			x[i] = redactValue(x[i])
		}
	}
	return v
}

// Bad-input messages.
const (
	MsgUnknownKind = "jenis agregat tidak dikenal"
	MsgNoState     = "jenis agregat ini tidak memiliki state"
	MsgIDRequired  = "id wajib diisi"
	MsgAsOf        = "isi salah satu: position atau at"
	MsgPosition    = "position harus bilangan bulat positif"
	MsgAt          = "at harus berupa waktu RFC 3339 atau tanggal YYYY-MM-DD"
	MsgNotFound    = "agregat tidak ditemukan"
)

// subjectOf resolves a kind name (or a subject prefix) and an id.
func (s *Service) subjectOf(kind, id string) (Kind, string, error) {
	if strings.TrimSpace(id) == "" {
		return Kind{}, "", apperr.Invalidf("id", MsgIDRequired)
	}
	for _, k := range s.Kinds {
		if k.Name == kind || k.Prefix == kind {
			return k, events.Subject(k.Prefix, id), nil
		}
	}
	// Any other subject prefix of a known stream: history without a state.
	if strings.Contains(kind, ".") && !strings.ContainsAny(kind, "*> ") {
		subject := events.Subject(kind, id)
		for _, st := range events.Contexts {
			if events.StreamOf(subject) == st {
				return Kind{Name: kind, Prefix: kind}, subject, nil
			}
		}
	}
	return Kind{}, "", apperr.Invalidf("kind", MsgUnknownKind)
}

// History is every event of one aggregate, oldest first.
func (s *Service) History(ctx context.Context, kind, id string) (string, []Event, error) {
	_, subject, err := s.subjectOf(kind, id)
	if err != nil {
		return "", nil, err
	}
	envs, _, err := s.Store.Load(ctx, subject)
	if err != nil {
		return "", nil, err
	}
	out := make([]Event, len(envs))
	for i := range envs {
		out[i] = EventOf(&envs[i])
	}
	return subject, out, nil
}

// AsOf names a point of an aggregate's history: a stream position
// (inclusive) or an instant (events recorded at or before it). Neither:
// now.
type AsOf struct {
	Position uint64
	At       time.Time
}

// ParseAsOf reads the position / at query values (at most one).
func ParseAsOf(position, at string) (AsOf, error) {
	var a AsOf
	if position != "" && at != "" {
		return a, apperr.Invalidf("position", MsgAsOf)
	}
	if position != "" {
		var n uint64
		if _, err := fmt.Sscan(position, &n); err != nil || n == 0 || fmt.Sprint(n) != position {
			return a, apperr.Invalidf("position", MsgPosition)
		}
		a.Position = n
	}
	if at != "" {
		t, err := ParseInstant(at, true)
		if err != nil {
			return a, apperr.Invalidf("at", MsgAt)
		}
		a.At = t
	}
	return a, nil
}

// ParseInstant reads an RFC 3339 instant or an Asia/Jakarta date; end moves
// a date to the last instant of that day.
func ParseInstant(s string, end bool) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	d, err := time.ParseInLocation(time.DateOnly, s, jakarta.Location)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is neither RFC 3339 nor YYYY-MM-DD", s)
	}
	if end {
		d = d.AddDate(0, 0, 1).Add(-time.Nanosecond)
	}
	return d, nil
}

// State is an aggregate's folded state at a point of its history.
type State struct {
	Subject  string         `json:"subject"`
	Kind     string         `json:"kind"`
	Version  uint64         `json:"version"` // stream position of its last event applied
	Events   int            `json:"events"`
	AsOf     string         `json:"as_of,omitempty"`
	Position uint64         `json:"position,omitempty"`
	State    map[string]any `json:"state"`
}

// StateAt folds the aggregate's events up to a (all when zero).
func (s *Service) StateAt(ctx context.Context, kind, id string, a AsOf) (State, error) {
	k, subject, err := s.subjectOf(kind, id)
	if err != nil {
		return State{}, err
	}
	if k.Fold == nil {
		return State{}, apperr.Invalidf("kind", MsgNoState)
	}
	envs, _, err := s.Store.Load(ctx, subject)
	if err != nil {
		return State{}, err
	}
	if len(envs) == 0 {
		return State{}, apperr.New(apperr.NotFound, MsgNotFound)
	}
	_, rawID := auditidx.SplitSubject(subject)
	var evs []events.Payload
	st := State{Subject: subject, Kind: k.Name, Position: a.Position}
	if !a.At.IsZero() {
		st.AsOf = jakarta.Format(a.At)
	}
	for i := range envs {
		e := &envs[i]
		if a.Position > 0 && e.Position > a.Position || !a.At.IsZero() && e.RecordedAt.After(a.At) {
			break
		}
		p, err := s.Store.Registry().Decode(e)
		if err != nil {
			return State{}, err
		}
		evs = append(evs, p)
		st.Version, st.Events = e.Position, st.Events+1
	}
	m, err := stateMap(k.Fold(rawID, evs))
	if err != nil {
		return State{}, err
	}
	st.State = m
	return st, nil
}

// stateMap turns a state struct into its JSON object, secrets redacted.
func stateMap(v any) (map[string]any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode state: %w", err)
	}
	var m map[string]any
	if err := json.Unmarshal(Redact(b), &m); err != nil {
		return nil, fmt.Errorf("encode state: %w", err)
	}
	return m, nil
}

// Change is one field that differs between two states.
type Change struct {
	Field string `json:"field"`
	Then  any    `json:"then"`
	Now   any    `json:"now"`
}

// Diff is an aggregate's state then, now, and the fields that changed.
type Diff struct {
	Then    State    `json:"then"`
	Now     State    `json:"now"`
	Changes []Change `json:"changes"`
}

// DiffAgainstNow compares the state as of a with the current state.
func (s *Service) DiffAgainstNow(ctx context.Context, kind, id string, a AsOf) (Diff, error) {
	then, err := s.StateAt(ctx, kind, id, a)
	if err != nil {
		return Diff{}, err
	}
	now, err := s.StateAt(ctx, kind, id, AsOf{})
	if err != nil {
		return Diff{}, err
	}
	d := Diff{Then: then, Now: now, Changes: []Change{}}
	keys := map[string]bool{}
	for k := range then.State {
		keys[k] = true
	}
	for k := range now.State {
		keys[k] = true
	}
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		a, _ := json.Marshal(then.State[k])
		b, _ := json.Marshal(now.State[k])
		if string(a) != string(b) {
			d.Changes = append(d.Changes, Change{Field: k, Then: then.State[k], Now: now.State[k]})
		}
	}
	return d, nil
}

// Page is one page of events across streams.
type Page struct {
	Events     []Event `json:"events"`
	NextCursor *string `json:"next_cursor"`
}

// Events pages events across streams through the index, reading each
// event's body from the store by its position.
func (s *Service) Events(ctx context.Context, f auditidx.Filter) (Page, error) {
	refs, next, err := auditidx.Events(ctx, s.Pool, f)
	if err != nil {
		return Page{}, err
	}
	p := Page{Events: make([]Event, 0, len(refs))}
	for _, r := range refs {
		env, err := s.Store.EventAt(ctx, r.Stream, r.Position, r.Index)
		if err != nil {
			return Page{}, fmt.Errorf("audit event %s/%d: %w", r.Stream, r.Position, err)
		}
		p.Events = append(p.Events, EventOf(&env))
	}
	if next != nil {
		c := next.String()
		p.NextCursor = &c
	}
	return p, nil
}
