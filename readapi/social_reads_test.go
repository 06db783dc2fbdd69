package readapi_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/account"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/post"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apitest"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/internal/period"
	"github.com/cicero/cicero/internal/rapidapi"
	"github.com/cicero/cicero/internal/rapidapi/instagram"
	"github.com/cicero/cicero/internal/rapidapi/rapidapitest"
	"github.com/cicero/cicero/internal/rapidapi/tiktok"
	"github.com/cicero/cicero/internal/schedule"
	"github.com/cicero/cicero/projections/directory"
	"github.com/cicero/cicero/projections/social"
	"github.com/cicero/cicero/readapi"
	"github.com/cicero/cicero/sagas/jobs"
)

// The social read tests build the read models through the real commands
// and projections, on a fake platform speaking RapidAPI's wire format for
// the one live observation.

// socialNow is 10:00 in Jakarta on 2026-03-03.
var socialNow = time.Date(2026, 3, 3, 10, 0, 0, 0, jakarta.Location)

// wib is a Jakarta wall time of March 2026.
func wib(day, h, m int) time.Time { return time.Date(2026, 3, day, h, m, 0, 0, jakarta.Location) }

// launcher records the jobs the refresh launches.
type launcher struct {
	mu   sync.Mutex
	runs []schedule.Args
	err  error
}

func (l *launcher) Launch(_ context.Context, name string, args schedule.Args, _ func(error)) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err != nil {
		return l.err
	}
	l.runs = append(l.runs, args)
	return nil
}

func (l *launcher) launched() []schedule.Args {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.runs)
}

var _ readapi.JobLauncher = (*launcher)(nil)

type socialRig struct {
	*apitest.Stack
	posts    *post.Handlers
	accounts *account.Handlers
	platform *rapidapitest.Platform
	jobs     *launcher

	admin, staffA, staffB, staffAB, operatorA, ditbinmas, personnel string
}

func newSocialRig(t *testing.T) *socialRig {
	t.Helper()
	s := apitest.NewStack(t, apitest.StackOptions{NoDedup: true}, apitest.Proj(directory.New), apitest.Proj(social.NewPosts),
		apitest.Proj(social.NewEngagements), apitest.Proj(social.NewAccounts))
	r := &socialRig{Stack: s, posts: post.NewHandlers(s.RT, func() time.Time { return socialNow }),
		accounts: account.NewHandlers(s.RT), jobs: &launcher{}}
	r.platform = rapidapitest.NewPlatform(rapidapitest.NewServer(t))
	cfg := rapidapi.Config{Key: "k", InstagramBaseURL: r.platform.Server.URL, TikTokBaseURL: r.platform.Server.URL}
	hc := &http.Client{Timeout: 5 * time.Second}
	ig, err := instagram.New(cfg, hc, s.Log)
	if err != nil {
		t.Fatal(err)
	}
	tt, err := tiktok.New(cfg, hc, s.Log)
	if err != nil {
		t.Fatal(err)
	}
	s.Serve(func(api *auth.Router) {
		readapi.MountSocialReads(api, readapi.SocialReadsDeps{Social: social.NewQueries(s.Pool),
			Directory:       directory.NewQueries(s.Pool),
			Observer:        jobs.ProfileObserve{Instagram: ig, TikTok: tt, Accounts: r.accounts, Now: func() time.Time { return socialNow }},
			WaitForAccounts: s.Waiter(social.AccountsName), Jobs: r.jobs, RefreshJob: jobs.SocialFetchJob,
			Now: func() time.Time { return socialNow }, Logger: s.Log})
	})
	dash := func(id, role string, clients ...string) string {
		return s.Token(auth.KindDashboard, auth.Claims{DashboardUserID: id, Username: id, Role: role, ClientIDs: clients})
	}
	r.admin = dash("adm", "admin", "POLRES_A")
	r.staffA = dash("sa", "viewer", "POLRES_A")
	r.staffB = dash("sb", "viewer", "POLRES_B")
	r.staffAB = dash("sab", "viewer", "POLRES_A", "POLRES_B")
	r.operatorA = dash("oa", "operator", "POLRES_A")
	r.ditbinmas = dash("db", "ditbinmas", "DITBINMAS")
	r.personnel = s.Personnel("81000001")
	r.world()
	return r
}

func (r *socialRig) must(o commands.Outcome, err error) commands.Outcome {
	r.T.Helper()
	if err != nil {
		r.T.Fatal(err)
	}
	return o
}

// world: POLRES_A (JATIM) and POLRES_B (JATENG) org clients, DITBINMAS
// directorate (JATIM), and their posts:
//
//	IGlate  A        2026-03-02 23:59 WIB
//	IGnext  A and B  2026-03-03 00:01 WIB (shared)
//	IGgone  A        2026-03-03 08:00 WIB, withdrawn from A's feed
//	IGtag   B        2026-03-03 07:00 WIB, tagged for ditbinmas
//	IGdir   DITBINMAS 2026-03-03 09:00 WIB
//	TT1     A        2026-03-01 12:00 WIB
//	TT2     A        2026-03-03 00:01 WIB
//
// Profiles observed: polres_a_ig, polres_a_tt. The platform knows
// polres_b_ig, polres_b_tt and stranger_ig, of which nothing was observed.
func (r *socialRig) world() {
	ctx := apitest.Ctx(r.T)
	yes := true
	cl := client.NewHandlers(r.RT)
	for _, c := range []client.RegisterClient{
		{ClientID: "POLRES_A", Nama: "POLRES A", ClientType: "org", RegionalID: "JATIM", ClientInsta: "polres_a_ig", ClientTiktok: "polres_a_tt"},
		{ClientID: "POLRES_B", Nama: "POLRES B", ClientType: "org", RegionalID: "JATENG", ClientInsta: "polres_b_ig", ClientTiktok: "polres_b_tt"},
		{ClientID: "DITBINMAS", Nama: "DIREKTORAT BINMAS", ClientType: "direktorat", RegionalID: "JATIM", ClientInsta: "ditbinmas_ig",
			ClientTiktok: "ditbinmas_tt", InstaStatus: &yes, TiktokStatus: &yes},
	} {
		r.must(cl.RegisterClient(ctx, commands.Meta{Actor: "test"}, c))
	}
	ing := func(platform, id, clientID, acct string, at time.Time, likes int) {
		r.must(r.posts.IngestPost(ctx, commands.Meta{}, post.IngestPost{Platform: platform, PostID: id, ClientID: clientID,
			Account: acct, Caption: "konten " + id, PublishedAt: at, Likes: likes, Comments: 1,
			Media: events.PostMedia{ImageURL: "https://img/" + id}}))
	}
	ing("instagram", "IGlate", "POLRES_A", "polres_a_ig", wib(2, 23, 59), 5)
	ing("instagram", "IGnext", "POLRES_A", "polres_a_ig", wib(3, 0, 1), 7)
	ing("instagram", "IGnext", "POLRES_B", "polres_a_ig", wib(3, 0, 1), 7)
	ing("instagram", "IGgone", "POLRES_A", "polres_a_ig", wib(3, 8, 0), 1)
	ing("instagram", "IGtag", "POLRES_B", "polres_b_ig", wib(3, 7, 0), 2)
	ing("instagram", "IGdir", "DITBINMAS", "ditbinmas_ig", wib(3, 9, 0), 3)
	ing("tiktok", "7300000000000000001", "POLRES_A", "polres_a_tt", wib(1, 12, 0), 4)
	ing("tiktok", "7300000000000000002", "POLRES_A", "polres_a_tt", wib(3, 0, 1), 6)
	r.must(r.posts.WithdrawPost(ctx, commands.Meta{}, post.WithdrawPost{Platform: "instagram", PostID: "IGgone", ClientID: "POLRES_A", RunID: "r1"}))
	r.must(r.posts.TagPostForRole(ctx, commands.Meta{}, post.TagPostForRole{Platform: "instagram", PostID: "IGtag", Role: "ditbinmas", By: "admin"}))
	_, _, err := r.posts.RecordLikes(ctx, commands.Meta{}, post.RecordLikes{Platform: "instagram", PostID: "IGnext",
		Usernames: []string{"budi", "siti"}, ObservedAt: socialNow})
	if err != nil {
		r.T.Fatal(err)
	}
	r.must(r.accounts.ObserveProfile(ctx, commands.Meta{}, account.ObserveProfile{Platform: "instagram", Username: "polres_a_ig",
		FullName: "POLRES A", Bio: "resmi", Followers: 1200, Following: 10, Posts: 300, ObservedAt: socialNow.Add(-time.Hour)}))
	r.must(r.accounts.ObserveProfile(ctx, commands.Meta{}, account.ObserveProfile{Platform: "tiktok", Username: "polres_a_tt",
		FullName: "Polres A", Followers: 900, Posts: 40, ExternalID: "SEC-A", ObservedAt: socialNow.Add(-time.Hour)}))
	r.platform.SetInstagram(rapidapitest.IGAccount{Username: "polres_b_ig", FullName: "POLRES B", ID: "42", Followers: 777})
	r.platform.SetInstagram(rapidapitest.IGAccount{Username: "stranger_ig", FullName: "Stranger", ID: "43", Followers: 5})
	r.platform.SetTikTok(rapidapitest.TTAccount{Username: "polres_b_tt", Nickname: "Polres B", SecUID: "SEC-B", Followers: 321})
	r.caughtUp()
}

// caughtUp waits until the read models have every event appended so far.
func (r *socialRig) caughtUp() {
	r.T.Helper()
	var ps []events.Position
	for _, name := range []string{"DIRECTORY", "SOCIAL"} {
		head, err := r.N.Store.StreamHead(apitest.Ctx(r.T), name)
		if err != nil {
			r.T.Fatal(err)
		}
		ps = append(ps, events.Position{Stream: name, Sequence: head})
	}
	if err := r.Mgr.WaitForAll(apitest.Ctx(r.T), ps, 20*time.Second); err != nil {
		r.T.Fatal(err)
	}
}

// ids lists a field of the answer's data rows.
func ids(res apitest.Resp, field string) []string {
	out := []string{}
	for _, row := range res.List() {
		out = append(out, fmt.Sprint(row[field]))
	}
	return out
}

type socialCase struct {
	name, token, path string
	header            []string
	status            int
	msg               string
	field             string // the id field of the rows (default shortcode)
	want              []string
	clients           []string // the rows' client_id, when asserted
}

func (r *socialRig) check(t *testing.T, c socialCase) apitest.Resp {
	t.Helper()
	res := r.Do(http.MethodGet, c.path, "", c.token, c.header...)
	if res.Status != c.status {
		t.Fatalf("%s = %d %s, want %d", c.path, res.Status, res.Raw, c.status)
	}
	if c.msg != "" && res.Msg() != c.msg {
		t.Errorf("message = %q, want %q", res.Msg(), c.msg)
	}
	if c.want != nil {
		field := c.field
		if field == "" {
			field = "shortcode"
		}
		if got := ids(res, field); !slices.Equal(got, c.want) {
			t.Errorf("%s = %v, want %v", field, got, c.want)
		}
	}
	if c.clients != nil {
		if got := ids(res, "client_id"); !slices.Equal(got, c.clients) {
			t.Errorf("client_id = %v, want %v", got, c.clients)
		}
	}
	return res
}

func TestSocialPostReads(t *testing.T) {
	r := newSocialRig(t)
	const tt1, tt2 = "7300000000000000001", "7300000000000000002"
	for _, c := range []socialCase{
		// /api/insta/posts: today in Jakarta; 23:59 yesterday is not today,
		// 00:01 is; the withdrawn post is gone; the shared post is listed
		// for each client.
		{name: "today", token: r.staffA, path: "/api/insta/posts?client_id=POLRES_A", status: 200,
			want: []string{"IGnext"}, clients: []string{"POLRES_A"}},
		{name: "today shared", token: r.staffB, path: "/api/insta/posts?client_id=polres_b", status: 200,
			want: []string{"IGnext", "IGtag"}, clients: []string{"POLRES_B", "POLRES_B"}},
		{name: "today token client", token: r.staffA, path: "/api/insta/posts", status: 200, want: []string{"IGnext"}},
		{name: "today header", token: r.staffAB, path: "/api/insta/posts", header: []string{"X-Client-Id", "POLRES_B"},
			status: 200, want: []string{"IGnext", "IGtag"}},
		{name: "today no client", token: r.staffAB, path: "/api/insta/posts", status: 400, msg: "client_id wajib diisi"},
		{name: "today other client", token: r.staffA, path: "/api/insta/posts?client_id=POLRES_B", status: 403, msg: "client_id tidak diizinkan"},
		{name: "today personnel", token: r.personnel, path: "/api/insta/posts?client_id=POLRES_A", status: 403, msg: "Forbidden"},
		{name: "today operator", token: r.operatorA, path: "/api/insta/posts?client_id=POLRES_A", status: 403, msg: "Forbidden"},

		// /api/instagram/posts: periods, role tags, scope.
		{name: "harian default", token: r.staffA, path: "/api/instagram/posts?client_id=POLRES_A", status: 200, want: []string{"IGnext"}},
		{name: "23:59 lands on its day", token: r.staffA, path: "/api/instagram/posts?client_id=POLRES_A&tanggal=2026-03-02",
			status: 200, want: []string{"IGlate"}},
		{name: "range", token: r.staffA, path: "/api/instagram/posts?client_id=POLRES_A&tanggal_mulai=2026-03-02&tanggal_selesai=2026-03-03",
			status: 200, want: []string{"IGlate", "IGnext"}},
		{name: "bulanan", token: r.staffA, path: "/api/instagram/posts?client_id=POLRES_A&periode=bulanan&tanggal=2026-03",
			status: 200, want: []string{"IGlate", "IGnext"}},
		{name: "directorate task set", token: r.ditbinmas, path: "/api/instagram/posts?client_id=DITBINMAS&scope=direktorat&role=ditbinmas",
			status: 200, want: []string{"IGtag", "IGdir"}, clients: []string{"POLRES_B", "DITBINMAS"}},
		{name: "org + directorate role", token: r.ditbinmas, path: "/api/instagram/posts?role=ditbinmas&scope=org",
			status: 200, want: []string{"IGtag", "IGdir"}},
		{name: "directorate client, no role", token: r.ditbinmas, path: "/api/instagram/posts", status: 200, want: []string{"IGtag", "IGdir"}},
		{name: "org client not tagged", token: r.staffB, path: "/api/instagram/posts?client_id=POLRES_B&role=viewer", status: 200,
			want: []string{"IGnext", "IGtag"}},
		{name: "role tag of another directorate", token: r.staffB, path: "/api/instagram/posts?client_id=POLRES_B&scope=direktorat&role=ditbinmas",
			status: 403, msg: "client_id tidak diizinkan"},
		{name: "region", token: r.admin, path: "/api/instagram/posts?client_id=DITBINMAS&scope=direktorat&role=ditbinmas&regional_id=jateng",
			status: 200, want: []string{"IGtag"}},
		{name: "scope", token: r.staffA, path: "/api/instagram/posts?client_id=POLRES_A&scope=nasional", status: 400, msg: "scope tidak valid"},
		{name: "periode", token: r.staffA, path: "/api/instagram/posts?client_id=POLRES_A&periode=tahunan", status: 400, msg: period.MsgPeriode},
		{name: "tanggal", token: r.staffA, path: "/api/instagram/posts?client_id=POLRES_A&tanggal=kemarin", status: 400, msg: period.MsgTanggal},
		{name: "range half", token: r.staffA, path: "/api/instagram/posts?client_id=POLRES_A&start_date=2026-03-01", status: 400, msg: period.MsgRangePair},
		{name: "other client", token: r.staffA, path: "/api/instagram/posts?client_id=POLRES_B", status: 403, msg: "client_id tidak diizinkan"},

		// /api/tiktok/posts: every post without a date, newest first; the
		// date filters are honoured.
		{name: "tiktok all", token: r.staffA, path: "/api/tiktok/posts?client_id=POLRES_A", status: 200, field: "video_id",
			want: []string{tt2, tt1}},
		{name: "tiktok harian", token: r.staffA, path: "/api/tiktok/posts?client_id=POLRES_A&periode=harian", status: 200,
			field: "video_id", want: []string{tt2}},
		{name: "tiktok tanggal", token: r.staffA, path: "/api/tiktok/posts?client_id=POLRES_A&tanggal=2026-03-01", status: 200,
			field: "video_id", want: []string{tt1}},
		{name: "tiktok other client", token: r.staffB, path: "/api/tiktok/posts?client_id=POLRES_A", status: 403, msg: "client_id tidak diizinkan"},
		{name: "tiktok personnel", token: r.personnel, path: "/api/tiktok/posts?client_id=POLRES_A", status: 403, msg: "Forbidden"},
	} {
		t.Run(c.name, func(t *testing.T) { r.check(t, c) })
	}
	t.Run("row shape", func(t *testing.T) {
		res := r.check(t, socialCase{token: r.staffA, path: "/api/insta/posts?client_id=POLRES_A", status: 200})
		row := res.List()[0]
		if row["created_at"] != "2026-03-03T00:01:00+07:00" || row["like_count"] != 7.0 || row["image_url"] != "https://img/IGnext" ||
			row["thumbnail_url"] != nil || fmt.Sprint(row["images_url"]) != "[https://img/IGnext]" {
			t.Errorf("row = %v", row)
		}
	})
	if n := len(r.platform.Server.Requests()); n != 0 {
		t.Errorf("the post reads called the API %d times", n)
	}
}

func TestSocialAggregator(t *testing.T) {
	r := newSocialRig(t)
	for _, path := range []string{"/api/aggregator", "/api/social/aggregator"} {
		t.Run(path, func(t *testing.T) {
			res := r.Do(http.MethodGet, path+"?client_id=POLRES_A", "", r.operatorA)
			if res.Status != 200 {
				t.Fatalf("%d %s", res.Status, res.Raw)
			}
			d := res.Data()
			ig, _ := d["igProfile"].(map[string]any)
			tt, _ := d["tiktokProfile"].(map[string]any)
			if ig["username"] != "polres_a_ig" || ig["follower_count"] != 1200.0 || ig["biography"] != "resmi" {
				t.Errorf("igProfile = %v", ig)
			}
			if tt["username"] != "polres_a_tt" || tt["secUid"] != "SEC-A" || tt["video_count"] != 40.0 || tt["nickname"] != "Polres A" {
				t.Errorf("tiktokProfile = %v", tt)
			}
			if got := rows(d["igPosts"], "shortcode"); !slices.Equal(got, []string{"IGnext", "IGlate"}) {
				t.Errorf("igPosts = %v", got)
			}
			if got := rows(d["tiktokPosts"], "video_id"); !slices.Equal(got, []string{"7300000000000000002", "7300000000000000001"}) {
				t.Errorf("tiktokPosts = %v", got)
			}
		})
	}
	for _, c := range []struct {
		name, token, path string
		status            int
		msg               string
		ig                []string
	}{
		{"limit", r.operatorA, "/api/aggregator?client_id=POLRES_A&limit=1", 200, "", []string{"IGnext"}},
		{"limit not a number", r.operatorA, "/api/aggregator?limit=semua", 200, "", []string{"IGnext", "IGlate"}},
		{"harian", r.operatorA, "/api/aggregator?periode=harian", 200, "", []string{"IGnext"}},
		{"directorate role reads its directorate", r.Token(auth.KindDashboard, auth.Claims{DashboardUserID: "dbb", Role: "ditbinmas",
			ClientIDs: []string{"POLRES_B", "POLRES_A"}}), "/api/aggregator?client_id=POLRES_B", 200, "", []string{"IGdir"}},
		{"no client", r.staffAB, "/api/aggregator", 400, "client_id atau header x-client-id wajib diisi (atau gunakan token dengan satu client_id)", nil},
		{"operator other client", r.operatorA, "/api/aggregator?client_id=POLRES_B", 403,
			"client_id tidak terdaftar untuk operator ini. Gunakan client_id yang ada di token.", nil},
		{"other client", r.staffA, "/api/social/aggregator?client_id=POLRES_B", 403, "client_id tidak diizinkan", nil},
		{"unknown", r.admin, "/api/aggregator?client_id=POLRES_Z", 404, "client not found", nil},
		{"outside region", r.admin, "/api/aggregator?client_id=POLRES_A&regional_id=JATENG", 404, "client not found", nil},
		{"periode", r.operatorA, "/api/aggregator?periode=kemarin", 400, period.MsgPeriode, nil},
		{"personnel", r.personnel, "/api/aggregator?client_id=POLRES_A", 403, "Forbidden", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := r.Do(http.MethodGet, c.path, "", c.token)
			if res.Status != c.status || (c.msg != "" && res.Msg() != c.msg) {
				t.Fatalf("%d %s, want %d %q", res.Status, res.Raw, c.status, c.msg)
			}
			if c.ig != nil {
				if got := rows(res.Data()["igPosts"], "shortcode"); !slices.Equal(got, c.ig) {
					t.Errorf("igPosts = %v, want %v", got, c.ig)
				}
			}
		})
	}
	if n := len(r.platform.Server.Requests()); n != 0 {
		t.Errorf("the aggregator called the API %d times", n)
	}
}

func rows(v any, field string) []string {
	out := []string{}
	list, _ := v.([]any)
	for _, x := range list {
		m, _ := x.(map[string]any)
		out = append(out, fmt.Sprint(m[field]))
	}
	return out
}

func TestSocialAggregatorRefresh(t *testing.T) {
	r := newSocialRig(t)
	post := func(token, body string) apitest.Resp {
		return r.Do(http.MethodPost, "/api/aggregator/refresh", body, token)
	}

	res := post(r.admin, `{"client_id":"ditbinmas","limit":"5"}`)
	d := res.Data()
	refresh, _ := d["refresh"].(map[string]any)
	results, _ := d["results"].([]any)
	if res.Status != 200 || d["message"] != "Aggregator refreshed" || refresh["status"] != "started" || len(results) != 1 {
		t.Fatalf("refresh = %d %s", res.Status, res.Raw)
	}
	if got := r.jobs.launched(); len(got) != 1 || got[0].ClientID != "DITBINMAS" {
		t.Errorf("launched %+v, want one fetch of DITBINMAS", got)
	}
	if first, _ := results[0].(map[string]any); first["client_id"] != "DITBINMAS" || fmt.Sprint(rows(first["igPosts"], "shortcode")) != "[IGdir]" {
		t.Errorf("result = %v", first)
	}

	// An admin naming no client refreshes every target (here one).
	res = post(r.admin, "")
	if refresh, _ := res.Data()["refresh"].(map[string]any); res.Status != 200 || fmt.Sprint(refresh["clients"]) != "[DITBINMAS]" {
		t.Errorf("refresh all = %d %s", res.Status, res.Raw)
	}
	// The directorate's own user, from its token's client.
	res = post(r.ditbinmas, `{"skipPostRefresh":true}`)
	if refresh, _ := res.Data()["refresh"].(map[string]any); res.Status != 200 || refresh["status"] != "skipped" {
		t.Errorf("skip = %d %s", res.Status, res.Raw)
	}
	if n := len(r.jobs.launched()); n != 2 {
		t.Errorf("%d launches, want 2 (skipPostRefresh launches nothing)", n)
	}
	r.jobs.err = schedule.ErrRunning
	res = post(r.admin, `{"clientId":"DITBINMAS"}`)
	if refresh, _ := res.Data()["refresh"].(map[string]any); res.Status != 200 || refresh["status"] != "running" {
		t.Errorf("running = %d %s", res.Status, res.Raw)
	}
	for _, c := range []struct {
		name, token, body string
		status            int
		msg               string
	}{
		{"org client", r.admin, `{"client_id":"POLRES_A"}`, 400, "Client tidak memenuhi kriteria direktorat aktif dengan sosmed"},
		{"unknown client", r.admin, `{"client_id":"POLRES_Z"}`, 404, "client not found"},
		{"unknown field", r.admin, `{"client":"DITBINMAS"}`, 400, "Field tidak diizinkan: client"},
		{"not json", r.admin, `[1]`, 400, "Body JSON tidak valid"},
		{"other client", r.staffA, `{"client_id":"DITBINMAS"}`, 403, "client_id tidak diizinkan"},
		{"operator", r.operatorA, `{"client_id":"POLRES_A"}`, 403, "Forbidden"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if res := post(c.token, c.body); res.Status != c.status || res.Msg() != c.msg {
				t.Errorf("%d %s, want %d %q", res.Status, res.Raw, c.status, c.msg)
			}
		})
	}
	if n := len(r.platform.Server.Requests()); n != 0 {
		t.Errorf("the refresh called the API %d times from the handler", n)
	}
}

func TestSocialRapidReads(t *testing.T) {
	r := newSocialRig(t)
	for _, c := range []socialCase{
		{name: "no username", token: r.staffA, path: "/api/insta/rapid-profile", status: 400, msg: "username wajib diisi"},
		{name: "tiktok no username", token: r.staffA, path: "/api/tiktok/rapid-posts?username=%20", status: 400, msg: "username wajib diisi"},
		{name: "tiktok bad username", token: r.staffA, path: "/api/tiktok/rapid-profile?username=polres%20a!", status: 400,
			msg: "Format username TikTok tidak valid. Gunakan tautan profil atau username seperti tiktok.com/@username atau @username."},
		{name: "tiktok too long", token: r.staffA, path: "/api/tiktok/rapid-profile?username=abcdefghijklmnopqrstuvwxyz", status: 400,
			msg: "Format username TikTok tidak valid. Gunakan tautan profil atau username seperti tiktok.com/@username atau @username."},
		{name: "another client's account", token: r.staffA, path: "/api/insta/rapid-profile?username=polres_b_ig", status: 403,
			msg: "client_id tidak diizinkan"},
		{name: "personnel", token: r.personnel, path: "/api/insta/rapid-posts?username=polres_a_ig", status: 403, msg: "Forbidden"},
		{name: "observed posts", token: r.staffA, path: "/api/insta/rapid-posts?username=@polres_a_ig", status: 200, field: "id",
			want: []string{"IGnext", "IGlate"}},
		{name: "limit", token: r.staffA, path: "/api/tiktok/rapid-posts?username=tiktok.com/@polres_a_tt&limit=1", status: 200, field: "id",
			want: []string{"7300000000000000002"}},
		{name: "observed profile", token: r.operatorA, path: "/api/insta/rapid-profile?username=https://www.instagram.com/polres_a_ig/",
			status: 200},
	} {
		t.Run(c.name, func(t *testing.T) { r.check(t, c) })
	}
	if n := len(r.platform.Server.Requests()); n != 0 {
		t.Fatalf("reads of observed accounts called the API %d times", n)
	}

	// Never observed: the first load observes once through the command;
	// the second is served from the read model.
	for _, c := range []struct {
		name, token, path, apiPath, field string
		want                              any
	}{
		{"instagram profile", r.staffB, "/api/insta/rapid-profile?username=@polres_b_ig", "v1/info", "follower_count", 777.0},
		{"tiktok profile", r.staffB, "/api/tiktok/rapid-profile?username=tiktok.com/@polres_b_tt", "api/user/info", "secUid", "SEC-B"},
		{"posts of an account", r.admin, "/api/insta/rapid-posts?username=stranger_ig", "v1/info", "", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := r.platform.Server.Count(c.apiPath)
			for i := range 2 {
				res := r.Do(http.MethodGet, c.path, "", c.token)
				if res.Status != 200 {
					t.Fatalf("load %d: %d %s", i+1, res.Status, res.Raw)
				}
				if c.field != "" && res.Data()[c.field] != c.want {
					t.Errorf("load %d: %s = %v, want %v", i+1, c.field, res.Data()[c.field], c.want)
				}
				if n := r.platform.Server.Count(c.apiPath) - before; n != 1 {
					t.Errorf("after load %d: %d calls of %s, want 1", i+1, n, c.apiPath)
				}
			}
		})
	}
	if _, err := social.NewQueries(r.Pool).Profile(apitest.Ctx(t), "instagram", "stranger_ig"); err != nil {
		t.Errorf("the live observation is not in the read model: %v", err)
	}
	t.Run("unknown account", func(t *testing.T) {
		res := r.Do(http.MethodGet, "/api/insta/rapid-profile?username=nobody_here", "", r.admin)
		if res.Status != 404 || res.Msg() != "Akun Instagram tidak ditemukan" {
			t.Errorf("%d %s", res.Status, res.Raw)
		}
	})
}

func TestSocialClientSummary(t *testing.T) {
	r := newSocialRig(t)
	res := r.Do(http.MethodGet, "/api/clients/polres_a/summary", "", r.staffA)
	if res.Status != 200 {
		t.Fatalf("%d %s", res.Status, res.Raw)
	}
	d := res.Data()
	ig, _ := d["instagram"].(map[string]any)
	tt, _ := d["tiktok"].(map[string]any)
	prof, _ := ig["profile"].(map[string]any)
	if d["client_id"] != "POLRES_A" || d["periode"] != "semua" || ig["posts"] != 2.0 || ig["withdrawn_posts"] != 1.0 ||
		ig["likes"] != 12.0 || ig["likes_recorded"] != 2.0 || ig["engagers"] != 2.0 || prof["followers"] != 1200.0 ||
		ig["first_post_at"] != "2026-03-02T23:59:00+07:00" || tt["posts"] != 2.0 || ig["last_fetch"] != nil {
		t.Errorf("summary = %s", res.Raw)
	}
	res = r.Do(http.MethodGet, "/api/clients/POLRES_A/summary?tanggal=2026-03-02&periode=harian", "", r.staffA)
	if ig, _ := res.Data()["instagram"].(map[string]any); res.Status != 200 || ig["posts"] != 1.0 || ig["likes_recorded"] != 0.0 {
		t.Errorf("summary of 2026-03-02 = %s", res.Raw)
	}
	for _, c := range []socialCase{
		{token: r.staffA, path: "/api/clients/POLRES_B/summary", status: 403, msg: "client_id tidak diizinkan"},
		{token: r.admin, path: "/api/clients/POLRES_Z/summary", status: 404, msg: "Client not found"},
		{token: r.staffA, path: "/api/clients/POLRES_A/summary?periode=tahunan", status: 400, msg: period.MsgPeriode},
		{token: r.operatorA, path: "/api/clients/POLRES_A/summary", status: 403, msg: "Forbidden"},
	} {
		t.Run(c.path, func(t *testing.T) { r.check(t, c) })
	}
}
