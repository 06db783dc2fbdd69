package social

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/sagas"
)

func TestComplaintNoticeDecides(t *testing.T) {
	body := "Selamat pagi! …"
	wa := func(n string) sagas.Message {
		return sagas.Message{Channel: sagas.ChannelWhatsApp, Recipient: n + "@s.whatsapp.net",
			Content: sagas.Content{Text: body, Session: sagas.SessionMain}}
	}
	for _, tt := range []struct {
		name string
		ev   events.ComplaintAnswered
		want []sagas.Message
	}{
		{"person and answering user", events.ComplaintAnswered{PersonnelWhatsApp: "6281211112222", DashboardWhatsApp: "6281233334444"},
			[]sagas.Message{wa("6281211112222"), wa("6281233334444")}},
		{"one number twice is one message", events.ComplaintAnswered{PersonnelWhatsApp: "6281211112222", DashboardWhatsApp: "6281211112222"},
			[]sagas.Message{wa("6281211112222")}},
		{"no number: the address on file, the legacy complaint mail's subject", events.ComplaintAnswered{Platform: events.PlatformTiktok,
			Reporter: "SITI K", PersonnelEmail: "a@polri.test"},
			[]sagas.Message{{Channel: sagas.ChannelEmail, Recipient: "a@polri.test",
				Content: sagas.Content{Subject: "Tindak Lanjut Laporan Cicero - SITI K", Body: body}}}},
		{"no reporter name: the subject without it", events.ComplaintAnswered{PersonnelEmail: "a@polri.test"},
			[]sagas.Message{{Channel: sagas.ChannelEmail, Recipient: "a@polri.test",
				Content: sagas.Content{Subject: "Tindak Lanjut Laporan Cicero", Body: body}}}},
		{"a number wins over the address", events.ComplaintAnswered{PersonnelWhatsApp: "6281211112222", PersonnelEmail: "a@polri.test"},
			[]sagas.Message{wa("6281211112222")}},
		{"one number in two spellings is one message", events.ComplaintAnswered{PersonnelWhatsApp: "6281211112222", DashboardWhatsApp: "081211112222"},
			[]sagas.Message{wa("6281211112222")}},
		{"a number too short is nobody; the other still hears", events.ComplaintAnswered{PersonnelWhatsApp: "0812", DashboardWhatsApp: "6281233334444"},
			[]sagas.Message{wa("6281233334444")}},
		{"nobody to tell", events.ComplaintAnswered{}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ev := tt.ev
			ev.Message = body
			got := ComplaintNotice().Decide(events.Envelope{}, &ev)
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}
