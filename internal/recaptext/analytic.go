package recaptext

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Analytic is the input of the TikTok analytic recap for non-operator ORG
// requests (§5.5).
type Analytic struct {
	Client Client
	At     time.Time
	Posts  []Post // Count = accounts that commented (personnel or not)
	People []Person
	// Participants is the number of distinct accounts that commented on
	// any post, personnel or not (the union of the commenter sets).
	Participants int
}

// AnalyticKomentar renders the TikTok analytic. A person reaches the
// target with a username and at least ceil(N/2) posts; "Personel mencapai
// target" and "Interaksi aktual" count only personnel with a username.
// The "Catatan personel" line (the spec names it without its text) says
// how many have no TikTok username, and is left out when none.
func AnalyticKomentar(in Analytic) string {
	if len(in.Posts) == 0 {
		return fmt.Sprintf("Tidak ada konten pada akun Official Tiktok *%s* hari ini.", in.Client.name())
	}
	n, target := len(in.Posts), Target(len(in.Posts))
	var reached, missed []Person
	withHandle, interactions := 0, 0
	for _, p := range in.People {
		if p.HasHandle() || p.Exception {
			withHandle++
			interactions += p.done(n)
		}
		if ReachedTarget(p, n) {
			reached = append(reached, p)
		} else {
			missed = append(missed, p)
		}
	}
	st := StampOf(in.At)
	user := in.Client.tiktokUser()
	var b strings.Builder
	fmt.Fprintf(&b, "📊 *Rekap Analitik Komentar TikTok*\n*%s* | %s, %s | Jam %s WIB\n\n", in.Client.name(), st.Day, st.Date, st.Time)
	b.WriteString("*Ringkasan Capaian*\n")
	fmt.Fprintf(&b, "• Konten dipantau : %s\n", formatInt(n))
	fmt.Fprintf(&b, "• Target minimal per personel : %s konten\n", formatInt(target))
	fmt.Fprintf(&b, "• Personel mencapai target : %s/%s (%s%%)\n", formatInt(len(reached)), formatInt(withHandle), formatPercent(len(reached), withHandle))
	fmt.Fprintf(&b, "• Interaksi aktual : %s/%s (%s%%)\n", formatInt(interactions), formatInt(withHandle*target), formatPercent(interactions, withHandle*target))
	fmt.Fprintf(&b, "• Partisipan unik : %s akun\n\n", formatInt(in.Participants))

	hi, lo := in.Posts[0], in.Posts[0]
	for _, p := range in.Posts[1:] {
		if p.Count > hi.Count {
			hi = p
		}
		if p.Count < lo.Count {
			lo = p
		}
	}
	b.WriteString("*Sorotan Konten*\n")
	fmt.Fprintf(&b, "• Performa tertinggi : %s – %s akun (%s)\n", postTitle(hi), formatInt(hi.Count), tiktokLink(user, hi.ID))
	fmt.Fprintf(&b, "• Performa terendah : %s – %s akun (%s)\n\n", postTitle(lo), formatInt(lo.Count), tiktokLink(user, lo.ID))

	b.WriteString("*Kontributor Utama*\n")
	b.WriteString(listOrDash(topContributors(in.People, n, 3)) + "\n\n")
	if no := len(in.People) - withHandle; no > 0 {
		fmt.Fprintf(&b, "*Catatan personel:* %s personel belum mengisi username TikTok.\n\n", formatInt(no))
	}
	links := make([]string, n)
	for i, p := range in.Posts {
		links[i] = tiktokLink(user, p.ID)
	}
	fmt.Fprintf(&b, "*Daftar Link Konten:*\n%s\n\n", listOrDash(links))
	fmt.Fprintf(&b, "📎 ✅ *Lampiran – Personel mencapai target* (%d user)\n%s\n\n", len(reached), divisionLists(reached, n))
	fmt.Fprintf(&b, "📎 ❌ *Lampiran – Personel belum mencapai target* (%d user)\n%s", len(missed), divisionLists(missed, n))
	return strings.TrimSpace(b.String())
}

// postTitle is the caption on one line, cut to 60 characters (57 and an
// ellipsis), or the id when there is no caption.
func postTitle(p Post) string {
	c := strings.Join(strings.Fields(p.Caption), " ")
	if c == "" {
		return p.ID
	}
	if utf8.RuneCountInString(c) > 60 {
		return string([]rune(c)[:57]) + "…"
	}
	return c
}

// topContributors are the k people with the most posts done (at least
// one), ties in recap order.
func topContributors(people []Person, n, k int) []string {
	var ps []Person
	for _, p := range people {
		if p.done(n) > 0 {
			ps = append(ps, p)
		}
	}
	slices.SortFunc(ps, func(a, b Person) int {
		if c := cmp.Compare(b.done(n), a.done(n)); c != 0 {
			return c
		}
		return ComparePersons(a, b)
	})
	out := []string{}
	for i, p := range ps[:min(k, len(ps))] {
		out = append(out, fmt.Sprintf("%d. %s – %d/%d konten", i+1, p.label(), p.done(n), n))
	}
	return out
}

// divisionLists lists people by division with the TikTok person line, or
// "-" when nobody.
func divisionLists(people []Person, n int) string {
	groups := groupByDivision(people)
	if len(groups) == 0 {
		return "-"
	}
	parts := make([]string, len(groups))
	for i, g := range groups {
		lines := make([]string, len(g.People))
		for j, p := range g.People {
			lines[j] = fmt.Sprintf("- %s : %s (%d/%d konten)", p.label(), tiktokHandle(p), p.done(n), n)
		}
		parts[i] = fmt.Sprintf("*%s* (%d user):\n%s", g.Name, len(g.People), strings.Join(lines, "\n"))
	}
	return strings.Join(parts, "\n\n")
}
