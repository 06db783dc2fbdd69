package outgoing_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/outgoing"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/sagas"
	sagaout "github.com/cicero/cicero/sagas/outgoing"
	"github.com/cicero/cicero/sagas/sagatest"
)

// A queued message reaches the outbox once per recipient and is sent once;
// queuing the same key again (a rerun of the slot, under another command
// id) appends nothing, and replaying the saga from the start with the
// dispatcher running sends nothing twice.
func TestQueuedMessagesSendOnce(t *testing.T) {
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	h := outgoing.NewHandlers(commands.NewRuntime(n.Store, commands.NewPGCommandLog(pool), testkit.Logger(t)))
	ctx := context.Background()

	endOfDay := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	recap := events.MessageQueued{Key: "rekap-link/POLRESA/2026-12-03T15:05", Kind: "rekap-link", ClientID: "polresa",
		Channel: sagas.ChannelWhatsApp, Session: sagas.SessionMain, Text: "Rekap link", NotAfter: &endOfDay,
		Recipients: []string{"120363419830216549@g.us", "6281211112222@s.whatsapp.net", " 6281211112222@s.whatsapp.net", ""}}
	first, err := h.Queue(ctx, commands.Meta{Actor: "system:rekap-link"}, outgoing.Queue{Message: recap})
	if err != nil || len(first.Appended) != 1 {
		t.Fatalf("queue: %+v %v", first, err)
	}
	again, err := h.Queue(ctx, commands.Meta{CommandID: "another-id"}, outgoing.Queue{Message: recap})
	if err != nil || len(again.Appended) != 0 {
		t.Fatalf("the same key again appended: %+v %v", again, err)
	}
	doc := events.MessageQueued{Key: "monthly/POLRESA/2026-11", Kind: "amplify-monthly", Channel: sagas.ChannelWhatsApp,
		Recipients: []string{"6281233334444@s.whatsapp.net"},
		Document:   &events.QueuedDocument{FileName: "POLRESA_November.xlsx", MimeType: "application/xlsx", Data: []byte("PK")}}
	second, err := h.Queue(ctx, commands.Meta{}, outgoing.Queue{Message: doc})
	if err != nil || len(second.Appended) != 1 {
		t.Fatalf("queue document: %+v %v", second, err)
	}
	head := events.Position{Stream: second.Appended[0].Stream, Sequence: second.Appended[0].Sequence}

	saga := sagaout.Queued(24 * time.Hour)
	sagatest.RunTo(t, pool, n.Store, saga, nil, head)
	rows := sagatest.Rows(t, pool, saga.Name)
	type sent struct{ Recipient, Text, Session, File, NotAfter string }
	var got []sent
	for _, r := range rows {
		s := sent{Recipient: r.Recipient, Text: r.Content.Text, Session: r.Content.Session}
		if r.Content.NotAfter != nil {
			s.NotAfter = r.Content.NotAfter.UTC().Format(time.RFC3339)
		}
		if r.Content.Document != nil {
			s.File = r.Content.Document.FileName + ":" + string(r.Content.Document.Data)
		}
		got = append(got, s)
	}
	want := []sent{
		{"120363419830216549@g.us", "Rekap link", "wa", "", endOfDay.Format(time.RFC3339)},
		{"6281211112222@s.whatsapp.net", "Rekap link", "wa", "", endOfDay.Format(time.RFC3339)},
		{"6281233334444@s.whatsapp.net", "", "", "POLRESA_November.xlsx:PK", ""},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("outbox (-want +got):\n%s", d)
	}

	wa := &sagatest.Recorder{}
	sagatest.Dispatch(t, pool, n.Store, map[string]sagas.Sender{sagas.ChannelWhatsApp: wa}, 20*time.Second)
	sagatest.Rewind(t, pool, saga.Name)
	sagatest.RunTo(t, pool, n.Store, saga, nil, head)
	sagatest.Dispatch(t, pool, n.Store, map[string]sagas.Sender{sagas.ChannelWhatsApp: wa}, 5*time.Second)
	if len(sagatest.Rows(t, pool, saga.Name)) != len(want) {
		t.Fatal("the replay added outbox rows")
	}
	if len(wa.Calls()) != len(want) {
		t.Fatalf("%d sends, want %d", len(wa.Calls()), len(want))
	}
	for key, k := range wa.Delivered() {
		if k != 1 {
			t.Errorf("key %s sent %d times", key, k)
		}
	}
}

func TestQueueRefusals(t *testing.T) {
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	h := outgoing.NewHandlers(commands.NewRuntime(n.Store, commands.NewPGCommandLog(pool), testkit.Logger(t)))
	ok := events.MessageQueued{Key: "k", Kind: "reminder", Channel: "whatsapp", Recipients: []string{"6281211112222@s.whatsapp.net"}, Text: "x"}
	for _, tt := range []struct {
		name  string
		edit  func(*events.MessageQueued)
		field string
	}{
		{"no key", func(m *events.MessageQueued) { m.Key = " " }, "key"},
		{"no kind", func(m *events.MessageQueued) { m.Kind = "" }, "kind"},
		{"unknown channel", func(m *events.MessageQueued) { m.Channel = "sms" }, "channel"},
		{"no recipients", func(m *events.MessageQueued) { m.Recipients = []string{" "} }, "recipients"},
		{"empty message", func(m *events.MessageQueued) { m.Text = "" }, "text"},
		{"nameless document", func(m *events.MessageQueued) { m.Document = &events.QueuedDocument{Data: []byte("x")} }, "document"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := ok
			m.Key = "refused-" + tt.name
			tt.edit(&m)
			_, err := h.Queue(context.Background(), commands.Meta{}, outgoing.Queue{Message: m})
			var ae *apperr.Error
			if apperr.CodeOf(err) != apperr.Invalid || !asField(err, &ae, tt.field) {
				t.Fatalf("err = %v, want Invalid on %s", err, tt.field)
			}
			envs, _, err := n.Store.Load(context.Background(), events.QueuedSubject(m.Key))
			if err != nil || len(envs) != 0 {
				t.Fatalf("a refused message left %d events (%v)", len(envs), err)
			}
		})
	}
}

func asField(err error, ae **apperr.Error, field string) bool {
	e, ok := err.(*apperr.Error)
	if !ok {
		return false
	}
	*ae = e
	return e.Field == field
}
