package inbound_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/commands/post"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/projections/amplify"
	"github.com/cicero/cicero/projections/recap"
	"github.com/cicero/cicero/sagas"
)

// step is one message of a menu conversation and what it must cause.
type step struct {
	name, from, id, text string
	want                 []string
	events               []string // on the conversation's subject
}

// converse sends the steps in order on the main session and checks each
// one's replies and the events appended on subject, then delivers each
// message again and checks that nothing more happened.
func converse(t *testing.T, r *rig, subject string, steps []step) {
	t.Helper()
	for _, s := range steps {
		before := r.history(subject)
		r.send(sagas.SessionMain, dm(s.from, s.id, s.text))
		got := r.replies(sagas.SessionMain, s.id)
		diff(t, s.name+": replies", s.want, texts(got))
		for _, g := range got {
			if g.To != jid(s.from) || g.Session != sagas.SessionMain {
				t.Errorf("%s: reply to %s on %s", s.name, g.To, g.Session)
			}
		}
		want := s.events
		if want == nil {
			want = []string{}
		}
		diff(t, s.name+": events", want, since(before, r.history(subject)))
		// Delivered again: no second reply, command or menu step.
		r.send(sagas.SessionMain, dm(s.from, s.id, s.text))
		diff(t, s.name+": replies after redelivery", s.want, texts(r.replies(sagas.SessionMain, s.id)))
		diff(t, s.name+": events after redelivery", want, since(before, r.history(subject)))
	}
}

const (
	oprMainMenu = "┏━━━ *MENU OPERATOR CICERO* ━━━\n🏢 Client: *POLRES A* (POLRESA)\n1️⃣ Manajemen User\n2️⃣ Manajemen Amplifikasi\n3️⃣ Manajemen Engagement\nKetik angka menu, atau *batal* untuk keluar."
	oprUserMenu = "*Manajemen User*\n1️⃣ Tambah user baru\n2️⃣ Perbarui data user\n3️⃣ Ubah status user\n4️⃣ Cek data user\n" +
		"6️⃣ Absensi update data username\n0️⃣ Kembali"
	modeMenu = "Pilih tampilan:\n1️⃣ Semua\n2️⃣ Sudah\n3️⃣ Belum\n0️⃣ Kembali"
)

// The operator menu: a stranger is refused; the client's operator adds a
// user (registered with the operator role, the operator as actor),
// updates its WhatsApp, deactivates it, checks it and reads the
// engagement attendance; bad input is answered and changes nothing.
func TestOperatorMenu(t *testing.T) {
	r := newRig(t)
	r.seed()
	by := "wa:" + operatorNo
	converse(t, r, events.PersonSubject("75020009"), []step{
		{"a stranger", strangerNo, "o1", "oprrequest", []string{"❌ Menu ini hanya dapat diakses oleh operator yang terdaftar."}, nil},
		{"the operator", operatorNo, "o2", "opr request", []string{oprMainMenu}, nil},
		{"no such item", operatorNo, "o3", "7", []string{"❌ Pilihan tidak valid. Balas dengan nomor pada daftar atau ketik *batal*."}, nil},
		{"user management", operatorNo, "o4", "1", []string{oprUserMenu}, nil},
		{"add", operatorNo, "o5", "1", []string{"Ketik *NRP/NIP* user baru:"}, nil},
		{"a taken NRP", operatorNo, "o6", "75020001", []string{"❌ NRP/NIP *75020001* sudah terdaftar."}, nil},
		{"a new NRP", operatorNo, "o7", "75020009", []string{"Ketik *nama* user:"}, nil},
		{"name", operatorNo, "o8", "Dewi", []string{"Pilih *pangkat* (balas nomor atau nama pangkat):\n1. AIPDA\n2. BRIPDA\n3. BRIPKA"}, nil},
		{"rank", operatorNo, "o9", "2", []string{"Pilih *satfung* (balas nomor atau nama satfung):\n1. SAT BINMAS\n2. SAT LANTAS\n" +
			"3. SUBBID MULTIMEDIA\n4. SUBBID PENMAS\n5. SUBBID PID\n6. SUB BAG RENMIN"}, nil},
		{"unit", operatorNo, "o10", "1", []string{"Ketik *jabatan* user:"}, nil},
		{"position registers the user", operatorNo, "o11", "Bamin", []string{
			"✅ User *75020009* (DEWI) berhasil ditambahkan ke client *POLRESA* dengan role operator.\n\n" + oprUserMenu},
			[]string{"PersonRegistered by " + by}},
		{"update", operatorNo, "o12", "2", []string{"Ketik *NRP/NIP* user yang akan diperbarui:"}, nil},
		{"someone of no client of ours", operatorNo, "o13", "99999999", []string{"❌ User dengan NRP/NIP *99999999* tidak ditemukan di client *POLRESA*."}, nil},
		{"the new user", operatorNo, "o14", "75020009", []string{"Pilih data *75020009* (DEWI) yang akan diperbarui:\n1. Nama\n2. Pangkat\n3. Satfung\n" +
			"4. Jabatan\n5. Instagram\n6. TikTok\n7. WhatsApp\n8. Hapus WhatsApp\n0. Kembali"}, nil},
		{"whatsapp", operatorNo, "o15", "7", []string{"Ketik *nomor WhatsApp* (contoh: 08123456789):"}, nil},
		{"too short", operatorNo, "o16", "0812", []string{"❌ whatsapp tidak valid"}, nil},
		{"another person's number", operatorNo, "o16b", "0811-0000-0003", []string{"❌ Nomor WhatsApp tersebut sudah terhubung dengan personel lain."}, nil},
		{"a number", operatorNo, "o17", "0812-3456-7890", []string{"✅ WhatsApp user *75020009* berhasil diperbarui menjadi *6281234567890*.\n\n" + oprUserMenu},
			[]string{"PersonUpdated by " + by}},
		{"status", operatorNo, "o18", "3", []string{"Ketik *NRP/NIP* user yang akan diubah statusnya:"}, nil},
		{"of the new user", operatorNo, "o19", "75020009", []string{"Status *75020009* (DEWI) saat ini: *AKTIF*\n1. Aktif\n2. Nonaktif\n0. Kembali"}, nil},
		{"deactivate", operatorNo, "o20", "2", []string{"✅ Status user *75020009* kini *NONAKTIF*.\n\n" + oprUserMenu},
			[]string{"PersonDeactivated by " + by}},
		{"check", operatorNo, "o21", "4", []string{"Ketik *NRP/NIP* user yang akan dicek:"}, nil},
		{"the card", operatorNo, "o22", "75020009", []string{lines("👤 *Data User*", "", "*Nama Polres*: POLRES A", "*Nama*: DEWI",
			"*Pangkat*: BRIPDA", "*NRP/NIP*: 75020009", "*Satfung*: SAT BINMAS", "*Jabatan*: BAMIN", "*Instagram*: -", "*TikTok*: -",
			"*Status*: 🔴 NONAKTIF") + "\n\n" + oprUserMenu}, nil},
		{"back", operatorNo, "o23", "kembali", []string{oprMainMenu}, nil},
		{"engagement", operatorNo, "o24", "3", []string{"*Manajemen Engagement*\n1️⃣ Absensi Likes Instagram\n2️⃣ Absensi Komentar TikTok\n0️⃣ Kembali"}, nil},
		{"tiktok", operatorNo, "o25", "2", []string{modeMenu}, nil},
		{"close", operatorNo, "o27", "batal", []string{"✅ Menu Operator ditutup."}, nil},
		{"a closed menu's number is not a menu step", operatorNo, "o28", "1", []string{
			"Selamat sore! Nomor ini terdaftar sebagai *operator* untuk client *POLRES A*.\n1️⃣ Menu Operator\n2️⃣ Perbarui data saya\nBalas angka pilihan Anda."}, nil},
	})
}

// The engagement attendance, the username completeness and the link
// recaps of the operator menu count the client's operators; its routine
// task update runs the Instagram fetch.
func TestOperatorMenuAbsensi(t *testing.T) {
	r := newRig(t)
	r.seed()
	text, err := waAbsensi{recap.New(r.pool)}.Absensi(bg(), "POLRESA", "tiktok", "belum", "operator", r.now)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "POLRES A") {
		t.Fatalf("not a recap of the client:\n%s", text)
	}
	usernames, err := waAbsensi{recap.New(r.pool)}.UsernameCompleteness(bg(), "POLRESA", "operator", r.now)
	if err != nil {
		t.Fatal(err)
	}
	if len(usernames) != 2 || !strings.Contains(usernames[1], "SARI") {
		t.Fatalf("username completeness: %q", usernames)
	}
	published := time.Date(2026, 12, 3, 8, 0, 0, 0, jakarta.Location)
	r.must(r.posts.IngestPost(bg(), commands.Meta{Actor: "test"}, post.IngestPost{Platform: events.PlatformInstagram,
		PostID: "DSa1bCdEf", ClientID: "POLRESA", Account: "polresa", Caption: "Tugas", PublishedAt: published}))
	r.settle()
	links := waLinks{amplify.NewQueries(r.pool)}
	today, err := links.AbsensiLink(bg(), "POLRESA", "2026-12-03", "operator", r.now)
	if err != nil {
		t.Fatal(err)
	}
	yesterday, err := links.AbsensiLink(bg(), "POLRESA", "2026-12-02", "operator", r.now)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(today, "SARI") || yesterday != "Tidak ada konten IG untuk *POLRES A* hari ini." {
		t.Fatalf("link recaps:\n%s\n%s", today, yesterday)
	}
	amplifyMenu := "*Manajemen Amplifikasi*\n1️⃣ Update tugas rutin (ambil konten Instagram terbaru)\n" +
		"2️⃣ Rekap link harian\n3️⃣ Rekap link kemarin\n0️⃣ Kembali"
	converse(t, r, events.ClientSubject("POLRESA"), []step{
		{"admin picks the client", adminNo, "x1", "oprrequest", []string{"Pilih client (balas nomor atau client_id):\n1. POLRESA - POLRES A"}, nil},
		{"by id", adminNo, "x2", "polresa", []string{oprMainMenu}, nil},
		{"engagement", adminNo, "x3", "3", []string{"*Manajemen Engagement*\n1️⃣ Absensi Likes Instagram\n2️⃣ Absensi Komentar TikTok\n0️⃣ Kembali"}, nil},
		{"tiktok", adminNo, "x4", "2", []string{modeMenu}, nil},
		{"belum", adminNo, "x5", "3", []string{text, modeMenu}, nil},
		{"no such mode", adminNo, "x6", "9", []string{"❌ Pilihan tidak valid. Balas dengan nomor pada daftar atau ketik *batal*."}, nil},
		{"back", adminNo, "x7", "0", []string{oprMainMenu}, nil},
		{"users", adminNo, "x8", "1", []string{oprUserMenu}, nil},
		{"username attendance", adminNo, "x9", "6", append(usernames, oprUserMenu), nil},
		{"back again", adminNo, "x10", "0", []string{oprMainMenu}, nil},
		{"amplification", adminNo, "x11", "2", []string{amplifyMenu}, nil},
		{"today's links", adminNo, "x12", "2", []string{today, amplifyMenu}, nil},
		{"yesterday's links", adminNo, "x13", "3", []string{yesterday, amplifyMenu}, nil},
		{"no such item", adminNo, "x14", "7", []string{"❌ Pilihan tidak valid. Balas dengan nomor pada daftar atau ketik *batal*."}, nil},
	})
	// The routine task update runs the Instagram fetch now.
	r.send(sagas.SessionMain, dm(adminNo, "x15", "1"))
	testkit.Eventually(t, 10*time.Second, func() error {
		if got := r.replies(sagas.SessionMain, "x15"); len(got) < 2 {
			return fmt.Errorf("%d replies", len(got))
		}
		return nil
	})
	diff(t, "routine update", []string{"⏳ Fetch Instagram client *POLRESA* dimulai. Hasilnya dikirim setelah selesai.",
		"✅ Fetch Instagram client *POLRESA* selesai.\nposts=2 likes=10"}, texts(r.replies(sagas.SessionMain, "x15")))
	diff(t, "fetch runs", []string{"POLRESA/instagram"}, r.fetcher.Runs())
}

// The directorate menu: approved non-operator dashboard users by their
// number pick a directorate client and a report; the report's parts
// (texts and files) are the replies. Navigation only: the reports are
// built elsewhere.
func TestDirectorateMenu(t *testing.T) {
	r := newRig(t)
	r.seed()
	meta := commands.Meta{Actor: "test"}
	dirNo, oprDashNo := "6281200000001", "6281200000002"
	r.must(r.cmds.Client.RegisterClient(bg(), meta, client.RegisterClient{ClientID: "DITBINMAS", Nama: "DIT BINMAS", ClientType: "direktorat"}))
	for _, u := range []struct{ name, role, wa string }{{"dit_a", "ditbinmas", dirNo}, {"opr_x", "operator", oprDashNo}} {
		id, _, err := r.cmds.DashUser.RegisterDashboardUser(bg(), meta, dashuser.RegisterDashboardUser{Username: u.name,
			Password: "rahasia123", Role: u.role, WhatsApp: u.wa, ClientIDs: []string{"POLRESA"}})
		if err != nil {
			t.Fatal(err)
		}
		r.must(r.cmds.DashUser.ApproveDashboardUser(bg(), meta, dashuser.ApproveDashboardUser{DashboardUserID: id,
			ActorRole: dashuser.RoleAdmin, By: "test"}))
	}
	r.settle()
	menu := lines("┏━━━ *MENU DIREKTORAT* ━━━", "🏢 Client: *DIT BINMAS* (DITBINMAS)",
		"5. Absensi likes Instagram (detail)", "6. Absensi likes Instagram (ringkas)", "7. Absensi like Instagram per satker",
		"8. Absensi komentar TikTok per satker", "9. Absensi komentar TikTok (ringkas)", "10. Absensi komentar TikTok (detail)",
		"21. Rekap gabungan sosial media", "22. Ranking engagement (Excel)", "28. Rekap likes Instagram per konten (Excel)",
		"29. Rekap komentar TikTok per konten (Excel)", "30. Laporan Kasatker", "34. Rekap likes Kasat Binmas",
		"35. Rekap komentar TikTok Kasat Binmas", "Balas nomor menu, atau *batal* untuk keluar.")
	denied := []string{"❌ Menu ini hanya dapat diakses oleh pengguna dashboard (non-operator) yang terdaftar dengan nomor WhatsApp ini."}
	converse(t, r, events.ClientSubject("DITBINMAS"), []step{
		{"a stranger", strangerNo, "d1", "dirrequest", denied, nil},
		{"an operator account", oprDashNo, "d2", "dirrequest", denied, nil},
		{"a directorate account", dirNo, "d3", "dirrequest", []string{"Pilih client direktorat (balas nomor atau client_id):\n1. DITBINMAS - DIT BINMAS"}, nil},
		{"pick", dirNo, "d4", "1", []string{menu}, nil},
		{"no such report", dirNo, "d5", "11", []string{"❌ Pilihan tidak valid. Balas dengan nomor pada daftar atau ketik *batal*."}, nil},
		{"a text report", dirNo, "d6", "6", []string{"Laporan 6 "}, nil},
		{"a report the builder lacks", dirNo, "d6b", "7", []string{"❌ Laporan 7 belum tersedia."}, nil},
		{"an Excel report", dirNo, "d7", "28", []string{"Laporan 28 ", "[file:likes.xlsx]"}, nil},
		{"a report with a period", dirNo, "d8", "22", []string{"Pilih periode *Ranking engagement (Excel)*:\n1. today\n2. yesterday\n" +
			"3. this_week\n4. last_week\n5. this_month\n6. last_month\n0. Kembali"}, nil},
		{"no such period", dirNo, "d9", "9", []string{"❌ Pilihan tidak valid. Balas dengan nomor pada daftar atau ketik *batal*."}, nil},
		{"the period", dirNo, "d10", "2", []string{"Laporan 22 yesterday"}, nil},
		{"back to the menu", dirNo, "d11", "0", []string{menu}, nil},
		{"close", dirNo, "d12", "batal", []string{"✅ Menu Direktorat ditutup."}, nil},
	})
	at := r.now.Format("2006-01-02T15:04:05Z07:00")
	diff(t, "reports built", []string{"DITBINMAS/6//ditbinmas/" + at, "DITBINMAS/7//ditbinmas/" + at, "DITBINMAS/28//ditbinmas/" + at,
		"DITBINMAS/22/yesterday/ditbinmas/" + at}, r.reports.Calls())
}

// What the main session answers when nothing else understood a message:
// the first contact of an admin or a client's operator gets its option
// prompt, a bound person the unknown-command text with its operator's
// contact, anyone else the WA-USER redirect.
func TestMainFallback(t *testing.T) {
	r := newRig(t)
	r.seed()
	redirect := "Menu pengguna hanya tersedia melalui nomor *WA-USER*. Silakan hubungi nomor tersebut dan ketik *userrequest* untuk melanjutkan."
	oprPrompt := "Selamat sore! Nomor ini terdaftar sebagai *operator* untuk client *POLRES A*.\n1️⃣ Menu Operator\n2️⃣ Perbarui data saya\nBalas angka pilihan Anda."
	adminPrompt := "Pilih menu:\n1️⃣ Menu Client\n2️⃣ Menu Operator\n3️⃣ Perbarui data saya\nBalas angka pilihan Anda."
	converse(t, r, events.ClientSubject("POLRESA"), []step{
		{"operator, first contact", operatorNo, "p1", "halo", []string{oprPrompt}, nil},
		{"not an option", operatorNo, "p2", "9", []string{"❌ Pilihan tidak valid. Balas dengan nomor pada daftar atau ketik *batal*."}, nil},
		{"the operator menu", operatorNo, "p3", "1", []string{oprMainMenu}, nil},
		{"close", operatorNo, "p4", "batal", []string{"✅ Menu Operator ditutup."}, nil},
		{"operator, later", operatorNo, "p5", "halo lagi", []string{redirect}, nil},
		{"admin, first contact", adminNo, "p6", "halo", []string{adminPrompt}, nil},
		{"menu client", adminNo, "p7", "1", []string{"📋 *Perintah Admin*\n• addnewclient#<client_id>#<nama>\n" +
			"• updateclient#<client_id>#<field>#<nilai>\n• clientinfo#<client_id>\n• thisgroup#<client_id> (kirim dari grup client)\n" +
			"• fetchinsta#<client_id>, fetchtiktok#<client_id>, fetchlikes#<client_id>, fetchcomments#<client_id>\n" +
			"• approvedash#<username>, denydash#<username>\n" +
			"• grant access#<username/dashboard_user_id>[#tier], deny access#<username/dashboard_user_id>\n" +
			"• grantdashsub#<token>[#tier], denydashsub#<token>\n" +
			"• absensilikes#<client_id>[#sudah|#belum], absensikomentar#<client_id>[#sudah|#belum]\n" +
			"• grantsub#<request_id>, denysub#<request_id>\n• savecontact"}, nil},
		{"a bound person", personNo, "p8", "halo", []string{"🤖 Maaf, perintah yang Anda kirim belum dikenali oleh sistem.\n" +
			"Ketik *userrequest* di nomor *WA-USER* untuk melihat dan memperbarui data Anda.\n" +
			"Hubungi operator Anda: *POLRES A* (WA: https://wa.me/" + operatorNo + ")"}, nil},
		{"a stranger", strangerNo, "p9", "halo", []string{redirect}, nil},
	})
}

// Who opens the operator menu: the operator number, every super-admin
// number of the client in its 62… or local 0… form, and nobody whose
// number merely contains one of them.
func TestOperatorMenuAccess(t *testing.T) {
	r := newRig(t)
	r.seed()
	r.must(r.cmds.Client.UpdateClient(bg(), commands.Meta{Actor: "test"}, client.UpdateClient{ClientID: "POLRESA",
		ClientSuper: ptr("081200000005; 6281200000006"), ActorRole: client.RoleAdmin}))
	r.settle()
	denied := []string{"❌ Menu ini hanya dapat diakses oleh operator yang terdaftar."}
	converse(t, r, events.ClientSubject("POLRESA"), []step{
		{"operator", operatorNo, "s1", "oprrequest", []string{oprMainMenu}, nil},
		{"super admin written 0…", "6281200000005", "s2", "oprrequest", []string{oprMainMenu}, nil},
		{"super admin written 62…", "6281200000006", "s3", "oprrequest", []string{oprMainMenu}, nil},
		{"a longer number holding a super admin's", "62812000000061", "s4", "oprrequest", denied, nil},
		{"a person of the client", personNo, "s5", "oprrequest", denied, nil},
	})
}
