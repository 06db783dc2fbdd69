package recaptext

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// The directorate reports below are the dirrequest menu's reports that the
// schedules send (spec/ops.md §5.4 glossary) whose text the spec only
// names: each is a plain recap of the same attendance figures as the
// accumulations (§5.3, §5.4), in the same vocabulary (✅ lengkap, ⚠️ kurang,
// ❌ belum, "pers"), documented in README "Schedules".

// platformTitle is "Likes Instagram" or "Komentar TikTok".
func platformTitle(platform string) string {
	if platform == "tiktok" {
		return "Komentar TikTok"
	}
	return "Likes Instagram"
}

func header(title string, c Client, at time.Time, period string) string {
	st := StampOf(at)
	s := fmt.Sprintf("%s\n*%s*\n%s, %s\nJam: %s", title, c.name(), st.Day, st.Date, st.Time)
	if period != "" {
		s += "\nPeriode: " + period
	}
	return s
}

// DirectorateSimple renders the directorate "simple" accumulation (menus 6
// and 9: `📋 Rekap Akumulasi Likes Instagram (Simple)` / `📋 Rekap Komentar
// TikTok (Simple)`) with the computeDitbinmasLikesStats rule: lengkap when
// every post is done, kurang when some, belum when none; those without a
// username counted apart. One line per unit follows.
func DirectorateSimple(in Directorate, platform string) string {
	title := "📋 Rekap Akumulasi Likes Instagram (Simple)"
	noun := "Instagram"
	if platform == "tiktok" {
		title, noun = "📋 Rekap Komentar TikTok (Simple)", "TikTok"
	}
	if len(in.Posts) == 0 {
		return fmt.Sprintf("Tidak ada konten pada akun Official %s *%s* hari ini.", noun, in.Client.name())
	}
	units, all := tally(in, ClassifyOperator)
	sortUnitsBySudah(units)
	var b strings.Builder
	b.WriteString(header(title, in.Client, in.At, "") + "\n\n")
	fmt.Fprintf(&b, "*Jumlah Konten:* %d\n*Jumlah Personil:* %d pers\n", len(in.Posts), all.Total)
	fmt.Fprintf(&b, "✅ Melaksanakan lengkap : %d pers\n⚠️ Melaksanakan kurang lengkap : %d pers\n", all.Lengkap, all.Kurang)
	fmt.Fprintf(&b, "❌ Belum melaksanakan : %d pers\n⚠️❌ Belum update username %s : %d pers", all.Belum, noun, all.NoHandle)
	for i, u := range units {
		fmt.Fprintf(&b, "\n\n%d. %s\n✅ %d | ⚠️ %d | ❌ %d | tanpa username %d (dari %d pers)",
			i+1, u.Client.name(), u.Lengkap, u.Kurang, u.Belum, u.NoHandle, u.Total)
	}
	return b.String()
}

func sortUnitsBySudah(units []*unitTally) {
	slices.SortStableFunc(units, func(a, b *unitTally) int {
		if c := cmp.Compare(b.sudah(), a.sudah()); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Total, a.Total); c != 0 {
			return c
		}
		return compareFold(a.Client.name(), b.Client.name())
	})
}

// unitScore is a unit's sum of posts done by its personnel and the
// number of its personnel who did at least one.
type unitScore struct {
	Client        Client
	Done, Active  int
	People, Posts int
}

func scores(in Directorate) []unitScore {
	idx := map[string]int{}
	var out []unitScore
	n := len(in.Posts)
	for _, p := range in.People {
		key := strings.ToUpper(strings.TrimSpace(p.ClientID))
		i, ok := idx[key]
		if !ok {
			i = len(out)
			idx[key] = i
			out = append(out, unitScore{Client: Client{ID: p.ClientID, Name: p.ClientName}, Posts: n})
		}
		out[i].People++
		if d := p.done(n); d > 0 {
			out[i].Done += d
			out[i].Active++
		}
	}
	return out
}

// ranked sorts scores by key descending, then name.
func ranked(ss []unitScore, key func(unitScore) int) []unitScore {
	out := slices.Clone(ss)
	slices.SortStableFunc(out, func(a, b unitScore) int {
		if c := cmp.Compare(key(b), key(a)); c != 0 {
			return c
		}
		return compareFold(a.Client.name(), b.Client.name())
	})
	return out
}

// topBottom writes the k best and k worst of ranked units.
func topBottom(b *strings.Builder, what string, rs []unitScore, k int, line func(unitScore) string) {
	fmt.Fprintf(b, "Top %d Polres (%s):\n", k, what)
	for i, u := range rs[:min(k, len(rs))] {
		fmt.Fprintf(b, "%d. %s\n", i+1, line(u))
	}
	fmt.Fprintf(b, "Bottom %d Polres (%s):\n", k, what)
	rev := slices.Clone(rs)
	slices.Reverse(rev)
	for i, u := range rev[:min(k, len(rev))] {
		fmt.Fprintf(b, "%d. %s\n", i+1, line(u))
	}
}

// Laphar renders the daily engagement report (menu 21): Instagram Top 5 /
// Bottom 5 Polres by likes of their personnel on the task posts, and the
// TikTok segment `🎵 TikTok (<CLIENT>)` with Top 5 / Bottom 5 Polres by
// accounts of their personnel that commented. No task posts: "Tidak ada
// tugas hari ini"; no commenting personnel: "Tidak ada data peringkat
// komentar TikTok.".
func Laphar(ig, tt Directorate) string {
	var b strings.Builder
	b.WriteString(header("📰 *Laporan Harian Engagement*", ig.Client, ig.At, "") + "\n\n")
	fmt.Fprintf(&b, "📸 Instagram (%s)\n", ig.Client.ID)
	if len(ig.Posts) == 0 {
		b.WriteString("Tidak ada tugas hari ini\n")
	} else {
		ss := scores(ig)
		total := 0
		for _, s := range ss {
			total += s.Done
		}
		fmt.Fprintf(&b, "Jumlah konten: %d\nTotal likes personel: %s\n", len(ig.Posts), formatInt(total))
		topBottom(&b, "likes", ranked(ss, func(u unitScore) int { return u.Done }), 5, func(u unitScore) string {
			return fmt.Sprintf("%s – %s likes", u.Client.name(), formatInt(u.Done))
		})
	}
	fmt.Fprintf(&b, "\n🎵 TikTok (%s)\n", tt.Client.ID)
	switch ss := scores(tt); {
	case len(tt.Posts) == 0:
		b.WriteString("Tidak ada tugas hari ini\n")
	case !slices.ContainsFunc(ss, func(u unitScore) bool { return u.Active > 0 }):
		fmt.Fprintf(&b, "Jumlah konten: %d\nTidak ada data peringkat komentar TikTok.\n", len(tt.Posts))
	default:
		fmt.Fprintf(&b, "Jumlah konten: %d\n", len(tt.Posts))
		topBottom(&b, "akun berkomentar", ranked(ss, func(u unitScore) int { return u.Active }), 5, func(u unitScore) string {
			return fmt.Sprintf("%s – %s akun", u.Client.name(), formatInt(u.Active))
		})
	}
	return strings.TrimSpace(b.String())
}

// EngagementRanking renders the engagement ranking of a period (menu 22):
// every unit by likes plus comments of its personnel on the task posts,
// with its personnel count and the share of possible actions done.
func EngagementRanking(ig, tt Directorate, period string) string {
	type row struct {
		c                       Client
		likes, comments, people int
	}
	idx := map[string]*row{}
	var rows []*row
	add := func(d Directorate, likes bool) {
		for _, s := range scores(d) {
			key := strings.ToUpper(strings.TrimSpace(s.Client.ID))
			r, ok := idx[key]
			if !ok {
				r = &row{c: s.Client}
				idx[key] = r
				rows = append(rows, r)
			}
			r.people = max(r.people, s.People)
			if likes {
				r.likes += s.Done
			} else {
				r.comments += s.Done
			}
		}
	}
	add(ig, true)
	add(tt, false)
	slices.SortStableFunc(rows, func(a, b *row) int {
		if c := cmp.Compare(b.likes+b.comments, a.likes+a.comments); c != 0 {
			return c
		}
		return compareFold(a.c.name(), b.c.name())
	})
	var b strings.Builder
	b.WriteString(header("🏆 *Peringkat Engagement*", ig.Client, ig.At, period) + "\n\n")
	fmt.Fprintf(&b, "*Konten Instagram:* %d | *Konten TikTok:* %d", len(ig.Posts), len(tt.Posts))
	if len(rows) == 0 {
		b.WriteString("\n\nTidak ada data personil.")
	}
	possible := len(ig.Posts) + len(tt.Posts)
	for i, r := range rows {
		fmt.Fprintf(&b, "\n%d. %s – %s likes, %s komentar (%s pers, %s%%)", i+1, r.c.name(), formatInt(r.likes),
			formatInt(r.comments), formatInt(r.people), formatPercent(r.likes+r.comments, r.people*possible))
	}
	return b.String()
}

// PerContentRecap renders a directorate's per-content recap (menus 28 and
// 29): for each task post its link, how many of the personnel did it and
// how many did not, and the accounts that engaged in all. Done maps a
// post id to the NRPs of the personnel who did it; exempt personnel with
// a username count as done.
func PerContentRecap(in Directorate, platform string, done map[string]map[string]bool) string {
	noun := "Instagram"
	if platform == "tiktok" {
		noun = "TikTok"
	}
	if len(in.Posts) == 0 {
		return fmt.Sprintf("Tidak ada konten pada akun Official %s *%s* hari ini.", noun, in.Client.name())
	}
	user := in.Client.tiktokUser()
	unit := "likes"
	if platform == "tiktok" {
		unit = "komentar"
	}
	var b strings.Builder
	b.WriteString(header("📋 *Rekap Per Konten "+platformTitle(platform)+"*", in.Client, in.At, "") + "\n\n")
	fmt.Fprintf(&b, "*Jumlah Konten:* %d\n*Jumlah Personil:* %d pers", len(in.Posts), len(in.People))
	for i, p := range in.Posts {
		link := igLink(p.ID)
		if platform == "tiktok" {
			link = tiktokLink(user, p.ID)
		}
		yes := 0
		for _, person := range in.People {
			if (person.Exception && person.HasHandle()) || (person.HasHandle() && done[p.ID][person.NRP]) {
				yes++
			}
		}
		fmt.Fprintf(&b, "\n\n%d. %s\n✅ Sudah : %d pers\n❌ Belum : %d pers\nTotal %s : %s", i+1, link, yes,
			len(in.People)-yes, unit, formatInt(p.Count))
	}
	return b.String()
}

// SatkerReport renders the per-satker compliance report of a period (menu
// 30, "Laporan Kasatker"): for each unit its personnel and how many
// completed (every task post) Instagram likes and TikTok comments, best
// first by the two rates together.
func SatkerReport(ig, tt Directorate, period string) string {
	type row struct {
		c                      Client
		people, igDone, ttDone int
	}
	idx := map[string]*row{}
	var rows []*row
	add := func(d Directorate, into func(*row, int)) {
		units, _ := tally(d, ClassifyOperator)
		for _, u := range units {
			key := strings.ToUpper(strings.TrimSpace(u.Client.ID))
			r, ok := idx[key]
			if !ok {
				r = &row{c: u.Client}
				idx[key] = r
				rows = append(rows, r)
			}
			r.people = max(r.people, u.Total)
			into(r, u.Lengkap)
		}
	}
	add(ig, func(r *row, n int) { r.igDone = n })
	add(tt, func(r *row, n int) { r.ttDone = n })
	slices.SortStableFunc(rows, func(a, b *row) int {
		// (a.ig+a.tt)/a.people vs b's, descending, without floats.
		if c := cmp.Compare((b.igDone+b.ttDone)*max(a.people, 1), (a.igDone+a.ttDone)*max(b.people, 1)); c != 0 {
			return c
		}
		return compareFold(a.c.name(), b.c.name())
	})
	var b strings.Builder
	b.WriteString(header("📋 *Laporan Kasatker*", ig.Client, ig.At, period) + "\n\n")
	fmt.Fprintf(&b, "*Konten Instagram:* %d | *Konten TikTok:* %d", len(ig.Posts), len(tt.Posts))
	if len(rows) == 0 {
		b.WriteString("\n\nTidak ada data personil.")
	}
	for i, r := range rows {
		fmt.Fprintf(&b, "\n\n%d. %s (%s pers)\n📸 Likes lengkap : %s pers (%s%%)\n🎵 Komentar lengkap : %s pers (%s%%)",
			i+1, r.c.name(), formatInt(r.people), formatInt(r.igDone), formatPercent(r.igDone, r.people),
			formatInt(r.ttDone), formatPercent(r.ttDone, r.people))
	}
	return b.String()
}

// IsKasatBinmas reports a Kasat Binmas by jabatan (KASAT BINMAS or
// KASATBINMAS, not its deputy WAKASAT).
func IsKasatBinmas(jabatan string) bool {
	j := strings.Join(strings.Fields(strings.ToUpper(jabatan)), " ")
	return (strings.Contains(j, "KASAT BINMAS") || strings.Contains(j, "KASATBINMAS")) && !strings.Contains(j, "WAKASAT")
}

// KasatBinmasRecap renders the Kasat Binmas recap of a period (menus 34
// likes, 35 comments): the Kasat Binmas of each unit with the task posts
// they did, lengkap first, then kurang, then belum (directorate IG rule
// for likes, ceil(N/2) for comments).
func KasatBinmasRecap(in Directorate, platform, period string) string {
	classify := ClassifyHalfPercent
	if platform == "tiktok" {
		classify = ClassifyHalfCeil
	}
	n := len(in.Posts)
	var groups [4][]Person
	for _, p := range in.People {
		if IsKasatBinmas(p.Jabatan) {
			s := classify(p, n)
			groups[s] = append(groups[s], p)
		}
	}
	var b strings.Builder
	b.WriteString(header("📋 *Rekap "+platformTitle(platform)+" Kasat Binmas*", in.Client, in.At, period) + "\n\n")
	total := len(groups[Lengkap]) + len(groups[Kurang]) + len(groups[Belum]) + len(groups[NoHandle])
	fmt.Fprintf(&b, "*Jumlah Konten:* %d\n*Jumlah Kasat Binmas:* %d pers", n, total)
	for _, sec := range []struct {
		title string
		ps    []Person
	}{{"✅ Melaksanakan lengkap", groups[Lengkap]}, {"⚠️ Melaksanakan kurang lengkap", groups[Kurang]},
		{"❌ Belum melaksanakan", append(slices.Clone(groups[Belum]), groups[NoHandle]...)}} {
		slices.SortStableFunc(sec.ps, func(a, b Person) int {
			if c := cmp.Compare(SatkerRank(a.ClientName), SatkerRank(b.ClientName)); c != 0 {
				return c
			}
			if c := compareFold(a.ClientName, b.ClientName); c != 0 {
				return c
			}
			return ComparePersons(a, b)
		})
		fmt.Fprintf(&b, "\n\n%s (%d pers):", sec.title, len(sec.ps))
		if len(sec.ps) == 0 {
			b.WriteString("\n-")
		}
		for _, p := range sec.ps {
			handle := "-"
			if p.HasHandle() {
				handle = strings.TrimSpace(p.Handle)
			}
			fmt.Fprintf(&b, "\n- %s – %s : %s (%d/%d konten)", p.ClientName, p.label(), handle, p.done(n), n)
		}
	}
	return b.String()
}
