package inbound_test

import (
	"testing"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/complainttext"
	"github.com/cicero/cicero/sagas"
	sagaout "github.com/cicero/cicero/sagas/outgoing"
	"github.com/cicero/cicero/sagas/sagatest"
)

func complaintText(nrp string) string {
	return lines("Pesan Komplain", "NRP: "+nrp, "Nama: Budi", "Polres: Polres A", "Username IG: budi.ig",
		"Kendala:", "- sudah melaksanakan like instagram tapi belum terdata")
}

// answer is the composed answer as spec/access.md §5.5 frames it; the
// issue block is complainttext's (tested there).
func answer(reporter, nrp, issue, solution string) string {
	return "Selamat sore! Kami menindaklanjuti laporan yang Anda sampaikan.\n\n*Pelapor*: " + reporter +
		"\n\n*NRP/NIP*: " + nrp + "\n\n*Kendala*:\n" + issue + "\n\n\n*Solusi/Tindak Lanjut*:\n" + solution
}

// Structured complaints are answered in the chat they came from, on any
// session; the gateway answers only its clients' groups.
func TestComplaintAutoReply(t *testing.T) {
	r := newRig(t)
	r.seed()
	meta := commands.Meta{Actor: "test"}
	r.must(r.cmds.Person.Deactivate(bg(), meta, person.Deactivate{NRP: "75020003"}))
	clientGroup := "120363000000000077"
	r.must(r.cmds.Client.UpdateClient(bg(), meta, client.UpdateClient{ClientID: "POLRESA", ClientGroup: ptr(clientGroup),
		ActorRole: client.RoleAdmin}))
	r.settle()
	issue := complainttext.FormatIssue(complainttext.Parse(complaintText("75020001")))
	// The recognised issue is answered from the read models as the
	// complaint route does: no like recorded for the handle on file.
	budi := answer("BRIPDA BUDI", "75020001", issue, lines("*Perbandingan Username*", "• Data Cicero: @budi.ig",
		"• Pada komplain: @budi.ig", "", "Belum ada like yang tercatat untuk akun tersebut sejak 1 September 2025.", "",
		"*Langkah Verifikasi*", "1. Pastikan akun tidak dikunci (privat) dan dapat dibuka publik.",
		"2. Pastikan like dilakukan dari akun yang tercatat di Cicero.",
		"3. Tunggu pengambilan data berikutnya (setiap 30 menit pukul 06.00–22.00 WIB).",
		"4. Buka menu *Absensi Likes Instagram* lalu tekan *Refresh*.", "",
		"Bila kendala berlanjut, laporan akan diteruskan ke admin untuk pengecekan manual."))
	other := lines("Pesan Komplain", "NRP: 75020001", "Kendala:", "- aplikasi tidak bisa dibuka")
	for _, tt := range []struct {
		name, session, chat, text string
		want                      []reply
	}{
		{"private chat, main", sagas.SessionMain, "", complaintText("75020001"),
			[]reply{{jid(strangerNo), "wa", budi}}},
		{"group, main", sagas.SessionMain, "120363000000000099", complaintText("75020001"),
			[]reply{{"120363000000000099@g.us", "wa", budi}}},
		{"user session", sagas.SessionUser, "", complaintText("75020001"), []reply{{jid(strangerNo), "wa-user", budi}}},
		{"gateway, a client's group", sagas.SessionGateway, clientGroup, complaintText("75020001"),
			[]reply{{clientGroup + "@g.us", "wa-gateway", budi}}},
		{"gateway, another group", sagas.SessionGateway, "120363000000000099", complaintText("75020001"), nil},
		{"inactive person", sagas.SessionMain, "", complaintText("75020003"), []reply{{jid(strangerNo), "wa",
			answer("AIPDA EKO", "75020003", complainttext.FormatIssue(complainttext.Parse(complaintText("75020003"))),
				complainttext.InactiveSolution)}}},
		{"no accounts on file", sagas.SessionMain, "", complaintText("75020002"), []reply{{jid(strangerNo), "wa",
			answer("BRIPKA SARI", "75020002", complainttext.NoAccountsIssue, complainttext.NoAccountsSolution)}}},
		{"unknown NRP", sagas.SessionMain, "", complaintText("99999999"), []reply{{jid(strangerNo), "wa",
			"❌ NRP/NIP *99999999* tidak ditemukan. Jika yakin benar, hubungi Opr Humas Polres Anda."}}},
		{"no known issue", sagas.SessionMain, "", other, []reply{{jid(strangerNo), "wa",
			answer("BRIPDA BUDI", "75020001", complainttext.FormatIssue(complainttext.Parse(other)),
				complainttext.DefaultSolution("Instagram"))}}},
		{"no NRP", sagas.SessionMain, "", lines("Pesan Komplain", "Nama: Budi", "Kendala:", "- belum terdata"),
			[]reply{{jid(strangerNo), "wa", "❌ Pesan komplain belum mencantumkan *NRP/NIP*. Tambahkan baris `NRP/NIP: <angka>` lalu kirim ulang."}}},
	} {
		id := "c-" + tt.name
		r.send(tt.session, msg(strangerNo, tt.chat, id, tt.text, tt.chat != ""))
		got := r.replies(tt.session, id)
		if len(got) == 0 {
			got = nil
		}
		diff(t, tt.name, tt.want, got)
	}
}

// Replies leave through the outbox: the queued-messages saga writes one
// row per reply from the session it came in on, the dispatcher sends it
// once, and replaying the saga with the same message delivered again sends
// nothing twice.
func TestRepliesLeaveThroughTheOutbox(t *testing.T) {
	r := newRig(t)
	r.seed()
	r.send(sagas.SessionUser, dm(personNo, "o1", "notifwa#on"))
	r.send(sagas.SessionMain, dm(strangerNo, "o2", "userrequest"))
	r.send(sagas.SessionUser, dm(personNo, "o1", "notifwa#on")) // redelivered
	head, err := r.n.Store.StreamHead(bg(), "MESSAGING")
	if err != nil {
		t.Fatal(err)
	}
	saga := sagaout.Queued(24 * time.Hour)
	at := events.Position{Stream: "MESSAGING", Sequence: head}
	sagatest.RunTo(t, r.pool, r.n.Store, saga, nil, at)
	type row struct{ Recipient, Session, Text string }
	var got []row
	for _, x := range sagatest.Rows(t, r.pool, saga.Name) {
		got = append(got, row{x.Recipient, x.Content.Session, x.Content.Text})
	}
	diff(t, "outbox", []row{
		{jid(personNo), "wa-user", "✅ Notifikasi WhatsApp untuk likes/komentar Instagram diaktifkan."},
		{jid(strangerNo), "wa", "Menu pengguna hanya tersedia melalui nomor *WA-USER*. Silakan hubungi nomor tersebut dan ketik *userrequest* untuk melanjutkan."},
	}, got)
	wa := &sagatest.Recorder{}
	sagatest.Dispatch(t, r.pool, r.n.Store, map[string]sagas.Sender{sagas.ChannelWhatsApp: wa}, 20*time.Second)
	sagatest.Rewind(t, r.pool, saga.Name)
	sagatest.RunTo(t, r.pool, r.n.Store, saga, nil, at)
	sagatest.Dispatch(t, r.pool, r.n.Store, map[string]sagas.Sender{sagas.ChannelWhatsApp: wa}, 5*time.Second)
	if len(wa.Calls()) != 2 {
		t.Fatalf("%d sends, want 2", len(wa.Calls()))
	}
	for _, c := range wa.Calls() {
		if c.Message.Content.Session == "" {
			t.Errorf("a reply without its session: %+v", c.Message)
		}
	}
}
