package googlecontact

import (
	"time"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/waid"
	"github.com/cicero/cicero/sagas"
)

// Name names the saga (its checkpoints and outbox rows).
const Name = "google-contact"

// maxAge: a saga switched on late (credentials configured after months)
// saves the numbers bound in the last week; the bulk command covers the
// rest.
const maxAge = 7 * 24 * time.Hour

// Saga queues a contact for every number a person is given: at
// registration and when an update sets it (the WhatsApp self-service bind
// is such an update). The name travels when the event carries it; when it
// does not (a number-only update) the sender looks it up.
func Saga() sagas.Saga {
	return sagas.Saga{
		Name:       Name,
		Streams:    []string{"DIRECTORY"},
		EventTypes: events.Types(events.PersonRegistered{}, events.PersonUpdated{}),
		MaxAge:     maxAge,
		Decide: func(_ events.Envelope, p events.Payload) []sagas.Message {
			var number, name string
			switch e := p.(type) {
			case *events.PersonRegistered:
				number, name = e.WhatsApp, e.Nama
			case *events.PersonUpdated:
				if e.Changes.WhatsApp == nil {
					return nil
				}
				number = *e.Changes.WhatsApp
				if e.Changes.Nama != nil {
					name = *e.Changes.Nama
				}
			}
			if n := waid.Number(number); len(n) >= waid.MinDigits {
				return []sagas.Message{Message(n, name)}
			}
			return nil
		},
	}
}

// Message is the outbox message that saves number (62…) as a contact
// named name ("" : looked up when sent).
func Message(number, name string) sagas.Message {
	return sagas.Message{Channel: sagas.ChannelGoogleContact, Recipient: number, Content: sagas.Content{Text: name}}
}
