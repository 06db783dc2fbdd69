package events

import "strconv"

// Messaging context (stream MESSAGING): outcomes of saga deliveries.
// Emitted by the saga dispatcher (sagas/); consumed by the message_log
// projection and by auditors.

// DeliverySubject is the subject of one outbox row's delivery. It holds at
// most one outcome: the dispatcher appends with expected version 0, and a
// dispatcher that takes over a row whose lease expired reads this subject
// before sending, so a recorded outcome is never followed by a second send.
// Outbox ids must therefore never be reused against the same event store
// (the dispatcher parks a row whose subject holds another message's outcome).
func DeliverySubject(outboxID int64) string {
	return "messaging.delivery." + strconv.FormatInt(outboxID, 10)
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
}
