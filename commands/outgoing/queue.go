// Package outgoing is the queued-message aggregate of the MESSAGING
// context: a message that follows no other domain fact (a scheduled recap,
// a reminder, a reply of the WhatsApp router) is decided here, once per
// key, as MessageQueued; the queued-messages saga (sagas/outgoing) puts it
// in the outbox. Subject messaging.queued.<key>.
package outgoing

import (
	"context"
	"strings"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/normalize"
)

// The channels a queued message may take (sagas.Channel*; the saga
// package is not imported by commands).
const (
	channelWhatsApp      = "whatsapp"
	channelEmail         = "email"
	channelGoogleContact = "google-contact"
)

// MaxRecipients bounds one message's recipients: a recap goes to a group,
// its operators and the admins, never to thousands (a bug would). Bulk
// work (the admin's savecontact) queues batches of this size.
const MaxRecipients = 200

// maxDocument bounds an attached file: it travels in the event and the
// outbox row.
const maxDocument = 4 << 20

// Queue decides to send one message, once per Key: a key queued already
// changes nothing (a rerun of the same slot, a redelivered inbound
// message), whatever the command id.
// Refusals: Invalid key, kind, channel, recipients, or an empty message.
type Queue struct {
	Message events.MessageQueued
}

func (cmd Queue) decide(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
	m := cmd.Message
	m.Key = strings.TrimSpace(m.Key)
	m.ClientID = normalize.ClientID(m.ClientID)
	var recipients []string
	seen := map[string]bool{}
	for _, r := range m.Recipients {
		if r = strings.TrimSpace(r); r != "" && !seen[r] {
			seen[r] = true
			recipients = append(recipients, r)
		}
	}
	m.Recipients = recipients
	switch {
	case m.Key == "":
		return nil, apperr.Invalidf("key", "key wajib diisi")
	case strings.TrimSpace(m.Kind) == "":
		return nil, apperr.Invalidf("kind", "kind wajib diisi")
	case m.Channel != channelWhatsApp && m.Channel != channelEmail && m.Channel != channelGoogleContact:
		return nil, apperr.Invalidf("channel", "channel harus whatsapp, email atau google-contact")
	case len(m.Recipients) == 0:
		return nil, apperr.Invalidf("recipients", "penerima wajib diisi")
	case len(m.Recipients) > MaxRecipients:
		return nil, apperr.Invalidf("recipients", "penerima maksimal %d", MaxRecipients)
	case m.Text == "" && m.Body == "" && m.Document == nil && m.Channel != channelGoogleContact: // a contact may be named when saved
		return nil, apperr.Invalidf("text", "pesan kosong")
	case m.Document != nil && (m.Document.FileName == "" || len(m.Document.Data) > maxDocument):
		return nil, apperr.Invalidf("document", "dokumen tidak valid")
	}
	return l.RecordOnce(ctx, events.QueuedSubject(m.Key), m.Key, m)
}

// Handlers runs the queued-message command.
type Handlers struct{ rt *commands.Runtime }

// NewHandlers returns the queued-message handlers over rt.
func NewHandlers(rt *commands.Runtime) *Handlers { return &Handlers{rt: rt} }

// Queue → MessageQueued (nothing when the key is queued already).
func (h *Handlers) Queue(ctx context.Context, meta commands.Meta, cmd Queue) (commands.Outcome, error) {
	if meta.CommandID == "" {
		// The key is the natural identity: a retry under the same key
		// shares the command id, so the duplicate window drops it too.
		meta.CommandID = "queue:" + cmd.Message.Key
	}
	return h.rt.Handle(ctx, "outgoing.Queue", meta, cmd.decide)
}
