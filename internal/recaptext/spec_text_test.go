package recaptext

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The goldens are written by the renderers themselves (go test -update);
// these texts are copied by hand from the spec instead, for the messages
// whose exact wording the spec gives, so a golden regenerated over a
// wrong rendering still fails here.

// spec/ops.md §5.6: the personal reminder.
func TestReminderTextAsTheSpecWritesIt(t *testing.T) {
	pending := ReminderText(Reminder{Title: "BRIPKA", Name: "ANDI", At: wib(2025, 12, 22, 17, 5, 0),
		Instagram: []string{"https://www.instagram.com/p/A1", "https://www.instagram.com/p/B2"},
		Tiktok:    []string{"https://www.tiktok.com/@polres/video/71"}})
	want := "Selamat Malam, Bapak/Ibu BRIPKA ANDI\n" +
		"\n" +
		"👋 Pengingat engagement harian\n" +
		"\n" +
		"Konten Instagram yang perlu diselesaikan:\n" +
		"1. https://www.instagram.com/p/A1\n" +
		"2. https://www.instagram.com/p/B2\n" +
		"\n" +
		"Konten TikTok yang perlu diselesaikan:\n" +
		"1. https://www.tiktok.com/@polres/video/71\n" +
		"\n" +
		"1️⃣ Pastikan setiap unggahan mendapat dukungan likes sesuai target.\n" +
		"2️⃣ Tambahkan komentar positif dan relevan pada konten terbaru.\n" +
		"\n" +
		"Balas *notifwa#off* jika ingin berhenti menerima pengingat otomatis."
	if d := cmp.Diff(want, pending); d != "" {
		t.Errorf("pending reminder (-spec +got):\n%s", d)
	}
	// Only TikTok left: no Instagram section at all.
	onlyTT := ReminderText(Reminder{Title: "AKP", Name: "DEWI", At: wib(2025, 12, 22, 9, 0, 0),
		Tiktok: []string{"https://www.tiktok.com/video/71"}})
	want = "Selamat Pagi, Bapak/Ibu AKP DEWI\n\n👋 Pengingat engagement harian\n\n" +
		"Konten TikTok yang perlu diselesaikan:\n1. https://www.tiktok.com/video/71\n\n" +
		"1️⃣ Pastikan setiap unggahan mendapat dukungan likes sesuai target.\n" +
		"2️⃣ Tambahkan komentar positif dan relevan pada konten terbaru.\n\n" +
		"Balas *notifwa#off* jika ingin berhenti menerima pengingat otomatis."
	if d := cmp.Diff(want, onlyTT); d != "" {
		t.Errorf("TikTok-only reminder (-spec +got):\n%s", d)
	}
	done := ReminderText(Reminder{Title: "AKP", Name: "DEWI", At: wib(2025, 12, 22, 12, 0, 0)})
	if want := "Selamat Siang, Bapak/Ibu AKP DEWI\n\nTerimakasih, Tugas Likes dan komentar hari ini sudah dilaksanakan semua"; done != want {
		t.Errorf("thank-you = %q, want %q", done, want)
	}
}

// The greeting follows the Jakarta hour: 4–10 Pagi, 11–15 Siang, else Malam
// (no Sore). The instants are built in WIB and passed as UTC.
func TestGreetingByJakartaHour(t *testing.T) {
	for _, tc := range []struct {
		h, m int
		want string
	}{
		{3, 59, "Malam"}, {4, 0, "Pagi"}, {10, 59, "Pagi"}, {11, 0, "Siang"}, {15, 59, "Siang"},
		{16, 0, "Malam"}, {17, 5, "Malam"}, {17, 35, "Malam"}, {23, 59, "Malam"}, {0, 0, "Malam"},
	} {
		got := Greeting("AKP", "BUDI", wib(2025, 12, 22, tc.h, tc.m, 0))
		if want := "Selamat " + tc.want + ", Bapak/Ibu AKP BUDI"; got != want {
			t.Errorf("%02d:%02d WIB: %q, want %q", tc.h, tc.m, got, want)
		}
	}
}

// spec/social.md §5.1 / spec/ops.md §5.5: the task broadcast, with the
// corners the fetch tests do not reach (no posts: "-"; unknown upload
// time; a TikTok link without the client's username; "1 like").
func TestTaskMessageAsTheSpecWritesIt(t *testing.T) {
	got := TaskMessage(TaskBroadcast{Client: Client{ID: "NGAWI", Name: "Polres Ngawi"},
		Instagram: []Post{{ID: "C1", Count: 1}, {ID: "C2", Uploaded: wib(2025, 12, 22, 6, 5, 0), Count: 0}},
		Previous:  &BroadcastState{Instagram: map[string]bool{"C2": true}}})
	want := "Mohon Ijin Komandan, Senior, Rekan Operator dan Personil pelaksana Tugas Likes dan komentar Sosial Media POLRES NGAWI.\n" +
		"\n" +
		"Tugas Likes dan Komentar Konten Instagram dan Tiktok \n" +
		"POLRES NGAWI\n" +
		"Jumlah konten Instagram hari ini: 2 \n" +
		"Total likes semua konten: 1 \n" +
		"\n" +
		"Rincian:\n" +
		"1. [BARU] https://www.instagram.com/p/C1 (upload tidak diketahui) : 1 like\n" +
		"2. https://www.instagram.com/p/C2 (upload 06:05 WIB) : 0 likes\n" +
		"\n" +
		"Jumlah konten Tiktok hari ini: 0 \n" +
		"Total komentar semua konten: 0\n" +
		"\n" +
		"Rincian:\n" +
		"-\n" +
		"\n" +
		"Silahkan Melaksanakan Likes, Komentar dan Share."
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("task broadcast (-spec +got):\n%s", d)
	}
	got = TaskMessage(TaskBroadcast{Client: Client{ID: "PACITAN", Name: "Polres Pacitan"},
		Tiktok: []Post{{ID: "745", Uploaded: wib(2025, 12, 22, 23, 59, 0), Count: 2}}})
	want = "Mohon Ijin Komandan, Senior, Rekan Operator dan Personil pelaksana Tugas Likes dan komentar Sosial Media POLRES PACITAN.\n\n" +
		"Tugas Likes dan Komentar Konten Instagram dan Tiktok \nPOLRES PACITAN\n" +
		"Jumlah konten Instagram hari ini: 0 \nTotal likes semua konten: 0 \n\nRincian:\n-\n\n" +
		"Jumlah konten Tiktok hari ini: 1 \nTotal komentar semua konten: 2\n\nRincian:\n" +
		"1. https://www.tiktok.com/video/745 (upload 23:59 WIB) : 2 komentar\n\n" +
		"Silahkan Melaksanakan Likes, Komentar dan Share."
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("task broadcast without TikTok username (-spec +got):\n%s", d)
	}
}
