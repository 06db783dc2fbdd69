package social_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/commands/post"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/projections"
	"github.com/cicero/cicero/projections/directory"
	pt "github.com/cicero/cicero/projections/projectiontest"
	"github.com/cicero/cicero/projections/social"
)

// The attendance world, written out by hand: the expectations below are
// computed from these literals, never from the read model's SQL.
type attPerson struct {
	nrp, client string
	insta       string // as typed
	instaNorm   string // what matching must reduce it to ("" = no username)
	tiktok      string
	tiktokNorm  string
	roles       []string
	exempt      bool
	inactive    bool
}

var attPeople = []attPerson{
	{nrp: "80010001", client: "POLRES_A", insta: "@Budi.A", instaNorm: "budi.a", tiktok: "@budi_tt", tiktokNorm: "budi_tt"},
	{nrp: "80010002", client: "POLRES_A", insta: "  SITI ", instaNorm: "siti", tiktok: "Siti_TT", tiktokNorm: "siti_tt", roles: []string{"operator"}},
	{nrp: "80010003", client: "POLRES_A", insta: "", instaNorm: "", tiktok: "", tiktokNorm: ""}, // no handles
	{nrp: "80010004", client: "POLRES_A", insta: "exempt.one", instaNorm: "exempt.one", exempt: true},
	{nrp: "80010005", client: "POLRES_A", exempt: true, roles: []string{"ditbinmas"}}, // exempt without handles
	{nrp: "80010006", client: "POLRES_A", insta: "https://www.instagram.com/Andi.Link/", instaNorm: "andi.link", roles: []string{"ditbinmas"}},
	{nrp: "80010007", client: "POLRES_A", insta: "gone.user", instaNorm: "gone.user", inactive: true},
	{nrp: "80010008", client: "POLRES_B", insta: "RUDI", instaNorm: "rudi", tiktok: "@@rudi", tiktokNorm: "rudi", roles: []string{"ditbinmas"}},
	{nrp: "80010009", client: "POLRES_B", insta: "dewi", instaNorm: "dewi"},
	{nrp: "80010010", client: "DITBINMAS", insta: "dir.staff", instaNorm: "dir.staff", roles: []string{"ditbinmas"}},
}

type attPost struct {
	platform, id string
	at           time.Time
	feeds        []string // clients that ingest it, in order
	withdrawn    []string // feeds it is withdrawn from afterwards
	tags         []string
	engagers     []string // usernames as a fetch returns them
}

var (
	day1Late  = time.Date(2026, 5, 4, 16, 59, 0, 0, time.UTC) // 2026-05-04 23:59 WIB
	day2Early = time.Date(2026, 5, 4, 17, 1, 0, 0, time.UTC)  // 2026-05-05 00:01 WIB
	day2Noon  = time.Date(2026, 5, 5, 5, 0, 0, 0, time.UTC)   // 2026-05-05 12:00 WIB
)

var attPosts = []attPost{
	{platform: "instagram", id: "IGA0000001", at: day1Late, feeds: []string{"POLRES_A"},
		engagers: []string{"@BUDI.A", " siti  ", "stranger", "gone.user"}},
	{platform: "instagram", id: "IGA0000002", at: day2Early, feeds: []string{"POLRES_A", "POLRES_B"}, // shared
		engagers: []string{"budi.a", "@Rudi", "andi.link", "dewi"}},
	{platform: "instagram", id: "IGA0000003", at: day2Noon, feeds: []string{"POLRES_A"}, withdrawn: []string{"POLRES_A"},
		engagers: []string{"budi.a", "siti"}},
	{platform: "instagram", id: "IGD0000001", at: day2Noon, feeds: []string{"DITBINMAS"},
		engagers: []string{"rudi", "dir.staff", "ANDI.LINK"}},
	{platform: "instagram", id: "IGB0000001", at: day2Noon, feeds: []string{"POLRES_B"}, tags: []string{"ditbinmas"},
		engagers: []string{"rudi", "andi.link"}},
	{platform: "tiktok", id: "7400000000000000001", at: day2Early, feeds: []string{"POLRES_A"},
		engagers: []string{"@budi_tt", "@SITI_TT", "@rudi"}},
}

// attWorld issues the world through the command handlers: tagging after
// the likes were recorded, the shared post's second client after them too,
// and the withdrawal last, so the materialisation must move counts that
// already exist.
func attWorld(t *testing.T, n *testkit.NATS) map[string]uint64 {
	t.Helper()
	ctx := context.Background()
	pool, _ := testkit.NewDatabase(t)
	rt := commands.NewRuntime(n.Store, commands.NewPGCommandLog(pool), testkit.Logger(t))
	must := func(_ commands.Outcome, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	cl := client.NewHandlers(rt)
	for _, c := range []client.RegisterClient{
		{ClientID: "POLRES_A", Nama: "POLRES LAMONGAN", ClientType: "org", RegionalID: "JATIM"},
		{ClientID: "POLRES_B", Nama: "POLRES B", ClientType: "org", RegionalID: "BALI"},
		{ClientID: "DITBINMAS", Nama: "DIREKTORAT BINMAS", ClientType: "direktorat", RegionalID: "JATIM"},
	} {
		must(cl.RegisterClient(ctx, commands.Meta{}, c))
	}
	ph := person.NewHandlers(rt)
	for i, p := range attPeople {
		must(ph.RegisterPerson(ctx, commands.Meta{}, person.RegisterPerson{NRP: p.nrp, Nama: fmt.Sprintf("PERSON %02d", i),
			ClientID: p.client, Insta: p.insta, Tiktok: p.tiktok, Roles: p.roles, Exception: p.exempt}))
		if p.inactive {
			must(ph.Deactivate(ctx, commands.Meta{}, person.Deactivate{NRP: p.nrp}))
		}
	}
	posts := post.NewHandlers(rt, func() time.Time { return day2Noon.Add(time.Hour) })
	for _, p := range attPosts {
		must(posts.IngestPost(ctx, commands.Meta{}, post.IngestPost{Platform: p.platform, PostID: p.id, ClientID: p.feeds[0],
			Account: "official", PublishedAt: p.at}))
		rec := func(names []string, at time.Time) {
			var err error
			if p.platform == "instagram" {
				_, _, err = posts.RecordLikes(ctx, commands.Meta{}, post.RecordLikes{Platform: p.platform, PostID: p.id, Usernames: names, ObservedAt: at})
			} else {
				_, _, err = posts.RecordComments(ctx, commands.Meta{}, post.RecordComments{Platform: p.platform, PostID: p.id, Usernames: names, ObservedAt: at})
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		half := len(p.engagers) / 2
		rec(p.engagers[:half], p.at.Add(30*time.Minute))
		for _, c := range p.feeds[1:] {
			must(posts.IngestPost(ctx, commands.Meta{}, post.IngestPost{Platform: p.platform, PostID: p.id, ClientID: c,
				Account: "official", PublishedAt: p.at}))
		}
		for _, r := range p.tags {
			must(posts.TagPostForRole(ctx, commands.Meta{}, post.TagPostForRole{Platform: p.platform, PostID: p.id, Role: r, By: "admin"}))
		}
		rec(p.engagers, p.at.Add(90*time.Minute)) // the earlier half again: recorded once
		for _, c := range p.withdrawn {
			must(posts.WithdrawPost(ctx, commands.Meta{}, post.WithdrawPost{Platform: p.platform, PostID: p.id, ClientID: c, RunID: "r"}))
		}
	}
	heads := map[string]uint64{}
	for _, s := range []string{"DIRECTORY", "SOCIAL"} {
		h, err := n.Store.StreamHead(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		heads[s] = h
	}
	return heads
}

// expected computes one case from the literals: the task posts, then per
// active person of the set the task posts whose engagers, normalised by
// hand (trim, drop '@', lower), hold the person's handle.
func expected(platform string, task func(attPost) bool, from, to string, member func(attPerson) bool) (int, map[string]int) {
	var tasks []attPost
	for _, p := range attPosts {
		day := p.at.In(time.FixedZone("WIB", 7*3600)).Format(time.DateOnly)
		if p.platform == platform && day >= from && day <= to && task(p) {
			tasks = append(tasks, p)
		}
	}
	out := map[string]int{}
	for _, x := range attPeople {
		if x.inactive || !member(x) {
			continue
		}
		h := x.instaNorm
		if platform == "tiktok" {
			h = x.tiktokNorm
		}
		n := 0
		for _, p := range tasks {
			if x.exempt || (h != "" && slices.ContainsFunc(p.engagers, func(u string) bool { return handNorm(u) == h })) {
				n++
			}
		}
		out[x.nrp] = n
	}
	return len(tasks), out
}

func handNorm(u string) string {
	b := []byte{}
	for _, c := range []byte(u) {
		switch {
		case c == '@' || c == ' ' || c == '\t':
		case c >= 'A' && c <= 'Z':
			b = append(b, c+'a'-'A')
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

func inFeed(client string) func(attPost) bool {
	return func(p attPost) bool { return slices.Contains(p.feeds, client) && !slices.Contains(p.withdrawn, client) }
}

// directorateTask: owned by the directorate's client or tagged, and still
// in some feed.
func directorateTask(p attPost) bool {
	live := len(p.feeds) > len(p.withdrawn)
	return live && (inFeed("DITBINMAS")(p) || slices.Contains(p.tags, "ditbinmas"))
}

func TestAttendance(t *testing.T) {
	n := testkit.StartNATS(t, testkit.FastSync())
	heads := attWorld(t, n)
	type tc struct {
		name, platform, task, from, to string
		people                         social.PeopleFilter
		want                           func() (int, map[string]int)
	}
	ofClient := func(c string) func(attPerson) bool { return func(x attPerson) bool { return x.client == c } }
	hasRole := func(r string) func(attPerson) bool {
		return func(x attPerson) bool { return slices.Contains(x.roles, r) }
	}
	cases := []tc{
		{"org day 1 (23:59 WIB post)", "instagram", social.ClientTask("POLRES_A"), "2026-05-04", "2026-05-04",
			social.PeopleFilter{Client: "POLRES_A"}, func() (int, map[string]int) {
				return expected("instagram", inFeed("POLRES_A"), "2026-05-04", "2026-05-04", ofClient("POLRES_A"))
			}},
		{"org day 2 (00:01 WIB post, withdrawn post left)", "instagram", social.ClientTask("POLRES_A"), "2026-05-05", "2026-05-05",
			social.PeopleFilter{Client: "polres_a"}, func() (int, map[string]int) {
				return expected("instagram", inFeed("POLRES_A"), "2026-05-05", "2026-05-05", ofClient("POLRES_A"))
			}},
		{"second client of a shared post", "instagram", social.ClientTask("POLRES_B"), "2026-05-01", "2026-05-31",
			social.PeopleFilter{Client: "POLRES_B"}, func() (int, map[string]int) {
				return expected("instagram", inFeed("POLRES_B"), "2026-05-01", "2026-05-31", ofClient("POLRES_B"))
			}},
		{"operators of a client", "instagram", social.ClientTask("POLRES_A"), "2026-05-01", "2026-05-31",
			social.PeopleFilter{Client: "POLRES_A", Role: "operator"}, func() (int, map[string]int) {
				return expected("instagram", inFeed("POLRES_A"), "2026-05-01", "2026-05-31",
					func(x attPerson) bool { return x.client == "POLRES_A" && slices.Contains(x.roles, "operator") })
			}},
		{"directorate month (owned or tagged)", "instagram", social.RoleTask("ditbinmas"), "2026-05-01", "2026-05-31",
			social.PeopleFilter{Role: "ditbinmas"}, func() (int, map[string]int) {
				return expected("instagram", directorateTask, "2026-05-01", "2026-05-31", hasRole("ditbinmas"))
			}},
		{"directorate client membership", "instagram", social.RoleTask("ditbinmas"), "2026-05-01", "2026-05-31",
			social.PeopleFilter{Client: "DITBINMAS", DirectorateClient: true}, func() (int, map[string]int) {
				return expected("instagram", directorateTask, "2026-05-01", "2026-05-31", hasRole("ditbinmas"))
			}},
		{"directorate, region JATIM", "instagram", social.RoleTask("ditbinmas"), "2026-05-01", "2026-05-31",
			social.PeopleFilter{Role: "ditbinmas", RegionalID: "jatim"}, func() (int, map[string]int) {
				return expected("instagram", directorateTask, "2026-05-01", "2026-05-31",
					func(x attPerson) bool { return slices.Contains(x.roles, "ditbinmas") && x.client != "POLRES_B" })
			}},
		{"tiktok comments by post date", "tiktok", social.ClientTask("POLRES_A"), "2026-05-05", "2026-05-05",
			social.PeopleFilter{Client: "POLRES_A"}, func() (int, map[string]int) {
				return expected("tiktok", inFeed("POLRES_A"), "2026-05-05", "2026-05-05", ofClient("POLRES_A"))
			}},
		{"tiktok, the day before has none", "tiktok", social.ClientTask("POLRES_A"), "2026-05-04", "2026-05-04",
			social.PeopleFilter{Client: "POLRES_A"}, func() (int, map[string]int) {
				return expected("tiktok", inFeed("POLRES_A"), "2026-05-04", "2026-05-04", ofClient("POLRES_A"))
			}},
	}
	// The hand computation itself, for one case, in plain numbers: on
	// 2026-05-05 only the shared post is a task of POLRES_A (the other
	// was withdrawn); exempt people count it with or without a handle.
	if total, want := cases[1].want(); total != 1 || fmt.Sprint(want) !=
		"map[80010001:1 80010002:0 80010003:0 80010004:1 80010005:1 80010006:1]" {
		t.Fatalf("hand computation: %d %v", total, want)
	}
	var first map[string][]string
	for _, batch := range []int{1, 5000} {
		t.Run(fmt.Sprintf("batch=%d", batch), func(t *testing.T) {
			pool, _ := testkit.NewDatabase(t)
			opts := pt.QuietOpts(t)
			opts.BatchSize = batch
			reg := n.Store.Registry()
			pt.StartRunner(t, projections.NewRunner(pool, n.Store, directory.New(reg), opts))
			pt.WaitProjection(t, pool, directory.Name, "DIRECTORY", heads["DIRECTORY"])
			for _, p := range []projections.Projection{social.NewPosts(reg), social.NewEngagements(reg)} {
				pt.StartRunner(t, projections.NewRunner(pool, n.Store, p, opts))
				pt.WaitProjection(t, pool, p.Name(), "SOCIAL", heads["SOCIAL"])
			}
			check := func(t *testing.T) {
				q := social.NewQueries(pool)
				for _, c := range cases {
					got, err := q.Attendance(context.Background(), social.AttendanceQuery{Platform: c.platform, Task: c.task,
						From: c.from, To: c.to, People: c.people})
					if err != nil {
						t.Fatal(err)
					}
					total, want := c.want()
					have := map[string]int{}
					for _, r := range got.Rows {
						have[r.UserID] = r.Done
					}
					if got.TotalPosts != total {
						t.Errorf("%s: %d task posts, want %d", c.name, got.TotalPosts, total)
					}
					if d := cmp.Diff(want, have); d != "" {
						t.Errorf("%s (-want +got):\n%s", c.name, d)
					}
				}
				// The ANEV's per-day read of a task set answers what the
				// engagement rows of its posts answer.
				for _, f := range []social.TaskFilter{
					{Platform: "instagram", Client: "POLRES_A", From: "2026-05-01", To: "2026-05-31"},
					{Platform: "instagram", Client: "POLRES_B", From: "2026-05-05", To: "2026-05-05"},
					{Platform: "instagram", Role: "ditbinmas", ByRole: true, From: "2026-05-01", To: "2026-05-31"},
					{Platform: "tiktok", Client: "POLRES_A", From: "2026-05-01", To: "2026-05-31"},
				} {
					task := social.ClientTask(f.Client)
					if f.ByRole {
						task = social.RoleTask(f.Role)
					}
					got, posts, err := q.TaskEngagerCounts(context.Background(), f.Platform, task, f.From, f.To)
					if err != nil {
						t.Fatal(err)
					}
					ids, err := q.TaskPosts(context.Background(), f)
					if err != nil {
						t.Fatal(err)
					}
					kind := social.KindLike
					if f.Platform == "tiktok" {
						kind = social.KindComment
					}
					want, err := q.EngagerCounts(context.Background(), f.Platform, kind, ids)
					if err != nil {
						t.Fatal(err)
					}
					if posts != len(ids) || len(want) == 0 {
						t.Errorf("%s: %d task posts, want %d (engagers %d)", task, posts, len(ids), len(want))
					}
					if d := cmp.Diff(want, got); d != "" {
						t.Errorf("%s engager counts (-rows +per-day):\n%s", task, d)
					}
				}
			}
			check(t)
			tables := []string{"social_attendance_posts", "social_attendance_tasks", "social_daily_attendance"}
			d := pt.Dump(t, pool, tables...)
			if first == nil {
				first = d
			} else if diff := cmp.Diff(first, d); diff != "" {
				t.Errorf("attendance depends on batch size (-batch 1 +this):\n%s", diff)
			}
			if batch == 5000 {
				if err := projections.Rebuild(context.Background(), pool, n.Store, social.NewEngagements(reg), nil); err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(d, pt.Dump(t, pool, tables...)); diff != "" {
					t.Errorf("rebuild changed the attendance tables (-live +rebuilt):\n%s", diff)
				}
				check(t)
			}
		})
	}
}
