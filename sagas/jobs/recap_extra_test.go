package jobs_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/outgoing"
	"github.com/cicero/cicero/commands/post"
	"github.com/cicero/cicero/commands/taskboard"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/schedule"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/internal/waid"
	"github.com/cicero/cicero/projections/messaging"
	"github.com/cicero/cicero/projections/recap"
	"github.com/cicero/cicero/sagas"
	"github.com/cicero/cicero/sagas/jobs"
	"github.com/cicero/cicero/sagas/jobs/dirreport"
	"github.com/cicero/cicero/sagas/sagatest"
	socialsaga "github.com/cicero/cicero/sagas/social"
)

// A directorate's task board lists its task set: its own feed and the
// posts tagged for its role.
func TestTaskBoardOfADirectorate(t *testing.T) {
	r := newRecapRig(t)
	r.must(r.posts.TagPostForRole(bg(t), commands.Meta{}, post.TagPostForRole{Platform: events.PlatformInstagram,
		PostID: "PApost1", Role: "ditbinmas", By: "test"}))
	r.settle()
	b := &jobs.TaskBroadcast{Read: recap.New(r.pool), Boards: taskboard.NewHandlers(r.rt), Now: func() time.Time { return wibAt(10, 0) }}
	if err := b.Broadcast(bg(t), "ditbinmas"); err != nil {
		t.Fatal(err)
	}
	sagatest.RunTo(t, r.pool, r.n.Store, socialsaga.TaskBroadcast(), nil, r.heads("MESSAGING")[0])
	var got [][2]string
	for _, row := range sagatest.Rows(t, r.pool, socialsaga.TaskBroadcastName) {
		got = append(got, [2]string{row.Recipient, row.Content.Text})
	}
	want := [][2]string{{"120363000000000010@g.us", taskText("DIREKTORAT BINMAS", "ditbinmas_tt",
		[]string{"PApost1|07:00|1|new", "DBpost1|08:00|3|new", "DBpost2|09:00|2|new"},
		[]string{"7100000000000000001|08:30|1|new"})}}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("board (-want +got):\n%s", d)
	}
}

// readiness records what a job waited for and answers err.
type readiness struct {
	mu       sync.Mutex
	sessions []string
	err      error
}

func (r *readiness) WaitReady(_ context.Context, session string, timeout time.Duration) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sessions = append(r.sessions, session)
	if timeout <= 0 {
		return errors.New("no timeout")
	}
	return r.err
}

var _ jobs.Readiness = (*readiness)(nil)

// A job waits for its WhatsApp session (the main one, or any of the
// fallback chain); not ready, it fails and queues nothing.
func TestRecapsWaitForWhatsApp(t *testing.T) {
	r := newRecapRig(t)
	ready := &readiness{err: errors.New("WhatsApp client not ready after 60000ms")}
	read := recap.New(r.pool)
	rc := jobs.NewRecaps(jobs.RecapDeps{Read: read, Reports: dirreport.New(read, r.clk.now),
		Reminders: messaging.NewQueries(r.pool), Queue: outgoing.NewHandlers(r.rt), Admins: waid.Admins(adminNumber),
		Ready: ready, Now: r.clk.now, Logger: testkit.Logger(t)})
	run := func(name string) error {
		i := slices.IndexFunc(rc.Jobs(), func(j schedule.Job) bool { return j.Name == name })
		return rc.Jobs()[i].Run(bg(t), schedule.Args{})
	}
	if err := run(jobs.RekapUpdateJob); err == nil {
		t.Fatal("a job ran while WhatsApp was not ready")
	}
	if err := run(jobs.EngagementJob); err == nil {
		t.Fatal("a job ran while WhatsApp was not ready")
	}
	if n := len(r.outbox()); n != 0 {
		t.Fatalf("%d messages queued while WhatsApp was not ready", n)
	}
	ready.err = nil
	if err := run(jobs.EngagementJob); err != nil {
		t.Fatal(err)
	}
	if n := len(r.outbox()); n != 6 {
		t.Fatalf("%d messages once ready, want 6", n)
	}
	if d := cmp.Diff([]string{sagas.SessionMain, "", ""}, ready.sessions); d != "" {
		t.Fatalf("sessions waited for (-want +got):\n%s", d)
	}
}

// The task board's day is the Jakarta day: at 06:30 WIB (23:30 UTC the day
// before) it lists today's posts, not yesterday's 23:00 WIB post.
func TestTaskBoardDayIsJakartas(t *testing.T) {
	r := newRecapRig(t)
	b := &jobs.TaskBroadcast{Read: recap.New(r.pool), Boards: taskboard.NewHandlers(r.rt), Now: func() time.Time { return wibAt(6, 30) }}
	if err := b.Broadcast(bg(t), "DITBINMAS"); err != nil {
		t.Fatal(err)
	}
	envs, _, err := r.n.Store.Load(bg(t), events.TaskBoardSubject("DITBINMAS", "2026-11-20"))
	if err != nil || len(envs) != 1 {
		t.Fatalf("boards of 2026-11-20: %d, %v; want one", len(envs), err)
	}
	p, err := r.n.Store.Registry().Decode(&envs[0])
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, post := range p.(*events.TaskBoardChanged).Instagram {
		ids = append(ids, post.ID)
	}
	if d := cmp.Diff([]string{"DBpost1", "DBpost2"}, ids); d != "" {
		t.Fatalf("board's Instagram posts (-want +got):\n%s", d)
	}
}

// The directorate menu's 7 and 8 (absensi like IG / komentar TikTok on a
// directorate client) are the §5.3 and §5.4 accumulations 5 and 10 send,
// over the same seeded day; the builder knows them now.
func TestDirReportMenuSevenAndEight(t *testing.T) {
	r := newRecapRig(t)
	b := dirreport.New(recap.New(r.pool), r.clk.now)
	text := func(action int) string {
		t.Helper()
		parts, err := b.Build(bg(t), "DITBINMAS", action, dirreport.Options{})
		if err != nil || len(parts) != 1 || parts[0].Text == "" {
			t.Fatalf("action %d: %+v %v", action, parts, err)
		}
		return parts[0].Text
	}
	if seven, five := text(7), text(5); seven != five || !strings.Contains(seven, "DIREKTORAT BINMAS") {
		t.Errorf("action 7:\n%s\nwant action 5's text:\n%s", seven, five)
	}
	if eight, ten := text(8), text(10); eight != ten {
		t.Errorf("action 8:\n%s\nwant action 10's text:\n%s", eight, ten)
	}
}
