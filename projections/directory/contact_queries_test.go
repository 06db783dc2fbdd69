package directory

import (
	"context"
	"slices"
	"testing"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/projections"
	pt "github.com/cicero/cicero/projections/projectiontest"
)

func TestContactName(t *testing.T) {
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	a := pt.NewAppender(n.Store)
	a.Client(t, a.At(1), "POLRESA", events.ClientRegistered{ClientID: "POLRESA", Nama: "POLRES A", ClientOperator: "6281200000001"})
	a.Client(t, a.At(2), "POLRESB", events.ClientRegistered{ClientID: "POLRESB", Nama: "POLRES B"})
	a.Person(t, a.At(3), "75030001", events.PersonRegistered{NRP: "75030001", Nama: "BUDI LAMA", WhatsApp: "6281200000002"})
	a.Person(t, a.At(4), "75030001", events.PersonDeactivated{NRP: "75030001"})
	a.Person(t, a.At(5), "75030009", events.PersonRegistered{NRP: "75030009", Nama: "BUDI", WhatsApp: "6281200000002"})
	// The operator's number is also a person's: the person's name wins.
	a.Person(t, a.At(6), "75030003", events.PersonRegistered{NRP: "75030003", Nama: "OPS", WhatsApp: "6281200000004", WhatsAppOptIn: true})
	a.Person(t, a.At(6), "75030004", events.PersonRegistered{NRP: "75030004", Nama: "NO NUMBER", WhatsAppOptIn: true})
	a.Person(t, a.At(6), "75030005", events.PersonRegistered{NRP: "75030005", Nama: "OPTED OUT", WhatsApp: "6281200000005"})
	a.Person(t, a.At(6), "75030006", events.PersonRegistered{NRP: "75030006", Nama: "ANDI", WhatsApp: "6281200000006"})
	a.Person(t, a.At(6), "75030006", events.PersonWhatsAppOptInChanged{NRP: "75030006", OptIn: true})
	a.Person(t, a.At(6), "75030001", events.PersonWhatsAppOptInChanged{NRP: "75030001", OptIn: true}) // inactive
	a.Client(t, a.At(7), "POLRESB", events.ClientUpdated{ClientID: "POLRESB", Changes: events.ClientFields{ClientOperator: ptr("6281200000004")}})
	pt.StartRunner(t, projections.NewRunner(pool, n.Store, New(n.Store.Registry()), pt.QuietOpts(t)))
	pt.WaitCheckpoint(t, pool, Name, a.Head())
	if _, err := pool.Exec(context.Background(), `INSERT INTO dashboard_users (dashboard_user_id, username, whatsapp, client_ids)
		VALUES (gen_random_uuid(), 'opr', '6281200000003', '{POLRESB,POLRESA}')`); err != nil {
		t.Fatal(err)
	}
	q := NewQueries(pool)
	for _, c := range []struct{ phone, want string }{
		{"6281200000002", "BUDI"},           // active person before the inactive one
		{"6281200000003", "Admin POLRES A"}, // dashboard user: first client by id
		{"6281200000001", "Admin POLRES A"}, // client operator
		{"6281200000004", "OPS"},
		{"6281299999999", ""},
		{"", ""},
	} {
		got, err := q.ContactName(context.Background(), c.phone)
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("ContactName(%q) = %q, want %q", c.phone, got, c.want)
		}
	}
	got, err := q.ContactNumbers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []ContactNumber{{"6281200000004", "OPS"}, {"6281200000006", "ANDI"}}
	if !slices.Equal(got, want) {
		t.Errorf("ContactNumbers = %v, want %v", got, want)
	}
}
