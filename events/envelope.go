package events

import (
	"encoding/json"
	"time"
)

// Payload is the body of one event. Every event type is a struct in this
// package whose EventType names it in the past tense.
type Payload interface {
	EventType() string
}

// Meta is what a command adds to each event it appends: who asked, why, and
// when the fact happened in business time.
type Meta struct {
	CommandID     string
	CorrelationID string
	CausationID   string
	Actor         string // user id or "system:<job>"
	// Channel is how the command reached us: http, cli, whatsapp,
	// schedule, … (empty on events appended before it was recorded).
	Channel    string
	OccurredAt time.Time
}

// Envelope is one stored event as read back from a stream.
type Envelope struct {
	ID          string
	Type        string
	Version     int
	Stream      string
	Subject     string
	AggregateID string
	// Position is the stream sequence of the message that carried the event;
	// Index orders events inside a message that carried several.
	Position   uint64
	Index      int
	Meta       Meta
	RecordedAt time.Time // server time of the append
	Data       json.RawMessage
}

// Header names of the envelope. Nats-Msg-Id carries the (first) event id.
const (
	hdrType        = "Cicero-Type"
	hdrVersion     = "Cicero-Version"
	hdrCount       = "Cicero-Count"
	hdrAggregate   = "Cicero-Aggregate"
	hdrCommand     = "Cicero-Command"
	hdrCorrelation = "Cicero-Correlation"
	hdrCausation   = "Cicero-Causation"
	hdrActor       = "Cicero-Actor"
	hdrChannel     = "Cicero-Channel"
	hdrOccurredAt  = "Cicero-Occurred-At"
)

// commitItem is one event inside a message that carries several.
type commitItem struct {
	ID      string          `json:"id"`
	Type    string          `json:"type"`
	Version int             `json:"v"`
	Data    json.RawMessage `json:"data"`
}

// Position identifies a point in one stream; writes return them so that reads
// can wait until projections have passed them.
type Position struct {
	Stream   string `json:"stream"`
	Sequence uint64 `json:"seq"`
}
