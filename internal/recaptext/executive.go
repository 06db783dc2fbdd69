package recaptext

import (
	"fmt"
	"strings"
)

// Executive is the input of the premium executive recap (the dashboard's
// insight card, GET /api/dashboard/premium/executive-recap): the attendance
// of one personnel set over one task set and period, already classified
// with the REST rules of spec/social.md §3.2 (sudah: every task post; kurang:
// some; belum: none; no username: no handle; exempt personnel are sudah).
type Executive struct {
	Platform    string // "instagram" or "tiktok"
	ClientName  string
	PeriodLabel string
	Users       int // personnel in the set
	Posts       int // task posts in the period
	Engagements int // Σ per person of task posts done (exempt: every post)
	Sudah       int
	Kurang      int
	Belum       int
	NoUsername  int
	// UnitKind names the grouping of Top and Bottom: "client" (satker,
	// when the set spans several clients) or "divisi" (satfung).
	UnitKind    string
	Top, Bottom []Unit // best first; worst first
}

// Unit is one satker or satfung of an executive recap.
type Unit struct {
	Name         string
	Users, Sudah int
}

// platformWords are the platform's words in the executive texts.
type platformWords struct{ name, done, noun string }

func wordsOf(platform string) platformWords {
	if platform == "tiktok" {
		return platformWords{name: "TikTok", done: "mengomentari", noun: "komentar"}
	}
	return platformWords{name: "Instagram", done: "me-like", noun: "like"}
}

func (e Executive) clientName() string {
	if strings.TrimSpace(e.ClientName) == "" {
		return "-"
	}
	return strings.TrimSpace(e.ClientName)
}

// ExecutiveSummary is the recap as one Indonesian paragraph.
func ExecutiveSummary(e Executive) string {
	w := wordsOf(e.Platform)
	switch {
	case e.Users == 0:
		return fmt.Sprintf("Belum ada personel aktif pada cakupan %s untuk periode %s, sehingga kepatuhan %s %s belum dapat dinilai.",
			e.clientName(), e.PeriodLabel, w.noun, w.name)
	case e.Posts == 0:
		s := fmt.Sprintf("Tidak ada konten %s %s pada periode %s, sehingga kepatuhan %s %s personel belum dapat dinilai",
			w.name, e.clientName(), e.PeriodLabel, w.noun, formatInt(e.Users))
		if e.NoUsername > 0 {
			return s + fmt.Sprintf("; %s personel belum memiliki username %s.", formatInt(e.NoUsername), w.name)
		}
		return s + "."
	}
	return fmt.Sprintf("Pada periode %s, %s dari %s personel %s (%s%%) telah %s seluruh %s konten %s; %s baru sebagian, "+
		"%s belum sama sekali, dan %s belum memiliki username %s, dengan total %s %s tercatat.",
		e.PeriodLabel, formatInt(e.Sudah), formatInt(e.Users), e.clientName(), formatPercent(e.Sudah, e.Users), w.done,
		formatInt(e.Posts), w.name, formatInt(e.Kurang), formatInt(e.Belum), formatInt(e.NoUsername), w.name,
		formatInt(e.Engagements), w.noun)
}

// ExecutiveRecap is the recap as a WhatsApp message: title, scope and
// period, the summary, the figures, and the best and worst units when
// there are task posts.
func ExecutiveRecap(e Executive) string {
	w := wordsOf(e.Platform)
	var b strings.Builder
	title := "Likes Instagram"
	if e.Platform == "tiktok" {
		title = "Komentar TikTok"
	}
	fmt.Fprintf(&b, "📊 *Rekap Eksekutif %s*\n*%s*\nPeriode: %s\n\n", title, e.clientName(), e.PeriodLabel)
	b.WriteString(ExecutiveSummary(e))
	b.WriteString("\n\n*Statistik*\n")
	fmt.Fprintf(&b, "• Personel : %s\n", formatInt(e.Users))
	fmt.Fprintf(&b, "• Konten : %s\n", formatInt(e.Posts))
	fmt.Fprintf(&b, "• Total %s : %s dari %s (%s%%)\n", w.noun, formatInt(e.Engagements), formatInt(e.Users*e.Posts),
		formatPercent(e.Engagements, e.Users*e.Posts))
	fmt.Fprintf(&b, "• Kepatuhan : %s%% (%s/%s personel)\n", formatPercent(e.Sudah, e.Users), formatInt(e.Sudah), formatInt(e.Users))
	fmt.Fprintf(&b, "• ✅ Sudah : %s\n", formatInt(e.Sudah))
	fmt.Fprintf(&b, "• ⚠️ Kurang : %s\n", formatInt(e.Kurang))
	fmt.Fprintf(&b, "• ⏳ Belum : %s\n", formatInt(e.Belum))
	fmt.Fprintf(&b, "• ❗ Tanpa username : %s", formatInt(e.NoUsername))
	unit := "Satfung"
	if e.UnitKind == "client" {
		unit = "Satker"
	}
	for _, sec := range []struct {
		title string
		units []Unit
	}{{unit + " tertinggi", e.Top}, {unit + " terendah", e.Bottom}} {
		if len(sec.units) == 0 || e.Posts == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n\n*%s*", sec.title)
		for i, u := range sec.units {
			fmt.Fprintf(&b, "\n%d. %s — %s%% (%s/%s personel)", i+1, u.Name, formatPercent(u.Sudah, u.Users),
				formatInt(u.Sudah), formatInt(u.Users))
		}
	}
	return b.String()
}
