// Package social holds the SOCIAL context's sagas.
package social

import (
	"time"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/sagas"
)

// ComplaintNoticeName names the complaint answer saga.
const ComplaintNoticeName = "social-complaint-notice"

// complaintMaxAge: an answer not sent within a day is stale news; a saga
// started late, or replaying history, skips it.
const complaintMaxAge = 24 * time.Hour

// ComplaintNotice sends each answered complaint's message by WhatsApp to
// the person and to the dashboard user who answered (spec/access.md §5.6),
// one outbox row per number, and by e-mail to a person who has no number
// but an address on file. Until the WhatsApp sender exists WhatsApp rows
// wait in the outbox (the answer's whatsappDelivery says "pending").
func ComplaintNotice() sagas.Saga {
	return sagas.Saga{
		Name:       ComplaintNoticeName,
		Streams:    []string{"COMPLAINT"},
		EventTypes: events.Types(events.ComplaintAnswered{}),
		MaxAge:     complaintMaxAge,
		Decide: func(_ events.Envelope, p events.Payload) []sagas.Message {
			e, ok := p.(*events.ComplaintAnswered)
			if !ok {
				return nil
			}
			var out []sagas.Message
			seen := map[string]bool{}
			for _, n := range []string{e.PersonnelWhatsApp, e.DashboardWhatsApp} {
				if n == "" || seen[n] {
					continue
				}
				seen[n] = true
				out = append(out, sagas.Message{Channel: sagas.ChannelWhatsApp, Recipient: WhatsAppJID(n),
					Content: sagas.Content{Body: e.Message}})
			}
			if e.PersonnelWhatsApp == "" && e.PersonnelEmail != "" {
				out = append(out, sagas.Message{Channel: sagas.ChannelEmail, Recipient: e.PersonnelEmail,
					Content: sagas.Content{Subject: complaintMailSubject(e.Platform), Body: e.Message}})
			}
			return out
		},
	}
}

func complaintMailSubject(platform string) string {
	if platform == events.PlatformTiktok {
		return "Tindak lanjut komplain TikTok"
	}
	return "Tindak lanjut komplain Instagram"
}

// WhatsAppJID is a number's WhatsApp id, "<digits>@c.us".
func WhatsAppJID(digits string) string { return digits + "@c.us" }
