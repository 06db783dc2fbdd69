package amplify_test

import (
	"context"
	"testing"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/linkreport"
	"github.com/cicero/cicero/commands/post"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/sagas"
	amplifysaga "github.com/cicero/cicero/sagas/amplify"
	"github.com/cicero/cicero/sagas/sagatest"
)

// A regular report with a number on file gets the exact thank-you from the
// main session, once; a report without a number and a khusus report get
// none; replaying the saga sends nothing twice.
func TestThanksOnce(t *testing.T) {
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	rt := commands.NewRuntime(n.Store, commands.NewPGCommandLog(pool), testkit.Logger(t))
	ctx := context.Background()
	at := time.Now()
	if _, err := client.NewHandlers(rt).RegisterClient(ctx, commands.Meta{}, client.RegisterClient{ClientID: "POLRESA", Nama: "POLRES A"}); err != nil {
		t.Fatal(err)
	}
	// The posts are published at the reports' instant: a khusus report
	// needs a post of its own Jakarta day, and a minute earlier is
	// yesterday for a run at 00:00 WIB.
	for _, code := range []string{"REGULAR1", "KHUSUS01"} {
		if _, err := post.NewHandlers(rt, nil).IngestPost(ctx, commands.Meta{}, post.IngestPost{Platform: "instagram", PostID: code,
			ClientID: "POLRESA", Account: "a", PublishedAt: at}); err != nil {
			t.Fatal(err)
		}
	}
	h := linkreport.NewHandlers(rt)
	links := events.Links{Facebook: "https://fb.com/1", Youtube: "https://youtu.be/2"}
	for _, s := range []linkreport.Submit{
		{Shortcode: "REGULAR1", UserID: "1001", Title: "BRIPKA", Nama: "ANDI", WhatsApp: "081234567890", Links: links, At: at},
		{Shortcode: "REGULAR1", UserID: "1002", Nama: "TANPA NOMOR", Links: links, At: at},
		{Kind: "khusus", ClientID: "POLRESA", Shortcode: "KHUSUS01", UserID: "1001", WhatsApp: "081234567890", Links: links, At: at},
	} {
		if _, err := h.Submit(ctx, commands.Meta{}, s); err != nil {
			t.Fatal(err)
		}
	}
	head := events.Position{Stream: "AMPLIFY", Sequence: 3}
	saga := amplifysaga.Thanks()
	sagatest.RunTo(t, pool, n.Store, saga, nil, head)
	rows := sagatest.Rows(t, pool, saga.Name)
	if len(rows) != 1 {
		t.Fatalf("%d outbox rows, want 1: %+v", len(rows), rows)
	}
	want := "Terimakasih, BRIPKA ANDI.\nAnda sudah melaksanakan Tugas Amplifikasi Konten:\n- https://www.instagram.com/p/REGULAR1\n\n" +
		"Link Amplifikasi Anda :\nJangan lupa simpan nomor WA Bot ini agar tetap menerima notifikasi tugas berikutnya.\n" +
		"- https://fb.com/1\n- Instagram Nihil\n- Twitter Nihil\n- Tiktok Nihil\n- https://youtu.be/2"
	r := rows[0]
	if r.Recipient != "6281234567890@s.whatsapp.net" || r.Content.Session != sagas.SessionMain || len(r.Content.Text) < len(want) ||
		r.Content.Text[len(r.Content.Text)-len(want):] != want {
		t.Fatalf("row %s %q %q", r.Recipient, r.Content.Session, r.Content.Text)
	}
	wa := &sagatest.Recorder{}
	sagatest.Dispatch(t, pool, n.Store, map[string]sagas.Sender{sagas.ChannelWhatsApp: wa}, 20*time.Second)
	sagatest.Rewind(t, pool, saga.Name)
	sagatest.RunTo(t, pool, n.Store, saga, nil, head)
	sagatest.Dispatch(t, pool, n.Store, map[string]sagas.Sender{sagas.ChannelWhatsApp: wa}, 5*time.Second)
	if len(wa.Calls()) != 1 || len(sagatest.Rows(t, pool, saga.Name)) != 1 {
		t.Fatalf("%d sends after a replay, want 1", len(wa.Calls()))
	}
}
