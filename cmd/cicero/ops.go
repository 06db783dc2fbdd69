package main

import (
	"context"
	"net/http"

	"github.com/cicero/cicero/internal/schedule"
	"github.com/cicero/cicero/projections"
	"github.com/cicero/cicero/projections/messaging"
	"github.com/cicero/cicero/projections/social"
	"github.com/cicero/cicero/readapi/ops"
)

// opsPage is /ops (readapi/ops): admins only, HTML or JSON, fed from the
// process's projection and saga managers, the outbox, the scheduler, the
// fetch runs read model and the WhatsApp adapter.
func (a *App) opsPage() http.Handler {
	lags := func(m *projections.Manager) func(context.Context) ([]ops.Lag, error) {
		return func(ctx context.Context) ([]ops.Lag, error) {
			st, err := m.Status(ctx)
			if err != nil {
				return nil, err
			}
			out := make([]ops.Lag, len(st))
			for i, s := range st {
				out[i] = ops.Lag(s)
			}
			return out, nil
		}
	}
	return ops.Handler(ops.Deps{
		Auth:        a.authn,
		Projections: lags(a.models),
		Sagas:       lags(a.sagas),
		Outbox: func(ctx context.Context) (ops.Outbox, error) {
			d, err := a.wiring.deliveries.Depth(ctx)
			if err != nil {
				return ops.Outbox{}, err
			}
			fs, err := a.wiring.deliveries.RecentFailures(ctx, 20)
			if err != nil {
				return ops.Outbox{}, err
			}
			out := ops.Outbox{Pending: d.Pending, Sending: d.Sending, Failed: d.Failed,
				OldestPendingSeconds: d.OldestPendingSeconds, RecentFailures: make([]ops.Failure, len(fs))}
			for i, f := range fs {
				out.RecentFailures[i] = ops.Failure(f)
			}
			return out, nil
		},
		Jobs: func(ctx context.Context) ([]ops.Job, error) {
			st, err := a.jobs.List(ctx)
			if err != nil {
				return nil, err
			}
			return opsJobs(st, a.cfg.SchedulerEnabled), nil
		},
		FetchRuns: func(ctx context.Context) ([]ops.FetchRun, error) {
			rs, err := social.NewQueries(a.deps.pool).FetchRuns(ctx, "", 20)
			if err != nil {
				return nil, err
			}
			out := make([]ops.FetchRun, len(rs))
			for i, r := range rs {
				out[i] = ops.FetchRun{RunID: r.RunID, ClientID: r.ClientID, Platform: r.Platform, HostUsed: r.HostUsed,
					Posts: r.Posts, Likes: r.Likes, Comments: r.Comments, Failures: r.Failures, Errors: r.Errors,
					Succeeded: r.Succeeded, FinishedAt: r.FinishedAt}
			}
			return out, nil
		},
		WhatsApp: a.opsWhatsApp(),
		Pairings: func(ctx context.Context) ([]ops.Pairing, error) {
			ss, err := messaging.ListWASessions(ctx, a.deps.pool)
			if err != nil {
				return nil, err
			}
			out := make([]ops.Pairing, len(ss))
			for i, s := range ss {
				out[i] = ops.Pairing{Session: s.Session, JID: s.JID, Paired: s.Paired, PairedAt: s.PairedAt,
					LoggedOutAt: s.LoggedOutAt, LogoutReason: s.LogoutReason}
			}
			return out, nil
		},
		Log: a.log,
	})
}

// opsWhatsApp is the WhatsApp manager's sessions for /ops; nil when this
// instance runs none (WA_SERVICE_SKIP_INIT: the page says so).
func (a *App) opsWhatsApp() ops.WhatsAppSessions {
	if a.wa == nil {
		return nil
	}
	return waSessions{a}
}

// waSessions adapts the manager's statuses to the page's.
type waSessions struct{ a *App }

func (s waSessions) Sessions() []ops.Session {
	st := s.a.whatsappStatuses()
	out := make([]ops.Session, len(st))
	for i, x := range st {
		out[i] = ops.Session(x)
	}
	return out
}

// opsJobs is the schedule as /ops shows it. With the scheduler off this
// instance fires nothing by itself, so no job has a next run.
func opsJobs(st []schedule.Status, schedulerOn bool) []ops.Job {
	out := make([]ops.Job, len(st))
	for i, j := range st {
		out[i] = ops.Job{Name: j.Name, Cron: j.Cron, Active: j.Active, LastRun: j.LastSlot,
			LastFinished: j.LastFinished, LastError: j.LastErr}
		if schedulerOn {
			out[i].NextRun = j.NextRun
		}
	}
	return out
}
