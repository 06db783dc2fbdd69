package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	waevents "go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/sagas"
)

// TestWhatsAppRouterOverServe: the router newWhatsAppRouter builds from
// serve's wiring reads the real read models through the wiring's
// adapters, runs commands with the sender as actor, and its replies reach
// the outbox through the messaging-queued saga serve runs.
func TestWhatsAppRouterOverServe(t *testing.T) {
	run := time.Now().UnixNano() % 1e7
	adminNo, personNo, dirNo := fmt.Sprintf("62811%07d", run), fmt.Sprintf("62812%07d", run), fmt.Sprintf("62813%07d", run)
	t.Setenv("ADMIN_WHATSAPP", "0"+adminNo[2:])
	cfg := testEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	app, err := NewApp(ctx, cfg, testkit.Logger(t))
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- app.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("app run: %v", err)
		}
		app.Close()
	})
	for _, args := range [][]string{
		{"admin", "client", "create", "--id", "POLRESW", "--name", "POLRES W", "--type", "org"},
		{"admin", "client", "create", "--id", "DITBINMAS", "--name", "DIT BINMAS", "--type", "direktorat"},
		{"admin", "dashboard-user", "create", "--username", fmt.Sprintf("dit_w%d", run), "--password", "rahasia123",
			"--role", "ditbinmas", "--clients", "DITBINMAS", "--whatsapp", dirNo},
		{"admin", "person", "create", "--nrp", "76020001", "--name", "WATI", "--title", "BRIPKA", "--client", "POLRESW",
			"--insta", "wati.w", "--whatsapp", personNo},
	} {
		if out, err := runCLI(t, args...); err != nil {
			t.Fatalf("%v: %v %s", args, err, out)
		}
	}
	pool := openPool(t, cfg)
	testkit.Eventually(t, 15*time.Second, func() error {
		var n int
		if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM personnel WHERE user_id = '76020001')
			+ (SELECT count(*) FROM dashboard_users WHERE whatsapp = $1)`, dirNo).Scan(&n); err != nil || n != 2 {
			return fmt.Errorf("person and account not projected yet (%v)", err)
		}
		return nil
	})
	router, err := newWhatsAppRouter(app.wiring)
	if err != nil {
		t.Fatal(err)
	}
	send := func(session, from, id, text string) {
		t.Helper()
		jid := types.NewJID(from, types.DefaultUserServer)
		err := router.Handle(ctx, session, &waevents.Message{
			Info:    types.MessageInfo{MessageSource: types.MessageSource{Chat: jid, Sender: jid}, ID: id},
			Message: &waE2E.Message{Conversation: proto.String(text)}})
		if err != nil {
			t.Fatal(err)
		}
	}
	replyOf := func(session, id string) string {
		t.Helper()
		envs, _, err := app.wiring.store.Load(ctx, events.QueuedSubject(fmt.Sprintf("wa-reply/%s/%s/1", session, id)))
		if err != nil || len(envs) != 1 {
			t.Fatalf("reply to %s: %d events (%v)", id, len(envs), err)
		}
		p, err := app.wiring.store.Registry().Decode(&envs[0])
		if err != nil {
			t.Fatal(err)
		}
		return p.(*events.MessageQueued).Text
	}
	id := func(s string) string { return fmt.Sprintf("%s-%d", s, run) }

	send(sagas.SessionUser, personNo, id("card"), "userrequest")
	if got := replyOf(sagas.SessionUser, id("card")); !strings.HasPrefix(got, strings.Join([]string{"👤 *Identitas Anda*", "",
		"*Nama Polres*: POLRES W", "*Nama*: WATI", "*Pangkat*: BRIPKA", "*NRP/NIP*: 76020001"}, "\n")) ||
		!strings.Contains(got, "*Instagram*: @wati.w") {
		t.Errorf("identity card:\n%s", got)
	}
	send(sagas.SessionMain, personNo, id("notif"), "notifwa#on")
	if got := replyOf(sagas.SessionMain, id("notif")); got != "✅ Notifikasi WhatsApp untuk likes/komentar Instagram diaktifkan." {
		t.Errorf("notifwa reply %q", got)
	}
	envs, _, err := app.wiring.store.Load(ctx, events.PersonSubject("76020001"))
	if err != nil {
		t.Fatal(err)
	}
	if last := envs[len(envs)-1]; last.Type != "PersonWhatsAppOptInChanged" || last.Meta.Actor != "wa:"+personNo {
		t.Errorf("last event %s by %s", last.Type, last.Meta.Actor)
	}
	send(sagas.SessionMain, adminNo, id("info"), "clientinfo#polresw")
	if got := replyOf(sagas.SessionMain, id("info")); !strings.Contains(got, "*Client ID*: POLRESW\n*Nama*: POLRES W\n*Tipe*: org\n*Status*: Aktif") {
		t.Errorf("clientinfo reply:\n%s", got)
	}
	send(sagas.SessionMain, personNo, id("denied"), "clientinfo#polresw")
	if got := replyOf(sagas.SessionMain, id("denied")); got != "❌ Anda tidak memiliki akses ke sistem ini." {
		t.Errorf("non-admin reply %q", got)
	}
	// dirrequest builds its reports with the scheduled recaps' builder.
	send(sagas.SessionMain, dirNo, id("dir1"), "dirrequest")
	if got := replyOf(sagas.SessionMain, id("dir1")); got != "Pilih client direktorat (balas nomor atau client_id):\n1. DITBINMAS - DIT BINMAS" {
		t.Errorf("dirrequest reply %q", got)
	}
	send(sagas.SessionMain, dirNo, id("dir2"), "1")
	send(sagas.SessionMain, dirNo, id("dir3"), "6")
	if got := replyOf(sagas.SessionMain, id("dir3")); !strings.Contains(got, "DIT BINMAS") || strings.HasPrefix(got, "❌") {
		t.Errorf("report 6:\n%s", got)
	}
	send(sagas.SessionMain, dirNo, id("dir4"), "7")
	// Menu 7 (absensi like IG of a directorate) answers from the like
	// recap read model; the directorate has no post today.
	if got := replyOf(sagas.SessionMain, id("dir4")); got != "Tidak ada konten pada akun Official Instagram *DIT BINMAS* hari ini." {
		t.Errorf("report 7: %q", got)
	}
	// savecontact runs the contacts saver of serve's wiring: without
	// Google credentials it says so, after its start notice.
	send(sagas.SessionMain, adminNo, id("contacts"), "savecontact")
	if got := replyOf(sagas.SessionMain, id("contacts")); got != "⏳ Menyimpan kontak personel ke Google…" {
		t.Errorf("savecontact reply %q", got)
	}
	testkit.Eventually(t, 10*time.Second, func() error {
		envs, _, err := app.wiring.store.Load(ctx, events.QueuedSubject("wa-reply/wa/"+id("contacts")+"/2"))
		if err != nil || len(envs) != 1 {
			return fmt.Errorf("no end notice yet (%v)", err)
		}
		p, err := app.wiring.store.Registry().Decode(&envs[0])
		if err != nil {
			return err
		}
		if got := p.(*events.MessageQueued).Text; got != "❌ Google Contacts belum dikonfigurasi pada server ini." {
			t.Errorf("savecontact end %q", got)
		}
		return nil
	})
	// serve's messaging-queued saga puts the replies in the outbox, once
	// each, from the session they came in on.
	testkit.Eventually(t, 15*time.Second, func() error {
		var n int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM outbox WHERE saga = 'messaging-queued' AND recipient = $1
			AND payload->>'session' = 'wa'`, personNo+"@s.whatsapp.net").Scan(&n); err != nil || n != 2 {
			return fmt.Errorf("%d outbox rows for the person on wa (%v)", n, err)
		}
		return nil
	})
}
