package jobs_test

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cicero/cicero/internal/recaptext"
	"github.com/cicero/cicero/sagas"
	"github.com/cicero/cicero/sagas/jobs"
)

// Each scheduled recap, run at its slot, puts exactly these texts to
// exactly these recipients in the outbox; running the same slot again
// appends nothing.
func TestScheduledRecapsSendTheirTexts(t *testing.T) {
	r := newRecapRig(t)
	day := "2026-11-20"
	bidhumas := recaptext.Client{ID: "BIDHUMAS", Name: "BIDHUMAS POLDA"}
	// The directorate's figures: DB1 liked by andi, dewi, gita; DB2 by andi
	// and a stranger; the TikTok post commented by andi.
	dirIG := func(h, m int) recaptext.Directorate {
		return recaptext.Directorate{Client: ditbinmas, At: wibAt(h, m),
			Posts:  []recaptext.Post{{ID: "DBpost1", Uploaded: wibAt(8, 0), Count: 3}, {ID: "DBpost2", Uploaded: wibAt(9, 0), Count: 2}},
			People: []recaptext.Person{with(andi, "andi", 2), with(citra, "", 0), with(dewi, "dewi", 1), with(gita, "gita", 1)}}
	}
	dirTT := func(h, m int) recaptext.Directorate {
		return recaptext.Directorate{Client: ditbinmas, At: wibAt(h, m),
			Posts:  []recaptext.Post{{ID: "7100000000000000001", Uploaded: wibAt(8, 30), Count: 1}},
			People: []recaptext.Person{with(andi, "andi_tt", 1), with(citra, "", 0), with(dewi, "dewi_tt", 0), with(gita, "", 0)}}
	}
	members := []recaptext.Member{
		{NRP: "80001001", Name: "ANDI", ClientID: "POLRESA", ClientName: "POLRES A", Insta: "andi", Tiktok: "andi_tt"},
		{NRP: "80001003", Name: "CITRA", ClientID: "POLRESB", ClientName: "POLRES B"},
		{NRP: "80001004", Name: "DEWI", ClientID: "DITBINMAS", ClientName: "DIREKTORAT BINMAS", Insta: "dewi", Tiktok: "dewi_tt"},
		{NRP: "80001007", Name: "GITA", ClientID: "DITBINMAS", ClientName: "DIREKTORAT BINMAS", Insta: "gita"},
	}
	exec := func(platform string, users, posts, eng, sudah, kurang, belum, noUser int) string {
		units := []recaptext.Unit{{Name: "POLRES A", Users: 1, Sudah: 1}, {Name: "DIREKTORAT BINMAS", Users: 2},
			{Name: "POLRES B", Users: 1}}
		return recaptext.ExecutiveRecap(recaptext.Executive{Platform: platform, ClientName: "DIREKTORAT BINMAS",
			PeriodLabel: day, Users: users, Posts: posts, Engagements: eng, Sudah: sudah, Kurang: kurang, Belum: belum,
			NoUsername: noUser, UnitKind: "client", Top: units, Bottom: []recaptext.Unit{units[2], units[1], units[0]}})
	}
	bhIG := recaptext.Directorate{Client: bidhumas, At: wibAt(15, 45),
		Posts: []recaptext.Post{{ID: "BHpost1", Uploaded: wibAt(10, 0), Count: 1}},
		People: []recaptext.Person{with(recaptext.Person{NRP: "80001005", Title: "AIPTU", Name: "EKO", ClientID: "BIDHUMAS",
			ClientName: "BIDHUMAS POLDA"}, "eko", 1)}}
	bhTT := recaptext.Directorate{Client: bidhumas, At: wibAt(15, 45), People: []recaptext.Person{with(bhIG.People[0], "", 0)}}
	opsCompleteness := recaptext.Completeness{Client: polresA, At: wibAt(6, 45), Members: []recaptext.Member{
		{NRP: "80001001", Title: "BRIPKA", Name: "ANDI", Division: "SAT BINMAS", Jabatan: "KASAT BINMAS", ClientID: "POLRESA",
			ClientName: "POLRES A", Insta: "andi", Tiktok: "andi_tt"},
		{NRP: "80001002", Title: "BRIPDA", Name: "BUDI", Division: "SAT BINMAS", ClientID: "POLRESA", ClientName: "POLRES A",
			Insta: "budi"}}}
	admin := jid(adminNumber)
	super := []string{jid("081200000002"), jid("081200000003")}

	for _, tc := range []struct {
		job   string
		h, m  int
		sends []sent
	}{
		{jobs.EngagementJob, 15, 20, slices.Concat(
			to("", recaptext.AbsensiLikes(recaptext.Absensi{Client: polresA, At: wibAt(15, 20),
				Posts:  []recaptext.Post{{ID: "PApost1", Uploaded: wibAt(7, 0), Count: 1}},
				People: []recaptext.Person{with(andi, "andi", 1), with(budi, "budi", 0)}}),
				"120363000000000030@g.us", jid("081200000007"), jid("081200000008")),
			to("", recaptext.AbsensiKomentarOperator(recaptext.Absensi{Client: polresA, At: wibAt(15, 20),
				Posts:  []recaptext.Post{{ID: "7200000000000000001", Uploaded: wibAt(7, 30)}},
				People: []recaptext.Person{with(andi, "andi_tt", 0), with(budi, "", 0)}}),
				"120363000000000030@g.us", jid("081200000007"), jid("081200000008")))},
		{jobs.UpdateUsernameJob, 6, 45, slices.Concat(
			to("", recaptext.DataCompleteness(opsCompleteness), "120363000000000030@g.us"),
			to("", recaptext.IncompleteData(opsCompleteness), "120363000000000030@g.us"))},
		{jobs.RekapUpdateJob, 8, 0, slices.Concat(
			to(sagas.SessionMain, exec("instagram", 4, 2, 4, 1, 2, 0, 1)+"\n\n"+exec("tiktok", 4, 1, 1, 1, 0, 1, 2),
				admin, jobs.DitbinmasDirRequestGroup),
			to(sagas.SessionMain, recaptext.DataCompleteness(recaptext.Completeness{Client: ditbinmas, At: wibAt(8, 0),
				Members: members}), admin, jobs.DitbinmasDirRequestGroup))},
		{jobs.DitsamaptaJob, 6, 15, to(sagas.SessionMain, recaptext.IncompleteData(recaptext.Completeness{
			Client: recaptext.Client{ID: "DITSAMAPTA", Name: "DIREKTORAT SAMAPTA"}, At: wibAt(6, 15),
			Members: []recaptext.Member{{NRP: "80001006", Title: "BRIPTU", Name: "FAJAR", ClientID: "DITSAMAPTA",
				ClientName: "DIREKTORAT SAMAPTA", Insta: "fajar"}}}), admin, jid("081200000006"), jid("081200000005"))},
		{"dirrequest-ditbinmas-absensi-today", 18, 24, slices.Concat(
			to("", recaptext.DirectorateLikes(dirIG(18, 24)), jid("6281331780006")),
			to("", recaptext.DirectorateKomentar(dirTT(18, 24)), jid("6281331780006")))},
		{"dirrequest-bidhumas-evening", 15, 45, slices.Concat(
			to("", recaptext.DirectorateSimple(bhIG, "instagram"), "120363000000000020@g.us", jid("081200000004")),
			to("", recaptext.DirectorateSimple(bhTT, "tiktok"), "120363000000000020@g.us", jid("081200000004")),
			to("", recaptext.PerContentRecap(bhIG, "instagram", map[string]map[string]bool{"BHpost1": {"80001005": true}}),
				"120363000000000020@g.us", jid("081200000004")),
			to("", recaptext.PerContentRecap(bhTT, "tiktok", nil), "120363000000000020@g.us", jid("081200000004")))},
		{"dirrequest-ditbinmas-group-recap", 15, 20, slices.Concat(
			to("", recaptext.Laphar(dirIG(15, 20), dirTT(15, 20)), "120363000000000010@g.us"),
			to("", recaptext.EngagementRanking(dirIG(15, 20), dirTT(15, 20), day), "120363000000000010@g.us"))},
		{"dirrequest-ditbinmas-super-admin-daily", 18, 20, slices.Concat(
			to("", recaptext.DirectorateSimple(dirIG(18, 20), "instagram"), super...),
			to("", recaptext.DirectorateSimple(dirTT(18, 20), "tiktok"), super...),
			to("", recaptext.KasatBinmasRecap(dirIG(18, 20), "instagram", day), super...),
			to("", recaptext.KasatBinmasRecap(dirTT(18, 20), "tiktok", day), super...))},
		{"dirrequest-ditbinmas-operator-daily", 18, 23,
			to("", recaptext.SatkerReport(dirIG(18, 23), dirTT(18, 23), day), jid("081200000001"))},
	} {
		t.Run(tc.job, func(t *testing.T) {
			r.t = t
			before := len(r.outbox())
			r.run(tc.job, tc.h, tc.m)
			got := r.outbox()[before:]
			if d := cmp.Diff(tc.sends, got); d != "" {
				t.Fatalf("outbox (-want +got):\n%s", d)
			}
			r.run(tc.job, tc.h, tc.m)
			if n := len(r.outbox()); n != before+len(got) {
				t.Fatalf("a rerun of the slot appended %d rows", n-before-len(got))
			}
		})
	}
}

// ENABLE_DIRREQUEST_GROUP=false registers none of the seven dirRequest
// jobs (14–20 of spec/ops.md §5.3) and keeps the others; every job has its
// legacy key.
func TestDirRequestGroupSwitch(t *testing.T) {
	group := []string{jobs.ReminderJob, "dirrequest-bidhumas-evening", "dirrequest-ditbinmas-group-recap",
		"dirrequest-ditbinmas-super-admin-daily", "dirrequest-ditbinmas-operator-daily", "dirrequest-ditbinmas-absensi-today"}
	others := []string{jobs.RekapUpdateJob, jobs.DitsamaptaJob, jobs.UpdateUsernameJob, jobs.EngagementJob}
	names := func(on bool) []string {
		var out []string
		for _, j := range jobs.NewRecaps(jobs.RecapDeps{DirRequestGroup: on}).Jobs() {
			if j.Legacy == "" || j.Cron == "" {
				t.Errorf("job %s without legacy key or schedule", j.Name)
			}
			out = append(out, j.Name)
		}
		slices.Sort(out)
		return out
	}
	want := slices.Sorted(slices.Values(others))
	if d := cmp.Diff(want, names(false)); d != "" {
		t.Errorf("ENABLE_DIRREQUEST_GROUP=false jobs (-want +got):\n%s", d)
	}
	want = slices.Sorted(slices.Values(slices.Concat(others, group)))
	if d := cmp.Diff(want, names(true)); d != "" {
		t.Errorf("ENABLE_DIRREQUEST_GROUP=true jobs (-want +got):\n%s", d)
	}
}
