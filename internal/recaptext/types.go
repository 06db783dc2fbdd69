package recaptext

import (
	"strings"
	"time"

	"github.com/cicero/cicero/internal/jakarta"
)

// Client is the unit a recap is about.
type Client struct {
	ID     string
	Name   string // clients.nama
	Tiktok string // official TikTok username, with or without '@'
}

func (c Client) name() string {
	if strings.TrimSpace(c.Name) == "" {
		return c.ID
	}
	return c.Name
}

func (c Client) tiktokUser() string { return strings.TrimLeft(strings.TrimSpace(c.Tiktok), "@") }

// Post is one task post of the day: an Instagram shortcode or a TikTok
// video id, its upload instant (zero when unknown) and its engagement
// count (likers or commenters, as observed).
type Post struct {
	ID       string
	Uploaded time.Time
	Count    int
	Caption  string
}

// Person is one member of the personnel with their engagement count over
// the report's posts. Handle is the stored username as typed (blank = none);
// Exception marks exempt personnel, who count as having done every post
// when they have a handle (the old ingestion injected exempt handles into
// every like list, so an exempt person without a handle was never matched).
type Person struct {
	NRP        string
	Title      string // pangkat
	Name       string
	Division   string // divisi / satfung
	Jabatan    string
	Handle     string
	ClientID   string
	ClientName string
	Count      int
	Exception  bool
}

// HasHandle reports whether the person filled in a username.
func (p Person) HasHandle() bool { return strings.TrimSpace(p.Handle) != "" }

// done is the count the reports use: exempt personnel have done all total
// posts.
func (p Person) done(total int) int {
	if p.Exception {
		return max(p.Count, total)
	}
	if !p.HasHandle() {
		return 0
	}
	return p.Count
}

// label is "<title> <nama>", or the name alone when there is no title.
func (p Person) label() string {
	t := strings.TrimSpace(p.Title)
	if t == "" {
		return p.Name
	}
	return t + " " + p.Name
}

// igHandle is "@handle" or "-".
func (p Person) igHandle() string {
	if !p.HasHandle() {
		return "-"
	}
	return "@" + strings.TrimLeft(strings.TrimSpace(p.Handle), "@")
}

// Stamp is the date line of a recap: Indonesian day name, id-ID date
// (d/m/yyyy, no zero padding: 6/1/2025) and id-ID 24-hour time (15.20.05),
// all in Asia/Jakarta.
type Stamp struct {
	Day, Date, Time string
}

var hariIndo = [7]string{"Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"}

// StampOf renders t in Asia/Jakarta.
func StampOf(t time.Time) Stamp {
	j := t.In(jakarta.Location)
	return Stamp{
		Day:  hariIndo[j.Weekday()],
		Date: j.Format("2/1/2006"),
		Time: j.Format("15.04.05"),
	}
}

// hhmm is the Jakarta "HH:MM" of t.
func hhmm(t time.Time) string { return t.In(jakarta.Location).Format("15:04") }

func igLink(shortcode string) string { return "https://www.instagram.com/p/" + shortcode }

// tiktokLink is the video link with the client's username, or without it
// when the client has none.
func tiktokLink(user, id string) string {
	if user == "" {
		return "https://www.tiktok.com/video/" + id
	}
	return "https://www.tiktok.com/@" + user + "/video/" + id
}
