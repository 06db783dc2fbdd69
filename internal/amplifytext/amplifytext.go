// Package amplifytext renders the WhatsApp texts of link amplification
// (spec/ops.md §2.3.1 and §2.5) as pure functions of their data: the
// thank-you to a person who reported links, the operators' attendance
// recap of cronRekapLink (absensiLink) and the daily amplification report
// of cronOprRequestDailyReport. Times are rendered in Asia/Jakarta.
package amplifytext

import (
	"strings"
	"time"

	"github.com/cicero/cicero/internal/complainttext"
	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/internal/recaptext"
)

// Person is one member of the personnel as the texts name them.
type Person struct {
	UserID, Title, Nama, Divisi string
	Exception                   bool
}

// Label is "<title> <nama>", or the name alone.
func (p Person) Label() string {
	return strings.TrimSpace(strings.TrimSpace(p.Title) + " " + strings.TrimSpace(p.Nama))
}

// Report is one person's links for one post ("" = none).
type Report struct {
	UserID, Shortcode                             string
	Instagram, Facebook, Twitter, Tiktok, Youtube string
}

// LinkCount is the number of non-empty links.
func (r Report) LinkCount() int {
	n := 0
	for _, s := range []string{r.Instagram, r.Facebook, r.Twitter, r.Tiktok, r.Youtube} {
		if s != "" {
			n++
		}
	}
	return n
}

// Greeting is the legacy getGreeting by the Jakarta hour of t: 04–09
// "Selamat pagi", 10–14 "Selamat siang", 15–17 "Selamat sore", else
// "Selamat malam": the bands the complaint answers greet with.
func Greeting(t time.Time) string { return complainttext.Greeting(t, jakarta.Location) }

// stamp is the Indonesian day name, id-ID date (d/m/yyyy) and time
// (HH.MM.SS) of t in Asia/Jakarta, as the recaps print them.
func stamp(t time.Time) (day, date, clock string) {
	s := recaptext.StampOf(t)
	return s.Day, s.Date, s.Time
}

// PostLink is the post's Instagram link.
func PostLink(shortcode string) string { return "https://www.instagram.com/p/" + shortcode }

// ThankYou is the confirmation sent to a person after they reported links
// (spec/ops.md §2.3.1), greeting by the submission time. The "simpan
// nomor" sentence sits between the heading and the list, as the old
// template had it.
func ThankYou(at time.Time, p Person, shortcode string, r Report) string {
	nihil := func(url, platform string) string {
		if url == "" {
			return "- " + platform + " Nihil"
		}
		return "- " + url
	}
	return strings.Join([]string{
		Greeting(at) + ",",
		"",
		"Terimakasih, " + p.Label() + ".",
		"Anda sudah melaksanakan Tugas Amplifikasi Konten:",
		"- " + PostLink(shortcode),
		"",
		"Link Amplifikasi Anda :",
		"Jangan lupa simpan nomor WA Bot ini agar tetap menerima notifikasi tugas berikutnya.",
		nihil(r.Facebook, "Facebook"),
		nihil(r.Instagram, "Instagram"),
		nihil(r.Twitter, "Twitter"),
		nihil(r.Tiktok, "Tiktok"),
		nihil(r.Youtube, "Youtube"),
	}, "\n")
}
