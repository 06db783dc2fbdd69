package complainttext

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const sample = `Selamat siang admin
Pesan Komplain
NRP/NIP: 8001-0002
Nama : budi santoso
Polres: POLRES BOJONEGORO
Username IG : @Budi.S
Username Tiktok： budi_tt
Rincian Kendala:
- Sudah melaksanakan likes IG tapi belum terdata
• 2) Terabsen kurang padahal sudah melaksanakan semua
* catatan: jam 10:30 sudah like
status belum melaksanakan di tiktok`

func TestParse(t *testing.T) {
	got := Parse(sample)
	want := Parsed{Raw: sample, NRP: "80010002", Name: "budi santoso", Polres: "POLRES BOJONEGORO",
		Instagram: "@budi.s", Tiktok: "@budi_tt", Issues: []string{
			"Sudah melaksanakan likes IG tapi belum terdata",
			"Terabsen kurang padahal sudah melaksanakan semua",
			"catatan: jam 10:30 sudah like",
			"status belum melaksanakan di tiktok",
		}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Parse (-want +got):\n%s", diff)
	}
}

func TestParseHeadersAndFallbacks(t *testing.T) {
	for _, h := range []string{"Kendala", "KENDALA YANG DIHADAPI:", "1. Detail kendala", "uraian  kendala：", "Berikut kendala berikut ini"} {
		if !isIssueHeader(h) {
			t.Errorf("%q is a header", h)
		}
	}
	if isIssueHeader("likes belum masuk") {
		t.Error("a plain line is not a header")
	}
	p := Parse("tidak ada format")
	p.Fallbacks(TikTok, " 80-01 ", "IG_User", "@@TT", "")
	want := Parsed{Raw: "tidak ada format", NRP: "8001", Instagram: "@ig_user", Tiktok: "@tt",
		Issues: []string{"Belum ada rincian kendala untuk komplain TikTok."}}
	if diff := cmp.Diff(want, p); diff != "" {
		t.Errorf("fallbacks (-want +got):\n%s", diff)
	}
	p = Parse("")
	p.Fallbacks(Instagram, "", "", "", "likes hilang")
	if !slices.Equal(p.Issues, []string{"likes hilang"}) {
		t.Errorf("override issue: %q", p.Issues)
	}
}

func TestDetect(t *testing.T) {
	got := Detect(Parse(sample).Issues)
	want := []string{InstagramNotRecorded, AttendanceLess, ActivityFlaggedNotDone}
	if !slices.Equal(got, want) {
		t.Errorf("Detect = %v, want %v", got, want)
	}
	got = Detect([]string{"Sudah melaksanakan komentar TikTok, tidak terdata", "sudah melaksanakan tt blm terdata"})
	if !slices.Equal(got, []string{TiktokNotRecorded}) {
		t.Errorf("Detect tiktok = %v", got)
	}
	if got := Detect([]string{"mohon dicek"}); len(got) != 0 {
		t.Errorf("nothing known: %v", got)
	}
}

func TestCompose(t *testing.T) {
	jkt := time.FixedZone("WIB", 7*3600)
	for h, want := range map[int]string{3: "Selamat malam", 4: "Selamat pagi", 9: "Selamat pagi", 10: "Selamat siang",
		14: "Selamat siang", 15: "Selamat sore", 17: "Selamat sore", 18: "Selamat malam"} {
		if got := Greeting(time.Date(2025, 12, 22, h, 30, 0, 0, jkt).UTC(), jkt); got != want {
			t.Errorf("hour %d: %s, want %s", h, got, want)
		}
	}
	if ReporterName("AKP", "Budi", "1") != "AKP Budi" || ReporterName("", "Budi", "1") != "Budi" || ReporterName("AKP", "", "1") != "1" {
		t.Error("ReporterName")
	}
	p := Parse(sample)
	issue := FormatIssue(p)
	wantIssue := "*Informasi Tambahan Pelapor*\n• Nama: Budi Santoso\n• Polres: Polres Bojonegoro\n\n" +
		"*Rincian Kendala*\n1. Sudah melaksanakan likes IG tapi belum terdata.\n" +
		"2. Terabsen kurang padahal sudah melaksanakan semua.\n3. Catatan: jam 10:30 sudah like.\n" +
		"4. Status belum melaksanakan di tiktok."
	if diff := cmp.Diff(wantIssue, issue); diff != "" {
		t.Errorf("FormatIssue (-want +got):\n%s", diff)
	}
	msg := Message("Selamat siang", "AKP Budi Santoso", "80010002", "X", DefaultSolution(Instagram))
	wantMsg := "Selamat siang! Kami menindaklanjuti laporan yang Anda sampaikan.\n\n*Pelapor*: AKP Budi Santoso\n\n" +
		"*NRP/NIP*: 80010002\n\n*Kendala*:\nX\n\n\n*Solusi/Tindak Lanjut*:\n" +
		"Tim kami sedang menindaklanjuti laporan Instagram. Jika diperlukan, kami akan menghubungi kembali setelah pengecekan."
	if diff := cmp.Diff(wantMsg, msg); diff != "" {
		t.Errorf("Message (-want +got):\n%s", diff)
	}
}
