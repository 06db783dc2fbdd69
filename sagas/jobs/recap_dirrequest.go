package jobs

import (
	"context"
	"errors"
	"fmt"

	"github.com/cicero/cicero/internal/schedule"
	"github.com/cicero/cicero/internal/waid"
	"github.com/cicero/cicero/projections/recap"
	"github.com/cicero/cicero/sagas"
	"github.com/cicero/cicero/sagas/jobs/dirreport"
)

// Hard-coded recipients of the old system (spec/ops.md §3.5).
const (
	// DitbinmasDirRequestGroup receives the rekap update next to the admins.
	DitbinmasDirRequestGroup = "120363419830216549@g.us"
	// AbsensiTodayNumber receives the Ditbinmas absensi of job 20.
	AbsensiTodayNumber = "081331780006"
)

// actionSpec is a job that sends dirrequest actions of one client to its
// recipients (spec/ops.md §5.4, jobs 4, 5, 15, 17–20).
type actionSpec struct {
	name, legacy string
	crons        []string
	client       string
	actions      []int
	period       string // Options.Period ("" today)
	session      string // "" fallback chain
	recipients   func(c recap.Client, admins []string) []string
}

var (
	bidhumasEvening = actionSpec{name: "dirrequest-bidhumas-evening", legacy: legacy("cronDirRequestBidhumasEvening"),
		crons: []string{"45 15 * * *", "15 20 * * *", "15 22 * * *"}, client: "BIDHUMAS", actions: []int{6, 9, 28, 29},
		recipients: func(c recap.Client, _ []string) []string { return union(groupOf(c), numbers(c.Super)) }}
	ditbinmasGroup = actionSpec{name: "dirrequest-ditbinmas-group-recap", legacy: legacy("cronDirRequestDitbinmasGroupRecap"),
		crons: []string{"20 15 * * *", "10 18 * * *"}, client: "DITBINMAS", actions: []int{21, 22}, period: "today",
		recipients: func(c recap.Client, _ []string) []string { return groupOf(c) }}
	ditbinmasSuper = actionSpec{name: "dirrequest-ditbinmas-super-admin-daily", legacy: legacy("cronDirRequestDitbinmasSuperAdminDaily"),
		crons: []string{"20 18 * * *"}, client: "DITBINMAS", actions: []int{6, 9, 34, 35}, period: "daily",
		recipients: func(c recap.Client, _ []string) []string { return numbers(c.Super) }}
	ditbinmasOperator = actionSpec{name: "dirrequest-ditbinmas-operator-daily", legacy: legacy("cronDirRequestDitbinmasOperatorDaily"),
		crons: []string{"23 18 * * *"}, client: "DITBINMAS", actions: []int{30}, period: "today",
		recipients: func(c recap.Client, _ []string) []string { return numbers(c.Operator) }}
	ditbinmasAbsensi = actionSpec{name: "dirrequest-ditbinmas-absensi-today", legacy: legacy("cronDirRequestDitbinmasAbsensiToday"),
		crons: []string{"24 18 * * *"}, client: "DITBINMAS", actions: []int{5, 10},
		recipients: func(recap.Client, []string) []string { return []string{waid.UserJID(AbsensiTodayNumber)} }}
	rekapUpdate = actionSpec{name: RekapUpdateJob, client: "DITBINMAS", actions: []int{2, 1}, session: sagas.SessionMain,
		recipients: func(_ recap.Client, admins []string) []string {
			return union(admins, []string{DitbinmasDirRequestGroup})
		}}
	ditsamapta = actionSpec{name: DitsamaptaJob, client: "DITSAMAPTA", actions: []int{3}, session: sagas.SessionMain,
		recipients: func(c recap.Client, admins []string) []string {
			return union(admins, numbers(c.Super), numbers(c.Operator))
		}}
)

func (r *Recaps) actionJob(s actionSpec) schedule.Job {
	return schedule.Job{Name: s.name, Legacy: s.legacy, Cron: s.crons[0], Also: s.crons[1:],
		Run: func(ctx context.Context, _ schedule.Args) error { return r.runActions(ctx, s) }}
}

func (r *Recaps) rekapUpdate(ctx context.Context, _ schedule.Args) error {
	return r.runActions(ctx, rekapUpdate)
}
func (r *Recaps) ditsamapta(ctx context.Context, _ schedule.Args) error {
	return r.runActions(ctx, ditsamapta)
}

// runActions builds each action's parts and queues them, in order, to the
// client's recipients. A client missing from the directory or without
// recipients is skipped (logged), as the old jobs did.
func (r *Recaps) runActions(ctx context.Context, s actionSpec) error {
	rn, err := r.start(ctx, s.name, s.session)
	if err != nil {
		return err
	}
	c, err := r.d.Read.Client(ctx, s.client)
	if errors.Is(err, recap.ErrNotFound) {
		r.d.Logger.Warn("recap skipped: client not found", "job", s.name, "client", s.client)
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s: %w", s.name, err)
	}
	to := s.recipients(c, r.d.Admins)
	if len(to) == 0 {
		r.d.Logger.Warn("recap skipped: no recipients", "job", s.name, "client", s.client)
		return nil
	}
	var errs []error
	for _, a := range s.actions {
		parts, err := r.d.Reports.Build(ctx, c.ID, a, dirreport.Options{Period: s.period, ReferenceDate: rn.now})
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: action %d: %w", s.name, a, err))
			continue
		}
		for i, p := range parts {
			if err := rn.queue(ctx, message{client: c.ID, part: fmt.Sprintf("a%d-%d", a, i+1), session: s.session,
				text: p.Text, doc: p.Document, recipients: to}); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}
