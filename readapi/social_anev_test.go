package readapi_test

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/commands/post"
	"github.com/cicero/cicero/commands/premium"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apitest"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/internal/premiumguard"
	"github.com/cicero/cicero/projections/directory"
	premiumview "github.com/cicero/cicero/projections/premium"
	"github.com/cicero/cicero/projections/social"
	"github.com/cicero/cicero/readapi"
)

// The ANEV world: what the test knows to be true, written as plain data;
// the expected figures are computed from it below, independently of the
// read models' SQL.

// anevNow is the instant every request is made at: Friday 2026-11-20,
// 10:00 Jakarta.
var anevNow = time.Date(2026, 11, 20, 10, 0, 0, 0, jakarta.Location)

type anevClient struct{ id, typ, regional string }

type anevPerson struct {
	nrp, client, divisi string
	insta, tiktok       string // as typed
	roles               []string
	exception, inactive bool
}

type anevPost struct {
	platform, id string
	clients      []string // feeds holding it; the first published it
	withdrawnBy  string   // the feed it left
	at           time.Time
	roles        []string
	engagers     []string // raw usernames
}

var anevClients = []anevClient{
	{"POLRESA", "org", "JATIM"}, {"POLRESB", "org", "JATIM"}, {"DITBINMAS", "direktorat", "JATIM"}, {"POLRESX", "org", "BALI"},
	{"DITLANTAS", "direktorat", "JATIM"}, // no personnel, no posts: the other directorate
}

var anevPeople = []anevPerson{
	{nrp: "80000001", client: "POLRESA", divisi: "SAT BINMAS", insta: "@Budi.S", tiktok: "budi_tt", roles: []string{"operator"}},
	{nrp: "80000002", client: "POLRESA", divisi: "SAT BINMAS", insta: " siti ", tiktok: "@Siti", roles: []string{"operator"}},
	{nrp: "80000003", client: "POLRESA", divisi: "BAG OPS", insta: "", tiktok: "", roles: []string{"operator"}},
	{nrp: "80000004", client: "POLRESA", divisi: "", insta: "exempt.one", tiktok: "", roles: []string{"operator"}, exception: true},
	{nrp: "80000005", client: "POLRESA", divisi: "SAT LANTAS", insta: "andi", tiktok: "andi", roles: []string{"operator", "ditbinmas"}},
	{nrp: "80000006", client: "POLRESA", divisi: "SAT BINMAS", insta: "gone", roles: []string{"operator"}, inactive: true},
	{nrp: "80000007", client: "POLRESB", divisi: "SAT BINMAS", insta: "rina", tiktok: "rina", roles: []string{"ditbinmas"}},
	{nrp: "80000008", client: "POLRESB", divisi: "SAT BINMAS", insta: "joko", roles: []string{"ditbinmas"}},
	{nrp: "80000009", client: "POLRESX", divisi: "SAT BINMAS", insta: "bali.one", roles: []string{"ditbinmas"}},
}

func jkt(daysAgo, h, m int) time.Time {
	d := anevNow.AddDate(0, 0, -daysAgo)
	return time.Date(d.Year(), d.Month(), d.Day(), h, m, 0, 0, jakarta.Location)
}

var anevPosts = []anevPost{
	{platform: "instagram", id: "Cpa00001", clients: []string{"POLRESA"}, at: jkt(0, 0, 1), engagers: []string{"budi.s", "SITI", "stranger", "andi"}},
	{platform: "instagram", id: "Cpa00002", clients: []string{"POLRESA"}, at: jkt(1, 23, 59), engagers: []string{"@budi.s", "rina"}},
	{platform: "instagram", id: "Cpa00003", clients: []string{"POLRESA"}, at: jkt(10, 12, 0), engagers: []string{"budi.s", "siti", "andi"}},
	{platform: "instagram", id: "Cpa00004", clients: []string{"POLRESA"}, at: jkt(0, 8, 0), withdrawnBy: "POLRESA", engagers: []string{"budi.s"}},
	{platform: "instagram", id: "Cshared1", clients: []string{"POLRESA", "POLRESB"}, at: jkt(2, 9, 0), engagers: []string{"siti", "rina", "joko"}},
	{platform: "instagram", id: "Cpa00006", clients: []string{"POLRESA"}, at: jkt(3, 9, 0), roles: []string{"ditbinmas"}, engagers: []string{"andi", "rina", "exempt.one"}},
	{platform: "instagram", id: "Cdit0001", clients: []string{"DITBINMAS"}, at: jkt(0, 7, 0), engagers: []string{"rina", "joko", "andi", "bali.one", "outsider"}},
	{platform: "instagram", id: "Cpx00001", clients: []string{"POLRESX"}, at: jkt(0, 7, 0), roles: []string{"ditbinmas"}, engagers: []string{"bali.one"}},
	// 8 days ago: outside 7d, inside 30d.
	{platform: "instagram", id: "Cpa00008", clients: []string{"POLRESA"}, at: jkt(7, 0, 0), engagers: []string{"siti"}},
	{platform: "tiktok", id: "7400000000000000001", clients: []string{"POLRESA"}, at: jkt(0, 6, 0), engagers: []string{"@budi_tt", "siti", "nobody"}},
	{platform: "tiktok", id: "7400000000000000002", clients: []string{"POLRESA"}, at: jkt(1, 23, 59), engagers: []string{"siti"}},
	{platform: "tiktok", id: "7400000000000000003", clients: []string{"DITBINMAS"}, at: jkt(1, 10, 0), engagers: []string{"rina", "andi"}},
}

func norm(h string) string { return strings.ToLower(strings.TrimLeft(strings.TrimSpace(h), "@")) }

// anevWant is the independent computation of one request's figures.
type anevWant struct {
	users                 []string // NRPs, in name order
	igPosts, ttPosts      int
	likes, comments       map[string]int // by NRP
	totalLikes, totalCmts int
}

// expectAnev computes what an ANEV of (client, role, scope, regional) over
// [from, to] must answer, walking the world's data.
func expectAnev(client, role, scope, regional, from, to string, onlyClient string) anevWant {
	regionOf := map[string]string{}
	typeOf := map[string]string{}
	for _, c := range anevClients {
		regionOf[c.id], typeOf[c.id] = c.regional, c.typ
	}
	var w anevWant
	for _, p := range anevPeople {
		if p.inactive || (regional != "" && regionOf[p.client] != regional) {
			continue
		}
		if scope == "direktorat" {
			if !slices.Contains(p.roles, role) || (onlyClient != "" && p.client != onlyClient) {
				continue
			}
		} else if p.client != client || (role != "" && !slices.Contains(p.roles, role)) {
			continue
		}
		w.users = append(w.users, p.nrp)
	}
	byRole := scope == "direktorat" || typeOf[client] == "direktorat"
	task := func(platform string) map[string]bool {
		ids := map[string]bool{}
		for _, p := range anevPosts {
			day := jakarta.Date(p.at)
			if p.platform != platform || day < from || day > to {
				continue
			}
			for _, c := range p.clients {
				if c == p.withdrawnBy || (regional != "" && regionOf[c] != regional) {
					continue
				}
				if (byRole && (strings.EqualFold(c, role) || slices.Contains(p.roles, role))) || (!byRole && c == client) {
					ids[p.id] = true
				}
			}
		}
		return ids
	}
	count := func(platform string, ids map[string]bool) (map[string]int, int) {
		per := map[string]map[string]bool{}
		for _, p := range anevPosts {
			if p.platform != platform || !ids[p.id] {
				continue
			}
			for _, u := range p.engagers {
				if per[norm(u)] == nil {
					per[norm(u)] = map[string]bool{}
				}
				per[norm(u)][p.id] = true
			}
		}
		total := 0
		for _, posts := range per {
			total += len(posts)
		}
		out := map[string]int{}
		for _, p := range anevPeople {
			h := p.insta
			if platform == "tiktok" {
				h = p.tiktok
			}
			if norm(h) != "" {
				out[p.nrp] = len(per[norm(h)])
			}
		}
		return out, total
	}
	ig, tt := task("instagram"), task("tiktok")
	w.igPosts, w.ttPosts = len(ig), len(tt)
	w.likes, w.totalLikes = count("instagram", ig)
	w.comments, w.totalCmts = count("tiktok", tt)
	return w
}

type anevRig struct {
	*apitest.Stack
	users *dashuser.Handlers
	prem  *premium.Handlers
}

// newAnevRig builds the ANEV world behind MountAnev and whatever else
// mount adds (another read over the same data).
func newAnevRig(t *testing.T, mount ...func(api *auth.Router, s *apitest.Stack)) *anevRig {
	t.Helper()
	s := apitest.NewStack(t, apitest.StackOptions{NoDedup: true}, apitest.Proj(directory.New), apitest.Proj(social.NewPosts),
		apitest.Proj(social.NewEngagements), apitest.Proj(premiumview.NewDashboard))
	r := &anevRig{Stack: s, users: dashuser.NewHandlers(s.RT, dashuser.WithHashCost(4)), prem: premium.NewHandlers(s.RT, nil, nil)}
	s.Serve(func(api *auth.Router) {
		readapi.MountAnev(api, readapi.AnevDeps{Social: social.NewQueries(s.Pool), Logger: s.Log,
			Now:   func() time.Time { return anevNow },
			Guard: premiumguard.Middleware(premiumview.NewQueries(s.Pool), nil, nil, s.Log)})
		for _, m := range mount {
			m(api, s)
		}
	})
	ctx := apitest.Ctx(t)
	meta := commands.Meta{Actor: "test"}
	var last []commands.Outcome
	must := func(o commands.Outcome, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		last = append(last, o)
	}
	ch := client.NewHandlers(s.RT)
	for _, c := range anevClients {
		must(ch.RegisterClient(ctx, meta, client.RegisterClient{ClientID: c.id, Nama: "NAMA " + c.id, ClientType: c.typ, RegionalID: c.regional}))
	}
	ph := person.NewHandlers(s.RT)
	for _, p := range anevPeople {
		must(ph.RegisterPerson(ctx, meta, person.RegisterPerson{NRP: p.nrp, Nama: "PERSONEL " + p.nrp, ClientID: p.client,
			Divisi: p.divisi, Insta: p.insta, Tiktok: p.tiktok, Roles: p.roles, Exception: p.exception}))
		if p.inactive {
			must(ph.Deactivate(ctx, meta, person.Deactivate{NRP: p.nrp}))
		}
	}
	posts := post.NewHandlers(s.RT, nil)
	for _, p := range anevPosts {
		for _, c := range p.clients {
			must(posts.IngestPost(ctx, meta, post.IngestPost{Platform: p.platform, PostID: p.id, ClientID: c,
				Account: strings.ToLower(c), PublishedAt: p.at, ObservedAt: p.at.Add(time.Minute)}))
		}
		for _, role := range p.roles {
			must(posts.TagPostForRole(ctx, meta, post.TagPostForRole{Platform: p.platform, PostID: p.id, Role: role, By: "test"}))
		}
		at := p.at.Add(10 * time.Minute)
		if p.platform == "instagram" {
			o, _, err := posts.RecordLikes(ctx, meta, post.RecordLikes{Platform: p.platform, PostID: p.id, Usernames: p.engagers, ObservedAt: at, WindowStart: at, WindowEnd: at})
			must(o, err)
		} else {
			o, _, err := posts.RecordComments(ctx, meta, post.RecordComments{Platform: p.platform, PostID: p.id, Usernames: p.engagers, ObservedAt: at, WindowStart: at, WindowEnd: at})
			must(o, err)
		}
		if p.withdrawnBy != "" {
			must(posts.WithdrawPost(ctx, meta, post.WithdrawPost{Platform: p.platform, PostID: p.id, ClientID: p.withdrawnBy, RunID: "test"}))
		}
	}
	var ps []events.Position
	for _, o := range last {
		ps = append(ps, o.Positions()...)
	}
	if err := s.Mgr.WaitForAll(ctx, ps, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	return r
}

// login makes an approved dashboard account (premium unless free) and
// returns its token.
func (r *anevRig) login(name, role string, free bool, clients ...string) string {
	r.T.Helper()
	ctx := apitest.Ctx(r.T)
	id, _, err := r.users.CreateDashboardUser(ctx, commands.Meta{Actor: "test"}, dashuser.CreateDashboardUser{
		Username: name, Password: "rahasia-123", Role: role, WhatsApp: "081234567890", ClientIDs: clients, ActorRole: "admin"})
	if err != nil {
		r.T.Fatal(err)
	}
	if !free {
		o, err := r.prem.GrantPremium(ctx, commands.Meta{Actor: "admin-1"}, premium.GrantPremium{DashboardUserID: id,
			Tier: "tier1", Days: 3650, By: premium.Actor{ID: "admin-1", Role: "admin"}})
		if err != nil {
			r.T.Fatal(err)
		}
		r.Settle(premiumview.DashboardName, o.Positions())
	}
	c := auth.Claims{DashboardUserID: id, Username: name, Role: role, ClientIDs: clients}
	if len(clients) == 1 {
		c.ClientID = clients[0]
	}
	return r.Token(auth.KindDashboard, c)
}

func TestAnevMatchesAnIndependentComputation(t *testing.T) {
	r := newAnevRig(t)
	opr := r.login("opr_a", "operator", false, "POLRESA")
	dit := r.login("dit_binmas", "ditbinmas", false, "DITBINMAS")
	adm := r.login("admin_x", "admin", false, "POLRESA")
	today := jakarta.Date(anevNow)
	day := func(n int) string { return jakarta.Date(anevNow.AddDate(0, 0, -n)) }
	tests := []struct {
		name, token, query                           string
		client, role, scope, regional, from, to, own string
	}{
		{"operator org 7d", opr, "role=OPERATOR&scope=org", "POLRESA", "operator", "org", "", day(6), today, ""},
		{"operator org today (00:01 in, yesterday 23:59 out)", opr, "time_range=today&role=operator", "POLRESA", "operator", "org", "", today, today, ""},
		{"operator org 30d", opr, "time_range=30d&role=operator&scope=org", "POLRESA", "operator", "org", "", day(29), today, ""},
		{"operator custom range", opr, "time_range=custom&start_date=" + day(1) + "&end_date=" + day(1), "POLRESA", "operator", "org", "", day(1), day(1), ""},
		{"directorate 7d: its posts and tagged ones, all units", dit, "scope=direktorat&role=ditbinmas", "DITBINMAS", "ditbinmas", "direktorat", "", day(6), today, ""},
		{"directorate 7d in JATIM", dit, "scope=direktorat&role=ditbinmas&regional_id=jatim", "DITBINMAS", "ditbinmas", "direktorat", "JATIM", day(6), today, ""},
		{"admin org of another client by header", adm, "time_range=90d&role=admin", "POLRESB", "", "org", "", day(89), today, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			headers := []string{}
			if tt.name == "admin org of another client by header" {
				headers = []string{"X-Client-Id", "POLRESB"}
			}
			got := r.Do(http.MethodGet, "/api/dashboard/anev?"+tt.query, "", tt.token, headers...)
			if got.Status != http.StatusOK {
				t.Fatalf("%d %s", got.Status, got.Raw)
			}
			want := expectAnev(tt.client, tt.role, tt.scope, tt.regional, tt.from, tt.to, tt.own)
			if want.igPosts == 0 || len(want.users) == 0 || want.totalLikes == 0 {
				t.Fatalf("the case tests nothing: %+v", want)
			}
			data := got.Data()
			agg := data["aggregates"].(map[string]any)
			num := func(m map[string]any, k string) int { return int(m[k].(float64)) }
			if num(agg, "instagram_posts") != want.igPosts || num(agg, "tiktok_posts") != want.ttPosts ||
				num(agg, "total_likes") != want.totalLikes || num(agg, "total_comments") != want.totalCmts {
				t.Errorf("aggregates %v, want ig %d tt %d likes %d comments %d", agg, want.igPosts, want.ttPosts, want.totalLikes, want.totalCmts)
			}
			if num(agg, "expected_actions") != want.igPosts+want.ttPosts || num(agg, "total_users") != len(want.users) {
				t.Errorf("expected_actions %v / total_users %v, want %d / %d", agg["expected_actions"], agg["total_users"], want.igPosts+want.ttPosts, len(want.users))
			}
			var gotUsers []string
			for _, row := range agg["compliance_per_pelaksana"].([]any) {
				m := row.(map[string]any)
				nrp := m["user_id"].(string)
				gotUsers = append(gotUsers, nrp)
				likes, comments := want.likes[nrp], want.comments[nrp]
				actions := likes + comments
				exp := want.igPosts + want.ttPosts
				if slices.ContainsFunc(anevPeople, func(p anevPerson) bool { return p.nrp == nrp && p.exception }) {
					actions = max(actions, exp)
				}
				rate := 0.0
				if exp > 0 {
					rate = math.Min(1, math.Round(float64(actions)/float64(exp)*1e4)/1e4)
				}
				if num(m, "likes") != likes || num(m, "comments") != comments || num(m, "total_actions") != actions ||
					m["completion_rate"].(float64) != rate || num(m, "expected_actions") != exp {
					t.Errorf("%s: %v, want likes %d comments %d actions %d rate %v", nrp, m, likes, comments, actions, rate)
				}
			}
			if !slices.Equal(gotUsers, want.users) {
				t.Errorf("users %v, want %v", gotUsers, want.users)
			}
			// per_user: every directory user, then the unmapped engagers.
			ig := data["instagram_engagement"].(map[string]any)
			unmapped, sum := 0, 0
			for _, row := range ig["per_user"].([]any) {
				m := row.(map[string]any)
				sum += num(m, "likes")
				if m["unmapped"] == true {
					unmapped++
				}
			}
			if sum != want.totalLikes {
				t.Errorf("per_user likes add up to %d, want total %d", sum, want.totalLikes)
			}
			f := data["filters"].(map[string]any)
			if f["start_date"] != tt.from+"T00:00:00+07:00" || f["end_date"] != tt.to+"T23:59:59.999+07:00" {
				t.Errorf("filters %v", f)
			}
		})
	}
}

func TestAnevRefusals(t *testing.T) {
	r := newAnevRig(t)
	opr := r.login("opr_a", "operator", false, "POLRESA")
	free := r.login("opr_free", "operator", true, "POLRESA")
	lantas := r.login("dit_lantas", "ditlantas", false, "DITLANTAS")
	for _, tt := range []struct {
		name, token, query string
		status             int
		message            string
		ranges             bool
	}{
		// scope=direktorat lists every unit's holders of the role: only
		// for the role's own directorate (and admins).
		{"directorate, another directorate's personnel", lantas, "scope=direktorat&role=ditbinmas", 403, "client_id tidak diizinkan", false},
		{"directorate, its own directorate scope", lantas, "scope=direktorat&role=ditlantas", 200, "", false},
		{"unknown time range", opr, "time_range=1y", 400, "time_range tidak valid", true},
		{"custom without dates", opr, "time_range=custom&start_date=2026-11-01", 400, "start_date dan end_date wajib diisi untuk time_range custom", true},
		{"custom reversed", opr, "time_range=custom&start_date=2026-11-10&end_date=2026-11-01", 400, "Rentang tanggal tidak valid", true},
		{"all with a bad end", opr, "time_range=all&end_date=kemarin", 400, "Rentang waktu tidak valid", true},
		{"bad scope", opr, "scope=polda", 400, "scope tidak valid", false},
		{"directorate scope needs a directorate role", opr, "scope=direktorat&role=operator", 400, "role direktorat tidak valid", false},
		{"another client", opr, "client_id=POLRESB", 403, "client_id tidak diizinkan", false},
		{"no premium", free, "", 403, "Akses premium diperlukan untuk endpoint ini", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := r.Do(http.MethodGet, "/api/dashboard/anev?"+tt.query, "", tt.token)
			if got.Status != tt.status || got.Msg() != tt.message {
				t.Fatalf("%d %s, want %d %q", got.Status, got.Raw, tt.status, tt.message)
			}
			if _, ok := got.Body["permitted_time_ranges"]; ok != tt.ranges {
				t.Errorf("permitted_time_ranges present %v, want %v", ok, tt.ranges)
			}
		})
	}
}

func TestAnevExport(t *testing.T) {
	r := newAnevRig(t)
	opr := r.login("opr_a", "operator", false, "POLRESA")
	res, body := apitest.Send(t, http.DefaultClient, http.MethodGet, r.Srv.URL+"/api/dashboard/anev/export?time_range=7d&role=operator", nil, opr)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Fatalf("%d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	f, err := excelize.OpenReader(strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Pelaksana")
	if err != nil {
		t.Fatal(err)
	}
	want := expectAnev("POLRESA", "operator", "org", "", jakarta.Date(anevNow.AddDate(0, 0, -6)), jakarta.Date(anevNow), "")
	if len(rows) != len(want.users)+1 || rows[0][0] != "NRP/NIP" {
		t.Fatalf("rows %v, want a header and %d users", rows, len(want.users))
	}
	for _, row := range rows[1:] {
		if got, wantLikes := row[7], fmt.Sprint(want.likes[row[0]]); got != wantLikes {
			t.Errorf("%s likes %s, want %s", row[0], got, wantLikes)
		}
	}
}
