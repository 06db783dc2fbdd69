package jobs_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/cicero/cicero/projections/premium"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/personnelpremium"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/schedule"
	"github.com/cicero/cicero/internal/testkit"
	pt "github.com/cicero/cicero/projections/projectiontest"
	"github.com/cicero/cicero/sagas/jobs"
)

func TestPersonnelPremiumExpiry(t *testing.T) {
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	log := testkit.Logger(t)
	m := pt.StartManager(t, pool, n.Store, premium.NewPersonnel(n.Store.Registry()))
	clk := &clock{t: time.Now().Truncate(time.Microsecond)}
	h := personnelpremium.NewHandlers(commands.NewRuntime(n.Store, commands.NewPGCommandLog(pool), log), clk.now)
	q := premium.NewPersonnelQueries(pool)
	job := jobs.NewPersonnelPremiumExpiry(personnelDue{q}, h, clk.now, log, 0)
	settle := func(out commands.Outcome, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if err := m.WaitForAll(bg(t), out.Positions(), 20*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	// grant registers a person, files a request and approves it for days.
	grant := func(nrp string, days int) {
		t.Helper()
		if _, err := n.Store.Append(bg(t), events.Meta{Actor: "test"}, events.Commit{Subject: events.PersonSubject(nrp),
			AggregateID: nrp, Events: []events.Payload{events.PersonRegistered{NRP: nrp, Nama: "X", ClientID: "POLRES_A"}}}); err != nil {
			t.Fatal(err)
		}
		out, err := h.RequestPremium(bg(t), commands.Meta{}, personnelpremium.RequestPremium{UserID: nrp, SenderName: "X",
			AccountNumber: "1", BankName: "BRI"})
		settle(out, err)
		settle(h.ApproveRequest(bg(t), commands.Meta{}, personnelpremium.ApproveRequest{UserID: nrp,
			RequestID: personnelpremium.RequestIDFor(out.CommandID), Days: days, By: personnelpremium.Actor{ID: "adm", Role: "admin"}}))
	}
	count := func(nrp string) int {
		t.Helper()
		envs, _, err := n.Store.Load(bg(t), events.PersonnelPremiumSubject(nrp))
		if err != nil {
			t.Fatal(err)
		}
		c := 0
		for _, e := range envs {
			if e.Type == "PersonnelPremiumExpired" {
				c++
			}
		}
		return c
	}
	const due, running = "75020001", "75020002"
	grant(due, 1)
	grant(running, 10)
	clk.advance(2 * 24 * time.Hour)
	// Twice at once, before the read model has seen the first: the second
	// appends nothing (its derived command id repeats the first's, and the
	// aggregate no longer holds running premium either).
	for range 2 {
		if err := job.Run(bg(t), schedule.Args{}); err != nil {
			t.Fatal(err)
		}
	}
	if c := count(due); c != 1 {
		t.Fatalf("due person: %d PersonnelPremiumExpired, want 1", c)
	}
	if c := count(running); c != 0 {
		t.Fatalf("running premium expired (%d events)", c)
	}
	testkit.Eventually(t, 10*time.Second, func() error {
		s, err := q.Premium(bg(t), due)
		if err == nil && (s.PremiumStatus || s.PremiumEndDate != nil) {
			err = fmt.Errorf("premium still %+v", s)
		}
		return err
	})
	if s, err := q.Premium(bg(t), running); err != nil || !s.PremiumStatus {
		t.Fatalf("running premium: %+v %v", s, err)
	}
	if err := job.Run(bg(t), schedule.Args{}); err != nil { // after catch-up: nothing due
		t.Fatal(err)
	}
	if c := count(due); c != 1 {
		t.Fatalf("rerun appended again: %d", c)
	}
	if j := job.Job(); j.Name != "personnel-premium-expiry" || j.Cron != "0 0 * * *" {
		t.Fatalf("job %s %q", j.Name, j.Cron)
	}

	// More people due than one page holds: one run pages through them all.
	many := []string{"75030001", "75030002", "75030003", "75030004", "75030005"}
	for _, nrp := range many {
		grant(nrp, 1)
	}
	clk.advance(2 * 24 * time.Hour)
	small := jobs.NewPersonnelPremiumExpiry(personnelDue{q}, h, clk.now, log, 2)
	if err := small.Run(bg(t), schedule.Args{}); err != nil {
		t.Fatal(err)
	}
	for _, nrp := range many {
		if c := count(nrp); c != 1 {
			t.Fatalf("%s: %d PersonnelPremiumExpired after one paged run, want 1", nrp, c)
		}
	}
}
