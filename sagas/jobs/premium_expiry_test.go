package jobs_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/cicero/cicero/projections/access"
	premiumview "github.com/cicero/cicero/projections/premium"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/premium"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/schedule"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/projections"
	pt "github.com/cicero/cicero/projections/projectiontest"
	"github.com/cicero/cicero/sagas/jobs"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type rig struct {
	t    *testing.T
	n    *testkit.NATS
	pool *pgxpool.Pool
	m    *projections.Manager
	clk  *clock
	h    *premium.Handlers
	job  *jobs.PremiumExpiry
}

var admin = premium.Actor{ID: "admin-1", Role: "admin"}

func newRig(t *testing.T) *rig {
	t.Helper()
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	log := testkit.Logger(t)
	reg := n.Store.Registry()
	m := pt.StartManager(t, pool, n.Store, access.NewDashboardUsers(reg), premiumview.NewDashboard(reg))
	clk := &clock{t: time.Now().Truncate(time.Microsecond)}
	h := premium.NewHandlers(commands.NewRuntime(n.Store, commands.NewPGCommandLog(pool), log), nil, clk.now)
	return &rig{t: t, n: n, pool: pool, m: m, clk: clk, h: h,
		job: jobs.NewPremiumExpiry(premiumDue{premiumview.NewQueries(pool)}, h, clk.now, log, 0)}
}

func bg(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

// user appends an approved dashboard user with one client.
func (r *rig) user() string {
	r.t.Helper()
	id := uuid.NewString()
	_, err := r.n.Store.Append(bg(r.t), events.Meta{Actor: "test"}, events.Commit{Subject: events.DashboardUserSubject(id),
		AggregateID: id, Events: []events.Payload{
			events.DashboardUserRegistered{DashboardUserID: id, Username: "u" + id[:8], PasswordHash: "x", Role: "bidhumas",
				ClientIDs: []string{"POLRESA"}, Status: events.DashboardStatusPending},
			events.DashboardUserApproved{DashboardUserID: id, By: "test"}}})
	if err != nil {
		r.t.Fatal(err)
	}
	return id
}

func (r *rig) settle(out commands.Outcome, err error) {
	r.t.Helper()
	if err != nil {
		r.t.Fatal(err)
	}
	if err := r.m.WaitForAll(bg(r.t), out.Positions(), 20*time.Second); err != nil {
		r.t.Fatal(err)
	}
}

// count counts events of type typ on the user's premium subject.
func (r *rig) count(id, typ string) int {
	r.t.Helper()
	envs, _, err := r.n.Store.Load(bg(r.t), events.PremiumSubject(id))
	if err != nil {
		r.t.Fatal(err)
	}
	n := 0
	for _, e := range envs {
		if e.Type == typ {
			n++
		}
	}
	return n
}

func TestSubscriptionExpiryExpiresOnlyDueAndIsIdempotent(t *testing.T) {
	r := newRig(t)
	soon, later := r.user(), r.user()
	for id, d := range map[string]time.Duration{soon: time.Hour, later: 10 * time.Hour} {
		exp := r.clk.now().Add(d)
		r.settle(r.h.GrantPremium(bg(t), commands.Meta{Actor: "test"},
			premium.GrantPremium{DashboardUserID: id, Tier: "tier1", ExpiresAt: &exp, By: admin}))
	}
	// Nothing is due yet.
	if err := r.job.ExpireSubscriptions(bg(t), schedule.Args{}); err != nil {
		t.Fatal(err)
	}
	if n := r.count(soon, "PremiumExpired"); n != 0 {
		t.Fatalf("expired before due: %d", n)
	}
	r.clk.advance(2 * time.Hour)
	// Twice at once, before the read model has seen the first: the derived
	// command id keeps the second from appending.
	for range 2 {
		if err := r.job.ExpireSubscriptions(bg(t), schedule.Args{}); err != nil {
			t.Fatal(err)
		}
	}
	if n := r.count(soon, "PremiumExpired"); n != 1 {
		t.Fatalf("due subscription: %d PremiumExpired, want 1", n)
	}
	if n := r.count(later, "PremiumExpired"); n != 0 {
		t.Fatalf("running subscription expired (%d events)", n)
	}
	testkit.Eventually(t, 10*time.Second, func() error {
		var status string
		err := r.pool.QueryRow(bg(t), `SELECT status FROM premium_subscriptions WHERE dashboard_user_id = $1`, soon).Scan(&status)
		if err == nil && status != "expired" {
			err = fmt.Errorf("status %s", status)
		}
		return err
	})
	if err := r.job.ExpireSubscriptions(bg(t), schedule.Args{}); err != nil { // after catch-up: nothing due
		t.Fatal(err)
	}
	if n := r.count(soon, "PremiumExpired"); n != 1 {
		t.Fatalf("rerun appended again: %d", n)
	}
}

func TestRequestExpiry(t *testing.T) {
	r := newRig(t)
	a, b := r.user(), r.user()
	r.settle(r.h.RequestPremium(bg(t), commands.Meta{Actor: "test"}, premium.RequestPremium{DashboardUserID: a,
		BankName: "BRI", AccountNumber: "123", SenderName: "Budi"}))
	r.clk.advance(20 * time.Hour)
	r.settle(r.h.RequestPremium(bg(t), commands.Meta{Actor: "test"}, premium.RequestPremium{DashboardUserID: b,
		BankName: "BRI", AccountNumber: "456", SenderName: "Siti"}))
	r.clk.advance(5 * time.Hour) // a's 24 h deadline passed, b's not
	for range 2 {
		if err := r.job.ExpireRequests(bg(t), schedule.Args{}); err != nil {
			t.Fatal(err)
		}
	}
	if n := r.count(a, "PremiumRequestExpired"); n != 1 {
		t.Fatalf("due request: %d PremiumRequestExpired, want 1", n)
	}
	if n := r.count(b, "PremiumRequestExpired"); n != 0 {
		t.Fatalf("open request expired (%d)", n)
	}
	jobsList := r.job.Jobs()
	if len(jobsList) != 2 || jobsList[0].Cron != "*/48 * * * *" || jobsList[1].Cron != "20 * * * *" {
		t.Fatalf("jobs %+v", jobsList)
	}
}
