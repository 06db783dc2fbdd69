package jobs_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/account"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/fetchrun"
	"github.com/cicero/cicero/commands/post"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/internal/normalize"
	"github.com/cicero/cicero/internal/rapidapi"
	"github.com/cicero/cicero/internal/rapidapi/instagram"
	"github.com/cicero/cicero/internal/rapidapi/rapidapitest"
	"github.com/cicero/cicero/internal/rapidapi/tiktok"
	"github.com/cicero/cicero/internal/schedule"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/projections"
	"github.com/cicero/cicero/projections/directory"
	pt "github.com/cicero/cicero/projections/projectiontest"
	"github.com/cicero/cicero/projections/social"
	"github.com/cicero/cicero/sagas/jobs"
)

// The fetch tests run the job against a fake platform speaking the
// RapidAPI wire format (rapidapitest.Platform) through the real adapters,
// commands, JetStream and read models, and compare the read models with
// the platform's truth.

// fetchDay is the business day of the tests: 10:00 Jakarta, outside the
// TikTok username fallback window.
var fetchDay = time.Date(2026, 11, 20, 10, 0, 0, 0, jakarta.Location)

const fallbackHost = "backup-social.p.rapidapi.com"

type fetchRig struct {
	t        *testing.T
	n        *testkit.NATS
	pool     *pgxpool.Pool
	m        *projections.Manager
	platform *rapidapitest.Platform
	backup   *rapidapitest.Platform // the Instagram fallback host
	clients  *client.Handlers
	clk      *clock
	q        *social.Queries
	job      *jobs.SocialFetch
	deps     jobs.SocialFetchDeps // the job's, for a test that builds another
	rt       *commands.Runtime
}

// fetchClients maps the directory read model as the social context's
// wiring does.
type fetchClients struct{ q *directory.Queries }

func (c fetchClients) FetchClients(ctx context.Context) ([]jobs.FetchClient, error) {
	cs, err := c.q.Clients(ctx, directory.ClientFilter{ActiveOnly: true})
	out := make([]jobs.FetchClient, 0, len(cs))
	for _, c := range cs {
		out = append(out, jobs.FetchClient{ID: c.ClientID, Insta: c.ClientInsta, Tiktok: c.ClientTiktok,
			TiktokSecUID: c.TiktokSecUID, InstaOn: c.ClientInstaStatus || c.ClientAmplifyStatus, TiktokOn: c.ClientTiktokStatus})
	}
	return out, err
}

func newFetchRig(t *testing.T) *fetchRig {
	t.Helper()
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	log := testkit.Logger(t)
	reg := n.Store.Registry()
	m := pt.StartManager(t, pool, n.Store, directory.New(reg), social.NewPosts(reg), social.NewEngagements(reg), social.NewAccounts(reg))

	r := &fetchRig{t: t, n: n, pool: pool, m: m, q: social.NewQueries(pool), clk: &clock{t: fetchDay}}
	r.platform = rapidapitest.NewPlatform(rapidapitest.NewServer(t))
	r.backup = rapidapitest.NewPlatform(rapidapitest.NewServer(t))
	cfg := rapidapi.Config{Key: "primary-key", InstagramBaseURL: r.platform.Server.URL, TikTokBaseURL: r.platform.Server.URL,
		FallbackHost: fallbackHost, FallbackKey: "fallback-key", FallbackBaseURL: r.backup.Server.URL}
	hc := &http.Client{Timeout: 2 * time.Second}
	ig, err := instagram.New(cfg, hc, log, instagram.WithLikesBackoff(time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	tt, err := tiktok.New(cfg, hc, log, tiktok.WithClock(r.clk.now),
		tiktok.WithCommentsPause(time.Millisecond), tiktok.WithCommentsBackoff(time.Millisecond),
		tiktok.WithVideoRetryBackoff(time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	rt := commands.NewRuntime(n.Store, commands.NewPGCommandLog(pool), log)
	r.clients = client.NewHandlers(rt)
	r.rt = rt
	r.deps = jobs.SocialFetchDeps{Clients: fetchClients{directory.NewQueries(pool)}, Feed: r.q,
		Instagram: ig, TikTok: tt, Posts: post.NewHandlers(rt, nil), Accounts: account.NewHandlers(rt),
		Runs: fetchrun.NewHandlers(rt), Directory: r.clients, Now: r.clk.now, Logger: log}
	r.job = jobs.NewSocialFetch(r.deps)
	return r
}

func on(b bool) *bool { return &b }

// client registers a client with official accounts (tiktok "" = none).
func (r *fetchRig) client(id, insta, tt string) {
	r.t.Helper()
	out, err := r.clients.RegisterClient(bg(r.t), commands.Meta{Actor: "test"}, client.RegisterClient{ClientID: id,
		Nama: "POLRES " + id, ClientType: "org", ClientInsta: insta, ClientTiktok: tt,
		InstaStatus: on(insta != ""), TiktokStatus: on(tt != "")})
	r.settle(out, err)
}

func (r *fetchRig) settle(out commands.Outcome, err error) {
	r.t.Helper()
	if err != nil {
		r.t.Fatal(err)
	}
	if err := r.m.WaitForAll(bg(r.t), out.Positions(), 20*time.Second); err != nil {
		r.t.Fatal(err)
	}
}

// run runs the job (args may narrow it) a minute after the last run, and
// waits until the read models have every event it appended.
func (r *fetchRig) run(ctx context.Context, args schedule.Args) error {
	r.t.Helper()
	r.clk.advance(time.Minute)
	err := r.job.Run(ctx, args)
	r.caughtUp()
	return err
}

func (r *fetchRig) caughtUp() {
	r.t.Helper()
	var ps []events.Position
	for _, name := range []string{"DIRECTORY", "SOCIAL"} {
		s, err := r.n.Store.JetStream().Stream(bg(r.t), name)
		if err != nil {
			r.t.Fatal(err)
		}
		ps = append(ps, events.Position{Stream: name, Sequence: s.CachedInfo().State.LastSeq})
	}
	if err := r.m.WaitForAll(bg(r.t), ps, 20*time.Second); err != nil {
		r.t.Fatal(err)
	}
}

// subjects counts the SOCIAL stream's messages per subject, fetch runs
// left out (every run records one).
func (r *fetchRig) subjects() map[string]uint64 {
	r.t.Helper()
	s, err := r.n.Store.JetStream().Stream(bg(r.t), "SOCIAL")
	if err != nil {
		r.t.Fatal(err)
	}
	info, err := s.Info(bg(r.t), jetstream.WithSubjectFilter("social.>"))
	if err != nil {
		r.t.Fatal(err)
	}
	out := map[string]uint64{}
	for subj, n := range info.State.Subjects {
		if !strings.HasPrefix(subj, events.FetchRunSubjectPrefix+".") {
			out[subj] = n
		}
	}
	return out
}

// runs returns the client's fetch runs, newest first.
func (r *fetchRig) runs(clientID string) []social.FetchRun {
	r.t.Helper()
	rs, err := r.q.FetchRuns(bg(r.t), clientID, 100)
	if err != nil {
		r.t.Fatal(err)
	}
	return rs
}

func (r *fetchRig) engagers(platform, id, kind string) []string {
	r.t.Helper()
	got, err := r.q.Engagers(bg(r.t), platform, id, kind)
	if err != nil {
		r.t.Fatal(err)
	}
	slices.Sort(got)
	return got
}

// truth is the normalised, distinct set of raw usernames.
func truth(raw []string) []string {
	set := map[string]bool{}
	for _, u := range raw {
		if n := normalize.Handle(u); n != "" {
			set[n] = true
		}
	}
	return slices.Sorted(maps.Keys(set))
}

func at(h, m int) time.Time {
	return time.Date(fetchDay.Year(), fetchDay.Month(), fetchDay.Day(), h, m, 0, 0, jakarta.Location)
}

// likersOf makes n raw liker names in the spellings accounts arrive in.
func likersOf(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		switch i % 3 {
		case 0:
			out[i] = fmt.Sprintf("%s.user%d", prefix, i)
		case 1:
			out[i] = fmt.Sprintf("@%s.User%d", strings.ToUpper(prefix), i)
		default:
			out[i] = fmt.Sprintf(" %s.user%d ", prefix, i)
		}
	}
	return out
}

// world puts two clients on the platform: A with Instagram and TikTok, B
// with Instagram only; B's feed also lists A's collaboration post.
func (r *fetchRig) world() {
	r.client("POLRESA", "polres_a", "polres_a_tt")
	r.client("POLRESB", "@Polres_B ", "")
	r.platform.SetInstagram(rapidapitest.IGAccount{Username: "polres_a", FullName: "Polres A", ID: "1001", Followers: 5000,
		Following: 10, Posts: []rapidapitest.IGPost{
			{Shortcode: "A_late", Caption: "malam", TakenAt: at(9, 30), Likes: 3},
			{Shortcode: "COLLAB", Caption: "bersama", TakenAt: at(8, 0), Likes: 2},
			{Shortcode: "A_early", Caption: "dini hari", TakenAt: at(0, 1), Likes: 2},
			// 23:59 Jakarta the day before (16:59 UTC): not today's task.
			{Shortcode: "A_yday", Caption: "kemarin", TakenAt: at(0, 0).Add(-time.Minute), Likes: 1},
		}})
	r.platform.SetInstagram(rapidapitest.IGAccount{Username: "polres_b", FullName: "Polres B", ID: "1002", Followers: 300,
		Posts: []rapidapitest.IGPost{{Shortcode: "COLLAB", Caption: "bersama", TakenAt: at(8, 0), Likes: 2}}})
	r.platform.SetTikTok(rapidapitest.TTAccount{Username: "polres_a_tt", Nickname: "Polres A", SecUID: "SEC-A",
		Followers: 900, Videos: []rapidapitest.TTVideo{{ID: "7400000000000000001", Desc: "video", CreatedAt: at(7, 15), Comments: 3}}})
	r.platform.Like("A_late", "@Budi.S", " budi.s ", "SITI", "andi")
	r.platform.Like("A_late", likersOf("a", 250)...) // three pages
	r.platform.Like("COLLAB", "siti", "Rina")
	r.platform.Like("A_early", "budi.s")
	r.platform.Like("A_yday", "yesterday.only")
	r.platform.Comment("7400000000000000001", "@Joko", "joko", "Wati_")
}

func TestSocialFetchRecordsThePlatformAndRepeatsNothing(t *testing.T) {
	r := newFetchRig(t)
	r.world()
	if err := r.run(bg(t), schedule.Args{}); err != nil {
		t.Fatal(err)
	}

	day := jakarta.Date(fetchDay)
	for _, tc := range []struct {
		client, platform string
		want             []string
	}{
		{"POLRESA", events.PlatformInstagram, []string{"A_early", "COLLAB", "A_late"}},
		{"POLRESB", events.PlatformInstagram, []string{"COLLAB"}},
		{"POLRESA", events.PlatformTiktok, []string{"7400000000000000001"}},
		{"POLRESB", events.PlatformTiktok, nil},
	} {
		got, err := r.q.ClientPostsOn(bg(t), tc.client, tc.platform, day)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s %s posts of %s = %v, want %v", tc.client, tc.platform, day, got, tc.want)
		}
	}
	collab, err := r.q.Post(bg(t), events.PlatformInstagram, "COLLAB")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(collab.Clients, []string{"POLRESA", "POLRESB"}) {
		t.Errorf("COLLAB clients = %v, want both", collab.Clients)
	}
	for _, code := range []string{"A_late", "COLLAB", "A_early"} {
		if got, want := r.engagers(events.PlatformInstagram, code, social.KindLike), truth(r.platform.Likers(code)); !slices.Equal(got, want) {
			t.Errorf("likers of %s: %d names %v…, want %d", code, len(got), got[:min(5, len(got))], len(want))
		}
	}
	if got := r.engagers(events.PlatformInstagram, "A_yday", social.KindLike); len(got) != 0 {
		t.Errorf("yesterday's post had its likes read: %v", got)
	}
	if got, want := r.engagers(events.PlatformTiktok, "7400000000000000001", social.KindComment), []string{"joko", "wati_"}; !slices.Equal(got, want) {
		t.Errorf("commenters = %v, want %v", got, want)
	}
	prof, err := r.q.Profile(bg(t), events.PlatformInstagram, "polres_a")
	if err != nil || prof.Followers != 5000 {
		t.Errorf("profile of polres_a = %+v, %v", prof, err)
	}
	if tp, err := r.q.Profile(bg(t), events.PlatformTiktok, "polres_a_tt"); err != nil || tp.Followers != 900 {
		t.Errorf("profile of polres_a_tt = %+v, %v", tp, err)
	}
	for _, c := range []struct {
		id   string
		runs int
	}{{"POLRESA", 2}, {"POLRESB", 1}} {
		rs := r.runs(c.id)
		if len(rs) != c.runs {
			t.Fatalf("%s runs = %d, want %d: %+v", c.id, len(rs), c.runs, rs)
		}
		for _, run := range rs {
			if !run.Succeeded || run.Failures != 0 || run.HostUsed == "" {
				t.Errorf("%s run = %+v, want a clean success naming its host", c.id, run)
			}
		}
	}
	// A post in two feeds has its likes counted by whichever run recorded
	// them first: the runs of the two clients add up to the truth.
	likes := 0
	for _, id := range []string{"POLRESA", "POLRESB"} {
		for _, run := range r.runs(id) {
			if run.Platform == events.PlatformInstagram {
				likes += run.Likes
				if id == "POLRESA" && (run.Posts != 3 || run.Ingested != 3) {
					t.Errorf("instagram run of POLRESA: %+v, want 3 posts, 3 ingested", run)
				}
			}
		}
	}
	if want := len(truth(r.platform.Likers("A_late"))) + len(truth(r.platform.Likers("COLLAB"))) + len(truth(r.platform.Likers("A_early"))); likes != want {
		t.Errorf("the runs counted %d likes, want %d", likes, want)
	}

	// The same data again appends nothing but the runs' own records.
	before := r.subjects()
	if err := r.run(bg(t), schedule.Args{}); err != nil {
		t.Fatal(err)
	}
	if after := r.subjects(); !maps.Equal(before, after) {
		t.Errorf("a repeated fetch appended: %v → %v", before, after)
	}
	if got := len(r.runs("POLRESA")); got != 4 {
		t.Errorf("POLRESA runs after the repeat = %d, want 4", got)
	}

	// New likers later: only they are recorded, once.
	r.platform.Like("A_late", "Late.Comer", "@budi.s")
	if err := r.run(bg(t), schedule.Args{ClientID: "polresa", Platform: "ig"}); err != nil {
		t.Fatal(err)
	}
	after := r.subjects()
	changed := []string{}
	for s, n := range after {
		if before[s] != n {
			changed = append(changed, fmt.Sprintf("%s +%d", s, n-before[s]))
		}
	}
	if want := []string{events.PostSubject(events.PlatformInstagram, "A_late") + " +1"}; !slices.Equal(changed, want) {
		t.Errorf("after one new liker: changed %v, want %v", changed, want)
	}
	if got := r.engagers(events.PlatformInstagram, "A_late", social.KindLike); !slices.Contains(got, "late.comer") {
		t.Errorf("the new liker is missing")
	}
}

// TestSocialFetchCrashAndRerunRecordsEveryLikeOnce cuts a fetch off in
// the middle of recording likes (the process's context ends between
// appends), runs it again, and compares with the platform's truth: every
// liker once in the read model, and no username in two LikesRecorded
// events of one post.
func TestSocialFetchCrashAndRerunRecordsEveryLikeOnce(t *testing.T) {
	r := newFetchRig(t)
	r.client("POLRESA", "polres_a", "")
	var posts []rapidapitest.IGPost
	for i := range 8 {
		code := fmt.Sprintf("Cpost%02d", i)
		posts = append(posts, rapidapitest.IGPost{Shortcode: code, TakenAt: at(1+i, 0)})
		r.platform.Like(code, likersOf(code, 150+40*i)...)
	}
	r.platform.SetInstagram(rapidapitest.IGAccount{Username: "polres_a", Posts: posts})

	for cut := 1; ; cut++ {
		ctx, cancel := context.WithCancel(bg(t))
		stop := make(chan struct{})
		base := r.platform.Server.Count("v1/likes")
		go func() {
			defer cancel()
			for r.platform.Server.Count("v1/likes") < base+3*cut {
				select {
				case <-stop:
					return
				case <-time.After(time.Millisecond):
				}
			}
		}()
		err := r.run(ctx, schedule.Args{})
		close(stop)
		cancel()
		if err == nil {
			if cut == 1 {
				t.Fatal("the first run finished before its cut: the test cut nothing")
			}
			break // the run finished before the cut: the history is complete
		}
		if cut > 20 {
			t.Fatal("the run never finished")
		}
	}
	if err := r.run(bg(t), schedule.Args{}); err != nil {
		t.Fatal(err)
	}
	for _, p := range posts {
		want := truth(r.platform.Likers(p.Shortcode))
		if got := r.engagers(events.PlatformInstagram, p.Shortcode, social.KindLike); !slices.Equal(got, want) {
			t.Errorf("%s: %d likers in the read model, want %d", p.Shortcode, len(got), len(want))
		}
		envs, _, err := r.n.Store.Load(bg(t), events.PostSubject(events.PlatformInstagram, p.Shortcode))
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for _, e := range envs {
			if e.Type != "LikesRecorded" {
				continue
			}
			var ev events.LikesRecorded
			if err := json.Unmarshal(e.Data, &ev); err != nil {
				t.Fatal(err)
			}
			for _, u := range ev.Usernames {
				seen[u]++
			}
		}
		if len(seen) != len(want) {
			t.Errorf("%s: %d distinct likers in the history, want %d", p.Shortcode, len(seen), len(want))
		}
		for u, n := range seen {
			if n != 1 {
				t.Errorf("%s: %s recorded %d times", p.Shortcode, u, n)
			}
		}
	}
}

func TestSocialFetchFailures(t *testing.T) {
	tests := []struct {
		name string
		// break the platform before the second fetch
		breakIt       func(r *fetchRig)
		wantSucceeded bool
		wantFailures  bool
		wantError     string // in the run's errors
		wantHost      string
		wantPosts     []string // the client's posts of the day after the second fetch
	}{
		{
			name:          "posts 401 on the primary: the fallback host answers",
			breakIt:       func(r *fetchRig) { r.platform.Fail("v1/posts", 401, -1, "") },
			wantSucceeded: true, wantHost: fallbackHost, wantPosts: []string{"Cearly", "Clate"},
		},
		{
			name:         "posts 429: a failed run that names it, nothing withdrawn",
			breakIt:      func(r *fetchRig) { r.platform.Fail("v1/posts", 429, -1, "") },
			wantFailures: true, wantError: "429", wantPosts: []string{"Cearly", "Clate"},
		},
		{
			name:         "posts 503: a failed run, nothing withdrawn",
			breakIt:      func(r *fetchRig) { r.platform.Fail("v1/posts", 503, -1, "") },
			wantFailures: true, wantError: "503", wantPosts: []string{"Cearly", "Clate"},
		},
		{
			name:         "truncated body",
			breakIt:      func(r *fetchRig) { r.platform.Server.Handle("v1/posts", rapidapitest.Truncated(`{"data":{"items":[`)) },
			wantFailures: true, wantPosts: []string{"Cearly", "Clate"},
		},
		{
			name: "a malformed item: counted as a failure, the rest recorded, nothing withdrawn",
			breakIt: func(r *fetchRig) {
				r.platform.Break("Clate")
				r.addPost("Cnew1", at(9, 45))
			},
			wantSucceeded: true, wantFailures: true, wantError: "unreadable", wantPosts: []string{"Cearly", "Clate", "Cnew1"},
		},
		{
			name:          "likes 500 on every try: the run says so, posts stay",
			breakIt:       func(r *fetchRig) { r.platform.Fail("v1/likes", 500, -1, "") },
			wantSucceeded: true, wantFailures: true, wantError: "engagement", wantPosts: []string{"Cearly", "Clate"},
		},
		{
			name:          "a post gone from a successful feed is withdrawn",
			breakIt:       func(r *fetchRig) { r.removePost("Clate") },
			wantSucceeded: true, wantPosts: []string{"Cearly"},
		},
		{
			name:          "a feed with no post of the day withdraws nothing",
			breakIt:       func(r *fetchRig) { r.removePost("Clate"); r.removePost("Cearly") },
			wantSucceeded: true, wantPosts: []string{"Cearly", "Clate"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newFetchRig(t)
			r.client("POLRESA", "polres_a", "")
			acct := rapidapitest.IGAccount{Username: "polres_a", Posts: []rapidapitest.IGPost{
				{Shortcode: "Clate", TakenAt: at(9, 0)}, {Shortcode: "Cearly", TakenAt: at(6, 0)}}}
			r.platform.SetInstagram(acct)
			r.backup.SetInstagram(acct)
			r.platform.Like("Clate", "budi")
			if err := r.run(bg(t), schedule.Args{}); err != nil {
				t.Fatal(err)
			}
			tt.breakIt(r)
			if err := r.run(bg(t), schedule.Args{}); err != nil {
				t.Fatal(err)
			}
			runs := r.runs("POLRESA")
			if len(runs) != 2 {
				t.Fatalf("runs = %d, want 2", len(runs))
			}
			last := runs[0]
			if last.Succeeded != tt.wantSucceeded || (last.Failures > 0) != tt.wantFailures {
				t.Errorf("run succeeded %v failures %d, want %v / failures %v: %+v", last.Succeeded, last.Failures,
					tt.wantSucceeded, tt.wantFailures, last)
			}
			if tt.wantError != "" && !strings.Contains(strings.Join(last.Errors, "\n"), tt.wantError) {
				t.Errorf("run errors %q do not name %q", last.Errors, tt.wantError)
			}
			if tt.wantHost != "" && !strings.Contains(last.HostUsed, tt.wantHost) {
				t.Errorf("host used %q, want %q", last.HostUsed, tt.wantHost)
			}
			got, err := r.q.ClientPostsOn(bg(t), "POLRESA", events.PlatformInstagram, jakarta.Date(fetchDay))
			if err != nil {
				t.Fatal(err)
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.wantPosts) {
				t.Errorf("posts of the day = %v, want %v", got, tt.wantPosts)
			}
		})
	}
}

func (r *fetchRig) addPost(code string, taken time.Time) {
	r.editFeed(func(ps []rapidapitest.IGPost) []rapidapitest.IGPost {
		return append([]rapidapitest.IGPost{{Shortcode: code, TakenAt: taken}}, ps...)
	})
}

func (r *fetchRig) removePost(code string) {
	r.editFeed(func(ps []rapidapitest.IGPost) []rapidapitest.IGPost {
		return slices.DeleteFunc(ps, func(p rapidapitest.IGPost) bool { return p.Shortcode == code })
	})
}

func (r *fetchRig) editFeed(edit func([]rapidapitest.IGPost) []rapidapitest.IGPost) {
	for _, p := range []*rapidapitest.Platform{r.platform, r.backup} {
		a, _ := p.Instagram("polres_a")
		a.Posts = edit(slices.Clone(a.Posts))
		p.SetInstagram(a)
	}
}
