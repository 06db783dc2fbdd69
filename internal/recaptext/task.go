package recaptext

import (
	"fmt"
	"strings"
	"time"
)

// TaskBroadcast is the input of the sosmed task broadcast (§5.1).
type TaskBroadcast struct {
	Client    Client
	Instagram []Post // today's IG task posts, in task order
	Tiktok    []Post // today's TikTok task posts, in task order
	// Previous is what the last broadcast to this client listed; posts
	// missing from it are marked "[BARU] ". Nil means there was no earlier
	// broadcast to compare with, and nothing is marked.
	Previous *BroadcastState
	// Window, when set, is the snapshot window the counts come from; it
	// adds the "Data rentang HH:MM–HH:MM WIB" line.
	Window *Window
}

// BroadcastState is the set of post ids an earlier broadcast listed.
type BroadcastState struct {
	Instagram map[string]bool
	Tiktok    map[string]bool
}

// Window is a snapshot window of engagement counts.
type Window struct {
	Start, End time.Time
}

// TaskMessage renders the sosmed task broadcast. Some lines end in a space,
// as the old text did; the whole text is trimmed.
func TaskMessage(in TaskBroadcast) string {
	name := strings.ToUpper(in.Client.name())
	var b strings.Builder
	fmt.Fprintf(&b, "Mohon Ijin Komandan, Senior, Rekan Operator dan Personil pelaksana Tugas Likes dan komentar Sosial Media %s.\n\n", name)
	b.WriteString("Tugas Likes dan Komentar Konten Instagram dan Tiktok \n")
	b.WriteString(name + "\n")
	fmt.Fprintf(&b, "Jumlah konten Instagram hari ini: %d \n", len(in.Instagram))
	fmt.Fprintf(&b, "Total likes semua konten: %d \n\n", sumCounts(in.Instagram))
	b.WriteString("Rincian:\n")
	var prevIG, prevTT map[string]bool
	if in.Previous != nil {
		prevIG, prevTT = in.Previous.Instagram, in.Previous.Tiktok
	}
	lines := make([]string, 0, len(in.Instagram))
	for i, p := range in.Instagram {
		unit := "likes"
		if p.Count == 1 {
			unit = "like"
		}
		lines = append(lines, fmt.Sprintf("%d. %s%s %s : %d %s", i+1, newMark(in.Previous != nil, prevIG, p.ID),
			igLink(p.ID), uploadNote(p.Uploaded), p.Count, unit))
	}
	b.WriteString(listOrDash(lines))
	fmt.Fprintf(&b, "\n\nJumlah konten Tiktok hari ini: %d \n", len(in.Tiktok))
	fmt.Fprintf(&b, "Total komentar semua konten: %d\n\n", sumCounts(in.Tiktok))
	b.WriteString("Rincian:\n")
	user := in.Client.tiktokUser()
	lines = lines[:0]
	for i, p := range in.Tiktok {
		lines = append(lines, fmt.Sprintf("%d. %s%s %s : %d komentar", i+1, newMark(in.Previous != nil, prevTT, p.ID),
			tiktokLink(user, p.ID), uploadNote(p.Uploaded), p.Count))
	}
	b.WriteString(listOrDash(lines))
	if in.Window != nil {
		fmt.Fprintf(&b, "\n\nData rentang %s–%s WIB", hhmm(in.Window.Start), hhmm(in.Window.End))
	}
	b.WriteString("\n\nSilahkan Melaksanakan Likes, Komentar dan Share.")
	return strings.TrimSpace(b.String())
}

func newMark(compare bool, prev map[string]bool, id string) string {
	if compare && !prev[id] {
		return "[BARU] "
	}
	return ""
}

func uploadNote(t time.Time) string {
	if t.IsZero() {
		return "(upload tidak diketahui)"
	}
	return "(upload " + hhmm(t) + " WIB)"
}

func sumCounts(ps []Post) int {
	n := 0
	for _, p := range ps {
		n += p.Count
	}
	return n
}

func listOrDash(lines []string) string {
	if len(lines) == 0 {
		return "-"
	}
	return strings.Join(lines, "\n")
}
