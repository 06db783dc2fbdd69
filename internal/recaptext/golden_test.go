package recaptext

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// wib builds an instant from a Jakarta wall time.
func wib(y int, mo time.Month, d, h, mi, s int) time.Time {
	return time.Date(y, mo, d, h, mi, s, 0, time.FixedZone("WIB", 7*3600)).UTC()
}

var (
	at      = wib(2025, 12, 22, 15, 20, 5)
	atLate  = wib(2025, 12, 22, 23, 59, 30) // still Senin 22/12
	atEarly = wib(2025, 12, 23, 0, 1, 0)    // already Selasa 23/12
	atJan   = wib(2026, 1, 6, 9, 5, 3)      // single-digit day and month

	bojonegoro = Client{ID: "BOJONEGORO", Name: "POLRES BOJONEGORO", Tiktok: "@polres_bojonegoro"}

	igPosts = []Post{
		{ID: "DSa1bCdEf", Uploaded: wib(2025, 12, 22, 7, 5, 0), Count: 1234},
		{ID: "DSb2", Count: 1},
		{ID: "DSc3_x-", Uploaded: wib(2025, 12, 22, 14, 59, 59), Count: 0},
	}
	ttPosts = []Post{
		{ID: "7450000000000000001", Uploaded: wib(2025, 12, 22, 9, 30, 0), Count: 45,
			Caption: "Polres Bojonegoro mengajak masyarakat menjaga kamtibmas menjelang Natal dan Tahun Baru 2026 #polri"},
		{ID: "7450000000000000002", Count: 1},
	}
)

// orgPeople are the personnel of one ORG client over three posts: several
// divisions, a blank division, an exempt person, missing handles, a
// WAKASAT (KASAT keyword), no title, and two people who tie on every key
// but the NRP.
func orgPeople() []Person {
	c := func(p Person) Person { p.ClientID, p.ClientName = "BOJONEGORO", "POLRES BOJONEGORO"; return p }
	return []Person{
		c(Person{NRP: "80010001", Title: "BRIPKA", Name: "Andi", Division: "SAT BINMAS", Jabatan: "BA SAT BINMAS", Handle: "@andi_bm", Count: 1}),
		c(Person{NRP: "80010002", Title: "AKP", Name: "Budi Santoso", Division: "SAT BINMAS", Jabatan: "KASAT BINMAS", Handle: "budi.s", Count: 3}),
		c(Person{NRP: "80010003", Title: "IPTU", Name: "Citra", Division: "BAG OPS", Jabatan: "KABAG OPS", Handle: " ", Count: 0}),
		c(Person{NRP: "80010004", Title: "BRIPDA", Name: "Dewi", Division: "POLSEK KAPAS", Handle: "dewi", Count: 0}),
		c(Person{NRP: "80010005", Title: "AIPTU", Name: "Eko", Division: "SIUM", Jabatan: "KANIT", Handle: "eko", Exception: true}),
		c(Person{NRP: "80010006", Name: "Fajar", Handle: "fajar", Count: 2}),
		c(Person{NRP: "80010007", Title: "BRIPKA", Name: "andi", Division: "SAT BINMAS", Jabatan: "BA SAT BINMAS", Handle: "andi2", Count: 1}),
		c(Person{NRP: "80010008", Title: "KOMPOL", Name: "Gunawan", Division: "SAT BINMAS", Jabatan: "WAKASAT BINMAS", Handle: "gun", Count: 3}),
		c(Person{NRP: "80010009", Title: "AKBP", Name: "Hadi", Division: "BAG SUMDA", Jabatan: "WAKAPOLRES", Handle: "hadi", Count: 2}),
		c(Person{NRP: "80010010", Title: "PENGATUR", Name: "Indah", Division: "SPKT", Handle: "", Exception: true}),
		c(Person{NRP: "80010000", Title: "BRIPKA", Name: "Andi", Division: "SAT BINMAS", Jabatan: "BA SAT BINMAS", Handle: "andi_lain", Count: 1}),
	}
}

// direktoratPeople spread over units, with the DIREKTORAT BINMAS unit, a
// unit of 100 personnel and units that tie on sudah.
func direktoratPeople() (units []Client, people []Person) {
	units = []Client{
		{ID: "LAMONGAN", Name: "POLRES LAMONGAN"},
		{ID: "DITBINMAS", Name: "DIREKTORAT BINMAS"},
		{ID: "NGAWI", Name: "POLRES NGAWI"},
		{ID: "PACITAN", Name: "POLRES PACITAN"}, // nobody in it
	}
	add := func(cid, cname string, n int, counts func(i int) (int, string)) {
		for i := range n {
			cnt, h := counts(i)
			people = append(people, Person{NRP: fmt.Sprintf("%s%03d", cid, i), Name: fmt.Sprintf("Personel %d", i),
				Handle: h, ClientID: cid, ClientName: cname, Count: cnt})
		}
	}
	// DITBINMAS: 3 people, one lengkap, one kurang (1 of 4 = 25%), one without handle.
	add("DITBINMAS", "DIREKTORAT BINMAS", 3, func(i int) (int, string) {
		return []int{4, 1, 0}[i], []string{"a", "b", ""}[i]
	})
	// LAMONGAN: 4 people, 2 at exactly 50% (2/4), one 0, one exempt.
	add("LAMONGAN", "POLRES LAMONGAN", 4, func(i int) (int, string) { return []int{2, 2, 0, 0}[i], "h" })
	people[len(people)-1].Exception = true
	// NGAWI: 3 people, 3 sudah (ties LAMONGAN's 3 sudah, fewer personnel).
	add("NGAWI", "POLRES NGAWI", 3, func(i int) (int, string) { return []int{1, 1, 3}[i], "h" })
	// MADIUN (not in Units): 100 people, 10 lengkap, rest without handle.
	add("MADIUN", "POLRES MADIUN", 100, func(i int) (int, string) {
		if i < 10 {
			return 4, "h"
		}
		return 0, ""
	})
	return units, people
}

// tiktokDirPeople are the directorate's people with TikTok counts out of
// two posts.
func tiktokDirPeople(ps []Person) []Person {
	out := slices.Clone(ps)
	for i := range out {
		out[i].Count = i % 3
	}
	return out
}

func tiktokPeople() []Person {
	ps := orgPeople()
	handles := map[string]string{"80010001": "@andi.tt", "80010002": "budi_tt", "80010003": "", "80010004": "@dewi",
		"80010005": "", "80010006": "fajar", "80010007": "@andi2", "80010008": "gun ", "80010009": "", "80010010": "", "80010000": "andi_lain"}
	counts := map[string]int{"80010001": 1, "80010002": 2, "80010006": 1, "80010007": 0, "80010008": 2, "80010000": 1}
	for i := range ps {
		ps[i].Handle = handles[ps[i].NRP]
		ps[i].Count = counts[ps[i].NRP]
	}
	return ps
}

func render(msgs []string) string { return strings.Join(msgs, "\n=== next message ===\n") }

func TestGolden(t *testing.T) {
	units, dirPeople := direktoratPeople()
	ditbinmas := Client{ID: "DITBINMAS", Name: "DIREKTORAT BINMAS", Tiktok: "ditbinmas_jatim"}
	org := Absensi{Client: bojonegoro, At: at, Posts: igPosts, People: orgPeople()}
	withMode := func(a Absensi, m Mode, when time.Time) Absensi { a.Mode, a.At = m, when; return a }
	tt := Absensi{Client: bojonegoro, At: atEarly, Posts: ttPosts, People: tiktokPeople(),
		FailedPosts: []string{"7450000000000000002"}}
	perDone := map[string]map[string]bool{
		"DSa1bCdEf": {"80010002": true, "80010008": true, "80010003": true /* no handle: not counted */},
		"DSb2":      {"80010001": true},
	}
	cases := map[string]string{
		"task_broadcast": TaskMessage(TaskBroadcast{Client: bojonegoro, Instagram: igPosts, Tiktok: ttPosts,
			Previous: &BroadcastState{Instagram: map[string]bool{"DSa1bCdEf": true}, Tiktok: map[string]bool{"7450000000000000002": true}},
			Window:   &Window{Start: wib(2025, 12, 22, 14, 30, 0), End: wib(2025, 12, 22, 15, 0, 0)}}),
		"task_broadcast_first": TaskMessage(TaskBroadcast{Client: Client{ID: "NGAWI", Name: "Polres Ngawi"},
			Instagram: igPosts[:1], Tiktok: ttPosts}),
		"task_broadcast_empty": TaskMessage(TaskBroadcast{Client: Client{ID: "PACITAN"},
			Previous: &BroadcastState{}}),
		"absensi_likes_all":         AbsensiLikes(org),
		"absensi_likes_sudah":       AbsensiLikes(withMode(org, ModeSudah, atLate)),
		"absensi_likes_belum":       AbsensiLikes(withMode(org, "BELUM", atJan)),
		"absensi_likes_no_content":  AbsensiLikes(Absensi{Client: bojonegoro, At: at, People: orgPeople()}),
		"absensi_komentar_operator": AbsensiKomentarOperator(tt),
		"absensi_komentar_no_content": AbsensiKomentarOperator(Absensi{Client: bojonegoro, At: at,
			People: tiktokPeople()}),
		"direktorat_likes": DirectorateLikes(Directorate{Client: ditbinmas, At: atLate,
			Posts: append(igPosts[:3:3], Post{ID: "DSd4"}), Units: units, People: dirPeople}),
		"direktorat_likes_no_content": DirectorateLikes(Directorate{Client: ditbinmas, At: at, Units: units}),
		"direktorat_komentar": DirectorateKomentar(Directorate{Client: ditbinmas, At: at,
			Posts: append(ttPosts[:2:2], Post{ID: "7450000000000000003"}, Post{ID: "7450000000000000004"}),
			Units: units, People: dirPeople}),
		"analytic_komentar": AnalyticKomentar(Analytic{Client: bojonegoro, At: atEarly,
			Posts:  append(ttPosts[:2:2], Post{ID: "7450000000000000003", Count: 12, Caption: "Pendek"}),
			People: tiktokPeople(), Participants: 1234}),
		"fetch_instagram": render(FetchDoneInstagram("BOJONEGORO", manyIDs("DS", 31))),
		"fetch_instagram_all": render(append(FetchDoneInstagram("", []string{"DSa1"}),
			ProgressInstagram, LikesFetched("BOJONEGORO", 3, 1), NoPostsInstagram("PACITAN"))),
		"fetch_tiktok": render(append(FetchDoneTiktok("NGAWI", "", manyIDs("74", 2)),
			ProgressTiktok, CommentsFetching(2), CommentsFetched("NGAWI", 2, 0), NoPostsTiktok("PACITAN"))),
		"perkonten_likes": PerContentLikes(PerContent{Client: bojonegoro, At: at, Posts: igPosts[:2],
			People: orgPeople()[:6], Done: perDone}),
		"perkonten_komentar_belum": PerContentKomentar(PerContent{Client: bojonegoro, At: at,
			Posts: ttPosts[:1], People: tiktokPeople()[:6], Done: map[string]map[string]bool{
				"7450000000000000001": {"80010002": true}}, Mode: ModeBelum}),
	}
	exec := Executive{Platform: "instagram", ClientName: "POLRES BOJONEGORO", PeriodLabel: "2025-12-22",
		Users: 1234, Posts: 5, Engagements: 4321, Sudah: 700, Kurang: 300, Belum: 200, NoUsername: 34, UnitKind: "divisi",
		Top:    []Unit{{Name: "SAT BINMAS", Users: 40, Sudah: 40}, {Name: "BAG OPS", Users: 3, Sudah: 2}},
		Bottom: []Unit{{Name: "POLSEK KAPAS", Users: 9, Sudah: 0}}}
	cases["executive_likes"] = ExecutiveRecap(exec)
	cases["executive_komentar_units"] = ExecutiveRecap(Executive{Platform: "tiktok", ClientName: "DIREKTORAT BINMAS",
		PeriodLabel: "2025-12-01 s.d. 2025-12-31", Users: 3, Posts: 2, Engagements: 4, Sudah: 1, Kurang: 1, Belum: 1,
		UnitKind: "client", Top: []Unit{{Name: "POLRES NGAWI", Users: 1, Sudah: 1}}, Bottom: []Unit{{Name: "POLRES PACITAN", Users: 2, Sudah: 0}}})
	cases["executive_no_content"] = ExecutiveRecap(Executive{Platform: "instagram", ClientName: "POLRES PACITAN",
		PeriodLabel: "semua", Users: 12, NoUsername: 2, Top: []Unit{{Name: "SAT BINMAS", Users: 12}}})
	cases["executive_summaries"] = ExecutiveSummary(exec) + "\n" + ExecutiveSummary(Executive{Platform: "tiktok",
		ClientName: "", PeriodLabel: "2025-12-22"}) + "\n" + ExecutiveSummary(Executive{Platform: "tiktok", ClientName: "POLRES NGAWI",
		PeriodLabel: "2025-12-22", Users: 4})
	dirIG := Directorate{Client: ditbinmas, At: atLate, Posts: append(igPosts[:3:3], Post{ID: "DSd4"}), Units: units, People: dirPeople}
	dirTT := Directorate{Client: ditbinmas, At: atLate, Posts: ttPosts, People: tiktokDirPeople(dirPeople)}
	cases["dir_simple_likes"] = DirectorateSimple(dirIG, "instagram")
	cases["dir_simple_komentar_no_content"] = DirectorateSimple(Directorate{Client: ditbinmas, At: at}, "tiktok")
	cases["dir_laphar"] = Laphar(dirIG, dirTT)
	cases["dir_laphar_empty"] = Laphar(Directorate{Client: ditbinmas, At: at}, Directorate{Client: ditbinmas, At: at, Posts: ttPosts})
	cases["dir_ranking"] = EngagementRanking(dirIG, dirTT, "2025-12-15 s.d. 2025-12-21")
	cases["dir_perkonten_likes"] = PerContentRecap(Directorate{Client: ditbinmas, At: at, Posts: igPosts[:2], People: orgPeople()},
		"instagram", perDone)
	cases["dir_kasatker"] = SatkerReport(dirIG, dirTT, "hari ini")
	kasat := orgPeople()
	kasat[1].Jabatan, kasat[7].Jabatan, kasat[3].Jabatan = "KASAT BINMAS", "WAKASAT BINMAS", "kasatbinmas"
	cases["dir_kasat_binmas_likes"] = KasatBinmasRecap(Directorate{Client: ditbinmas, At: at, Posts: igPosts, People: kasat},
		"instagram", "2025-12-22")
	members := []Member{
		{NRP: "1", Title: "AKP", Name: "Budi", ClientID: "NGAWI", ClientName: "POLRES NGAWI", Insta: "b", Tiktok: "b"},
		{NRP: "2", Title: "BRIPDA", Name: "Dewi", ClientID: "NGAWI", ClientName: "POLRES NGAWI", Insta: "d"},
		{NRP: "3", Title: "AIPTU", Name: "Eko", ClientID: "LAMONGAN", ClientName: "POLRES LAMONGAN"},
		{NRP: "4", Name: "Fajar", ClientID: "LAMONGAN", ClientName: "POLRES LAMONGAN", Insta: "f", Tiktok: "f"},
	}
	cases["dir_data_completeness"] = DataCompleteness(Completeness{Client: ditbinmas, At: at, Members: members})
	cases["dir_incomplete_data"] = IncompleteData(Completeness{Client: ditbinmas, At: at, Members: members})
	if got := IncompleteData(Completeness{Client: ditbinmas, At: at, Members: members[:1]}); got != "" {
		t.Errorf("IncompleteData with everybody complete = %q, want empty", got)
	}
	cases["reminder_pending"] = ReminderText(Reminder{Title: "BRIPKA", Name: "ANDI", At: wib(2025, 12, 22, 17, 5, 0),
		Instagram: []string{PostLink("instagram", bojonegoro, "DSa1bCdEf")},
		Tiktok:    []string{PostLink("tiktok", bojonegoro, "7450000000000000001"), PostLink("tiktok", Client{}, "745")}})
	cases["reminder_done"] = ReminderText(Reminder{Name: "SITI", At: wib(2025, 12, 22, 10, 59, 0)}) + "\n" +
		Greeting("AKP", "BUDI", wib(2025, 12, 22, 11, 0, 0)) + "\n" + Greeting("AKP", "BUDI", wib(2025, 12, 22, 16, 0, 0)) +
		"\n" + Greeting("AKP", "BUDI", wib(2025, 12, 22, 3, 59, 0))
	for name, got := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("testdata", name+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("%s differs (-golden +got):\n%s", path, diff)
			}
		})
	}
}

func manyIDs(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%04d", prefix, i+1)
	}
	return out
}
