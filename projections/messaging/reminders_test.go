package messaging_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/projections"
	"github.com/cicero/cicero/projections/messaging"
	pt "github.com/cicero/cicero/projections/projectiontest"
)

// The reminders' state moves only on a delivery by the queued-messages
// saga, never backwards (a later delivery of an earlier stage keeps the
// higher one; a completed day stays completed), and ignores messages that
// are not reminders. Applied one event at a time or all in one batch (the
// delivery then finds its reminder in the batch, not the table), the
// result is the same.
func TestReminderStateMovesOnDeliveryOnly(t *testing.T) {
	n := testkit.StartNATS(t, testkit.FastSync())
	a := pt.NewAppender(n.Store)
	i := 0
	queue := func(kind, chat string, stage int, complete bool) string {
		t.Helper()
		i++
		key := fmt.Sprintf("test/%d", i)
		res := a.Add(t, a.At(i), events.QueuedSubject(key), key, events.MessageQueued{Key: key, Kind: kind,
			ClientID: "DITBINMAS", Channel: "whatsapp", Recipients: []string{chat}, Text: "x",
			Meta: map[string]string{messaging.MetaDate: "2026-11-20", messaging.MetaChat: chat,
				messaging.MetaClient: "DITBINMAS", messaging.MetaStage: strconv.Itoa(stage),
				messaging.MetaComplete: strconv.FormatBool(complete)}})
		return res.EventIDs[0]
	}
	var head uint64
	deliver := func(saga, eventID, chat string) {
		t.Helper()
		i++
		res := a.Add(t, a.At(i), events.DeliverySubject(saga, chat), chat,
			events.MessageDelivered{OutboxID: int64(i), Saga: saga, EventID: eventID, Channel: "whatsapp", Recipient: chat})
		head = res.Sequence
	}
	const saga = "messaging-queued"
	dewi, eko, fajar, gita := "6281300000004@s.whatsapp.net", "6281300000005@s.whatsapp.net",
		"6281300000006@s.whatsapp.net", "6281300000007@s.whatsapp.net"

	// Dewi: followup1 delivered before the initial: stays at followup1.
	d0, d1 := queue(messaging.ReminderKind, dewi, 0, false), queue(messaging.ReminderKind, dewi, 1, false)
	deliver(saga, d1, dewi)
	deliver(saga, d0, dewi)
	// Eko: the thank-you, then a late followup2: stays completed.
	e3, e2 := queue(messaging.ReminderKind, eko, 2, true), queue(messaging.ReminderKind, eko, 2, false)
	deliver(saga, e3, eko)
	deliver(saga, e2, eko)
	// Fajar: queued, never delivered. Gita: another kind of message, and
	// a reminder whose delivery another saga reports.
	queue(messaging.ReminderKind, fajar, 0, false)
	deliver(saga, queue("rekap", gita, 0, false), gita)
	deliver("social-task-broadcast", queue(messaging.ReminderKind, gita, 1, false), gita)

	want := []messaging.ReminderState{
		{Chat: dewi, Client: "DITBINMAS", Stage: 1},
		{Chat: eko, Client: "DITBINMAS", Stage: 3, Complete: true},
	}
	for _, batch := range []int{1, 5000} {
		t.Run(fmt.Sprintf("batch=%d", batch), func(t *testing.T) {
			pool, _ := testkit.NewDatabase(t)
			opts := pt.QuietOpts(t)
			opts.BatchSize = batch
			pt.StartRunner(t, projections.NewRunner(pool, n.Store, messaging.NewReminders(n.Store.Registry()), opts))
			pt.WaitProjection(t, pool, messaging.RemindersName, "MESSAGING", head)
			got, err := messaging.NewQueries(pool).ReminderStates(context.Background(), "2026-11-20")
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(want, got, cmpopts.EquateEmpty()); d != "" {
				t.Fatalf("states (-want +got):\n%s", d)
			}
		})
	}
}
