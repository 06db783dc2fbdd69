package main

import (
	"context"
	"fmt"
	"time"

	"github.com/cicero/cicero/commands/outgoing"
	"github.com/cicero/cicero/commands/taskboard"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/schedule"
	"github.com/cicero/cicero/internal/waid"
	"github.com/cicero/cicero/projections"
	"github.com/cicero/cicero/projections/messaging"
	"github.com/cicero/cicero/projections/recap"
	"github.com/cicero/cicero/projections/social"
	"github.com/cicero/cicero/sagas/jobs"
	"github.com/cicero/cicero/sagas/jobs/dirreport"
)

// messagingJobs are the scheduled WhatsApp recaps and reminders (README
// "Schedules"). In serve a job first waits for its WhatsApp session
// (WA_READY_TIMEOUT_MS); `cicero job run` has no sessions and queues, the
// outbox waiting for serve's.
func messagingJobs(w *wiring) ([]schedule.Job, error) {
	read := recap.New(w.pool)
	return jobs.NewRecaps(jobs.RecapDeps{Read: read, Reports: dirreport.New(read, nil),
		Reminders: messaging.NewQueries(w.pool), Queue: outgoing.NewHandlers(w.runtime),
		Admins: waid.Admins(w.cfg.AdminWhatsApp), DirRequestGroup: w.cfg.EnableDirRequestGroup,
		Fetch: scheduledJob{w.jobs, jobs.SocialFetchJob},
		Ready: w.waReadiness(), ReadyTimeout: w.cfg.WAReadyWait(), Logger: w.log}).Jobs(), nil
}

// scheduledJob runs a job through the scheduler: under its lock, so a run
// from another job waits for (never overlaps) one already running.
type scheduledJob struct {
	s    *schedule.Scheduler
	name string
}

func (j scheduledJob) Run(ctx context.Context, args schedule.Args) error {
	return j.s.RunNow(ctx, j.name, args)
}

// newTaskBroadcast posts each fetched client's task board once the posts
// and engagements read models hold what the fetch appended (read through
// their checkpoints, so it also works from `cicero job run` while serve
// runs the projections).
func newTaskBroadcast(w *wiring) *jobs.TaskBroadcast {
	cps := projections.NewCheckpoints(w.pool)
	return &jobs.TaskBroadcast{Read: recap.New(w.pool), Boards: taskboard.NewHandlers(w.runtime),
		CatchUp: func(ctx context.Context) error {
			seq, err := w.store.StreamHead(ctx, "SOCIAL")
			if err != nil {
				return fmt.Errorf("SOCIAL head: %w", err)
			}
			head := []events.Position{{Stream: "SOCIAL", Sequence: seq}}
			for _, name := range []string{social.PostsName, social.EngagementsName} {
				if err := cps.WaitFor(ctx, name, head, time.Minute); err != nil {
					return err
				}
			}
			return nil
		}}
}
