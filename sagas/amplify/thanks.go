// Package amplify holds the AMPLIFY context's sagas.
package amplify

import (
	"time"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/amplifytext"
	"github.com/cicero/cicero/internal/waid"
	"github.com/cicero/cicero/sagas"
)

// ThanksName names the link report thank-you saga.
const ThanksName = "amplify-link-report-thanks"

// thanksMaxAge: a thank-you not sent within a day is stale.
const thanksMaxAge = 24 * time.Hour

// Thanks sends the thank-you of spec/ops.md §2.3.1 from the main WhatsApp
// session to the person who submitted a regular link report, when the
// directory had a number for them at submission (the event carries it).
// Khusus reports got no confirmation in the old system and get none here.
// Unlike the old handler, the HTTP answer never waits for WhatsApp.
func Thanks() sagas.Saga {
	return sagas.Saga{
		Name:       ThanksName,
		Streams:    []string{"AMPLIFY"},
		EventTypes: events.Types(events.LinkReportSubmitted{}),
		MaxAge:     thanksMaxAge,
		Decide: func(_ events.Envelope, p events.Payload) []sagas.Message {
			e, ok := p.(*events.LinkReportSubmitted)
			if !ok || e.Kind != events.LinkReportRegular {
				return nil
			}
			jid := waid.UserJID(e.WhatsApp)
			if jid == "" {
				return nil
			}
			l := e.Links
			text := amplifytext.ThankYou(e.SubmittedAt, amplifytext.Person{UserID: e.UserID, Title: e.Title, Nama: e.Nama}, e.Shortcode,
				amplifytext.Report{Instagram: l.Instagram, Facebook: l.Facebook, Twitter: l.Twitter, Tiktok: l.Tiktok, Youtube: l.Youtube})
			return []sagas.Message{{Channel: sagas.ChannelWhatsApp, Recipient: jid,
				Content: sagas.Content{Text: text, Session: sagas.SessionMain}}}
		},
	}
}
