package main

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/config"
	"github.com/cicero/cicero/internal/google/contacts"
	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/internal/schedule"
	"github.com/cicero/cicero/internal/seal"
	"github.com/cicero/cicero/internal/whatsapp"
	"github.com/cicero/cicero/projections"
	"github.com/cicero/cicero/sagas"
	"github.com/cicero/cicero/writeapi"
)

// A boundedContext is everything one context adds to the process, wired in
// its own file (context_<name>.go): adding a context is one such file plus a
// sub-package per layer. Every field may be nil when the context has none.
type boundedContext struct {
	// name is the context's one name in every layer (projections/<name>,
	// readapi and writeapi <name>_*.go, internal/apispec/<name>_*.yaml).
	name string
	// readModels build its read models: serve keeps them up to date and
	// `cicero rebuild` replays them. They only need the registry.
	readModels func(reg *events.Registry) []projections.Projection
	// sagas turn its events into outbox rows; serve runs them (never a
	// rebuild).
	sagas func(w *wiring) ([]sagas.Saga, error)
	// jobs are its scheduled jobs (serve's scheduler, `cicero job`).
	jobs func(w *wiring) ([]schedule.Job, error)
	// mount adds its /api routes, each with who may call it.
	mount func(w *wiring, api *auth.Router) error
	// unconsumed are its event types that no read model or saga consumes,
	// each with the reason (TestEveryEventHasAConsumer).
	unconsumed map[string]string
}

// boundedContexts lists every context of the process.
func boundedContexts() []boundedContext {
	return []boundedContext{directoryContext(), accessContext(), premiumContext(), socialContext(), messagingContext(), googleContext(),
		editorialContext(), amplifyContext(), auditContext()}
}

// wiring is what a context's wiring may use. Outside serve (the job and
// rebuild commands) redis, authn, models, seal, senders and deliveries are nil, and mount is
// never called.
type wiring struct {
	cfg     config.Config
	log     *slog.Logger
	pool    *pgxpool.Pool
	store   *events.Store
	redis   *redis.Client
	runtime *commands.Runtime
	authn   *auth.Authenticator
	models  *projections.Manager
	// seal seals the secrets messages carry (OTP codes, reset tokens); the
	// dispatcher opens them with the same key.
	seal *seal.Box
	// senders are the dispatcher's adapters by channel (WhatsApp only when this instance runs it),
	// deliveries what a handler waits on for a message it made due.
	senders    map[string]sagas.Sender
	deliveries *sagas.Deliveries
	// wa is serve's WhatsApp session manager (nil elsewhere and with
	// WA_SERVICE_SKIP_INIT).
	wa *whatsapp.Manager
	// contacts saves numbers as Google contacts (nil: not configured); the
	// google-contact sender and the admin's savecontact share it.
	contacts *contacts.Saver
	// jobs is serve's scheduler and background the process's lifetime:
	// what an operator's job run over HTTP runs in.
	jobs       *schedule.Scheduler
	background context.Context
}

// waiter is a write route's read-your-writes wait on one read model.
func (w *wiring) waiter(projection string) func(context.Context, []events.Position) error {
	return func(ctx context.Context, ps []events.Position) error {
		return w.models.WaitFor(ctx, projection, ps, w.cfg.ReadWaitMax)
	}
}

// readModels lists every projection that builds a read model.
func readModels(reg *events.Registry) []projections.Projection {
	var out []projections.Projection
	for _, c := range boundedContexts() {
		if c.readModels != nil {
			out = append(out, c.readModels(reg)...)
		}
	}
	return out
}

// findReadModel returns the read model called name (`cicero rebuild`).
func findReadModel(reg *events.Registry, name string) (projections.Projection, error) {
	var names []string
	for _, p := range readModels(reg) {
		if p.Name() == name {
			return p, nil
		}
		names = append(names, p.Name())
	}
	sort.Strings(names)
	return nil, fmt.Errorf("unknown projection %q (known: %s)", name, strings.Join(names, ", "))
}

// allSagas lists every context's sagas.
func allSagas(w *wiring) ([]sagas.Saga, error) {
	var out []sagas.Saga
	for _, c := range boundedContexts() {
		if c.sagas == nil {
			continue
		}
		ss, err := c.sagas(w)
		if err != nil {
			return nil, fmt.Errorf("%s sagas: %w", c.name, err)
		}
		for _, s := range ss {
			// A saga that could reach events older than the outbox keeps its
			// rows would send again what retention pruned.
			if s.MaxAge <= 0 || s.MaxAge >= w.cfg.OutboxRetention {
				return nil, fmt.Errorf("saga %s: MaxAge %s must be set and shorter than OUTBOX_RETENTION (%s)",
					s.Name, s.MaxAge, w.cfg.OutboxRetention)
			}
		}
		out = append(out, ss...)
	}
	return out, nil
}

// retentionJob prunes command outcomes and finished outbox rows older than
// their retention (COMMAND_LOG_RETENTION, OUTBOX_RETENTION), daily at
// 03:30 Asia/Jakarta. Both tables are bookkeeping next to the history, not
// history: see the README's "Retention".
func retentionJob(w *wiring) schedule.Job {
	return schedule.Job{Name: "retention", Cron: "30 3 * * *", Run: func(ctx context.Context, _ schedule.Args) error {
		now := time.Now()
		cl, err := commands.PruneCommandLog(ctx, w.pool, now.Add(-w.cfg.CommandLogRetention), 0)
		if err != nil {
			return err
		}
		ob, err := sagas.PruneOutbox(ctx, w.pool, now.Add(-w.cfg.OutboxRetention), 0)
		if err != nil {
			return err
		}
		w.log.Info("retention", "command_log_deleted", cl, "outbox_deleted", ob)
		return nil
	}}
}

// newScheduler builds the scheduler with every context's jobs registered:
// what serve starts and what `cicero job` lists and runs. Jobs issue their
// commands through a runtime with a direct command log, so `job run`
// leaves nothing queued when the process ends.
func newScheduler(w *wiring) (*schedule.Scheduler, error) {
	s := schedule.New(w.pool, w.log, jakarta.Location)
	jw := *w
	jw.runtime = commands.NewRuntime(w.store, commands.NewPGCommandLog(w.pool), w.log)
	jw.jobs = s // a job may run another through the scheduler (its lock)
	if err := s.Register(scheduledChannel(retentionJob(w))); err != nil {
		return nil, err
	}
	for _, c := range boundedContexts() {
		if c.jobs == nil {
			continue
		}
		js, err := c.jobs(&jw)
		if err != nil {
			return nil, fmt.Errorf("%s jobs: %w", c.name, err)
		}
		for _, j := range js {
			if err := s.Register(scheduledChannel(j)); err != nil {
				return nil, err
			}
		}
	}
	return s, nil
}

// mountContexts adds every context's /api routes, and the operators' job
// route. The router already authenticates (with the principal reloaded
// from the read models), de-duplicates and honours X-Cicero-Min-Position.
func mountContexts(w *wiring, api *auth.Router) error {
	writeapi.MountJobCommands(api, writeapi.JobCommandDeps{Jobs: w.jobs, Background: w.background, Logger: w.log})
	for _, c := range boundedContexts() {
		if c.mount == nil {
			continue
		}
		if err := c.mount(w, api); err != nil {
			return fmt.Errorf("mount %s: %w", c.name, err)
		}
	}
	return nil
}

// consumersOf maps each event type to the read models and sagas that
// consume it.
func consumersOf(w *wiring, reg *events.Registry) (map[string][]string, error) {
	out := map[string][]string{}
	for _, p := range readModels(reg) {
		for _, t := range p.EventTypes() {
			out[t] = append(out[t], p.Name())
		}
	}
	ss, err := allSagas(w)
	if err != nil {
		return nil, err
	}
	for _, s := range ss {
		for _, t := range s.EventTypes {
			out[t] = append(out[t], "saga "+s.Name)
		}
	}
	for t := range out {
		slices.Sort(out[t])
	}
	return out, nil
}
