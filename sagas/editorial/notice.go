// Package editorial holds the EDITORIAL context's saga: the WhatsApp
// notice to a writer whose press release an editor approved or rejected
// (SPEC.md §5.13; the legacy module sent nothing, spec/ops.md §1.1).
package editorial

import (
	"strings"
	"time"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/internal/waid"
	"github.com/cicero/cicero/sagas"
)

// NoticeName names the release decision notice saga.
const NoticeName = "editorial-release-notice"

// noticeMaxAge: a decision not announced within a day is stale news; a
// saga started late, or replaying history, skips it.
const noticeMaxAge = 24 * time.Hour

// Notice queues one WhatsApp message to the requester of an approval
// request an editor decided (ReleaseApproved, ReleaseRejected), from the
// main session, when the requester's Penmas account had a WhatsApp number
// at the decision (the event carries it; none → no message). The texts
// are ours (no legacy text exists): NoticeText.
func Notice() sagas.Saga {
	return sagas.Saga{
		Name:       NoticeName,
		Streams:    []string{"EDITORIAL"},
		EventTypes: events.Types(events.ReleaseApproved{}, events.ReleaseRejected{}),
		MaxAge:     noticeMaxAge,
		Decide: func(_ events.Envelope, p events.Payload) []sagas.Message {
			var d events.ReleaseDecision
			approved := false
			switch e := p.(type) {
			case *events.ReleaseApproved:
				d, approved = e.ReleaseDecision, true
			case *events.ReleaseRejected:
				d = e.ReleaseDecision
			default:
				return nil
			}
			to := waid.UserJID(d.RequesterWhatsApp)
			if d.RequesterWhatsApp == "" || to == "" {
				return nil
			}
			return []sagas.Message{{Channel: sagas.ChannelWhatsApp, Recipient: to,
				Content: sagas.Content{Text: NoticeText(d, approved), Session: sagas.SessionMain}}}
		},
	}
}

// NoticeText is the notice of a decision:
//
//	✅ *Siaran pers disetujui*          (❌ *Siaran pers ditolak*)
//	Judul: <headline, else topic>
//	Tanggal kegiatan: <dd/mm/yyyy, Jakarta>
//	Permintaan: #<request id> (berita #<event id>)
//	Disetujui oleh: <editor's username>  (Ditolak oleh: …)
//	Catatan: <note>                       (only when there is one)
//	<closing line>
func NoticeText(d events.ReleaseDecision, approved bool) string {
	head, verb, closing := "❌ *Siaran pers ditolak*", "Ditolak oleh", "Silakan perbaiki berita lalu ajukan kembali."
	if approved {
		head, verb, closing = "✅ *Siaran pers disetujui*", "Disetujui oleh", "Berita dapat diterbitkan."
	}
	var b strings.Builder
	b.WriteString(head + "\n")
	b.WriteString("Judul: " + d.Title + "\n")
	if !d.EventDate.IsZero() {
		b.WriteString("Tanggal kegiatan: " + d.EventDate.In(jakarta.Location).Format("02/01/2006") + "\n")
	}
	b.WriteString("Permintaan: #" + itoa(d.RequestID) + " (berita #" + itoa(d.EventID) + ")\n")
	b.WriteString(verb + ": " + d.ByUsername + "\n")
	if n := strings.TrimSpace(d.Note); n != "" {
		b.WriteString("Catatan: " + n + "\n")
	}
	b.WriteString(closing)
	return b.String()
}
