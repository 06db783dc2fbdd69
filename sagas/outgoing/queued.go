// Package outgoing holds the queued-messages saga: it puts every
// MessageQueued (scheduled recaps, reminders, WhatsApp replies) in the
// outbox, one row per recipient.
package outgoing

import (
	"time"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/sagas"
)

// QueuedName names the saga (its checkpoint and outbox rows).
const QueuedName = "messaging-queued"

// Queued is the saga. maxAge skips messages queued longer ago than that:
// a recap or a reply is stale once its day is over, and a saga deployed
// late must not send a backlog.
func Queued(maxAge time.Duration) sagas.Saga {
	return sagas.Saga{
		Name:       QueuedName,
		Streams:    []string{"MESSAGING"},
		EventTypes: events.Types(events.MessageQueued{}),
		MaxAge:     maxAge,
		Decide: func(_ events.Envelope, p events.Payload) []sagas.Message {
			e, ok := p.(*events.MessageQueued)
			if !ok {
				return nil
			}
			content := sagas.Content{Text: e.Text, Subject: e.Subject, Body: e.Body, Session: e.Session, NotAfter: e.NotAfter}
			if d := e.Document; d != nil {
				content.Document = &sagas.Document{FileName: d.FileName, MimeType: d.MimeType, Data: d.Data}
			}
			out := make([]sagas.Message, 0, len(e.Recipients))
			for _, r := range e.Recipients {
				out = append(out, sagas.Message{Channel: e.Channel, Recipient: r, Content: content})
			}
			return out
		},
	}
}
