package inbound_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	waevents "go.mau.fi/whatsmeow/types/events"
	"golang.org/x/crypto/bcrypt"
	"google.golang.org/protobuf/proto"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/commands/outgoing"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/commands/personnelpremium"
	"github.com/cicero/cicero/commands/post"
	"github.com/cicero/cicero/commands/premium"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/internal/schedule"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/internal/waid"
	"github.com/cicero/cicero/projections"
	"github.com/cicero/cicero/projections/access"
	"github.com/cicero/cicero/projections/amplify"
	"github.com/cicero/cicero/projections/directory"
	premiumview "github.com/cicero/cicero/projections/premium"
	"github.com/cicero/cicero/projections/recap"
	"github.com/cicero/cicero/projections/social"
	"github.com/cicero/cicero/sagas"
	"github.com/cicero/cicero/sagas/inbound"
	"github.com/cicero/cicero/sagas/inbound/readmodels"
	"github.com/cicero/cicero/sagas/jobs"
	"github.com/cicero/cicero/writeapi"
)

// The numbers of the tests' senders.
const (
	adminNo    = "6281100000001"
	operatorNo = "6281100000002"
	personNo   = "6281100000003"
	strangerNo = "6281100000009"
)

// rig is the router over the real stack: embedded JetStream, the
// directory, access and premium read models in Postgres, Redis.
type rig struct {
	t        *testing.T
	n        *testkit.NATS
	pool     *pgxpool.Pool
	m        *projections.Manager
	router   *inbound.Router
	prefix   string // the router's Redis key prefix
	rdb      *redis.Client
	cmds     inbound.Commands
	posts    *post.Handlers
	fetcher  *fetchJob
	sched    *schedule.Scheduler // runs the fetch the admin commands launch
	reports  *fakeReports
	contacts *fakeContacts
	now      time.Time
}

func newRig(t *testing.T) *rig {
	t.Helper()
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	log := testkit.Logger(t)
	reg := n.Store.Registry()
	m, err := projections.NewManager(pool, n.Store, projections.RunnerOptions{Logger: log, Standby: 50 * time.Millisecond,
		Linger: 2 * time.Millisecond, LagInterval: time.Second},
		directory.New(reg), access.NewDashboardUsers(reg), premiumview.NewDashboard(reg), premiumview.NewPersonnel(reg),
		social.NewPosts(reg), social.NewEngagements(reg), amplify.NewReports(reg))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = m.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })

	rt := commands.NewRuntime(n.Store, commands.NewPGCommandLog(pool), log)
	r := &rig{t: t, n: n, pool: pool, m: m, fetcher: &fetchJob{}, reports: &fakeReports{}, contacts: &fakeContacts{saved: 3},
		now: time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)} // 16:00 Jakarta
	r.posts = post.NewHandlers(rt, nil)
	r.cmds = inbound.Commands{Person: person.NewHandlers(rt), Client: client.NewHandlers(rt),
		DashUser:         dashuser.NewHandlers(rt, dashuser.WithHashCost(bcrypt.MinCost)),
		Premium:          premium.NewHandlers(rt, nil, func() time.Time { return r.now }),
		PersonnelPremium: personnelpremium.NewHandlers(rt, func() time.Time { return r.now }),
		Outgoing:         outgoing.NewHandlers(rt)}
	q := directory.NewQueries(pool)
	sched := schedule.New(pool, log, jakarta.Location)
	if err := sched.Register(schedule.Job{Name: jobs.SocialFetchJob, Cron: "0 0 1 1 *", Run: r.fetcher.run}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sched.Wait)
	r.sched = sched
	r.prefix, r.rdb = fmt.Sprintf("test:%s:%d:", t.Name(), time.Now().UnixNano()), testkit.NewRedis(t)
	r.router, err = inbound.New(inbound.Config{Admins: waid.Admins(adminNo), Logger: log,
		KeyPrefix: r.prefix, Now: func() time.Time { return r.now }},
		inbound.Deps{Directory: readmodels.Directory{Q: q}, Groups: readmodels.Groups{Q: q}, Redis: r.rdb, Commands: r.cmds,
			Premium: readmodels.Premium{Dash: premiumview.NewQueries(pool), Personnel: premiumview.NewPersonnelQueries(pool)}, Fetcher: readmodels.Fetcher{S: sched, Life: ctx},
			Absensi: readmodels.Absensi{R: recap.New(pool)}, Usernames: readmodels.Absensi{R: recap.New(pool)}, Links: readmodels.Links{Q: amplify.NewQueries(pool)}, DashUsers: readmodels.DashUsers{Q: access.NewDashboardUserQueries(pool)},
			Solver:  readmodels.Solver{S: writeapi.ComplaintSolutions{Social: social.NewQueries(pool)}},
			Reports: r.reports, Contacts: r.contacts})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.router.Wait)
	return r
}

func bg() context.Context { return context.Background() }

// idle waits for the work the router and the scheduler started in the
// background, so a check that something ran once sees every run.
func (r *rig) idle() {
	r.router.Wait()
	r.sched.Wait()
}

// settle waits until every read model has caught up with the store.
func (r *rig) settle() {
	r.t.Helper()
	var ps []events.Position
	for _, s := range []string{"DIRECTORY", "ACCESS", "PREMIUM", "SOCIAL", "AMPLIFY"} {
		h, err := r.n.Store.StreamHead(bg(), s)
		if err != nil {
			r.t.Fatal(err)
		}
		ps = append(ps, events.Position{Stream: s, Sequence: h})
	}
	if err := r.m.WaitForAll(bg(), ps, 20*time.Second); err != nil {
		r.t.Fatal(err)
	}
}

func (r *rig) must(out commands.Outcome, err error) commands.Outcome {
	r.t.Helper()
	if err != nil {
		r.t.Fatal(err)
	}
	return out
}

func ptr[T any](v T) *T { return &v }

// seed registers the tests' client and people: a bound person, an unbound
// one, and another holding the Instagram handle "taken.ig".
func (r *rig) seed() {
	r.t.Helper()
	meta := commands.Meta{Actor: "test"}
	r.must(r.cmds.Client.RegisterClient(bg(), meta, client.RegisterClient{ClientID: "POLRESA", Nama: "POLRES A",
		ClientType: "org", ClientOperator: operatorNo}))
	r.must(r.cmds.Person.RegisterPerson(bg(), meta, person.RegisterPerson{NRP: "75020001", Nama: "Budi", Title: "BRIPDA",
		Divisi: "SAT BINMAS", Jabatan: "BANIT", ClientID: "POLRESA", Insta: "budi.ig", WhatsApp: personNo, Roles: []string{"operator"}}))
	r.must(r.cmds.Person.RegisterPerson(bg(), meta, person.RegisterPerson{NRP: "75020002", Nama: "Sari", Title: "BRIPKA",
		Divisi: "SAT LANTAS", ClientID: "POLRESA", Roles: []string{"operator"}}))
	r.must(r.cmds.Person.RegisterPerson(bg(), meta, person.RegisterPerson{NRP: "75020003", Nama: "Eko", Title: "AIPDA",
		ClientID: "POLRESA", Insta: "taken.ig", Roles: []string{"operator"}}))
	r.settle()
}

// msg is a real whatsmeow message event.
func msg(sender, chat, id, text string, group bool) *waevents.Message {
	s := types.NewJID(sender, types.DefaultUserServer)
	c := s
	if chat != "" {
		c = types.NewJID(chat, types.GroupServer)
	}
	return &waevents.Message{
		Info: types.MessageInfo{MessageSource: types.MessageSource{Chat: c, Sender: s, IsGroup: group}, ID: id,
			Timestamp: time.Now()},
		Message: &waE2E.Message{Conversation: proto.String(text)},
	}
}

// dm is a private message from sender.
func dm(sender, id, text string) *waevents.Message { return msg(sender, "", id, text, false) }

// send hands ev to the router on session, then lets the read models catch up.
func (r *rig) send(session string, ev *waevents.Message) {
	r.t.Helper()
	if err := r.router.Handle(bg(), session, ev); err != nil {
		r.t.Fatalf("handle %q: %v", ev.Message.GetConversation(), err)
	}
	r.settle()
}

// reply is one queued reply as the tests compare it.
type reply struct {
	To, Session, Text string
}

// replies are the replies queued for one inbound message, in key order.
func (r *rig) replies(session, id string) []reply {
	r.t.Helper()
	var out []reply
	for n := 1; ; n++ {
		key := fmt.Sprintf("wa-reply/%s/%s/%d", session, id, n)
		envs, _, err := r.n.Store.Load(bg(), events.QueuedSubject(key))
		if err != nil {
			r.t.Fatal(err)
		}
		if len(envs) == 0 {
			return out
		}
		if len(envs) != 1 {
			r.t.Fatalf("key %s queued %d times", key, len(envs))
		}
		p, err := r.n.Store.Registry().Decode(&envs[0])
		if err != nil {
			r.t.Fatal(err)
		}
		q := p.(*events.MessageQueued)
		if q.Kind != inbound.KindReply || q.Channel != sagas.ChannelWhatsApp || len(q.Recipients) != 1 {
			r.t.Fatalf("reply %s: %+v", key, q)
		}
		text := q.Text
		if q.Document != nil {
			text += "[file:" + q.Document.FileName + "]"
		}
		out = append(out, reply{To: q.Recipients[0], Session: q.Session, Text: text})
	}
}

// history is an aggregate's events as "Type by actor".
func (r *rig) history(subject string) []string {
	r.t.Helper()
	envs, _, err := r.n.Store.Load(bg(), subject)
	if err != nil {
		r.t.Fatal(err)
	}
	out := []string{}
	for _, e := range envs {
		out = append(out, e.Type+" by "+e.Meta.Actor)
	}
	return out
}

// since is what history gained after before.
func since(before, after []string) []string { return append([]string{}, after[len(before):]...) }

func jid(n string) string { return n + "@s.whatsapp.net" }

func texts(rs []reply) []string {
	out := []string{}
	for _, x := range rs {
		out = append(out, x.Text)
	}
	return out
}

func diff(t *testing.T, what string, want, got any) {
	t.Helper()
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("%s (-want +got):\n%s", what, d)
	}
}

func lines(s ...string) string { return strings.Join(s, "\n") }

// fetchJob is a job registered as the fetch job in a real scheduler: it
// records the runs asked for and reports one summary line (the fetch job
// itself is tested in sagas/jobs).
type fetchJob struct {
	mu   sync.Mutex
	runs []string
}

func (f *fetchJob) run(_ context.Context, args schedule.Args) error {
	f.mu.Lock()
	f.runs = append(f.runs, args.ClientID+"/"+args.Platform)
	f.mu.Unlock()
	if args.Report != nil {
		args.Report("posts=2 likes=10")
	}
	return nil
}

func (f *fetchJob) Runs() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string{}, f.runs...)
}

// fakeReports stands in for the directorate report builder (our own
// interface; the reports are tested where they are built): it records the
// reports asked for, answers a text and, for the Excel reports, a file.
type fakeReports struct {
	mu    sync.Mutex
	calls []string
}

func (f *fakeReports) Build(_ context.Context, clientID string, action int, o inbound.Options) ([]inbound.Part, error) {
	f.mu.Lock()
	f.calls = append(f.calls, fmt.Sprintf("%s/%d/%s/%s/%s", clientID, action, o.Period, o.RoleFlag, o.ReferenceDate.Format(time.RFC3339)))
	f.mu.Unlock()
	if action == 7 {
		return nil, inbound.ErrNoSuchReport
	}
	parts := []inbound.Part{{Text: fmt.Sprintf("Laporan %d %s", action, o.Period)}}
	if action == 28 {
		parts = append(parts, inbound.Part{Document: &events.QueuedDocument{FileName: "likes.xlsx", MimeType: "application/xlsx", Data: []byte("PK")}})
	}
	return parts, nil
}

func (f *fakeReports) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string{}, f.calls...)
}

// fakeContacts stands in for the Google contacts saver (tested with a
// Google peer in sagas/googlecontact): it counts its runs.
type fakeContacts struct {
	mu    sync.Mutex
	saved int
	runs  int
}

func (f *fakeContacts) SaveAll(context.Context, commands.Meta, string) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.runs++
	return f.saved, nil
}

func (f *fakeContacts) Runs() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.runs
}
