// Package sagas turns events into side effects. A saga reads event streams
// like a projection (same checkpointed Runner, same transaction) and, for each
// event, decides which messages are due; it writes them to the Postgres
// outbox keyed by (saga, event id, recipient), so replaying history inserts
// nothing new and sends nothing twice. Dispatchers drain the outbox through
// one Sender per channel and record each final outcome as an event in the
// MESSAGING stream.
package sagas

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/projections"
)

// Channels a message can go out on; each has its own Sender.
const (
	ChannelWhatsApp = "whatsapp"
	ChannelEmail    = "email"
	// ChannelGoogleContact saves the recipient (a 62… number) as a Google
	// contact named Content.Text (sagas/googlecontact).
	ChannelGoogleContact = "google-contact"
)

// Content is what a message says, stored as the outbox row's JSON payload.
// WhatsApp uses Text; email uses Subject and Body.
type Content struct {
	Text    string `json:"text,omitempty"`
	Subject string `json:"subject,omitempty"`
	Body    string `json:"body,omitempty"`
	// Sealed is a secret (an OTP code, a reset token) sealed with the
	// process's message key (internal/seal). The outbox and the history
	// hold it only sealed; the dispatcher opens it just before sending and
	// puts it where Text and Body say SecretPlaceholder.
	Sealed string `json:"sealed,omitempty"`
	// Session is the WhatsApp session to send from (SessionMain,
	// SessionUser, SessionGateway); empty is the legacy fallback chain
	// gateway → main → user (spec/ops.md §5.4).
	Session string `json:"session,omitempty"`
	// Document is a file sent with the message (WhatsApp: a document with
	// Text as caption; email: an attachment). Kept small: it sits in the
	// outbox row.
	Document *Document `json:"document,omitempty"`
	// NotAfter, when set, is when the message stops being worth sending
	// (a day's recap or reminder after its day, a task broadcast after the
	// 17:15 cut-off): a dispatcher that gets to it later — WhatsApp was
	// down — records it failed instead of sending stale news.
	NotAfter *time.Time `json:"not_after,omitempty"`
}

// Document is a file a message carries.
type Document struct {
	FileName string `json:"file_name"`
	MimeType string `json:"mime_type"`
	Data     []byte `json:"data"`
}

// The three WhatsApp sessions of the legacy system (spec/ops.md §3.1).
const (
	SessionMain    = "wa"
	SessionUser    = "wa-user"
	SessionGateway = "wa-gateway"
)

// SecretPlaceholder marks where a message's sealed secret goes.
const SecretPlaceholder = "{{secret}}"

// withSecret returns c with its sealed secret opened into the placeholder.
func (c Content) withSecret(open func(string) (string, error)) (Content, error) {
	if c.Sealed == "" {
		return c, nil
	}
	if open == nil {
		return c, errors.New("message carries a sealed secret but the dispatcher has no key to open it")
	}
	secret, err := open(c.Sealed)
	if err != nil {
		return c, fmt.Errorf("open the message's secret: %w", err)
	}
	c.Text = strings.ReplaceAll(c.Text, SecretPlaceholder, secret)
	c.Body = strings.ReplaceAll(c.Body, SecretPlaceholder, secret)
	c.Sealed = ""
	return c, nil
}

// Message is one delivery a saga asks for.
type Message struct {
	Channel string
	// Recipient is the channel's address (WhatsApp JID or number, email
	// address). Personal data: never log it.
	Recipient string
	Content   Content
}

func (m Message) validate() error {
	switch {
	case m.Channel != ChannelWhatsApp && m.Channel != ChannelEmail && m.Channel != ChannelGoogleContact:
		return fmt.Errorf("message on unknown channel %q", m.Channel)
	case m.Recipient == "":
		return fmt.Errorf("%s message without recipient", m.Channel)
	}
	return nil
}

// Saga decides which messages an event makes due.
type Saga struct {
	// Name keys the saga's checkpoints, its single-instance lock and its
	// outbox rows; renaming a saga makes it start history over.
	Name    string
	Streams []string
	// EventTypes are the event types Decide is called with; the other events
	// of Streams are skipped undecoded. Empty: every event (tests).
	EventTypes []string
	// Decide is called with every event of EventTypes, decoded (p is the
	// pointer payload, e.g. *events.PersonRegistered). It must depend on
	// the event only, so a replay decides the same messages.
	Decide func(env events.Envelope, p events.Payload) []Message
	// DecideAt, set instead of Decide, is for events that do not carry
	// everything the message needs (an approval names the user, not his
	// number): it may read history as it stood when the event was recorded
	// (History), which replay reads the same, so it decides the same. An
	// error (the store unreachable) stops the batch; it is retried.
	DecideAt func(ctx context.Context, h History, env events.Envelope, p events.Payload) ([]Message, error)
	// Store is where DecideAt's history is read (the event store).
	Store HistoryStore
	// MaxAge, when set, ignores events recorded longer ago than this. A
	// saga deployed onto years of history (or an outbox whose old rows
	// were pruned) would otherwise send every past welcome message.
	MaxAge time.Duration
}

// Projection adapts a saga to the projections Runner: it owns no tables and
// its Apply inserts outbox rows in the Runner's transaction, so the rows and
// the checkpoint move together. now is the clock MaxAge is measured with.
func (s Saga) Projection(reg *events.Registry, now func() time.Time) projections.Projection {
	p := &sagaProjection{saga: s, reg: reg, now: now}
	if len(s.EventTypes) > 0 {
		p.types = map[string]bool{}
		for _, t := range s.EventTypes {
			p.types[t] = true
		}
	}
	return p
}

type sagaProjection struct {
	saga  Saga
	reg   *events.Registry
	now   func() time.Time
	types map[string]bool // nil: every type
}

var _ projections.Projection = (*sagaProjection)(nil)

func (p *sagaProjection) Name() string      { return p.saga.Name }
func (p *sagaProjection) Streams() []string { return p.saga.Streams }
func (p *sagaProjection) Tables() []string  { return nil }

// EventTypes implements projections.Projection.
func (p *sagaProjection) EventTypes() []string { return p.saga.EventTypes }

// Apply decides the batch's messages and inserts them with one statement.
func (p *sagaProjection) Apply(ctx context.Context, tx pgx.Tx, _ projections.Tables, batch []events.Envelope) error {
	var rows []outboxRow
	seen := map[[2]string]bool{}
	for _, env := range batch {
		if p.types != nil && !p.types[env.Type] {
			continue
		}
		if p.saga.MaxAge > 0 && p.now().Sub(env.RecordedAt) > p.saga.MaxAge {
			continue
		}
		if imported(env) {
			continue
		}
		payload, err := p.reg.Decode(&env)
		if err != nil {
			return fmt.Errorf("saga %s: %w", p.saga.Name, err)
		}
		msgs, err := p.decide(ctx, env, payload)
		if err != nil {
			return fmt.Errorf("saga %s, event %s: %w", p.saga.Name, env.ID, err)
		}
		for _, m := range msgs {
			if err := m.validate(); err != nil {
				// A programming error: stopping the saga (visible as lag)
				// beats silently dropping messages.
				return fmt.Errorf("saga %s, event %s: %w", p.saga.Name, env.ID, err)
			}
			key := [2]string{env.ID, m.Recipient}
			if seen[key] {
				continue // one message per (event, recipient), as the outbox key says
			}
			seen[key] = true
			rows = append(rows, outboxRow{Saga: p.saga.Name, EventID: env.ID, Recipient: m.Recipient, Channel: m.Channel, Content: m.Content})
		}
	}
	if err := insertOutbox(ctx, tx, rows); err != nil {
		return fmt.Errorf("saga %s: %w", p.saga.Name, err)
	}
	return nil
}

// decide asks the saga's Decide or DecideAt for the event's messages.
func (p *sagaProjection) decide(ctx context.Context, env events.Envelope, payload events.Payload) ([]Message, error) {
	switch {
	case p.saga.DecideAt != nil && p.saga.Store == nil:
		return nil, errors.New("DecideAt without a Store to read history from")
	case p.saga.DecideAt != nil:
		return p.saga.DecideAt(ctx, History{store: p.saga.Store, reg: p.reg, at: env}, env, payload)
	case p.saga.Decide != nil:
		return p.saga.Decide(env, payload), nil
	}
	return nil, errors.New("saga without Decide or DecideAt")
}

// ImportActor is the actor of history brought over from the old system
// (`cicero import-v2`).
const ImportActor = "system:import-v2"

// imported reports an event that the import brought over: it happened in
// the old system, which sent its messages then (a registration welcome,
// an approval, a thank-you); sending them again on import would repeat
// years of notices at once.
func imported(env events.Envelope) bool { return env.Meta.Actor == ImportActor }
