package sagas

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cicero/cicero/events"
)

// A message whose NotAfter passed before a dispatcher got to it (WhatsApp
// was down all evening) is recorded failed, not sent; one still in time
// is sent. The clock is the dispatcher's.
func TestDispatcherDropsExpiredMessages(t *testing.T) {
	r := newRig(t)
	now := time.Date(2026, 12, 3, 18, 0, 0, 0, time.UTC)
	past, future := now.Add(-time.Minute), now.Add(time.Hour)
	rows := []outboxRow{
		{Saga: "recap", EventID: "ev-late", Recipient: "6281200000001@s.whatsapp.net", Channel: ChannelWhatsApp,
			Content: Content{Text: "rekap kemarin", NotAfter: &past}},
		{Saga: "recap", EventID: "ev-on-time", Recipient: "6281200000002@s.whatsapp.net", Channel: ChannelWhatsApp,
			Content: Content{Text: "rekap hari ini", NotAfter: &future}},
	}
	ctx := context.Background()
	tx, err := r.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := insertOutbox(ctx, tx, rows); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		if err := r.pool.QueryRow(ctx, `SELECT id FROM outbox WHERE event_id=$1`, rows[i].EventID).Scan(&rows[i].ID); err != nil {
			t.Fatal(err)
		}
	}
	sender := &RecordingSender{}
	o := fastOptions()
	o.Now = func() time.Time { return now }
	startDispatcher(t, mustDispatcher(t, r, map[string]Sender{ChannelWhatsApp: sender}, o))
	r.waitDrained(t, 10*time.Second)

	calls := sender.Calls()
	if len(calls) != 1 || calls[0].Message.Content.Text != "rekap hari ini" {
		t.Fatalf("sends %+v, want only the message still in time", calls)
	}
	if st := r.mustRow(t, rows[0].ID); st.Status != StatusFailed || !strings.Contains(st.LastError, "its time passed") {
		t.Errorf("late row: %+v, want failed as expired", st)
	}
	out := r.mustOutcomes(t, rows[0].ID)
	if len(out) != 1 {
		t.Fatalf("late row outcomes %+v", out)
	}
	if f, ok := out[0].(*events.MessageFailed); !ok || !strings.Contains(f.Error, "due by 2026-12-03T17:59:00Z") {
		t.Errorf("late row outcome %+v, want MessageFailed naming its deadline", out[0])
	}
	if st := r.mustRow(t, rows[1].ID); st.Status != StatusSent {
		t.Errorf("on-time row: %+v, want sent", st)
	}
}
