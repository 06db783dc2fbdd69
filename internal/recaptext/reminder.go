package recaptext

import (
	"fmt"
	"strings"
	"time"

	"github.com/cicero/cicero/internal/jakarta"
)

// Reminder is the input of the personal engagement reminder (spec/ops.md
// §5.6): whom it greets, when, and the links of the day's task posts the
// person has not done yet.
type Reminder struct {
	Title, Name string
	At          time.Time
	Instagram   []string // links still to like
	Tiktok      []string // links still to comment on
}

// Greeting is "Selamat Pagi|Siang|Malam, Bapak/Ibu <pangkat> <nama>" by the
// Jakarta hour: 4–10 Pagi, 11–15 Siang, else Malam (there is no "Sore").
func Greeting(title, name string, at time.Time) string {
	part := "Malam"
	switch h := at.In(jakarta.Location).Hour(); {
	case h >= 4 && h <= 10:
		part = "Pagi"
	case h >= 11 && h <= 15:
		part = "Siang"
	}
	who := strings.TrimSpace(strings.TrimSpace(title) + " " + strings.TrimSpace(name))
	return fmt.Sprintf("Selamat %s, Bapak/Ibu %s", part, who)
}

// ReminderText renders the reminder: a thank-you when nothing is left,
// else the numbered links per platform and the two reminders.
func ReminderText(r Reminder) string {
	var b strings.Builder
	b.WriteString(Greeting(r.Title, r.Name, r.At) + "\n\n")
	if len(r.Instagram) == 0 && len(r.Tiktok) == 0 {
		b.WriteString("Terimakasih, Tugas Likes dan komentar hari ini sudah dilaksanakan semua")
		return b.String()
	}
	b.WriteString("👋 Pengingat engagement harian\n\n")
	for _, sec := range []struct {
		title string
		links []string
	}{{"Konten Instagram yang perlu diselesaikan:", r.Instagram}, {"Konten TikTok yang perlu diselesaikan:", r.Tiktok}} {
		if len(sec.links) == 0 {
			continue
		}
		b.WriteString(sec.title + "\n")
		for i, l := range sec.links {
			fmt.Fprintf(&b, "%d. %s\n", i+1, l)
		}
		b.WriteString("\n")
	}
	b.WriteString("1️⃣ Pastikan setiap unggahan mendapat dukungan likes sesuai target.\n")
	b.WriteString("2️⃣ Tambahkan komentar positif dan relevan pada konten terbaru.\n\n")
	b.WriteString("Balas *notifwa#off* jika ingin berhenti menerima pengingat otomatis.")
	return b.String()
}

// PostLink is a task post's link: the Instagram post, or the TikTok video
// under the client's username (without it when the client has none).
func PostLink(platform string, c Client, id string) string {
	if platform == "tiktok" {
		return tiktokLink(c.tiktokUser(), id)
	}
	return igLink(id)
}
