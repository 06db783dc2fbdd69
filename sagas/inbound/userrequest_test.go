package inbound_test

import (
	"testing"

	"go.mau.fi/whatsmeow/types"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/projections/directory"
	"github.com/cicero/cicero/sagas"
)

const sariNo = "6281100000004"

const (
	askNRP     = "Nomor WhatsApp Anda belum terhubung ke data personel.\nSilakan ketik *NRP/NIP* Anda untuk menghubungkan nomor ini (ketik *batal* untuk keluar)."
	badChoice  = "❌ Pilihan tidak valid. Balas dengan nomor pada daftar atau ketik *batal*."
	askMore    = "Apakah Anda ingin memperbarui data lain? Balas *ya* atau *tidak*."
	fieldMenu6 = "Pilih data yang ingin diperbarui (balas nomornya):\n1. Nama\n2. Pangkat\n3. Satfung\n4. Jabatan\n5. Instagram\n6. TikTok\nKetik *batal* untuk keluar."
)

// A conversation on the user-facing session: an unknown number binds
// itself to its NRP, sees its identity card and updates its rank and
// Instagram username. Each step checks the exact replies and the events
// appended on the person (with the sender as actor); bad input gets a
// clear reply and changes nothing; a redelivered message does nothing.
func TestUserRequestBindAndUpdate(t *testing.T) {
	r := newRig(t)
	r.seed()
	subject := events.PersonSubject("75020002")
	by := "wa:" + sariNo
	card := lines("👤 *Identitas Anda*", "",
		"*Nama Polres*: POLRES A", "*Nama*: SARI", "*Pangkat*: BRIPKA", "*NRP/NIP*: 75020002",
		"*Satfung*: SAT LANTAS", "*Jabatan*: -", "*Instagram*: -", "*TikTok*: -", "*Status*: 🟢 AKTIF")
	steps := []struct {
		name, id, text string
		want           []string
		events         []string
	}{
		{"first message opens the binding", "m1", "halo", []string{askNRP}, nil},
		{"not an NRP", "m2", "12ab", []string{"❌ NRP/NIP harus terdiri dari 6–18 digit angka. Silakan ketik ulang NRP/NIP Anda atau *batal*."}, nil},
		{"unknown NRP", "m3", "99999999", []string{"❌ NRP/NIP *99999999* tidak ditemukan. Jika yakin benar, hubungi Opr Humas Polres Anda."}, nil},
		{"an NRP bound to another number", "m3b", "75020001", []string{
			"❌ NRP/NIP *75020001* sudah terhubung dengan nomor WhatsApp lain. Hubungi Opr Humas Polres Anda untuk memindahkan nomor."}, nil},
		{"known NRP asks to confirm", "m4", "NRP 75020002", []string{
			"Apakah benar Anda *BRIPKA SARI* (NRP/NIP *75020002*)?\nBalas *ya* untuk menghubungkan nomor ini, atau *tidak* untuk membatalkan."}, nil},
		{"neither ya nor tidak", "m4b", "mungkin", []string{"Balas *ya* atau *tidak* (ketik *batal* untuk keluar)."}, nil},
		{"ya binds the number", "m5", "Ya", []string{
			"✅ Nomor WhatsApp Anda berhasil dihubungkan dengan NRP/NIP *75020002*.\n\n" + card + "\n\nApakah Anda ingin memperbarui data Anda? Balas *ya* atau *tidak*."},
			[]string{"PersonUpdated by " + by}},
		{"ya shows the fields", "m6", "ya", []string{fieldMenu6}, nil},
		{"no such field", "m7", "9", []string{badChoice}, nil},
		{"rank offers the known ranks", "m8", "2", []string{"Pilih *pangkat* Anda (balas nomor atau nama pangkat):\n1. AIPDA\n2. BRIPDA\n3. BRIPKA"}, nil},
		{"a rank outside the list", "m9", "KOMBES", []string{badChoice}, nil},
		{"rank by number", "m10", "1", []string{"✅ Pangkat berhasil diperbarui menjadi *AIPDA*.\n" + askMore},
			[]string{"PersonUpdated by " + by}},
		{"again", "m11", "ya", []string{fieldMenu6}, nil},
		{"satfung offers the client's units", "m11b", "3", []string{"Pilih *satfung* Anda (balas nomor atau nama satfung):\n" +
			"1. SAT BINMAS\n2. SAT LANTAS\n3. SUBBID MULTIMEDIA\n4. SUBBID PENMAS\n5. SUBBID PID\n6. SUB BAG RENMIN"}, nil},
		{"satfung by name", "m11c", "subbid pid", []string{"✅ Satfung berhasil diperbarui menjadi *SUBBID PID*.\n" + askMore},
			[]string{"PersonUpdated by " + by}},
		{"again", "m11d", "ya", []string{fieldMenu6}, nil},
		{"instagram", "m12", "5", []string{"Ketik *username Instagram* Anda (contoh: @username atau instagram.com/username):"}, nil},
		{"another person's username", "m13", "instagram.com/taken.ig", []string{
			"❌ Username Instagram @taken.ig sudah terdaftar pada personel lain. Hubungi Opr Humas Polres Anda bila ini akun Anda."}, nil},
		{"not a username", "m14", "@bad handle!", []string{
			"❌ Format username Instagram tidak valid. Gunakan tautan profil atau username seperti instagram.com/username atau @username."}, nil},
		{"a profile link", "m15", "https://instagram.com/Sari.IG", []string{"✅ Instagram berhasil diperbarui menjadi *@sari.ig*.\n" + askMore},
			[]string{"PersonHandleChanged by " + by}},
		{"tidak closes", "m16", "tidak", []string{"Terima kasih. Sesi ditutup. Ketik *userrequest* untuk memulai lagi."}, nil},
		{"a redelivered ya does nothing", "m5", "Ya", []string{
			"✅ Nomor WhatsApp Anda berhasil dihubungkan dengan NRP/NIP *75020002*.\n\n" + card + "\n\nApakah Anda ingin memperbarui data Anda? Balas *ya* atau *tidak*."}, nil},
	}
	for _, s := range steps {
		before := r.history(subject)
		r.send(sagas.SessionUser, dm(sariNo, s.id, s.text))
		got := r.replies(sagas.SessionUser, s.id)
		diff(t, s.name+": replies", s.want, texts(got))
		for _, g := range got {
			if g.To != jid(sariNo) || g.Session != sagas.SessionUser {
				t.Errorf("%s: reply to %s on %s, want %s on wa-user", s.name, g.To, g.Session, jid(sariNo))
			}
		}
		want := s.events
		if want == nil {
			want = []string{}
		}
		diff(t, s.name+": events", want, since(before, r.history(subject)))
		r.send(sagas.SessionUser, dm(sariNo, s.id, s.text)) // delivered again
		diff(t, s.name+": replies after redelivery", s.want, texts(r.replies(sagas.SessionUser, s.id)))
		diff(t, s.name+": events after redelivery", want, since(before, r.history(subject)))
	}
	p, err := directory.NewQueries(r.pool).Person(bg(), "75020002")
	if err != nil {
		t.Fatal(err)
	}
	if p.WhatsApp != sariNo || p.Title != "AIPDA" || p.Divisi != "SUBBID PID" || p.Insta != "sari.ig" {
		t.Errorf("person now %+v", p)
	}
	diff(t, "Budi's history (bound to another number)", []string{"PersonRegistered by test"},
		r.history(events.PersonSubject("75020001")))
}

// A bound number sees its card first; the main session only redirects
// userrequest; the user session ignores groups; batal closes.
func TestUserRequestEntry(t *testing.T) {
	r := newRig(t)
	r.seed()
	budiCard := lines("👤 *Identitas Anda*", "",
		"*Nama Polres*: POLRES A", "*Nama*: BUDI", "*Pangkat*: BRIPDA", "*NRP/NIP*: 75020001",
		"*Satfung*: SAT BINMAS", "*Jabatan*: BANIT", "*Instagram*: @budi.ig", "*TikTok*: -", "*Status*: 🟢 AKTIF")
	for _, tt := range []struct {
		name, session string
		id, text      string
		group         bool
		want          []string
	}{
		{"bound number sees its card", sagas.SessionUser, "e1", "userrequest", false,
			[]string{budiCard + "\n\nApakah data di atas benar milik Anda? Balas *ya*, *tidak*, atau *batal*."}},
		{"batal closes the menu", sagas.SessionUser, "e2", "batal", false, []string{"✅ Menu User ditutup. Terima kasih."}},
		{"main session redirects", sagas.SessionMain, "e3", "userrequest", false,
			[]string{"Menu pengguna hanya tersedia melalui nomor *WA-USER*. Silakan hubungi nomor tersebut dan ketik *userrequest* untuk melanjutkan."}},
		{"main session: unknown text", sagas.SessionMain, "e4", "apa kabar", false,
			[]string{"🤖 Maaf, perintah yang Anda kirim belum dikenali oleh sistem.\nKetik *userrequest* di nomor *WA-USER* untuk melihat dan memperbarui data Anda.\n" +
				"Hubungi operator Anda: *POLRES A* (WA: https://wa.me/6281100000002)"}},
		{"user session ignores groups", sagas.SessionUser, "e5", "userrequest", true, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			chat := ""
			if tt.group {
				chat = "120363000000000001"
			}
			r.send(tt.session, msg(personNo, chat, tt.id, tt.text, tt.group))
			diff(t, "replies", tt.want, nilIfEmpty(texts(r.replies(tt.session, tt.id))))
		})
	}
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

// A sender WhatsApp names only by its LID (no phone number) can bind
// nothing and run nothing: it is told so. With the phone number as the
// alternative address it is recognised.
func TestSenderWithoutNumber(t *testing.T) {
	r := newRig(t)
	r.seed()
	lid := types.NewJID("123456789012345", types.HiddenUserServer)
	for _, tt := range []struct {
		name, id string
		alt      types.JID
		want     string
	}{
		{"LID only", "l1", types.JID{}, "❌ Nomor WhatsApp pengirim tidak dapat dikenali. Silakan kirim ulang dari aplikasi WhatsApp di ponsel Anda."},
		{"LID with the number as alternative", "l2", types.NewJID(personNo, types.DefaultUserServer),
			"✅ Notifikasi WhatsApp untuk likes/komentar Instagram diaktifkan."},
	} {
		before := r.history(events.PersonSubject("75020001"))
		ev := dm(personNo, tt.id, "notifwa#on")
		ev.Info.Chat, ev.Info.Sender, ev.Info.SenderAlt = lid, lid, tt.alt
		r.send(sagas.SessionUser, ev)
		got := r.replies(sagas.SessionUser, tt.id)
		diff(t, tt.name, []reply{{To: lid.String(), Session: "wa-user", Text: tt.want}}, got)
		if tt.alt.IsEmpty() {
			diff(t, tt.name+": events", []string{}, since(before, r.history(events.PersonSubject("75020001"))))
		}
	}
}
