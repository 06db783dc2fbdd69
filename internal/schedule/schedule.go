// Package schedule runs Cicero's clock-driven jobs (SPEC.md §6,
// ARCHITECTURE.md "Schedules"): gocron v2 cron jobs in one time zone
// (Asia/Jakarta), each run happening once across every instance that
// schedules it, each switchable on and off, and each runnable at once on
// demand (`cicero job run`).
//
// Once across instances: when a job's cron slot comes, every instance
// tries to insert the row (job, slot) into job_runs; the one whose insert
// lands runs the slot, the others skip it. Unlike a lock held only for
// the run, this also stops an instance whose clock or timer is a little
// late from running the same slot again after the first finished.
//
// Switchable: job_config(job, active). A job without a row runs, and so
// does one whose row cannot be read (legacy cron_job_config rule, spec
// access.md §6.12).
package schedule

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/robfig/cron/v3"
)

// ErrUnknownJob is returned for a job name nobody registered.
var ErrUnknownJob = errors.New("unknown job")

// Args are what a run is given. A scheduled run gets the zero value; an
// operator's run (`cicero job run NAME --client ID --platform ig`) may name
// a client and a platform, which a job that works per client uses to narrow
// its work, and may follow its progress.
type Args struct {
	ClientID string
	Platform string
	// Progress, when set, is told how many of the run's units are done.
	Progress func(done, total int)
	// Report, when set, receives the run's summary lines.
	Report func(line string)
}

// Job is one scheduled job. Cron is a standard five-field expression
// (minute hour day month weekday) read in the scheduler's time zone, or a
// six-field one with seconds first; Also are more expressions for the same
// job (a schedule one expression cannot say). Run must be safe to repeat:
// an operator may run a job by hand in the same minute as its schedule.
// Runs of one job never overlap, in this process or across instances: a
// scheduled tick that finds the job running skips its slot, a run by hand
// waits for it.
type Job struct {
	Name string
	// Legacy is the old system's job key (the module path
	// "./src/cron/<module>.js" of cron_job_config, spec/ops.md §5.1), an
	// alias of Name: a job_config row under either key switches the job
	// (off under either is off), and `cicero job run` accepts either.
	Legacy string
	Cron   string
	Also   []string
	Run    func(ctx context.Context, args Args) error
}

// crons lists every expression of the job.
func (j Job) crons() []string { return append([]string{j.Cron}, j.Also...) }

// Schedule is the job's schedule as `cicero job list` shows it.
func (j Job) Schedule() string { return strings.Join(j.crons(), " | ") }

// withSeconds reports a six-field expression.
func withSeconds(expr string) bool { return len(strings.Fields(expr)) == 6 }

// cronParser reads the expression the way gocron will (robfig/cron).
func cronParser(expr string) cron.Parser {
	fields := cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor
	if withSeconds(expr) {
		fields |= cron.Second
	}
	return cron.NewParser(fields)
}

// slot is the scheduled instant a tick belongs to: timers never fire
// early, so the tick time truncated to the expression's granularity.
func slot(expr string, now time.Time) time.Time {
	if withSeconds(expr) {
		return now.Truncate(time.Second)
	}
	return now.Truncate(time.Minute)
}

// Status is a job as `cicero job list` shows it.
type Status struct {
	Name     string
	Legacy   string // the old system's job key, "" when none
	Cron     string
	Active   bool       // false only when job_config says so
	LastSlot *time.Time // newest slot that ran on schedule
	LastErr  string     // its error, "" when it succeeded or still runs
	// LastFinished is when that run ended (nil while it runs or never ran).
	LastFinished *time.Time
	// NextRun is the next slot of any of its expressions after now.
	NextRun *time.Time
}

// Next is the earliest slot of j's expressions after t, in loc.
func (j Job) Next(t time.Time, loc *time.Location) (time.Time, bool) {
	var best time.Time
	for _, expr := range j.crons() {
		sch, err := cronParser(expr).Parse(expr)
		if err != nil {
			continue
		}
		if n := sch.Next(t.In(loc)); !n.IsZero() && (best.IsZero() || n.Before(best)) {
			best = n
		}
	}
	return best, !best.IsZero()
}

// Scheduler holds the registered jobs and, once started, their gocron
// scheduler.
type Scheduler struct {
	pool *pgxpool.Pool
	log  *slog.Logger
	loc  *time.Location
	now  func() time.Time

	mu       sync.Mutex
	jobs     []Job
	locks    map[string]*sync.Mutex // one run at a time per job
	running  gocron.Scheduler
	stopOnce sync.Once
	stopErr  error
	wg       sync.WaitGroup
}

// New returns a scheduler over pool (job_config, job_runs) whose cron
// expressions are read in loc (nil: Asia/Jakarta must be passed by the
// caller; nil falls back to time.Local).
func New(pool *pgxpool.Pool, log *slog.Logger, loc *time.Location) *Scheduler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if loc == nil {
		loc = time.Local
	}
	return &Scheduler{pool: pool, log: log, loc: loc, now: time.Now}
}

// Register adds a job; it must be called before Start. A repeated name, a
// missing Run or an unparsable Cron is an error.
func (s *Scheduler) Register(j Job) error {
	if j.Name == "" || j.Run == nil {
		return fmt.Errorf("register job %q: name and Run are required", j.Name)
	}
	for _, expr := range j.crons() {
		if _, err := cronParser(expr).Parse(expr); err != nil {
			return fmt.Errorf("register job %s: cron %q: %w", j.Name, expr, err)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.running != nil {
		return fmt.Errorf("register job %s: scheduler already started", j.Name)
	}
	if _, ok := s.find(j.Name); ok {
		return fmt.Errorf("register job %s: registered twice", j.Name)
	}
	if _, ok := s.find(j.Legacy); ok && j.Legacy != "" {
		return fmt.Errorf("register job %s: legacy key %s registered twice", j.Name, j.Legacy)
	}
	s.jobs = append(s.jobs, j)
	return nil
}

func (s *Scheduler) find(name string) (Job, bool) {
	i := slices.IndexFunc(s.jobs, func(j Job) bool { return j.Name == name || (j.Legacy != "" && j.Legacy == name) })
	if i < 0 {
		return Job{}, false
	}
	return s.jobs[i], true
}

// Jobs returns the registered jobs in registration order.
func (s *Scheduler) Jobs() []Job {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.jobs)
}

// Start schedules every registered job and returns. The scheduler stops
// when ctx ends or Stop is called.
func (s *Scheduler) Start(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.running != nil {
		return errors.New("scheduler already started")
	}
	gs, err := gocron.NewScheduler(gocron.WithLocation(s.loc))
	if err != nil {
		return fmt.Errorf("new scheduler: %w", err)
	}
	for _, j := range s.jobs {
		for _, expr := range j.crons() {
			_, err := gs.NewJob(gocron.CronJob(expr, withSeconds(expr)),
				gocron.NewTask(func(ctx context.Context) { s.tick(ctx, j, expr) }),
				gocron.WithName(j.Name), gocron.WithContext(ctx),
				gocron.WithSingletonMode(gocron.LimitModeReschedule))
			if err != nil {
				_ = gs.Shutdown()
				return fmt.Errorf("schedule job %s: %w", j.Name, err)
			}
		}
	}
	gs.Start()
	s.running = gs
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		<-ctx.Done()
		_ = s.Stop()
	}()
	return nil
}

// Stop shuts the scheduler down, waiting for runs in progress.
func (s *Scheduler) Stop() error {
	s.mu.Lock()
	gs := s.running
	s.mu.Unlock()
	if gs == nil {
		return nil
	}
	s.stopOnce.Do(func() {
		if err := gs.Shutdown(); err != nil {
			s.stopErr = fmt.Errorf("stop scheduler: %w", err)
		}
	})
	return s.stopErr
}

// Wait blocks until a started scheduler has stopped after its context
// ended.
func (s *Scheduler) Wait() { s.wg.Wait() }

// tick is one scheduled firing of j by expr: gated by job_config, claimed
// in job_runs, then run unless the job is still running.
func (s *Scheduler) tick(ctx context.Context, j Job, expr string) {
	slot := slot(expr, s.now()).In(s.loc)
	log := s.log.With("job", j.Name, "slot", slot.Format(time.RFC3339))
	if !s.active(ctx, j, log) {
		log.Info("job skipped: disabled")
		return
	}
	won, err := s.claim(ctx, j.Name, slot)
	if err != nil {
		// Without the claim "once" cannot be promised: skip the slot.
		log.Error("job slot claim failed", "err", err)
		return
	}
	if !won {
		log.Debug("job slot taken by another instance")
		return
	}
	runErr := s.single(ctx, j, false, func() error { return s.run(ctx, j, Args{}, log) })
	if errors.Is(runErr, ErrRunning) {
		log.Info("job slot skipped: the previous run has not finished")
	}
	if err := s.finish(context.WithoutCancel(ctx), j.Name, slot, runErr); err != nil {
		log.Error("job run record failed", "err", err)
	}
}

// ErrRunning: a scheduled slot found its job still running (in this
// process or another instance) and skipped.
var ErrRunning = errors.New("job is still running")

// single runs fn as the job's only run: one at a time in this process (a
// mutex per job) and across instances (a Postgres advisory lock held on a
// pooled connection for the run). wait says what a run that finds the job
// running does: wait for it (a run by hand) or give up with ErrRunning (a
// scheduled slot, whose work the running one is already doing).
func (s *Scheduler) single(ctx context.Context, j Job, wait bool, fn func() error) error {
	release, err := s.acquire(ctx, j, wait)
	if err != nil {
		return err
	}
	defer release()
	return fn()
}

// acquire takes the job's locks (see single) and returns their release.
func (s *Scheduler) acquire(ctx context.Context, j Job, wait bool) (func(), error) {
	mu := s.jobLock(j.Name)
	if wait {
		mu.Lock()
	} else if !mu.TryLock() {
		return nil, ErrRunning
	}
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		mu.Unlock()
		return nil, fmt.Errorf("job %s lock: %w", j.Name, err)
	}
	key := "cicero.job:" + j.Name
	for {
		var ok bool
		if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock(hashtextextended($1, 0))`, key).Scan(&ok); err != nil {
			conn.Release()
			mu.Unlock()
			return nil, fmt.Errorf("job %s lock: %w", j.Name, err)
		}
		if ok {
			break
		}
		if !wait {
			conn.Release()
			mu.Unlock()
			return nil, ErrRunning
		}
		select {
		case <-ctx.Done():
			conn.Release()
			mu.Unlock()
			return nil, ctx.Err()
		case <-time.After(time.Second):
		}
	}
	return func() {
		if _, err := conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(hashtextextended($1, 0))`, key); err != nil {
			// A lock that could not be released dies with the connection.
			conn.Conn().Close(context.WithoutCancel(ctx))
		}
		conn.Release()
		mu.Unlock()
	}, nil
}

// Launch starts the job called name in the background with args, as an
// operator's request over HTTP: ErrRunning at once when the job is running
// (here or on another instance), else nil once the run holds the job's
// locks; done, when set, gets the run's error. ctx bounds the run.
func (s *Scheduler) Launch(ctx context.Context, name string, args Args, done func(error)) error {
	s.mu.Lock()
	j, ok := s.find(name)
	s.mu.Unlock()
	if !ok {
		return fmt.Errorf("%w %q", ErrUnknownJob, name)
	}
	release, err := s.acquire(ctx, j, false)
	if err != nil {
		return err
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer release()
		err := s.run(ctx, j, args, s.log.With("job", name, "manual", true))
		if done != nil {
			done(err)
		}
	}()
	return nil
}

func (s *Scheduler) jobLock(name string) *sync.Mutex {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.locks == nil {
		s.locks = map[string]*sync.Mutex{}
	}
	if s.locks[name] == nil {
		s.locks[name] = &sync.Mutex{}
	}
	return s.locks[name]
}

// active reads job_config under the job's name and legacy key; no row or
// a failed look-up means run, a row saying off under either key means off.
func (s *Scheduler) active(ctx context.Context, j Job, log *slog.Logger) bool {
	active, err := s.configured(ctx, j)
	if err != nil {
		log.Warn("job config look-up failed; running", "err", err)
		return true
	}
	return active
}

func (s *Scheduler) configured(ctx context.Context, j Job) (bool, error) {
	var active *bool
	err := s.pool.QueryRow(ctx, `SELECT bool_and(active) FROM job_config WHERE job = $1 OR job = $2`,
		j.Name, j.Legacy).Scan(&active)
	if err != nil {
		return true, err
	}
	return active == nil || *active, nil
}

func (s *Scheduler) claim(ctx context.Context, name string, slot time.Time) (bool, error) {
	tag, err := s.pool.Exec(ctx, `INSERT INTO job_runs (job, slot) VALUES ($1, $2) ON CONFLICT DO NOTHING`, name, slot)
	if err != nil {
		return false, fmt.Errorf("claim %s at %s: %w", name, slot, err)
	}
	return tag.RowsAffected() == 1, nil
}

func (s *Scheduler) finish(ctx context.Context, name string, slot time.Time, runErr error) error {
	var msg *string
	if runErr != nil {
		m := runErr.Error()
		msg = &m
	}
	_, err := s.pool.Exec(ctx, `UPDATE job_runs SET finished_at = now(), error = $3 WHERE job = $1 AND slot = $2`,
		name, slot, msg)
	if err != nil {
		return fmt.Errorf("finish %s at %s: %w", name, slot, err)
	}
	return nil
}

// run calls the job, turning a panic into an error so one job cannot take
// the process down.
func (s *Scheduler) run(ctx context.Context, j Job, args Args, log *slog.Logger) (err error) {
	start := time.Now()
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("job %s panicked: %v", j.Name, v)
		}
		if err != nil {
			log.Error("job failed", "err", err, "ms", time.Since(start).Milliseconds())
			return
		}
		log.Info("job done", "ms", time.Since(start).Milliseconds())
	}()
	return j.Run(ctx, args)
}

// RunNow runs the job called name at once, in the caller's goroutine, with
// args: an operator's explicit request, so neither job_config nor
// job_runs stop it (the job's own idempotency keeps a repeat harmless).
func (s *Scheduler) RunNow(ctx context.Context, name string, args Args) error {
	s.mu.Lock()
	j, ok := s.find(name)
	s.mu.Unlock()
	if !ok {
		return fmt.Errorf("%w %q", ErrUnknownJob, name)
	}
	return s.single(ctx, j, true, func() error { return s.run(ctx, j, args, s.log.With("job", name, "manual", true)) })
}

// SetActive switches a job on or off for every instance (job_config).
func (s *Scheduler) SetActive(ctx context.Context, name string, active bool) error {
	s.mu.Lock()
	j, ok := s.find(name)
	s.mu.Unlock()
	if !ok {
		return fmt.Errorf("%w %q", ErrUnknownJob, name)
	}
	// Both keys get the value, so a row under the other key cannot keep
	// the job off.
	_, err := s.pool.Exec(ctx, `INSERT INTO job_config (job, active)
		SELECT k, $3 FROM unnest(ARRAY[$1, $2]::text[]) k WHERE k <> ''
		ON CONFLICT (job) DO UPDATE SET active = EXCLUDED.active, updated_at = now()`, j.Name, j.Legacy, active)
	if err != nil {
		return fmt.Errorf("set job %s active=%v: %w", name, active, err)
	}
	return nil
}

// List returns every registered job with its switch and its last
// scheduled run.
func (s *Scheduler) List(ctx context.Context) ([]Status, error) {
	out := []Status{}
	for _, j := range s.Jobs() {
		st := Status{Name: j.Name, Legacy: j.Legacy, Cron: j.Schedule(), Active: true}
		active, err := s.configured(ctx, j)
		if err != nil {
			return nil, fmt.Errorf("job %s config: %w", j.Name, err)
		}
		st.Active = active
		if next, ok := j.Next(s.now(), s.loc); ok {
			st.NextRun = &next
		}
		var slot time.Time
		var msg *string
		var finished *time.Time
		err = s.pool.QueryRow(ctx, `SELECT slot, error, finished_at FROM job_runs WHERE job = $1 ORDER BY slot DESC LIMIT 1`,
			j.Name).Scan(&slot, &msg, &finished)
		switch {
		case err == nil:
			slot = slot.In(s.loc)
			st.LastSlot = &slot
			if finished != nil {
				f := finished.In(s.loc)
				st.LastFinished = &f
			}
			if msg != nil {
				st.LastErr = *msg
			}
		case !errors.Is(err, pgx.ErrNoRows):
			return nil, fmt.Errorf("job %s runs: %w", j.Name, err)
		}
		out = append(out, st)
	}
	return out, nil
}
