package googlecontact

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/sagas"
)

func ptr[T any](v T) *T { return &v }

func TestSagaDecides(t *testing.T) {
	msg := func(n, name string) []sagas.Message {
		return []sagas.Message{{Channel: sagas.ChannelGoogleContact, Recipient: n, Content: sagas.Content{Text: name}}}
	}
	for _, tc := range []struct {
		name string
		ev   events.Payload
		want []sagas.Message
	}{
		{"registered with a number", &events.PersonRegistered{Nama: "BUDI", WhatsApp: "6281211112222"}, msg("6281211112222", "BUDI")},
		{"registered without a number", &events.PersonRegistered{Nama: "BUDI"}, nil},
		{"number bound by an update", &events.PersonUpdated{Changes: events.PersonFields{WhatsApp: ptr("6281211112222")}}, msg("6281211112222", "")},
		{"number and name updated", &events.PersonUpdated{Changes: events.PersonFields{WhatsApp: ptr("081211112222"), Nama: ptr("ANDI")}}, msg("6281211112222", "ANDI")},
		{"number cleared", &events.PersonUpdated{Changes: events.PersonFields{WhatsApp: ptr("")}}, nil},
		{"other fields updated", &events.PersonUpdated{Changes: events.PersonFields{Nama: ptr("ANDI")}}, nil},
		{"too short to be a number", &events.PersonRegistered{Nama: "BUDI", WhatsApp: "62812"}, nil},
		{"another event", &events.PersonDeactivated{}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if d := cmp.Diff(tc.want, Saga().Decide(events.Envelope{}, tc.ev)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}
