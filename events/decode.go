package events

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
)

// DecodeMessage turns one stored message into its events, upcast to the
// current schema versions. A message carries one event, or several when one
// command appended them together.
func (r *Registry) DecodeMessage(stream, subject string, seq uint64, recorded time.Time, h nats.Header, data []byte) ([]Envelope, error) {
	meta := Meta{
		CommandID:     h.Get(hdrCommand),
		CorrelationID: h.Get(hdrCorrelation),
		CausationID:   h.Get(hdrCausation),
		Actor:         h.Get(hdrActor),
		Channel:       h.Get(hdrChannel),
	}
	if v := h.Get(hdrOccurredAt); v != "" {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return nil, fmt.Errorf("message %s/%d: occurred_at: %w", stream, seq, err)
		}
		meta.OccurredAt = t
	}
	base := Envelope{Stream: stream, Subject: subject, AggregateID: h.Get(hdrAggregate), Position: seq, Meta: meta, RecordedAt: recorded}
	if h.Get(hdrCount) == "" {
		env := base
		env.ID = h.Get("Nats-Msg-Id")
		env.Type = h.Get(hdrType)
		v, err := strconv.Atoi(h.Get(hdrVersion))
		if err != nil {
			return nil, fmt.Errorf("message %s/%d: bad version header: %w", stream, seq, err)
		}
		env.Version = v
		// Copy: the message buffer may be reused by the client.
		env.Data = append(json.RawMessage(nil), data...)
		if err := r.Upcast(&env); err != nil {
			return nil, fmt.Errorf("message %s/%d: %w", stream, seq, err)
		}
		return []Envelope{env}, nil
	}
	var items []commitItem
	if err := json.Unmarshal(data, &items); err != nil {
		return nil, fmt.Errorf("message %s/%d: commit body: %w", stream, seq, err)
	}
	if n, err := strconv.Atoi(h.Get(hdrCount)); err != nil || n != len(items) {
		return nil, fmt.Errorf("message %s/%d: header says %q events, body holds %d", stream, seq, h.Get(hdrCount), len(items))
	}
	out := make([]Envelope, len(items))
	for i, it := range items {
		env := base
		env.ID, env.Type, env.Version, env.Data, env.Index = it.ID, it.Type, it.Version, it.Data, i
		if err := r.Upcast(&env); err != nil {
			return nil, fmt.Errorf("message %s/%d: %w", stream, seq, err)
		}
		out[i] = env
	}
	return out, nil
}
