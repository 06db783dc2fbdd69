package jobs

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/internal/normalize"
	"github.com/cicero/cicero/internal/recaptext"
	"github.com/cicero/cicero/internal/schedule"
	"github.com/cicero/cicero/internal/waid"
	"github.com/cicero/cicero/projections/messaging"
	"github.com/cicero/cicero/projections/recap"
)

// Reminder stages (spec/ops.md §5.6).
const (
	StageInitial   = 0
	StageFollowup1 = 1
	StageFollowup2 = 2
	StageCompleted = 3
)

// ReminderClients are the clients whose opted-in personnel are reminded.
var ReminderClients = []string{"DITBINMAS", "BIDHUMAS"}

// runStage is the stage of this run from the day's states: initial when
// none is pending (no state yet, or all complete), else one past the
// highest pending stage, at most followup2.
func runStage(states []messaging.ReminderState) int {
	high := -1
	for _, s := range states {
		if !s.Complete && s.Stage > high {
			high = s.Stage
		}
	}
	if high < 0 {
		return StageInitial
	}
	return min(high+1, StageFollowup2)
}

// recipientStage is the stage to send a recipient, or -1 to skip: initial
// without state; nothing once complete; followup2 again on every
// followup2 run; else the run's stage when it is ahead of the state.
func recipientStage(run int, st *messaging.ReminderState) int {
	switch {
	case st == nil:
		return StageInitial
	case st.Complete:
		return -1
	case run == StageFollowup2 && st.Stage <= StageFollowup2:
		return StageFollowup2
	case run > st.Stage:
		return run
	}
	return -1
}

// dayTasks is a client's task posts of the day with who engaged.
type dayTasks struct {
	client recap.Client
	posts  map[string][]recaptext.Post
	who    map[string]map[string]map[string]bool // platform → post → handles
}

func (r *Recaps) dayTasks(ctx context.Context, c recap.Client, day string) (*dayTasks, error) {
	t := &dayTasks{client: c, posts: map[string][]recaptext.Post{}, who: map[string]map[string]map[string]bool{}}
	for _, pl := range []string{events.PlatformInstagram, events.PlatformTiktok} {
		posts, who, err := r.d.Read.TaskPosts(ctx, c, pl, day, day, true)
		if err != nil {
			return nil, err
		}
		t.posts[pl], t.who[pl] = posts, who
	}
	return t, nil
}

// pending are the links of the posts on platform the handle has not
// engaged with (every post without a handle; none for exempt personnel).
func (t *dayTasks) pending(platform, handle string, exempt bool) []string {
	if exempt {
		return nil
	}
	h := normalize.Handle(handle)
	var out []string
	for _, p := range t.posts[platform] {
		if h == "" || !t.who[platform][p.ID][h] {
			out = append(out, recaptext.PostLink(platform, t.client.Client, p.ID))
		}
	}
	return out
}

// reminder is job 14 (cronWaNotificationReminder): a personal reminder to
// each opted-in member (client_id DITBINMAS or BIDHUMAS) with a WhatsApp
// number, at the stage the day's delivered reminders reached (the
// messaging_reminders read model, advanced only by deliveries): the posts
// still to do, or a thank-you once all is done (after which nothing more
// that day).
func (r *Recaps) reminder(ctx context.Context, _ schedule.Args) error {
	rn, err := r.start(ctx, ReminderJob, "")
	if err != nil {
		return err
	}
	day := jakarta.Date(rn.now)
	states, err := r.d.Reminders.ReminderStates(ctx, day)
	if err != nil {
		return fmt.Errorf("%s: %w", ReminderJob, err)
	}
	byChat := map[string]*messaging.ReminderState{}
	for i := range states {
		byChat[states[i].Chat+":"+states[i].Client] = &states[i]
	}
	run := runStage(states)
	var errs []error
	seen := map[string]bool{}
	for _, id := range ReminderClients {
		c, err := r.d.Read.Client(ctx, id)
		if errors.Is(err, recap.ErrNotFound) {
			continue
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s %s: %w", ReminderJob, id, err))
			continue
		}
		ms, err := r.d.Read.Members(ctx, c, "", true)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s %s: %w", ReminderJob, id, err))
			continue
		}
		var tasks *dayTasks
		for _, m := range ms {
			chat := reminderChat(m.WhatsApp)
			key := chat + ":" + c.ID
			if !m.OptIn || chat == "" || seen[key] {
				continue
			}
			seen[key] = true
			stage := recipientStage(run, byChat[key])
			if stage < 0 {
				continue
			}
			if tasks == nil {
				if tasks, err = r.dayTasks(ctx, c, day); err != nil {
					errs = append(errs, fmt.Errorf("%s %s: %w", ReminderJob, id, err))
					break
				}
			}
			rem := recaptext.Reminder{Title: m.Title, Name: m.Name, At: rn.now,
				Instagram: tasks.pending(events.PlatformInstagram, m.Insta, m.Exception),
				Tiktok:    tasks.pending(events.PlatformTiktok, m.Tiktok, m.Exception)}
			done := len(rem.Instagram) == 0 && len(rem.Tiktok) == 0
			// One reminder per chat and slot: the key leaves the stage out,
			// so a rerun of the slot after the first run's reminder was
			// delivered (its stage then moved) appends nothing.
			err := rn.queue(ctx, message{kind: messaging.ReminderKind, client: c.ID, part: chat, text: recaptext.ReminderText(rem),
				recipients: []string{chat}, meta: map[string]string{messaging.MetaDate: day, messaging.MetaChat: chat,
					messaging.MetaClient: c.ID, messaging.MetaStage: strconv.Itoa(stage),
					messaging.MetaComplete: strconv.FormatBool(done)}})
			if err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// reminderChat is the member's chat: a number of at least ten digits as
// stored (counted before the 62 normalisation, which lengthens a 0…
// number).
func reminderChat(whatsapp string) string {
	digits := 0
	for _, r := range whatsapp {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	if digits < 10 {
		return ""
	}
	return waid.UserJID(whatsapp)
}
