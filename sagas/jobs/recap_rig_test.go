package jobs_test

import (
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/outgoing"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/commands/post"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/internal/recaptext"
	"github.com/cicero/cicero/internal/schedule"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/internal/waid"
	"github.com/cicero/cicero/projections"
	"github.com/cicero/cicero/projections/directory"
	"github.com/cicero/cicero/projections/messaging"
	pt "github.com/cicero/cicero/projections/projectiontest"
	"github.com/cicero/cicero/projections/recap"
	"github.com/cicero/cicero/projections/social"
	"github.com/cicero/cicero/sagas/jobs"
	"github.com/cicero/cicero/sagas/jobs/dirreport"
	sagaout "github.com/cicero/cicero/sagas/outgoing"
	"github.com/cicero/cicero/sagas/sagatest"
)

// The recap tests seed a small directory and a day of posts through the
// commands, run the read models, drive each job's Run with a fixed clock
// and read what the messaging-queued saga put in the outbox. Expected texts
// are rendered by internal/recaptext (whose formats its goldens check)
// from figures written out here by hand, so the tests check what the jobs
// read, count and send to whom.

// recapDay is the tests' Jakarta day, a Friday.
func wibAt(h, m int) time.Time { return time.Date(2026, 11, 20, h, m, 0, 0, jakarta.Location) }

const adminNumber = "081299990001"

type recapRig struct {
	t      *testing.T
	n      *testkit.NATS
	pool   *pgxpool.Pool
	m      *projections.Manager
	clk    *clock
	rt     *commands.Runtime
	posts  *post.Handlers
	recaps *jobs.Recaps
}

func newRecapRig(t *testing.T) *recapRig {
	t.Helper()
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	log := testkit.Logger(t)
	reg := n.Store.Registry()
	m := pt.StartManager(t, pool, n.Store, directory.New(reg), social.NewPosts(reg), social.NewEngagements(reg), messaging.NewReminders(reg))
	r := &recapRig{t: t, n: n, pool: pool, m: m, clk: &clock{t: wibAt(6, 0)}}
	r.rt = commands.NewRuntime(n.Store, commands.NewPGCommandLog(pool), log)
	r.posts = post.NewHandlers(r.rt, r.clk.now)
	r.recaps = r.newRecaps(true)
	r.world()
	return r
}

func (r *recapRig) newRecaps(dirGroup bool) *jobs.Recaps {
	read := recap.New(r.pool)
	return jobs.NewRecaps(jobs.RecapDeps{Read: read, Reports: dirreport.New(read, r.clk.now),
		Reminders: messaging.NewQueries(r.pool), Queue: outgoing.NewHandlers(r.rt), Admins: waid.Admins(adminNumber),
		DirRequestGroup: dirGroup, Now: r.clk.now, Logger: testkit.Logger(r.t)})
}

func (r *recapRig) must(_ commands.Outcome, err error) {
	r.t.Helper()
	if err != nil {
		r.t.Fatal(err)
	}
}

// world: three directorates, two ORG clients, their personnel and the
// day's posts.
func (r *recapRig) world() {
	ctx := bg(r.t)
	cl := client.NewHandlers(r.rt)
	for _, c := range []client.RegisterClient{
		{ClientID: "DITBINMAS", Nama: "DIREKTORAT BINMAS", ClientType: "direktorat", ClientInsta: "ditbinmas_ig",
			ClientTiktok: "@ditbinmas_tt", ClientGroup: "120363000000000010", ClientOperator: "081200000001",
			ClientSuper: "081200000002; 081200000003"},
		{ClientID: "BIDHUMAS", Nama: "BIDHUMAS POLDA", ClientType: "direktorat", ClientGroup: "120363000000000020@g.us",
			ClientSuper: "081200000004"},
		{ClientID: "DITSAMAPTA", Nama: "DIREKTORAT SAMAPTA", ClientType: "direktorat", ClientOperator: "081200000005",
			ClientSuper: "081200000006"},
		{ClientID: "POLRESA", Nama: "POLRES A", ClientType: "org", ClientInsta: "polres_a", ClientTiktok: "polres_a_tt",
			InstaStatus: on(true), TiktokStatus: on(true), ClientGroup: "120363000000000030", ClientOperator: "081200000007",
			ClientSuper: "081200000008"},
		{ClientID: "POLRESB", Nama: "POLRES B", ClientType: "org", InstaStatus: on(true), TiktokStatus: on(true)},
		// Never sent to by the ORG jobs (10, 11): TikTok off; inactive.
		{ClientID: "POLRESC", Nama: "POLRES C", ClientType: "org", InstaStatus: on(true), TiktokStatus: on(false),
			ClientGroup: "120363000000000040", ClientOperator: "081200000009", ClientSuper: "081200000010"},
		{ClientID: "POLRESD", Nama: "POLRES D", ClientType: "org", InstaStatus: on(true), TiktokStatus: on(true),
			ClientGroup: "120363000000000050", ClientOperator: "081200000011", ClientSuper: "081200000012"},
	} {
		r.must(cl.RegisterClient(ctx, commands.Meta{}, c))
	}
	r.must(cl.SetClientStatus(ctx, commands.Meta{}, client.SetClientStatus{ClientID: "POLRESD", Active: false}))
	ph := person.NewHandlers(r.rt)
	for _, p := range []person.RegisterPerson{
		{NRP: "80001001", Nama: "ANDI", Title: "BRIPKA", Divisi: "SAT BINMAS", Jabatan: "KASAT BINMAS", ClientID: "POLRESA",
			Insta: "andi", Tiktok: "@andi_tt", WhatsApp: "081300000001", WhatsAppOptIn: true, Roles: []string{"operator", "ditbinmas"}},
		{NRP: "80001002", Nama: "BUDI", Title: "BRIPDA", Divisi: "SAT BINMAS", ClientID: "POLRESA", Insta: "budi",
			Roles: []string{"operator"}},
		{NRP: "80001003", Nama: "CITRA", Title: "IPDA", ClientID: "POLRESB", Roles: []string{"ditbinmas"}},
		{NRP: "80001004", Nama: "DEWI", Title: "AKP", ClientID: "DITBINMAS", Insta: "dewi", Tiktok: "dewi_tt",
			WhatsApp: "081300000004", WhatsAppOptIn: true, Roles: []string{"ditbinmas"}},
		{NRP: "80001005", Nama: "EKO", Title: "AIPTU", ClientID: "BIDHUMAS", Insta: "eko", WhatsApp: "6281300000005",
			WhatsAppOptIn: true, Roles: []string{"bidhumas"}},
		{NRP: "80001006", Nama: "FAJAR", Title: "BRIPTU", ClientID: "DITSAMAPTA", Insta: "fajar", Roles: []string{"ditsamapta"}},
		{NRP: "80001007", Nama: "GITA", Title: "BRIPDA", ClientID: "DITBINMAS", Insta: "gita", WhatsApp: "081300000007",
			Roles: []string{"ditbinmas"}}, // not opted in: never reminded
		{NRP: "80001008", Nama: "HANI", Title: "BRIPDA", ClientID: "DITBINMAS", Insta: "hani", WhatsApp: "081300000008",
			WhatsAppOptIn: true, Roles: []string{"ditbinmas"}}, // deactivated below: in no recap, never reminded
	} {
		r.must(ph.RegisterPerson(ctx, commands.Meta{}, p))
	}
	r.must(ph.Deactivate(ctx, commands.Meta{}, person.Deactivate{NRP: "80001008"}))
	r.post(events.PlatformInstagram, "DBpost1", "DITBINMAS", wibAt(8, 0), "andi", "dewi", "gita")
	r.post(events.PlatformInstagram, "DBpost2", "DITBINMAS", wibAt(9, 0), "andi", "stranger")
	r.post(events.PlatformTiktok, "7100000000000000001", "DITBINMAS", wibAt(8, 30), "@andi_tt")
	r.post(events.PlatformInstagram, "PApost1", "POLRESA", wibAt(7, 0), "Andi")
	r.post(events.PlatformTiktok, "7200000000000000001", "POLRESA", wibAt(7, 30))
	r.post(events.PlatformInstagram, "BHpost1", "BIDHUMAS", wibAt(10, 0), "eko")
	// Yesterday's post is no task of today.
	r.post(events.PlatformInstagram, "DBpost0", "DITBINMAS", wibAt(0, 0).Add(-time.Hour), "gita")
	r.settle()
}

// post ingests a post into a feed and records its engagers.
func (r *recapRig) post(platform, id, clientID string, at time.Time, engagers ...string) {
	r.t.Helper()
	ctx := bg(r.t)
	r.must(r.posts.IngestPost(ctx, commands.Meta{}, post.IngestPost{Platform: platform, PostID: id, ClientID: clientID,
		Account: "official", PublishedAt: at, ObservedAt: at}))
	r.engage(platform, id, engagers...)
}

func (r *recapRig) engage(platform, id string, engagers ...string) {
	r.t.Helper()
	if len(engagers) == 0 {
		return
	}
	var err error
	if platform == events.PlatformInstagram {
		_, _, err = r.posts.RecordLikes(bg(r.t), commands.Meta{}, post.RecordLikes{Platform: platform, PostID: id,
			Usernames: engagers, ObservedAt: r.clk.now()})
	} else {
		_, _, err = r.posts.RecordComments(bg(r.t), commands.Meta{}, post.RecordComments{Platform: platform, PostID: id,
			Usernames: engagers, ObservedAt: r.clk.now()})
	}
	if err != nil {
		r.t.Fatal(err)
	}
}

// heads are the streams' last positions.
func (r *recapRig) heads(names ...string) []events.Position {
	r.t.Helper()
	var ps []events.Position
	for _, name := range names {
		s, err := r.n.Store.JetStream().Stream(bg(r.t), name)
		if err != nil {
			r.t.Fatal(err)
		}
		ps = append(ps, events.Position{Stream: name, Sequence: s.CachedInfo().State.LastSeq})
	}
	return ps
}

// settle waits until the read models hold every event.
func (r *recapRig) settle() {
	r.t.Helper()
	if err := r.m.WaitForAll(bg(r.t), r.heads("DIRECTORY", "SOCIAL", "MESSAGING"), 20*time.Second); err != nil {
		r.t.Fatal(err)
	}
}

// run runs the named job at the Jakarta time h:m.
func (r *recapRig) run(name string, h, m int) {
	r.t.Helper()
	r.runWith(r.recaps, name, h, m)
}

func (r *recapRig) runWith(rc *jobs.Recaps, name string, h, m int) {
	r.t.Helper()
	r.clk.mu.Lock()
	r.clk.t = wibAt(h, m)
	r.clk.mu.Unlock()
	r.settle()
	i := slices.IndexFunc(rc.Jobs(), func(j schedule.Job) bool { return j.Name == name })
	if i < 0 {
		r.t.Fatalf("job %s not registered", name)
	}
	if err := rc.Jobs()[i].Run(bg(r.t), schedule.Args{}); err != nil {
		r.t.Fatal(err)
	}
}

// sent is one outbox row of the queued-messages saga.
type sent struct {
	To, Session, Text string
}

// outbox runs the queued-messages saga to the MESSAGING head and lists its
// rows in order.
func (r *recapRig) outbox() []sent {
	r.t.Helper()
	saga := sagaout.Queued(24 * time.Hour)
	sagatest.RunTo(r.t, r.pool, r.n.Store, saga, nil, r.heads("MESSAGING")[0])
	var out []sent
	for _, row := range sagatest.Rows(r.t, r.pool, saga.Name) {
		out = append(out, sent{To: row.Recipient, Session: row.Content.Session, Text: row.Content.Text})
	}
	return out
}

// to lists the sends of text to each recipient, in order.
func to(session, text string, recipients ...string) []sent {
	out := make([]sent, len(recipients))
	for i, rc := range recipients {
		out[i] = sent{To: rc, Session: session, Text: text}
	}
	return out
}

func jid(n string) string { return waid.UserJID(n) }

// Hand-written figures of the world.
var (
	ditbinmas = recaptext.Client{ID: "DITBINMAS", Name: "DIREKTORAT BINMAS", Tiktok: "@ditbinmas_tt"}
	polresA   = recaptext.Client{ID: "POLRESA", Name: "POLRES A", Tiktok: "polres_a_tt"}
	andi      = recaptext.Person{NRP: "80001001", Title: "BRIPKA", Name: "ANDI", Division: "SAT BINMAS", Jabatan: "KASAT BINMAS",
		ClientID: "POLRESA", ClientName: "POLRES A"}
	budi  = recaptext.Person{NRP: "80001002", Title: "BRIPDA", Name: "BUDI", Division: "SAT BINMAS", ClientID: "POLRESA", ClientName: "POLRES A"}
	citra = recaptext.Person{NRP: "80001003", Title: "IPDA", Name: "CITRA", ClientID: "POLRESB", ClientName: "POLRES B"}
	dewi  = recaptext.Person{NRP: "80001004", Title: "AKP", Name: "DEWI", ClientID: "DITBINMAS", ClientName: "DIREKTORAT BINMAS"}
	gita  = recaptext.Person{NRP: "80001007", Title: "BRIPDA", Name: "GITA", ClientID: "DITBINMAS", ClientName: "DIREKTORAT BINMAS"}
)

// with returns p with a handle and count.
func with(p recaptext.Person, handle string, count int) recaptext.Person {
	p.Handle, p.Count = handle, count
	return p
}
