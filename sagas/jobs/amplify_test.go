package jobs_test

import (
	"bytes"
	"context"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/linkreport"
	"github.com/cicero/cicero/commands/outgoing"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/commands/post"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/amplifytext"
	"github.com/cicero/cicero/internal/amplifyxlsx"
	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/internal/schedule"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/projections/amplify"
	"github.com/cicero/cicero/projections/directory"
	pt "github.com/cicero/cicero/projections/projectiontest"
	"github.com/cicero/cicero/projections/social"
	"github.com/cicero/cicero/sagas"
	"github.com/cicero/cicero/sagas/jobs"
	sagaout "github.com/cicero/cicero/sagas/outgoing"
	"github.com/cicero/cicero/sagas/sagatest"
)

// amplifySrc maps the read models to the jobs as the amplify context's
// wiring does.
type amplifySrc struct {
	q   *amplify.Queries
	dir *directory.Queries
}

func (s amplifySrc) AmplifyClients(ctx context.Context) ([]jobs.AmplifyClient, error) {
	cs, err := s.dir.Clients(ctx, directory.ClientFilter{ActiveOnly: true})
	out := make([]jobs.AmplifyClient, 0, len(cs))
	for _, c := range cs {
		out = append(out, jobs.AmplifyClient{ID: c.ClientID, Nama: c.Nama, Type: c.ClientType, Operator: c.ClientOperator,
			Super: c.ClientSuper, Group: c.ClientGroup, Active: c.ClientStatus, Amplify: c.ClientAmplifyStatus})
	}
	return out, err
}

func (s amplifySrc) AmplifyDay(ctx context.Context, clientID, day, role string) (amplifytext.Absensi, error) {
	return s.q.Day(ctx, clientID, day, role)
}

func (s amplifySrc) AmplifyExport(ctx context.Context, clientID, from, to string) ([]amplifyxlsx.Row, error) {
	return s.q.Export(ctx, amplify.ExportFilter{Kind: events.LinkReportRegular, ClientID: clientID, From: from, To: to})
}

func wib(d, h, m, s int) time.Time { return time.Date(2026, 12, d, h, m, s, 0, jakarta.Location) }

// The three amplification jobs queue their exact texts to exactly their
// recipients, read from the real read models; a rerun of a slot queues
// nothing more, and the monthly file goes out on the last day only.
func TestAmplifyJobs(t *testing.T) {
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	log := testkit.Logger(t)
	reg := n.Store.Registry()
	m := pt.StartManager(t, pool, n.Store, directory.New(reg), social.NewPosts(reg), amplify.NewReports(reg))
	rt := commands.NewRuntime(n.Store, commands.NewPGCommandLog(pool), log)
	var last []events.Position
	settle := func(o commands.Outcome, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		last = append(last, o.Positions()...)
	}
	no := false
	for _, c := range []client.RegisterClient{
		{ClientID: "POLRESA", Nama: "POLRES A", ClientType: "org", ClientOperator: "081211112222",
			ClientSuper: "081233334444;081255556666", ClientGroup: "120363419830216549@g.us"},
		{ClientID: "POLRESX", Nama: "POLRES X", ClientType: "org", ClientOperator: "081277778888", AmplifyStatus: &no},
	} {
		settle(client.NewHandlers(rt).RegisterClient(bg(t), commands.Meta{}, c))
	}
	people := []person.RegisterPerson{
		{NRP: "75001001", Nama: "BUDI", Title: "AKP", Divisi: "SAT BINMAS", ClientID: "POLRESA", Roles: []string{"operator"}},
		{NRP: "75001002", Nama: "CITRA", Title: "IPDA", Divisi: "SAT LANTAS", ClientID: "POLRESA", Roles: []string{"operator"}},
		{NRP: "75001003", Nama: "DEDI", Title: "BRIPTU", ClientID: "POLRESA", Roles: []string{"operator"}},
		{NRP: "75001004", Nama: "EKO", Title: "AIPDA", Divisi: "BAG OPS", ClientID: "POLRESA", Roles: []string{"operator"}, Exception: true},
		{NRP: "75001005", Nama: "FAJAR", Title: "BRIPDA", Divisi: "SAT BINMAS", ClientID: "POLRESA"},
	}
	for _, p := range people {
		settle(person.NewHandlers(rt).RegisterPerson(bg(t), commands.Meta{}, p))
	}
	posts := post.NewHandlers(rt, nil)
	for code, at := range map[string]time.Time{"TODAY01": wib(31, 8, 0, 0), "TODAY02": wib(31, 9, 0, 0), "YESTER1": wib(30, 10, 0, 0),
		"XPOST01": wib(31, 8, 30, 0)} {
		cl := "POLRESA"
		if code == "XPOST01" {
			cl = "POLRESX"
		}
		settle(posts.IngestPost(bg(t), commands.Meta{}, post.IngestPost{Platform: "instagram", PostID: code, ClientID: cl,
			Account: "acc", PublishedAt: at}))
	}
	reports := []linkreport.Submit{
		{Shortcode: "TODAY01", UserID: "75001001", Links: events.Links{Facebook: "https://fb/1a", Instagram: "https://ig/1a"}},
		{Shortcode: "TODAY02", UserID: "75001001", Links: events.Links{Facebook: "https://fb/1b"}},
		{Shortcode: "TODAY02", UserID: "75001002", Links: events.Links{Tiktok: "https://tt/2b"}},
		{Shortcode: "TODAY01", UserID: "75001005", Links: events.Links{Youtube: "https://yt/5a"}},
		{Shortcode: "YESTER1", UserID: "75001001", Links: events.Links{Twitter: "https://tw/1y"}, At: wib(30, 12, 0, 0)},
	}
	for _, r := range reports {
		if r.At.IsZero() {
			r.At = wib(31, 12, 0, 0)
		}
		settle(linkreport.NewHandlers(rt).Submit(bg(t), commands.Meta{}, r))
	}
	if err := m.WaitForAll(bg(t), last, 20*time.Second); err != nil {
		t.Fatal(err)
	}

	clk := &clock{t: wib(31, 15, 5, 30)}
	job := jobs.NewAmplify(jobs.AmplifyDeps{Source: amplifySrc{amplify.NewQueries(pool), directory.NewQueries(pool)},
		Queue: outgoing.NewHandlers(rt), AdminWhatsApp: "081299990000, 0812-9999-0000", Now: clk.now, Logger: log})
	queued := sagaout.Queued(24 * time.Hour)
	type msg struct{ Recipient, Text, Session, File string }
	outbox := func() []msg {
		t.Helper()
		head, err := n.Store.StreamHead(bg(t), "MESSAGING")
		if err != nil {
			t.Fatal(err)
		}
		if head > 0 {
			sagatest.RunTo(t, pool, n.Store, queued, nil, events.Position{Stream: "MESSAGING", Sequence: head})
		}
		var out []msg
		for _, r := range sagatest.Rows(t, pool, queued.Name) {
			mm := msg{Recipient: r.Recipient, Text: r.Content.Text, Session: r.Content.Session}
			if r.Content.Document != nil {
				mm.File = r.Content.Document.FileName
			}
			out = append(out, mm)
		}
		return out
	}
	run := func(f func(context.Context, schedule.Args) error) {
		t.Helper()
		if err := f(bg(t), schedule.Args{}); err != nil {
			t.Fatal(err)
		}
	}

	// cronRekapLink at 15:05: POLRESA's operators (not FAJAR), to the admin
	// once, the operator, both supers and the group; POLRESX has amplification off.
	run(job.RunRekapLink)
	op := func(nrp string) amplifytext.Person {
		for _, p := range people {
			if p.NRP == nrp {
				return amplifytext.Person{UserID: p.NRP, Title: p.Title, Nama: p.Nama, Divisi: p.Divisi, Exception: p.Exception}
			}
		}
		t.Fatalf("no person %s", nrp)
		return amplifytext.Person{}
	}
	today := amplifytext.Absensi{ClientID: "POLRESA", ClientNama: "POLRES A", Posts: []string{"TODAY01", "TODAY02"},
		People: []amplifytext.Person{op("75001001"), op("75001002"), op("75001003"), op("75001004")},
		Reports: []amplifytext.Report{{UserID: "75001001", Shortcode: "TODAY01", Facebook: "https://fb/1a", Instagram: "https://ig/1a"},
			{UserID: "75001001", Shortcode: "TODAY02", Facebook: "https://fb/1b"}, {UserID: "75001002", Shortcode: "TODAY02", Tiktok: "https://tt/2b"}}}
	rekap := amplifytext.AbsensiLink(wib(31, 15, 5, 30), today)
	for _, line := range []string{"Jumlah Personil yang melaksanakan: 3", "✅ Sudah Melaksanakan (2 user)", "⚠️ Belum Lengkap (1 user)",
		"❌ Belum Melaksanakan (1 user)", "SAT BINMAS – AKP BUDI (Sudah: 2 Tugas / Belum: 0 Tugas / Total Link: 3 Link)"} {
		if !bytes.Contains([]byte(rekap), []byte(line)) {
			t.Fatalf("expected recap lacks %q:\n%s", line, rekap)
		}
	}
	var want []msg
	for _, r := range []string{"6281299990000@s.whatsapp.net", "6281211112222@s.whatsapp.net", "6281233334444@s.whatsapp.net",
		"6281255556666@s.whatsapp.net", "120363419830216549@g.us"} {
		want = append(want, msg{Recipient: r, Text: rekap, Session: sagas.SessionMain})
	}
	if d := cmp.Diff(want, outbox()); d != "" {
		t.Fatalf("rekap link outbox (-want +got):\n%s", d)
	}
	clk.t = wib(31, 15, 40, 0) // a rerun of the 15:05 slot by hand
	run(job.RunRekapLink)
	if got := outbox(); len(got) != len(want) {
		t.Fatalf("a rerun of the slot queued again: %d rows", len(got))
	}

	// cronOprRequestDailyReport at 21:07: today's then yesterday's report
	// of the operators, to the operator only; a rerun queues nothing.
	clk.t = wib(31, 21, 7, 0)
	run(job.RunDailyReport)
	run(job.RunDailyReport)
	yesterday := amplifytext.Absensi{ClientID: "POLRESA", ClientNama: "POLRES A", Posts: []string{"YESTER1"}, People: today.People,
		Reports: []amplifytext.Report{{UserID: "75001001", Shortcode: "YESTER1", Twitter: "https://tw/1y"}}}
	t1, ok1 := amplifytext.DailyReport(clk.t, wib(31, 0, 0, 0), today)
	t2, ok2 := amplifytext.DailyReport(clk.t, wib(30, 0, 0, 0), yesterday)
	if !ok1 || !ok2 {
		t.Fatal("expected reports are empty")
	}
	// Counted by hand from the reports above (links: 2 + 1 + 1 today, 1 yesterday).
	for text, lines := range map[string][]string{
		t1: {"Jumlah Konten Resmi Hari ini : 2", "Jumlah Personil yang melaksanakan : 2", "Jumlah Total Link dari 5 Platform Sosial Media : 4"},
		t2: {"Jumlah Konten Resmi Hari ini : 1", "Jumlah Personil yang melaksanakan : 1", "Jumlah Total Link dari 5 Platform Sosial Media : 1"},
	} {
		for _, line := range lines {
			if !bytes.Contains([]byte(text), []byte(line)) {
				t.Fatalf("expected daily report lacks %q:\n%s", line, text)
			}
		}
	}
	want = append(want, msg{Recipient: "6281211112222@s.whatsapp.net", Text: t1, Session: sagas.SessionMain},
		msg{Recipient: "6281211112222@s.whatsapp.net", Text: t2, Session: sagas.SessionMain})
	if d := cmp.Diff(want, outbox()); d != "" {
		t.Fatalf("daily report outbox (-want +got):\n%s", d)
	}

	// cronAmplifyLinkMonthly: nothing on the 30th; on the 31st the month's
	// workbook (every person's reports) to the operator, once.
	clk.t = wib(30, 23, 0, 0)
	run(job.RunMonthly)
	if got := outbox(); len(got) != len(want) {
		t.Fatalf("the monthly file went out on the 30th")
	}
	clk.t = wib(31, 23, 0, 0)
	run(job.RunMonthly)
	run(job.RunMonthly)
	want = append(want, msg{Recipient: "6281211112222@s.whatsapp.net", Session: sagas.SessionMain, File: "POLRESA_Desember.xlsx"})
	if d := cmp.Diff(want, outbox()); d != "" {
		t.Fatalf("monthly outbox (-want +got):\n%s", d)
	}
	rows := sagatest.Rows(t, pool, queued.Name)
	f, err := excelize.OpenReader(bytes.NewReader(rows[len(rows)-1].Content.Document.Data))
	if err != nil {
		t.Fatal(err)
	}
	sheet, err := f.GetRows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range sheet[1:] {
		got = append(got, r[0]+" "+r[2]+" "+r[1])
	}
	sort.Strings(got)
	wantRows := []string{"2026-12-30 75001001 AKP BUDI", "2026-12-31 75001001 AKP BUDI", "2026-12-31 75001001 AKP BUDI",
		"2026-12-31 75001002 IPDA CITRA", "2026-12-31 75001005 BRIPDA FAJAR"}
	if d := cmp.Diff(wantRows, got); d != "" || len(sheet[0]) != 9 || sheet[0][0] != "Date" || sheet[0][8] != "Link Youtube" {
		t.Fatalf("workbook header %v, rows (-want +got):\n%s", sheet[0], d)
	}
}
