package jobs_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cicero/cicero/internal/google"
	"github.com/cicero/cicero/internal/schedule"
	"github.com/cicero/cicero/sagas/jobs"
)

// Every scheduled job runs at the old code's cron expressions (the CODE
// values of spec/ops.md §5.3, not the docs') under its legacy
// cron_job_config key (§5.1: "./src/cron/<module>.js"). The table is
// copied from the spec by hand, so a typo in a job's schedule or key
// fails here.
func TestJobsRunAtTheOldCodesTimesUnderTheirLegacyKeys(t *testing.T) {
	type row struct{ Legacy, Crons string }
	want := map[string]row{
		// #1
		jobs.DBBackupJob: {"./src/cron/cronDbBackup.js", "0 4 * * *"},
		// #4
		jobs.RekapUpdateJob: {"./src/cron/cronDirRequestRekapUpdate.js", "0 8-18/4 * * *"},
		// #5
		jobs.DitsamaptaJob: {"./src/cron/cronDirRequestRekapBelumLengkapDitsamapta.js", "15 6 * * *"},
		// #6
		jobs.SocialFetchJob: {"./src/cron/cronDirRequestFetchSosmed.js", "0,30 6-21 * * * | 0 22 * * *"},
		// #7, #8, #9
		jobs.SubscriptionExpiryJob:     {"./src/cron/cronDashboardSubscriptionExpiry.js", "*/48 * * * *"},
		jobs.PersonnelPremiumExpiryJob: {"./src/cron/cronPremiumExpiry.js", "0 0 * * *"},
		jobs.RequestExpiryJob:          {"./src/cron/cronDashboardPremiumRequestExpiry.js", "20 * * * *"},
		// #10, #11, #12
		jobs.UpdateUsernameJob: {"./src/cron/cronOprRequestAbsensiUpdateDataUsername.js", "45 6 * * *"},
		jobs.EngagementJob:     {"./src/cron/cronOprRequestAbsensiEngagement.js", "20 15,18,20 * * *"},
		jobs.AmplifyRoutineJob: {"./src/cron/cronOprRequestAmplifyRoutineUpdate.js", "55,25 8-21 * * *"},
		// #14, #15, #17–#20 (the dirRequest group)
		jobs.ReminderJob:                         {"./src/cron/cronWaNotificationReminder.js", "5 17 * * * | 35 17 * * *"},
		"dirrequest-bidhumas-evening":            {"./src/cron/cronDirRequestBidhumasEvening.js", "45 15 * * * | 15 20 * * * | 15 22 * * *"},
		"dirrequest-ditbinmas-group-recap":       {"./src/cron/cronDirRequestDitbinmasGroupRecap.js", "20 15 * * * | 10 18 * * *"},
		"dirrequest-ditbinmas-super-admin-daily": {"./src/cron/cronDirRequestDitbinmasSuperAdminDaily.js", "20 18 * * *"},
		"dirrequest-ditbinmas-operator-daily":    {"./src/cron/cronDirRequestDitbinmasOperatorDaily.js", "23 18 * * *"},
		"dirrequest-ditbinmas-absensi-today":     {"./src/cron/cronDirRequestDitbinmasAbsensiToday.js", "24 18 * * *"},
	}
	fetch := jobs.NewSocialFetch(jobs.SocialFetchDeps{})
	all := append(jobs.NewRecaps(jobs.RecapDeps{DirRequestGroup: true, Fetch: fetch}).Jobs(), fetch.Job(),
		jobs.NewDBBackup(google.Config{}, "", nil).Job(),
		jobs.NewPersonnelPremiumExpiry(nil, nil, nil, nil, 0).Job())
	all = append(all, jobs.NewPremiumExpiry(nil, nil, nil, nil, 0).Jobs()...)
	got := map[string]row{}
	for _, j := range all {
		got[j.Name] = row{j.Legacy, j.Schedule()}
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("jobs (-spec +code):\n%s", d)
	}
	// The scheduler accepts them all together: no name or legacy key twice.
	s := schedule.New(nil, nil, nil)
	for _, j := range all {
		if err := s.Register(j); err != nil {
			t.Fatal(err)
		}
	}
}
