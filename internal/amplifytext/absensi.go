package amplifytext

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Absensi is the data of one client's amplification attendance of a day:
// the day's official posts, the people counted, and their reports on
// those posts.
type Absensi struct {
	ClientID, ClientNama string
	Posts                []string // shortcodes, in publication order
	People               []Person
	Reports              []Report
}

type absensiLine struct {
	p              Person
	done, links    int
	sudah, lengkap bool
}

// AbsensiLink is absensiLink for an org client (spec/ops.md §2.5, sent by
// cronRekapLink): each person is "sudah" when exempt or when they
// reported every post of the day, "belum lengkap" when some, "belum"
// otherwise. No post of the day: `Tidak ada konten IG untuk *<nama>* hari
// ini.`
func AbsensiLink(now time.Time, a Absensi) string {
	name := a.ClientNama
	if name == "" {
		name = a.ClientID
	}
	if len(a.Posts) == 0 {
		return "Tidak ada konten IG untuk *" + name + "* hari ini."
	}
	onDay := map[string]bool{}
	for _, sc := range a.Posts {
		onDay[sc] = true
	}
	done, links := map[string]int{}, map[string]int{}
	for _, r := range a.Reports {
		if onDay[r.Shortcode] {
			done[r.UserID]++
			links[r.UserID] += r.LinkCount()
		}
	}
	var sudah, kurang, belum []absensiLine
	for _, p := range a.People {
		l := absensiLine{p: p, done: done[p.UserID], links: links[p.UserID]}
		switch {
		case p.Exception || l.done >= len(a.Posts):
			sudah = append(sudah, l)
		case l.done > 0:
			kurang = append(kurang, l)
		default:
			belum = append(belum, l)
		}
	}
	byName := func(x, y absensiLine) int {
		return cmp.Or(cmp.Compare(strings.ToUpper(x.p.Nama), strings.ToUpper(y.p.Nama)), cmp.Compare(x.p.UserID, y.p.UserID))
	}
	slices.SortStableFunc(sudah, func(x, y absensiLine) int { return cmp.Or(cmp.Compare(y.links, x.links), byName(x, y)) })
	slices.SortStableFunc(kurang, byName)
	slices.SortStableFunc(belum, byName)

	day, date, clock := stamp(now)
	var b strings.Builder
	b.WriteString(Greeting(now) + ",\n\n")
	fmt.Fprintf(&b, "Mohon Ijin Melaporkan Pelaksanaan Tugas Amplifikasi *%s* pada hari :\n\n", name)
	fmt.Fprintf(&b, "Hari: %s\n\nTanggal: %s\n\nPukul: %s\n\n", day, date, clock)
	fmt.Fprintf(&b, "Jumlah Konten Resmi Hari ini : %d\n", len(a.Posts))
	for _, sc := range a.Posts {
		b.WriteString(PostLink(sc) + "\n")
	}
	fmt.Fprintf(&b, "\nJumlah Personil yang melaksanakan: %d\n\n", len(sudah)+len(kurang))
	section := func(head string, ls []absensiLine, note string) {
		fmt.Fprintf(&b, "%s (%d user)\n", head, len(ls))
		if note != "" {
			b.WriteString(note + "\n")
		}
		if len(ls) == 0 {
			b.WriteString("-\n")
		}
		for _, l := range ls {
			div := strings.TrimSpace(l.p.Divisi)
			if div == "" {
				div = "-"
			}
			belumN := max(len(a.Posts)-l.done, 0)
			if l.p.Exception {
				belumN = 0
			}
			fmt.Fprintf(&b, "%s – %s (Sudah: %d Tugas / Belum: %d Tugas / Total Link: %d Link)\n", div, l.p.Label(), l.done, belumN, l.links)
		}
		b.WriteString("\n")
	}
	section("✅ Sudah Melaksanakan", sudah, "Urut berdasarkan total link terbanyak")
	section("⚠️ Belum Lengkap", kurang, "")
	section("❌ Belum Melaksanakan", belum, "")
	b.WriteString("Terima kasih.")
	return b.String()
}

// DailyReport is the daily amplification report of
// cronOprRequestDailyReport (the rekapLink template with the spelling
// "melaksanakan"), for the posts and reports of day (a Jakarta instant on
// that date) rendered at now. ok is false when nobody reported: the job
// sends nothing then.
func DailyReport(now, day time.Time, a Absensi) (text string, ok bool) {
	onDay := map[string]bool{}
	for _, sc := range a.Posts {
		onDay[sc] = true
	}
	people := map[string]bool{}
	var reports []Report
	for _, r := range a.Reports {
		if onDay[r.Shortcode] {
			reports = append(reports, r)
			people[r.UserID] = true
		}
	}
	if len(reports) == 0 {
		return "", false
	}
	name := a.ClientNama
	if name == "" {
		name = a.ClientID
	}
	hari, date, _ := stamp(day)
	_, _, clock := stamp(now)
	var b strings.Builder
	b.WriteString(Greeting(now) + ",\n\n")
	fmt.Fprintf(&b, "Mohon Ijin Melaporkan Pelaksanaan Tugas Amplifikasi *%s* pada hari :\n", name)
	fmt.Fprintf(&b, "Hari : %s\nTanggal : %s\nPukul : %s\n\n", hari, date, clock)
	fmt.Fprintf(&b, "Jumlah Konten Resmi Hari ini : %d\n", len(a.Posts))
	for _, sc := range a.Posts {
		b.WriteString(PostLink(sc) + "\n")
	}
	total := 0
	for _, r := range reports {
		total += r.LinkCount()
	}
	fmt.Fprintf(&b, "\nJumlah Personil yang melaksanakan : %d\n", len(people))
	fmt.Fprintf(&b, "Jumlah Total Link dari 5 Platform Sosial Media : %d\n\n", total)
	b.WriteString("Link Sebagai Berikut :")
	for _, pl := range []struct {
		name string
		get  func(Report) string
	}{
		{"Facebook", func(r Report) string { return r.Facebook }},
		{"Instagram", func(r Report) string { return r.Instagram }},
		{"Twitter", func(r Report) string { return r.Twitter }},
		{"TikTok", func(r Report) string { return r.Tiktok }},
		{"Youtube", func(r Report) string { return r.Youtube }},
	} {
		var urls []string
		for _, r := range reports {
			if u := pl.get(r); u != "" {
				urls = append(urls, u)
			}
		}
		fmt.Fprintf(&b, "\n%s (%d):\n", pl.name, len(urls))
		if len(urls) == 0 {
			b.WriteString("-\n")
		}
		for _, u := range urls {
			b.WriteString(u + "\n")
		}
	}
	return strings.TrimSpace(b.String()), true
}
