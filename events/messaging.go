package events

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// Messaging context (stream MESSAGING): outcomes of saga deliveries.
// Emitted by the saga dispatcher (sagas/); consumed by the message_log
// projection and by auditors.

// DeliverySubject is the subject of one saga's deliveries to one
// recipient: the outcomes of every message the saga sent them, each naming
// its outbox key (saga, event id, recipient), at most one per key. Keying
// by the outbox's natural key, not its row id, means a restored or
// recreated outbox whose ids start over can never read another message's
// outcome as its own; grouping per (saga, recipient) keeps the number of
// subjects bounded by the recipients, not growing with every message. The
// recipient (personal data) enters the subject only as a hash.
func DeliverySubject(saga, recipient string) string {
	h := sha256.Sum256([]byte(recipient))
	return "messaging.delivery." + EncodeToken(saga) + "." + hex.EncodeToString(h[:16])
}

// MessageDelivered: the adapter accepted the message for the recipient.
// ProviderID is the peer's id for it (WhatsApp message id, SMTP queue id).
type MessageDelivered struct {
	OutboxID   int64  `json:"outbox_id"`
	Saga       string `json:"saga"`
	EventID    string `json:"event_id"`
	Channel    string `json:"channel"`
	Recipient  string `json:"recipient"`
	ProviderID string `json:"provider_id,omitempty"`
}

func (MessageDelivered) EventType() string { return "MessageDelivered" }

// MessageFailed: the adapter refused the message for good (a permanent
// error) or kept failing until the dispatcher's attempts ran out.
type MessageFailed struct {
	OutboxID  int64  `json:"outbox_id"`
	Saga      string `json:"saga"`
	EventID   string `json:"event_id"`
	Channel   string `json:"channel"`
	Recipient string `json:"recipient"`
	Error     string `json:"error"`
	Attempts  int    `json:"attempts"`
}

func (MessageFailed) EventType() string { return "MessageFailed" }

func registerMessaging(r *Registry) {
	r.Register(1, func() Payload { return &MessageDelivered{} })
	r.Register(1, func() Payload { return &MessageFailed{} })
	r.Register(1, func() Payload { return &MessageQueued{} })
	registerWhatsAppSession(r)
}

// QueuedSubject is the subject of one queued message, keyed by what the
// message is for (a schedule slot and client, an inbound message's reply):
// a key is queued at most once.
func QueuedSubject(key string) string { return Subject("messaging.queued", key) }

// MessageQueued: a job (a scheduled recap, a reminder) or the inbound
// WhatsApp router decided to send Text to Recipients. These messages
// follow no other domain fact, so the decision itself is the fact: the
// queued-messages saga turns it into one outbox row per recipient, and a
// replay or a rerun of the job sends nothing twice (the key is recorded
// once). Recipients are channel addresses (WhatsApp JIDs, e-mail
// addresses, 62… numbers to save as Google contacts, whose Text is the
// contact's name or empty): personal data, kept here for auditors and
// never logged.
type MessageQueued struct {
	Key string `json:"key"`
	// Kind names the message kind (e.g. "rekap-link", "reminder",
	// "wa-reply") for auditors and /ops.
	Kind       string   `json:"kind"`
	ClientID   string   `json:"client_id,omitempty"`
	Channel    string   `json:"channel"`
	Recipients []string `json:"recipients"`
	// Session is the WhatsApp session to send from ("" = fallback chain).
	Session  string          `json:"session,omitempty"`
	Text     string          `json:"text,omitempty"`
	Subject  string          `json:"subject,omitempty"`
	Body     string          `json:"body,omitempty"`
	Document *QueuedDocument `json:"document,omitempty"`
	// NotAfter is when the message stops being worth sending (see
	// sagas.Content.NotAfter); nil: always.
	NotAfter *time.Time        `json:"not_after,omitempty"`
	Meta     map[string]string `json:"meta,omitempty"`
}

func (MessageQueued) EventType() string { return "MessageQueued" }

// QueuedDocument is a file a queued message carries.
type QueuedDocument struct {
	FileName string `json:"file_name"`
	MimeType string `json:"mime_type"`
	Data     []byte `json:"data"`
}
