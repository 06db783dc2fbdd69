package inbound_test

import (
	"testing"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/sagas"
)

// notifwa# and profile links on either private-chat session: happy path
// (the person command with the sender as actor and the exact reply), bad
// input, an unbound number, and a redelivered message.
func TestSelfService(t *testing.T) {
	r := newRig(t)
	r.seed()
	budi := events.PersonSubject("75020001")
	notBound := "Nomor WhatsApp ini belum terhubung ke data user. Kirim *userrequest* ke nomor *WA-USER* untuk menghubungkan nomor Anda dengan NRP/NIP."
	for _, tt := range []struct {
		name, session, from, id, text string
		want                          []string
		events                        []string
	}{
		{"notifwa on", sagas.SessionMain, personNo, "n1", "notifwa#on",
			[]string{"✅ Notifikasi WhatsApp untuk likes/komentar Instagram diaktifkan."},
			[]string{"PersonWhatsAppOptInChanged by wa:" + personNo}},
		{"notifwa on redelivered", sagas.SessionMain, personNo, "n1", "notifwa#on",
			[]string{"✅ Notifikasi WhatsApp untuk likes/komentar Instagram diaktifkan."}, nil},
		{"notifwa on again changes nothing", sagas.SessionUser, personNo, "n2", "NotifWA#ya",
			[]string{"✅ Notifikasi WhatsApp untuk likes/komentar Instagram diaktifkan."}, nil},
		{"notifwa off", sagas.SessionUser, personNo, "n3", "notifwa#nonaktif",
			[]string{"🚫 Notifikasi WhatsApp untuk likes/komentar Instagram dimatikan."},
			[]string{"PersonWhatsAppOptInChanged by wa:" + personNo}},
		{"notifwa bad value", sagas.SessionMain, personNo, "n4", "notifwa#kadang",
			[]string{"Format salah! Gunakan notifwa#on atau notifwa#off untuk mengatur preferensi notifikasi."}, nil},
		{"notifwa unbound", sagas.SessionMain, strangerNo, "n5", "notifwa#on", []string{notBound}, nil},
		{"profile link offers the username", sagas.SessionMain, personNo, "l1", "https://www.instagram.com/Budi.Baru/",
			[]string{"Apakah Anda ingin memperbarui username Instagram Anda menjadi *@budi.baru*? Balas *ya* atau *tidak*."}, nil},
		{"ya sets it", sagas.SessionMain, personNo, "l2", "ya",
			[]string{"✅ Username Instagram berhasil diperbarui menjadi *@budi.baru*."},
			[]string{"PersonHandleChanged by wa:" + personNo}},
		{"tiktok link, tidak keeps it", sagas.SessionMain, personNo, "l3", "tiktok.com/@budi_tt",
			[]string{"Apakah Anda ingin memperbarui username TikTok Anda menjadi *@budi_tt*? Balas *ya* atau *tidak*."}, nil},
		{"tidak", sagas.SessionMain, personNo, "l4", "tidak", []string{"Perubahan username dibatalkan."}, nil},
		{"another person's username", sagas.SessionMain, personNo, "l5", "instagram.com/taken.ig",
			[]string{"Apakah Anda ingin memperbarui username Instagram Anda menjadi *@taken.ig*? Balas *ya* atau *tidak*."}, nil},
		{"is refused", sagas.SessionMain, personNo, "l6", "ya",
			[]string{"❌ Username Instagram @taken.ig sudah terdaftar pada personel lain. Hubungi Opr Humas Polres Anda bila ini akun Anda."}, nil},
		{"the Super Admin's username is refused", sagas.SessionMain, personNo, "l7", "instagram.com/cicero_devs",
			[]string{"Apakah Anda ingin memperbarui username Instagram Anda menjadi *@cicero_devs*? Balas *ya* atau *tidak*."}, nil},
		{"by the command", sagas.SessionMain, personNo, "l8", "ya", []string{"❌ username instagram tidak valid"}, nil},
		{"profile link from an unbound number", sagas.SessionMain, strangerNo, "l9", "instagram.com/someone", []string{notBound}, nil},
	} {
		before := r.history(budi)
		r.send(tt.session, dm(tt.from, tt.id, tt.text))
		got := r.replies(tt.session, tt.id)
		diff(t, tt.name+": replies", tt.want, texts(got))
		for _, g := range got {
			if g.To != jid(tt.from) || g.Session != tt.session {
				t.Errorf("%s: reply to %s on %s", tt.name, g.To, g.Session)
			}
		}
		want := tt.events
		if want == nil {
			want = []string{}
		}
		diff(t, tt.name+": events", want, since(before, r.history(budi)))
		r.send(tt.session, dm(tt.from, tt.id, tt.text)) // delivered again
		diff(t, tt.name+": replies after redelivery", tt.want, texts(r.replies(tt.session, tt.id)))
		diff(t, tt.name+": events after redelivery", want, since(before, r.history(budi)))
	}
}
