package recaptext

import (
	"fmt"
	"strings"
	"time"
)

// PerContent is the input of the per-content recaps (§5.7): for each post,
// who of the personnel did it.
type PerContent struct {
	Client Client
	At     time.Time
	Posts  []Post
	People []Person // Count is not used; Done decides
	// Done maps a post id to the NRPs of the personnel who liked or
	// commented on it.
	Done map[string]map[string]bool
	Mode Mode
}

// PerContentLikes renders `📋 *Rekap Per Konten Likes Instagram*`: per
// post, who did it (sudah: a username and a like, or exempt with a
// username) and who did not, by division.
func PerContentLikes(in PerContent) string {
	if len(in.Posts) == 0 {
		return fmt.Sprintf("Tidak ada konten pada akun Official Instagram  *%s* hari ini.", in.Client.name())
	}
	head := fmt.Sprintf("📋 *Rekap Per Konten Likes Instagram*\n*Polres*: *%s*", in.Client.name())
	return perContent(in, head, igLink, Person.igHandle, func(p Person, did bool) bool {
		return p.Exception || (p.HasHandle() && did)
	})
}

// PerContentKomentar renders `📋 *Rekap Per Konten Komentar TikTok*`;
// exempt personnel are always sudah, with or without a username (the old
// report forced them in).
func PerContentKomentar(in PerContent) string {
	if len(in.Posts) == 0 {
		return fmt.Sprintf("Tidak ada konten pada akun Official Tiktok *%s* hari ini.", in.Client.name())
	}
	user := in.Client.tiktokUser()
	head := fmt.Sprintf("📋 *Rekap Per Konten Komentar TikTok*\n*%s*", in.Client.name())
	link := func(id string) string { return tiktokLink(user, id) }
	return perContent(in, head, link, tiktokHandle, func(p Person, did bool) bool {
		return p.Exception || (p.HasHandle() && did)
	})
}

func perContent(in PerContent, head string, link func(string) string, handle func(Person) string,
	sudah func(Person, bool) bool) string {
	st := StampOf(in.At)
	mode := ParseMode(string(in.Mode))
	var b strings.Builder
	fmt.Fprintf(&b, "Mohon ijin Komandan,\n\n%s\n%s, %s\nJam: %s\n\n*Jumlah Konten:* %d\n", head, st.Day, st.Date, st.Time, len(in.Posts))
	line := func(p Person) string { return fmt.Sprintf("- %s : %s", p.label(), handle(p)) }
	for _, post := range in.Posts {
		var yes, no []Person
		for _, p := range in.People {
			if sudah(p, in.Done[post.ID][p.NRP]) {
				yes = append(yes, p)
			} else {
				no = append(no, p)
			}
		}
		fmt.Fprintf(&b, "\nKonten: %s\n", link(post.ID))
		fmt.Fprintf(&b, "✅ *Sudah melaksanakan* : *%d user*\n", len(yes))
		fmt.Fprintf(&b, "❌ *Belum melaksanakan* : *%d user*\n", len(no))
		if mode != ModeBelum {
			fmt.Fprintf(&b, "✅ *Sudah melaksanakan* (%d user):\n%s\n", len(yes), simpleDivisionLists(yes, line))
		}
		if mode != ModeSudah {
			fmt.Fprintf(&b, "❌ *Belum melaksanakan* (%d user):\n%s\n", len(no), simpleDivisionLists(no, line))
		}
	}
	b.WriteString("\nTerimakasih.")
	return strings.TrimSpace(b.String())
}

func simpleDivisionLists(people []Person, line func(Person) string) string {
	groups := groupByDivision(people)
	if len(groups) == 0 {
		return "-"
	}
	parts := make([]string, len(groups))
	for i, g := range groups {
		lines := make([]string, len(g.People))
		for j, p := range g.People {
			lines[j] = line(p)
		}
		parts[i] = fmt.Sprintf("*%s* (%d user):\n%s", g.Name, len(g.People), strings.Join(lines, "\n"))
	}
	return strings.Join(parts, "\n\n")
}
