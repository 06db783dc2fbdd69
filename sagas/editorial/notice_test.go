package editorial_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/crypto/bcrypt"

	"github.com/cicero/cicero/commands"
	edcmd "github.com/cicero/cicero/commands/editorial"
	"github.com/cicero/cicero/commands/penmasuser"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/projections"
	"github.com/cicero/cicero/sagas"
	"github.com/cicero/cicero/sagas/editorial"
)

type outboxRow struct {
	EventID, Recipient, Channel string
	Content                     sagas.Content
}

// TestNoticeQueuesTheRequestersMessage runs the real commands and the saga
// (checkpointed runner, real outbox): the approval of Siti's request
// queues one WhatsApp text to her number from the main session, the
// rejection of Budi's — who has no number — queues nothing, and the
// rejection of Siti's second request carries the editor's note. Replaying
// the saga from scratch adds no row.
func TestNoticeQueuesTheRequestersMessage(t *testing.T) {
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	rt := commands.NewRuntime(n.Store, commands.NewPGCommandLog(pool), testkit.Logger(t))
	ctx := context.Background()
	decided := time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC)
	ed := edcmd.NewHandlers(rt, func() time.Time { return decided })
	users := penmasuser.NewHandlers(rt, penmasuser.WithHashCost(bcrypt.MinCost))
	id := map[string]string{}
	for _, u := range []string{"siti", "budi", "redaktur"} {
		uid, _, err := users.Register(ctx, commands.Meta{}, penmasuser.Register{Username: u, Password: "x"})
		if err != nil {
			t.Fatal(err)
		}
		id[u] = uid
	}
	editor, wa := "editor", "0812 1111 2222"
	for _, c := range []penmasuser.SetProfile{{UserID: id["redaktur"], Role: &editor}, {UserID: id["siti"], WhatsApp: &wa}} {
		if _, err := users.SetProfile(ctx, commands.Meta{Actor: "admin"}, c); err != nil {
			t.Fatal(err)
		}
	}
	eventDate := time.Date(2026, 3, 1, 20, 0, 0, 0, time.UTC) // 2 March, 03:00 WIB
	submit := func(who, title string) (int64, int64) {
		ev, _, err := ed.CreateEvent(ctx, commands.Meta{}, edcmd.CreateEvent{By: id[who],
			Fields: events.EditorialFields{EventDate: eventDate, Topic: "Topik", JudulBerita: title}})
		if err != nil {
			t.Fatal(err)
		}
		req, _, err := ed.SubmitEvent(ctx, commands.Meta{}, edcmd.SubmitEvent{EventID: ev, By: id[who]})
		if err != nil {
			t.Fatal(err)
		}
		return ev, req
	}
	decide := func(req int64, status, note string) events.Appended {
		o, err := ed.DecideRequest(ctx, commands.Meta{}, edcmd.DecideRequest{RequestID: req, Status: status, Note: note, By: id["redaktur"]})
		if err != nil {
			t.Fatal(err)
		}
		return o.Appended[0]
	}
	_, reqSiti := submit("siti", "Patroli Sahur")
	if reqSiti != 1 {
		t.Fatalf("first request is #%d", reqSiti)
	}
	approved := decide(reqSiti, "approved", "")
	_, reqBudi := submit("budi", "Razia")
	decide(reqBudi, "rejected", "foto kurang")
	ev2, reqSiti2 := submit("siti", "")
	rejected := decide(reqSiti2, "rejected", "lengkapi kronologi")

	want := []outboxRow{
		{EventID: approved.EventIDs[0], Recipient: "6281211112222@s.whatsapp.net", Channel: sagas.ChannelWhatsApp,
			Content: sagas.Content{Session: sagas.SessionMain, Text: "✅ *Siaran pers disetujui*\nJudul: Patroli Sahur\n" +
				"Tanggal kegiatan: 02/03/2026\nPermintaan: #1 (berita #1)\nDisetujui oleh: redaktur\nBerita dapat diterbitkan."}},
		{EventID: rejected.EventIDs[0], Recipient: "6281211112222@s.whatsapp.net", Channel: sagas.ChannelWhatsApp,
			Content: sagas.Content{Session: sagas.SessionMain, Text: "❌ *Siaran pers ditolak*\nJudul: Topik\n" +
				"Tanggal kegiatan: 02/03/2026\nPermintaan: #3 (berita #" + itoa(ev2) + ")\nDitolak oleh: redaktur\n" +
				"Catatan: lengkapi kronologi\nSilakan perbaiki berita lalu ajukan kembali."}},
	}
	head := events.Position{Stream: rejected.Stream, Sequence: rejected.Sequence}
	run(t, pool, n.Store, editorial.Notice(), head)
	if d := cmp.Diff(want, rows(t, pool)); d != "" {
		t.Errorf("outbox (-want +got):\n%s", d)
	}
	// A replay from the first event inserts nothing new.
	if _, err := pool.Exec(ctx, `DELETE FROM projection_checkpoints WHERE projection = $1`, editorial.NoticeName); err != nil {
		t.Fatal(err)
	}
	run(t, pool, n.Store, editorial.Notice(), head)
	if got := rows(t, pool); len(got) != len(want) {
		t.Errorf("after a replay: %d rows, want %d", len(got), len(want))
	}
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

// run runs the saga with the projections runner until it has passed head.
func run(t *testing.T, p *pgxpool.Pool, store *events.Store, s sagas.Saga, head events.Position) {
	t.Helper()
	runner := projections.NewRunner(p, store, s.Projection(store.Registry(), time.Now),
		projections.RunnerOptions{Linger: 5 * time.Millisecond, Standby: 50 * time.Millisecond, Logger: testkit.Logger(t)})
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := runner.Run(ctx); err != nil {
			t.Errorf("saga runner: %v", err)
		}
	})
	defer func() { cancel(); wg.Wait() }()
	if err := projections.NewCheckpoints(p).WaitFor(ctx, s.Name, []events.Position{head}, 30*time.Second); err != nil {
		t.Fatalf("saga did not reach %v: %v", head, err)
	}
}

func rows(t *testing.T, pool *pgxpool.Pool) []outboxRow {
	t.Helper()
	rs, err := pool.Query(context.Background(), `SELECT event_id, recipient, channel, payload FROM outbox WHERE saga = $1 ORDER BY id`,
		editorial.NoticeName)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	var out []outboxRow
	for rs.Next() {
		var r outboxRow
		var payload []byte
		if err := rs.Scan(&r.EventID, &r.Recipient, &r.Channel, &payload); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(payload, &r.Content); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
