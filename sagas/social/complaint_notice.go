// Package social holds the SOCIAL context's sagas.
package social

import (
	"strings"
	"time"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/waid"
	"github.com/cicero/cicero/sagas"
)

// ComplaintNoticeName names the complaint answer saga.
const ComplaintNoticeName = "social-complaint-notice"

// complaintMaxAge: an answer not sent within a day is stale news; a saga
// started late, or replaying history, skips it.
const complaintMaxAge = 24 * time.Hour

// ComplaintNotice sends each answered complaint's message by WhatsApp (the
// main session, as the legacy did) to the person and to the dashboard
// user who answered (spec/access.md §5.6), one outbox row per user JID,
// and by e-mail to a person who has no number but an address on file.
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
				// A number too short for a chat is no recipient (the answer
				// reported it invalid); it is skipped, never an error.
				jid := waid.UserJID(n)
				if jid == "" || seen[jid] {
					continue
				}
				seen[jid] = true
				out = append(out, sagas.Message{Channel: sagas.ChannelWhatsApp, Recipient: jid,
					Content: sagas.Content{Text: e.Message, Session: sagas.SessionMain}})
			}
			if e.PersonnelWhatsApp == "" && e.PersonnelEmail != "" {
				out = append(out, sagas.Message{Channel: sagas.ChannelEmail, Recipient: e.PersonnelEmail,
					Content: sagas.Content{Subject: complaintMailSubject(e.Reporter), Body: e.Message}})
			}
			return out
		},
	}
}

// complaintMailSubject is the subject of the legacy complaint answer mail
// (sendComplaintEmail, spec/ops.md §4.1): "Tindak Lanjut Laporan Cicero -
// <reporter name>"; without a name, the part before the dash.
func complaintMailSubject(reporter string) string {
	const subject = "Tindak Lanjut Laporan Cicero"
	if r := strings.TrimSpace(reporter); r != "" {
		return subject + " - " + r
	}
	return subject
}
