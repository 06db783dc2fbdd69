package jobs_test

import (
	"slices"
	"testing"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/schedule"
	"github.com/cicero/cicero/projections/recap"
	"github.com/cicero/cicero/sagas/jobs"
)

// The routine amplification update fetches Instagram, and only Instagram,
// for the active ORG clients with amplification on.
func TestAmplifyRoutineFetchesAmplifyClientsInstagram(t *testing.T) {
	r := newFetchRig(t)
	r.world()
	out, err := r.clients.UpdateClient(bg(t), commands.Meta{Actor: "test"}, client.UpdateClient{ClientID: "POLRESB",
		AmplifyStatus: on(false)})
	r.settle(out, err)
	// Amplification on, but a directorate, and an inactive ORG client:
	// neither is fetched (both share POLRESA's feed, so a fetch would work).
	for _, c := range []client.RegisterClient{
		{ClientID: "DITX", Nama: "DIREKTORAT X", ClientType: "direktorat", ClientInsta: "polres_a", InstaStatus: on(true),
			AmplifyStatus: on(true)},
		{ClientID: "POLRESC", Nama: "POLRES C", ClientType: "org", ClientInsta: "polres_a", InstaStatus: on(true),
			AmplifyStatus: on(true)},
	} {
		out, err := r.clients.RegisterClient(bg(t), commands.Meta{Actor: "test"}, c)
		r.settle(out, err)
	}
	out, err = r.clients.SetClientStatus(bg(t), commands.Meta{Actor: "test"}, client.SetClientStatus{ClientID: "POLRESC"})
	r.settle(out, err)
	rc := jobs.NewRecaps(jobs.RecapDeps{Read: recap.New(r.pool), Fetch: jobs.NewSocialFetch(r.deps)})
	i := slices.IndexFunc(rc.Jobs(), func(j schedule.Job) bool { return j.Name == jobs.AmplifyRoutineJob })
	if i < 0 {
		t.Fatal("amplify routine job not registered")
	}
	if j := rc.Jobs()[i]; j.Cron != "55,25 8-21 * * *" || j.Legacy != "./src/cron/cronOprRequestAmplifyRoutineUpdate.js" {
		t.Fatalf("job = %s %s", j.Cron, j.Legacy)
	}
	if err := rc.Jobs()[i].Run(bg(t), schedule.Args{}); err != nil {
		t.Fatal(err)
	}
	r.caughtUp()
	runs := r.runs("POLRESA")
	if len(runs) != 1 || runs[0].Platform != events.PlatformInstagram || !runs[0].Succeeded || runs[0].Posts != 3 {
		t.Fatalf("POLRESA runs = %+v, want one successful Instagram run of 3 posts", runs)
	}
	for _, id := range []string{"POLRESB", "DITX", "POLRESC"} {
		if runs := r.runs(id); len(runs) != 0 {
			t.Fatalf("%s (amplification off, a directorate, inactive) was fetched: %+v", id, runs)
		}
	}
}
