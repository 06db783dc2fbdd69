package jobs_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/recaptext"
	"github.com/cicero/cicero/projections/messaging"
	"github.com/cicero/cicero/sagas"
	"github.com/cicero/cicero/sagas/jobs"
	"github.com/cicero/cicero/sagas/sagatest"
)

// The reminder's stage per chat moves initial → followup1 → followup2
// (repeated) → completed, and only when the previous reminder was
// delivered: a run after a failed or not yet delivered reminder sends the
// same stage again. Opted-in DITBINMAS and BIDHUMAS personnel only; a
// person with everything done gets one thank-you and nothing after.
func TestReminderStagesAdvanceOnDelivery(t *testing.T) {
	r := newRecapRig(t)
	dewiChat, ekoChat := jid("081300000004"), jid("6281300000005")
	pending := func(h, m int) string {
		return recaptext.ReminderText(recaptext.Reminder{Title: "AKP", Name: "DEWI", At: wibAt(h, m),
			Instagram: []string{"https://www.instagram.com/p/DBpost2"},
			Tiktok:    []string{"https://www.tiktok.com/@ditbinmas_tt/video/7100000000000000001"}})
	}
	thanks := func(title, name string, h, m int) string {
		return recaptext.ReminderText(recaptext.Reminder{Title: title, Name: name, At: wibAt(h, m)})
	}
	seen := 0
	step := func(h, m int, want ...sent) {
		t.Helper()
		r.run(jobs.ReminderJob, h, m)
		got := r.outbox()[seen:]
		seen += len(got)
		if d := cmp.Diff(want, got, cmpopts.EquateEmpty()); d != "" {
			t.Fatalf("run at %02d:%02d sent (-want +got):\n%s", h, m, d)
		}
	}
	states := func(want ...messaging.ReminderState) {
		t.Helper()
		r.settle()
		got, err := messaging.NewQueries(r.pool).ReminderStates(bg(t), "2026-11-20")
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, got, cmpopts.EquateEmpty()); d != "" {
			t.Fatalf("states (-want +got):\n%s", d)
		}
	}
	failDewi := &sagatest.Recorder{Fn: func(_ context.Context, m sagas.Message, key string) (string, error) {
		if m.Recipient == dewiChat {
			return "", sagas.Permanent(errors.New("not on WhatsApp"))
		}
		return key, nil
	}}
	ok := &sagatest.Recorder{}
	dispatch := func(rec *sagatest.Recorder) {
		t.Helper()
		// On the reminders' day: after it they are stale and not sent.
		sagatest.DispatchAt(t, r.pool, r.n.Store, map[string]sagas.Sender{sagas.ChannelWhatsApp: rec}, 20*time.Second,
			func() time.Time { return wibAt(18, 0) })
	}

	step(17, 5, sent{To: dewiChat, Text: pending(17, 5)}, sent{To: ekoChat, Text: thanks("AIPTU", "EKO", 17, 5)})
	step(17, 5) // the same slot again: nothing
	// Nothing delivered yet: the next slot sends the initial stage again.
	step(17, 35, sent{To: dewiChat, Text: pending(17, 35)}, sent{To: ekoChat, Text: thanks("AIPTU", "EKO", 17, 35)})
	states()

	dispatch(failDewi)
	states(messaging.ReminderState{Chat: ekoChat, Client: "BIDHUMAS", Stage: jobs.StageCompleted, Complete: true})
	// Dewi's reminder failed: initial again; Eko is done for the day.
	step(17, 40, sent{To: dewiChat, Text: pending(17, 40)})
	dispatch(ok)
	dewi := func(stage int, complete bool) messaging.ReminderState {
		return messaging.ReminderState{Chat: dewiChat, Client: "DITBINMAS", Stage: stage, Complete: complete}
	}
	eko := messaging.ReminderState{Chat: ekoChat, Client: "BIDHUMAS", Stage: jobs.StageCompleted, Complete: true}
	states(dewi(jobs.StageInitial, false), eko)

	prev := jobs.StageInitial
	for i, stage := range []int{jobs.StageFollowup1, jobs.StageFollowup2, jobs.StageFollowup2} {
		step(17, 41+i, sent{To: dewiChat, Text: pending(17, 41+i)})
		states(dewi(prev, false), eko) // not delivered yet: still the previous stage
		dispatch(ok)
		states(dewi(stage, false), eko)
		// The same slot again (an operator's run in the scheduled minute),
		// now that the reminder was delivered: nothing more.
		step(17, 41+i)
		prev = stage
	}

	// Dewi does the rest: one thank-you, then nothing.
	r.engage(events.PlatformInstagram, "DBpost2", "DEWI")
	r.engage(events.PlatformTiktok, "7100000000000000001", "@dewi_tt")
	step(17, 50, sent{To: dewiChat, Text: thanks("AKP", "DEWI", 17, 50)})
	dispatch(ok)
	states(dewi(jobs.StageCompleted, true), eko)
	step(17, 55)
}
