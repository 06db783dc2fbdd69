// Package amplifytext renders the WhatsApp texts of link amplification
// (spec/ops.md §2.3.1 and §2.5) as pure functions of their data: the
// thank-you to a person who reported links, the operators' attendance
// recap of cronRekapLink (absensiLink) and the daily amplification report
// of cronOprRequestDailyReport. Times are rendered in Asia/Jakarta.
package amplifytext

import (
	"strings"
	"time"

	"github.com/cicero/cicero/internal/jakarta"
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
// "Selamat malam".
func Greeting(t time.Time) string {
	switch h := t.In(jakarta.Location).Hour(); {
	case h >= 4 && h < 10:
		return "Selamat pagi"
	case h >= 10 && h < 15:
		return "Selamat siang"
	case h >= 15 && h < 18:
		return "Selamat sore"
	}
	return "Selamat malam"
}

var hariIndo = [7]string{"Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"}

// stamp is the Indonesian day name, id-ID date (d/m/yyyy) and time
// (HH.MM.SS) of t in Asia/Jakarta.
func stamp(t time.Time) (day, date, clock string) {
	j := t.In(jakarta.Location)
	return hariIndo[j.Weekday()], j.Format("2/1/2006"), j.Format("15.04.05")
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
