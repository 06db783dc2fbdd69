package recaptext

import (
	"fmt"
	"strings"
	"time"
)

// Mode picks the lists of an ORG/operator absensi recap: all of them,
// only lengkap and kurang (sudah), or only belum.
type Mode string

// The modes of absensiLikes / absensiKomentar.
const (
	ModeAll   Mode = "all"
	ModeSudah Mode = "sudah"
	ModeBelum Mode = "belum"
)

// ParseMode reads a mode case-insensitively; anything else is ModeAll.
func ParseMode(s string) Mode {
	switch m := Mode(strings.ToLower(strings.TrimSpace(s))); m {
	case ModeSudah, ModeBelum:
		return m
	}
	return ModeAll
}

// Absensi is the input of the ORG/operator absensi recaps (§5.2).
type Absensi struct {
	Client Client
	At     time.Time // when the recap is made; rendered in Jakarta
	Posts  []Post    // today's task posts, in task order
	People []Person  // the personnel in scope, counts over Posts
	Mode   Mode
	// FailedPosts (TikTok only) are video ids whose comments could not be
	// fetched; listed in a warning line before the closing.
	FailedPosts []string
}

// AbsensiLikes renders the Instagram ORG/operator recap
// (`absensiLikes` mode all/sudah/belum).
func AbsensiLikes(in Absensi) string {
	if len(in.Posts) == 0 {
		return fmt.Sprintf("Tidak ada konten pada akun Official Instagram  *%s* hari ini.", in.Client.name())
	}
	links := make([]string, len(in.Posts))
	for i, p := range in.Posts {
		links[i] = igLink(p.ID)
	}
	head := fmt.Sprintf("📋 *Rekap Akumulasi Likes Instagram*\n*Polres*: *%s*", in.Client.name())
	return absensi(in, head, links, Person.igHandle)
}

// AbsensiKomentarOperator renders the TikTok operator variant
// (`absensiKomentar` with role flag operator).
func AbsensiKomentarOperator(in Absensi) string {
	if len(in.Posts) == 0 {
		return fmt.Sprintf("Tidak ada konten pada akun Official Tiktok *%s* hari ini.", in.Client.name())
	}
	user := in.Client.tiktokUser()
	links := make([]string, len(in.Posts))
	for i, p := range in.Posts {
		links[i] = tiktokLink(user, p.ID)
	}
	head := fmt.Sprintf("📋 *Rekap Akumulasi Komentar TikTok*\n*%s*", in.Client.name())
	return absensi(in, head, links, tiktokHandle)
}

func tiktokHandle(p Person) string {
	if !p.HasHandle() {
		return "belum mengisi data tiktok"
	}
	return strings.TrimSpace(p.Handle)
}

// absensi writes the shared skeleton.
func absensi(in Absensi, head string, links []string, handle func(Person) string) string {
	n := len(in.Posts)
	st := StampOf(in.At)
	var lengkap, kurang, belum []Person
	for _, p := range in.People {
		switch ClassifyOperator(p, n) {
		case Lengkap:
			lengkap = append(lengkap, p)
		case Kurang:
			kurang = append(kurang, p)
		default:
			belum = append(belum, p)
		}
	}
	mode := ParseMode(string(in.Mode))
	showSudah, showBelum := mode != ModeBelum, mode != ModeSudah

	var b strings.Builder
	fmt.Fprintf(&b, "Mohon ijin Komandan,\n\n%s\n%s, %s\nJam: %s\n\n", head, st.Day, st.Date, st.Time)
	fmt.Fprintf(&b, "*Jumlah Konten:* %d\n*Daftar Link Konten:*\n%s\n\n", n, listOrDash(links))
	fmt.Fprintf(&b, "*Jumlah user:* %d user\n", len(in.People))
	fmt.Fprintf(&b, "✅ *Melaksanakan lengkap* : *%d user*\n", len(lengkap))
	fmt.Fprintf(&b, "⚠️ *Melaksanakan kurang lengkap* : *%d user*\n", len(kurang))
	fmt.Fprintf(&b, "❌ *Belum melaksanakan* : *%d user*\n\n", len(belum))
	if showSudah {
		fmt.Fprintf(&b, "✅ *Melaksanakan lengkap* (%d user)\n", len(lengkap))
		fmt.Fprintf(&b, "⚠️ *Melaksanakan kurang lengkap* (%d user)\n", len(kurang))
	}
	if showBelum {
		fmt.Fprintf(&b, "❌ *Belum melaksanakan* (%d user)\n", len(belum))
	}
	b.WriteString("\n")

	var shown []Person
	if showSudah {
		shown = append(append(shown, lengkap...), kurang...)
	}
	if showBelum {
		shown = append(shown, belum...)
	}
	groups := groupByDivision(shown)
	if len(groups) == 0 {
		b.WriteString("-\n\n")
	}
	line := func(p Person) string {
		return fmt.Sprintf("- %s : %s (%d/%d konten)", p.label(), handle(p), p.done(n), n)
	}
	for _, g := range groups {
		var l, k, bl []string
		for _, p := range g.People {
			switch ClassifyOperator(p, n) {
			case Lengkap:
				l = append(l, line(p))
			case Kurang:
				k = append(k, line(p))
			default:
				bl = append(bl, line(p))
			}
		}
		fmt.Fprintf(&b, "*%s* (%d user):\n", g.Name, len(g.People))
		if showSudah {
			fmt.Fprintf(&b, "✅ Lengkap (%d user):\n%s\n", len(l), listOrDash(l))
			fmt.Fprintf(&b, "⚠️ Kurang (%d user):\n%s\n", len(k), listOrDash(k))
		}
		if showBelum {
			fmt.Fprintf(&b, "❌ Belum (%d user):\n%s\n", len(bl), listOrDash(bl))
		}
		b.WriteString("\n")
	}
	if len(in.FailedPosts) > 0 {
		fmt.Fprintf(&b, "⚠️ Data komentar gagal diambil untuk konten: %s\n\n", strings.Join(in.FailedPosts, ", "))
	}
	b.WriteString("Terimakasih.")
	return strings.TrimSpace(b.String())
}
