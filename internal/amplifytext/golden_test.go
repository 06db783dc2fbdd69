package amplifytext

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cicero/cicero/internal/jakarta"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

func wib(d, h, mi, s int) time.Time { return time.Date(2026, 12, d, h, mi, s, 0, jakarta.Location) }

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Fatalf("%s differs:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func TestGreeting(t *testing.T) {
	for h, want := range map[int]string{3: "Selamat malam", 4: "Selamat pagi", 9: "Selamat pagi", 10: "Selamat siang",
		14: "Selamat siang", 15: "Selamat sore", 17: "Selamat sore", 18: "Selamat malam", 23: "Selamat malam"} {
		// A UTC instant: the hour is Jakarta's, whatever the server's zone.
		if got := Greeting(wib(3, h, 30, 0).UTC()); got != want {
			t.Errorf("hour %d: %q, want %q", h, got, want)
		}
	}
}

func TestThankYouGolden(t *testing.T) {
	got := ThankYou(wib(3, 10, 15, 0), Person{Title: "BRIPKA", Nama: "ANDI"}, "DAbc123",
		Report{Facebook: "https://fb.com/p/1", Tiktok: "https://tiktok.com/@a/video/2"})
	golden(t, "thank_you", got)
}

var absensi = Absensi{ClientID: "POLRESA", ClientNama: "POLRES A", Posts: []string{"POSTAAA", "POSTBBB"},
	People: []Person{
		{UserID: "1", Title: "AKP", Nama: "BUDI", Divisi: "SAT BINMAS"},
		{UserID: "2", Title: "IPDA", Nama: "CITRA", Divisi: "SAT LANTAS"},
		{UserID: "3", Title: "BRIPTU", Nama: "DEDI", Divisi: ""},
		{UserID: "4", Title: "AIPDA", Nama: "EKO", Divisi: "BAG OPS", Exception: true},
		{UserID: "5", Title: "BRIPDA", Nama: "AGUS", Divisi: "SAT BINMAS"},
	},
	Reports: []Report{
		{UserID: "1", Shortcode: "POSTAAA", Facebook: "https://fb/1a", Instagram: "https://ig/1a"},
		{UserID: "1", Shortcode: "POSTBBB", Facebook: "https://fb/1b"},
		{UserID: "5", Shortcode: "POSTAAA", Facebook: "https://fb/5a", Instagram: "https://ig/5a", Twitter: "https://tw/5a"},
		{UserID: "5", Shortcode: "POSTBBB", Youtube: "https://yt/5b"},
		{UserID: "2", Shortcode: "POSTBBB", Tiktok: "https://tt/2b"},
		{UserID: "3", Shortcode: "OTHERDAY", Tiktok: "https://tt/3x"},
	}}

func TestAbsensiLinkGolden(t *testing.T) {
	golden(t, "absensi_link", AbsensiLink(wib(3, 15, 5, 9), absensi))
	empty := absensi
	empty.Posts = nil
	if got := AbsensiLink(wib(3, 15, 5, 9), empty); got != "Tidak ada konten IG untuk *POLRES A* hari ini." {
		t.Fatalf("no posts: %q", got)
	}
}

func TestDailyReportGolden(t *testing.T) {
	got, ok := DailyReport(wib(3, 21, 7, 0), wib(3, 0, 0, 0), absensi)
	if !ok {
		t.Fatal("no report")
	}
	golden(t, "daily_report", got)
	none := absensi
	none.Reports = absensi.Reports[5:]
	if _, ok := DailyReport(wib(3, 21, 7, 0), wib(3, 0, 0, 0), none); ok {
		t.Fatal("a report without any report of the day")
	}
}
