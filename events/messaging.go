package events

import (
	"crypto/sha256"
	"encoding/hex"
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
	registerWhatsAppSession(r)
}
