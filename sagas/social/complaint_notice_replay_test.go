package social_test

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"go.uber.org/goleak"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/sagas"
	"github.com/cicero/cicero/sagas/sagatest"
	"github.com/cicero/cicero/sagas/social"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// Answered complaints in the COMPLAINT stream become WhatsApp rows at the
// user JIDs (main session) and a mail for a person with only an address;
// a number too short is nobody; a crash-and-replay sends nothing twice.
func TestComplaintNoticeOutbox(t *testing.T) {
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	answer := func(id string, e events.ComplaintAnswered) string {
		t.Helper()
		e.ComplaintID, e.Message, e.Platform = id, "Selamat pagi! Jawaban "+id, events.PlatformInstagram
		a, err := n.Store.Append(ctx, events.Meta{Actor: "dash-1"}, events.Commit{Subject: events.ComplaintSubject(id),
			AggregateID: id, Events: []events.Payload{e}})
		if err != nil {
			t.Fatal(err)
		}
		return a.EventIDs[0]
	}
	e1 := answer("c1", events.ComplaintAnswered{PersonnelWhatsApp: "6281211112222", DashboardWhatsApp: "6281233334444"})
	e2 := answer("c2", events.ComplaintAnswered{Reporter: "SITI", PersonnelEmail: "siti@polri.test"})
	answer("c3", events.ComplaintAnswered{PersonnelWhatsApp: "0812"})
	s := social.ComplaintNotice()
	sagatest.RunToHeads(t, pool, n.Store, s)
	wa := func(ev, rcpt, id string) sagatest.Row {
		return sagatest.Row{EventID: ev, Recipient: rcpt, Channel: sagas.ChannelWhatsApp,
			Content: sagas.Content{Text: "Selamat pagi! Jawaban " + id, Session: sagas.SessionMain}}
	}
	want := []sagatest.Row{
		wa(e1, "6281211112222@s.whatsapp.net", "c1"), wa(e1, "6281233334444@s.whatsapp.net", "c1"),
		{EventID: e2, Recipient: "siti@polri.test", Channel: sagas.ChannelEmail,
			Content: sagas.Content{Subject: "Tindak Lanjut Laporan Cicero - SITI", Body: "Selamat pagi! Jawaban c2"}},
	}
	got := sagatest.Rows(t, pool, s.Name)
	if d := cmp.Diff(sortRows(want), sortRows(got), cmpopts.IgnoreFields(sagatest.Row{}, "ID", "Status")); d != "" {
		t.Fatalf("outbox (-want +got):\n%s", d)
	}
	sagatest.ReplaySendsNothingTwice(t, pool, n.Store, s, 3)
}

// sortRows orders rows as sagatest.Rows does.
func sortRows(rows []sagatest.Row) []sagatest.Row {
	out := append([]sagatest.Row(nil), rows...)
	sort.Slice(out, func(i, j int) bool {
		if out[i].EventID != out[j].EventID {
			return out[i].EventID < out[j].EventID
		}
		return out[i].Recipient < out[j].Recipient
	})
	return out
}
