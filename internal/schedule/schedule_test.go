package schedule_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/internal/schedule"
	"github.com/cicero/cicero/internal/testkit"
)

// runs records what a job did, across schedulers.
type runs struct {
	mu    sync.Mutex
	slots []time.Time
	args  []schedule.Args
}

func (r *runs) job(name, cron string) schedule.Job {
	return schedule.Job{Name: name, Cron: cron, Run: func(_ context.Context, a schedule.Args) error {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.slots = append(r.slots, time.Now().Truncate(time.Second))
		r.args = append(r.args, a)
		return nil
	}}
}

func (r *runs) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.slots)
}

func start(t *testing.T, s *schedule.Scheduler) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	if err := s.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); s.Wait() })
}

func TestTwoSchedulersRunEachSlotOnce(t *testing.T) {
	pool, _ := testkit.NewDatabase(t)
	var r runs
	var scheds []*schedule.Scheduler
	for range 2 {
		s := schedule.New(pool, testkit.Logger(t), jakarta.Location)
		if err := s.Register(r.job("tick", "* * * * * *")); err != nil {
			t.Fatal(err)
		}
		scheds = append(scheds, s)
	}
	for _, s := range scheds {
		start(t, s)
	}
	testkit.Eventually(t, 10*time.Second, func() error {
		if n := r.count(); n < 3 {
			return fmt.Errorf("%d runs so far", n)
		}
		return nil
	})
	for _, s := range scheds {
		if err := s.Stop(); err != nil {
			t.Fatal(err)
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	// job_runs holds one row per slot (its key), so a slot both schedulers
	// ran shows as more runs than rows. The runs' own wall times cannot
	// tell: under load one slot's run may start in the next slot's second.
	var rows int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM job_runs WHERE job = 'tick' AND finished_at IS NOT NULL`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != len(r.slots) {
		t.Fatalf("job_runs has %d finished rows, job ran %d times", rows, len(r.slots))
	}
}

func TestDisabledJobDoesNotRun(t *testing.T) {
	pool, _ := testkit.NewDatabase(t)
	var on, off runs
	s := schedule.New(pool, testkit.Logger(t), jakarta.Location)
	for _, j := range []schedule.Job{on.job("on", "* * * * * *"), off.job("off", "* * * * * *")} {
		if err := s.Register(j); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	if err := s.SetActive(ctx, "off", false); err != nil {
		t.Fatal(err)
	}
	start(t, s)
	testkit.Eventually(t, 10*time.Second, func() error {
		if n := on.count(); n < 2 {
			return fmt.Errorf("active job ran %d times", n)
		}
		return nil
	})
	if n := off.count(); n != 0 {
		t.Fatalf("disabled job ran %d times", n)
	}
	st, err := s.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(st) != 2 || !st[0].Active || st[0].LastSlot == nil || st[1].Active || st[1].LastSlot != nil {
		t.Fatalf("list = %+v", st)
	}
	// Switching it back on takes effect on the next tick.
	if err := s.SetActive(ctx, "off", true); err != nil {
		t.Fatal(err)
	}
	testkit.Eventually(t, 10*time.Second, func() error {
		if off.count() == 0 {
			return errors.New("re-enabled job has not run")
		}
		return nil
	})
}

func TestRunNowAndRegister(t *testing.T) {
	pool, _ := testkit.NewDatabase(t)
	var r runs
	s := schedule.New(pool, testkit.Logger(t), jakarta.Location)
	if err := s.Register(r.job("daily", "0 0 * * *")); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, bad := range []schedule.Job{
		r.job("daily", "0 1 * * *"),   // twice
		r.job("broken", "61 * * * *"), // bad minute
		{Name: "norun", Cron: "* * * * *"},
	} {
		if err := s.Register(bad); err == nil {
			t.Fatalf("register %q %q: want error", bad.Name, bad.Cron)
		}
	}
	// A disabled job still runs when an operator asks.
	if err := s.SetActive(ctx, "daily", false); err != nil {
		t.Fatal(err)
	}
	if err := s.RunNow(ctx, "daily", schedule.Args{ClientID: "POLRESA"}); err != nil {
		t.Fatal(err)
	}
	if r.count() != 1 || r.args[0].ClientID != "POLRESA" {
		t.Fatalf("runs %+v", r.args)
	}
	if err := s.RunNow(ctx, "nope", schedule.Args{}); !errors.Is(err, schedule.ErrUnknownJob) {
		t.Fatalf("unknown job: %v", err)
	}
	boom := schedule.Job{Name: "boom", Cron: "0 0 * * *", Run: func(context.Context, schedule.Args) error { panic("x") }}
	if err := s.Register(boom); err != nil {
		t.Fatal(err)
	}
	if err := s.RunNow(ctx, "boom", schedule.Args{}); err == nil {
		t.Fatal("a panicking job must report an error")
	}
}

// TestRunsNeverOverlap: while a run by hand is under way on one instance, a
// scheduled slot on another instance skips (its work is being done), and a
// second run by hand waits for the first instead of running beside it.
func TestRunsNeverOverlap(t *testing.T) {
	pool, _ := testkit.NewDatabase(t)
	release := make(chan struct{})
	var running, overlaps, done int32
	var mu sync.Mutex
	job := schedule.Job{Name: "slow", Cron: "* * * * * *", Also: []string{"30 22 * * *"}, Run: func(ctx context.Context, _ schedule.Args) error {
		mu.Lock()
		running++
		if running > 1 {
			overlaps++
		}
		mu.Unlock()
		select {
		case <-release:
		case <-ctx.Done():
		}
		mu.Lock()
		running--
		done++
		mu.Unlock()
		return nil
	}}
	a := schedule.New(pool, testkit.Logger(t), jakarta.Location)
	b := schedule.New(pool, testkit.Logger(t), jakarta.Location)
	for _, s := range []*schedule.Scheduler{a, b} {
		if err := s.Register(job); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	wg.Go(func() { _ = a.RunNow(ctx, "slow", schedule.Args{}) })
	testkit.Eventually(t, 5*time.Second, func() error {
		mu.Lock()
		defer mu.Unlock()
		if running != 1 {
			return fmt.Errorf("first run not started")
		}
		return nil
	})
	wg.Go(func() { _ = a.RunNow(ctx, "slow", schedule.Args{}) }) // waits
	start(t, b)                                                  // ticks every second: must skip
	time.Sleep(2500 * time.Millisecond)
	close(release)
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	if overlaps != 0 {
		t.Fatalf("%d runs overlapped", overlaps)
	}
	if done < 2 {
		t.Fatalf("%d runs finished, want both runs by hand", done)
	}
	list, err := b.List(ctx)
	if err != nil || len(list) != 1 || list[0].Cron != "* * * * * * | 30 22 * * *" {
		t.Fatalf("list %+v %v", list, err)
	}
}

func TestJobNext(t *testing.T) {
	jkt, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 3, 16, 10, 0, 0, jkt)
	cases := []struct {
		name string
		job  schedule.Job
		want time.Time
	}{
		{"daily", schedule.Job{Cron: "30 3 * * *"}, time.Date(2026, 12, 4, 3, 30, 0, 0, jkt)},
		{"earliest of several", schedule.Job{Cron: "0 22 * * *", Also: []string{"0,30 6-21 * * *"}}, time.Date(2026, 12, 3, 16, 30, 0, 0, jkt)},
		{"seconds", schedule.Job{Cron: "*/15 * * * * *"}, time.Date(2026, 12, 3, 16, 10, 15, 0, jkt)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := c.job.Next(at, jkt)
			if !ok || !got.Equal(c.want) {
				t.Fatalf("Next = %v %v, want %v", got, ok, c.want)
			}
		})
	}
	if _, ok := (schedule.Job{Cron: "not a cron"}).Next(at, jkt); ok {
		t.Fatal("a bad expression has a next run")
	}
}

// A job's legacy key (the old cron_job_config key) is an alias: a row
// under it switches the job, and the job runs by it.
func TestLegacyKeySwitchesAndRuns(t *testing.T) {
	pool, _ := testkit.NewDatabase(t)
	var r runs
	s := schedule.New(pool, testkit.Logger(t), jakarta.Location)
	j := r.job("wa-reminder", "5 17 * * *")
	j.Legacy = "./src/cron/cronWaNotificationReminder.js"
	if err := s.Register(j); err != nil {
		t.Fatal(err)
	}
	other := r.job("other", "5 17 * * *")
	other.Legacy = j.Legacy
	if err := s.Register(other); err == nil {
		t.Fatal("a second job under the same legacy key was registered")
	}
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `INSERT INTO job_config (job, active) VALUES ($1, false)`, j.Legacy); err != nil {
		t.Fatal(err)
	}
	list := func() schedule.Status {
		t.Helper()
		st, err := s.List(ctx)
		if err != nil || len(st) != 1 {
			t.Fatalf("list = %+v, %v", st, err)
		}
		return st[0]
	}
	if st := list(); st.Active || st.Legacy != j.Legacy {
		t.Fatalf("status = %+v, want off through its legacy key", st)
	}
	if err := s.RunNow(ctx, j.Legacy, schedule.Args{}); err != nil || r.count() != 1 {
		t.Fatalf("run by legacy key: %v, %d runs", err, r.count())
	}
	if err := s.SetActive(ctx, "wa-reminder", true); err != nil {
		t.Fatal(err)
	}
	if st := list(); !st.Active {
		t.Fatalf("status = %+v, want on after SetActive by name", st)
	}
}
