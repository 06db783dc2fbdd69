package readapi_test

import (
	"cmp"
	"math"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cicero/cicero/internal/apitest"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/internal/premiumguard"
	"github.com/cicero/cicero/projections/directory"
	premiumview "github.com/cicero/cicero/projections/premium"
	"github.com/cicero/cicero/projections/social"
	"github.com/cicero/cicero/readapi"
)

// The insight cards over the ANEV world (social_anev_test.go): the
// expected figures are computed here from the world's plain data with the
// rekap rules, independently of the attendance materialisation.

func newInsightRig(t *testing.T) *anevRig {
	return newAnevRig(t, func(api *auth.Router, s *apitest.Stack) {
		readapi.MountSocialInsight(api, readapi.SocialInsightDeps{Directory: directory.NewQueries(s.Pool),
			Attendance: social.NewQueries(s.Pool), Now: func() time.Time { return anevNow }, Logger: s.Log,
			Guard: premiumguard.Middleware(premiumview.NewQueries(s.Pool), nil, nil, s.Log)})
	})
}

// insightWant is the independent computation of one card.
type insightWant struct {
	users, posts, engagements                int
	sudah, kurang, belum, noUsername, noPost int
	unitKind                                 string
	top, bottom                              []string // unit ids
}

// expectInsight walks the world: the task posts of the period (inTask says
// whether a live feed or the post's tags put it in the task set), the
// personnel kept by member, each person's distinct task posts engaged.
func expectInsight(platform string, member func(anevPerson) bool, inTask func(p anevPost, feed string) bool, from, to string) insightWant {
	var tasks []anevPost
	for _, p := range anevPosts {
		day := jakarta.Date(p.at)
		if p.platform != platform || day < from || day > to {
			continue
		}
		for _, c := range p.clients {
			if c != p.withdrawnBy && inTask(p, c) {
				tasks = append(tasks, p)
				break
			}
		}
	}
	w := insightWant{posts: len(tasks), unitKind: "divisi"}
	type unit struct {
		id, name     string
		users, sudah int
	}
	units := map[string]*unit{}
	clients := map[string]bool{}
	var people []anevPerson
	for _, p := range anevPeople {
		if !p.inactive && member(p) {
			people = append(people, p)
			clients[p.client] = true
		}
	}
	if len(clients) > 1 {
		w.unitKind = "client"
	}
	for _, p := range people {
		h := norm(p.insta)
		if platform == "tiktok" {
			h = norm(p.tiktok)
		}
		done := 0
		for _, t := range tasks {
			if h != "" && slices.ContainsFunc(t.engagers, func(u string) bool { return norm(u) == h }) {
				done++
			}
		}
		if p.exception {
			done = len(tasks)
		}
		w.users++
		w.engagements += done
		status := ""
		switch {
		case h == "" && !p.exception:
			status = "no_username"
		case len(tasks) == 0:
			status = "no_posts"
		case done >= len(tasks):
			status = "sudah"
		case done > 0:
			status = "kurang"
		default:
			status = "belum"
		}
		counter := map[string]*int{"no_username": &w.noUsername, "no_posts": &w.noPost, "sudah": &w.sudah, "kurang": &w.kurang, "belum": &w.belum}[status]
		*counter++
		id, name := p.divisi, p.divisi
		if id == "" {
			id, name = "-", "-"
		}
		if w.unitKind == "client" {
			id, name = p.client, "NAMA "+p.client
		}
		if units[id] == nil {
			units[id] = &unit{id: id, name: name}
		}
		units[id].users++
		if status == "sudah" {
			units[id].sudah++
		}
	}
	if len(tasks) == 0 {
		return w
	}
	var ranked []*unit
	for _, u := range units {
		ranked = append(ranked, u)
	}
	slices.SortFunc(ranked, func(a, b *unit) int {
		ra, rb := float64(a.sudah)/float64(a.users), float64(b.sudah)/float64(b.users)
		if ra != rb {
			return cmp.Compare(rb, ra)
		}
		if a.users != b.users {
			return b.users - a.users
		}
		return strings.Compare(a.name, b.name)
	})
	nTop, nBottom := min(3, (len(ranked)+1)/2), min(3, len(ranked)/2)
	for _, u := range ranked[:nTop] {
		w.top = append(w.top, u.id)
	}
	for i := range nBottom {
		w.bottom = append(w.bottom, ranked[len(ranked)-1-i].id)
	}
	return w
}

func pct1(num, den int) float64 {
	if den == 0 {
		return 0
	}
	return math.Round(1000*float64(num)/float64(den)) / 10
}

// alertsOf applies the documented thresholds to want: "id/severity".
func (w insightWant) alertsOf() []string {
	if w.users == 0 {
		return []string{"no-personnel/medium"}
	}
	var high, medium, low []string
	put := func(sev, id string) {
		switch sev {
		case "high":
			high = append(high, id+"/high")
		case "medium":
			medium = append(medium, id+"/medium")
		default:
			low = append(low, id+"/low")
		}
	}
	if w.posts == 0 {
		put("high", "no-content")
	} else {
		if rate := pct1(w.sudah, w.users); rate < 50 {
			put("high", "low-compliance")
		} else if rate < 80 {
			put("medium", "low-compliance")
		}
		if w.belum > 0 {
			put(map[bool]string{true: "high", false: "medium"}[pct1(w.belum, w.users) >= 20], "zero-engagement")
		}
		if w.kurang > 0 {
			put("low", "partial-engagement")
		}
	}
	if w.noUsername > 0 {
		put(map[bool]string{true: "medium", false: "low"}[pct1(w.noUsername, w.users) >= 10], "missing-username")
	}
	return slices.Concat(high, medium, low)
}

func TestInsightCardsMatchAnIndependentComputation(t *testing.T) {
	r := newInsightRig(t)
	opr := r.login("opr_a", "operator", false, "POLRESA")
	dit := r.login("dit_binmas", "ditbinmas", false, "DITBINMAS")
	today := jakarta.Date(anevNow)
	day := func(n int) string { return jakarta.Date(anevNow.AddDate(0, 0, -n)) }
	weekFrom, weekTo := "2026-11-16", "2026-11-22" // Monday-based week of Friday 2026-11-20
	orgOperator := func(p anevPerson) bool { return p.client == "POLRESA" && slices.Contains(p.roles, "operator") }
	feedOf := func(c string) func(anevPost, string) bool {
		return func(_ anevPost, feed string) bool { return feed == c }
	}
	ditbinmas := func(p anevPerson) bool { return slices.Contains(p.roles, "ditbinmas") }
	roleTask := func(p anevPost, feed string) bool {
		return strings.EqualFold(feed, "ditbinmas") || slices.Contains(p.roles, "ditbinmas")
	}
	tests := []struct {
		name, token, query, platform string
		member                       func(anevPerson) bool
		inTask                       func(anevPost, string) bool
		from, to, label, clientName  string
	}{
		{"operator today (default period)", opr, "", "instagram", orgOperator, feedOf("POLRESA"), today, today, today, "NAMA POLRESA"},
		{"operator week", opr, "periode=mingguan", "instagram", orgOperator, feedOf("POLRESA"), weekFrom, weekTo, weekFrom + " s.d. " + weekTo, "NAMA POLRESA"},
		{"operator range (both spellings)", opr, "tanggal_mulai=" + day(12) + "&end_date=" + today, "instagram", orgOperator, feedOf("POLRESA"),
			day(12), today, day(12) + " s.d. " + today, "NAMA POLRESA"},
		{"operator tiktok week", opr, "platform=tiktok&periode=mingguan", "tiktok", orgOperator, feedOf("POLRESA"), weekFrom, weekTo,
			weekFrom + " s.d. " + weekTo, "NAMA POLRESA"},
		{"operator, a day without content", opr, "tanggal=2026-11-01", "instagram", orgOperator, feedOf("POLRESA"), "2026-11-01", "2026-11-01",
			"2026-11-01", "NAMA POLRESA"},
		{"directorate week, units by client", dit, "client_id=DITBINMAS&scope=direktorat&role=ditbinmas&periode=mingguan", "instagram",
			ditbinmas, roleTask, weekFrom, weekTo, weekFrom + " s.d. " + weekTo, "NAMA DITBINMAS"},
		{"directorate tiktok week", dit, "client_id=DITBINMAS&scope=direktorat&role=ditbinmas&periode=mingguan&platform=TikTok", "tiktok",
			ditbinmas, roleTask, weekFrom, weekTo, weekFrom + " s.d. " + weekTo, "NAMA DITBINMAS"},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := expectInsight(tt.platform, tt.member, tt.inTask, tt.from, tt.to)
			if want.users == 0 {
				t.Fatal("the case tests nothing")
			}
			t.Logf("want %+v alerts %v", want, want.alertsOf())
			ex := r.Do(http.MethodGet, "/api/dashboard/premium/executive-recap?"+tt.query, "", tt.token)
			if ex.Status != http.StatusOK {
				t.Fatalf("executive %d %s", ex.Status, ex.Raw)
			}
			d := ex.Data()
			if d["platform"] != tt.platform || d["periodLabel"] != tt.label || d["clientName"] != tt.clientName {
				t.Errorf("head %v %v %v, want %s %s %s", d["platform"], d["periodLabel"], d["clientName"], tt.platform, tt.label, tt.clientName)
			}
			st := d["stats"].(map[string]any)
			num := func(k string) int { return int(st[k].(float64)) }
			got := insightWant{users: num("totalUsers"), posts: num("totalPosts"), engagements: num("totalEngagements"),
				sudah: num("sudahCount"), kurang: num("kurangCount"), belum: num("belumCount"), noUsername: num("noUsernameCount"),
				noPost: num("noPostsCount"), unitKind: st["unitKind"].(string)}
			for _, k := range []string{"topUnits", "bottomUnits"} {
				for _, u := range st[k].([]any) {
					id := u.(map[string]any)["id"].(string)
					if k == "topUnits" {
						got.top = append(got.top, id)
					} else {
						got.bottom = append(got.bottom, id)
					}
				}
			}
			if !equalWant(got, want) {
				t.Errorf("stats %+v, want %+v", got, want)
			}
			wantRate := 0.0
			if want.posts > 0 {
				wantRate = pct1(want.sudah, want.users)
			}
			if st["complianceRate"].(float64) != wantRate || num("expectedEngagements") != want.posts*want.users ||
				st["engagementRate"].(float64) != pct1(want.engagements, want.posts*want.users) {
				t.Errorf("rates %v %v %v, want compliance %v", st["complianceRate"], st["expectedEngagements"], st["engagementRate"], wantRate)
			}
			summary, text := d["summary"].(string), d["text"].(string)
			if summary == "" || !strings.Contains(text, "\n\n"+summary+"\n\n") || !strings.Contains(text, "Periode: "+tt.label) ||
				!strings.Contains(text, "*"+tt.clientName+"*") {
				t.Errorf("summary %q not in text %q", summary, text)
			}

			rs := r.Do(http.MethodGet, "/api/dashboard/premium/risk-summary?"+tt.query, "", tt.token)
			if rs.Status != http.StatusOK {
				t.Fatalf("risk %d %s", rs.Status, rs.Raw)
			}
			rd := rs.Data()
			rn := func(k string) int { return int(rd[k].(float64)) }
			need := want.kurang + want.belum + want.noUsername
			if rd["complianceRate"].(float64) != wantRate || rn("actionNeededCount") != need || rd["actionNeededRate"].(float64) != pct1(need, want.users) ||
				rn("missingUsernameCount") != want.noUsername || rn("totalUsers") != want.users || rn("completedCount") != want.sudah ||
				rd["periodLabel"] != tt.label || rd["platform"] != tt.platform {
				t.Errorf("risk %v, want %+v", rd, want)
			}
			var alerts []string
			for _, a := range rd["alerts"].([]any) {
				m := a.(map[string]any)
				alerts = append(alerts, m["id"].(string)+"/"+m["severity"].(string))
				if m["title"] == "" || m["detail"] == "" || m["action"] == "" {
					t.Errorf("alert without words: %v", m)
				}
				seen[m["id"].(string)] = true
			}
			if !slices.Equal(alerts, want.alertsOf()) {
				t.Errorf("alerts %v, want %v", alerts, want.alertsOf())
			}
		})
	}
	// The world must exercise the alerts it can.
	for _, id := range []string{"no-content", "low-compliance", "zero-engagement", "partial-engagement", "missing-username"} {
		if !seen[id] {
			t.Errorf("no case raised %s", id)
		}
	}
}

func equalWant(a, b insightWant) bool {
	return a.users == b.users && a.posts == b.posts && a.engagements == b.engagements && a.sudah == b.sudah &&
		a.kurang == b.kurang && a.belum == b.belum && a.noUsername == b.noUsername && a.noPost == b.noPost &&
		a.unitKind == b.unitKind && slices.Equal(a.top, b.top) && slices.Equal(a.bottom, b.bottom)
}

func TestInsightCardsRefusals(t *testing.T) {
	r := newInsightRig(t)
	opr := r.login("opr_a", "operator", false, "POLRESA")
	free := r.login("opr_free", "operator", true, "POLRESA")
	lantas := r.login("dit_lantas", "ditlantas", false, "DITLANTAS")
	for _, route := range []string{"/api/dashboard/premium/executive-recap", "/api/dashboard/premium/risk-summary"} {
		for _, tt := range []struct {
			name, token, query string
			status             int
			message            string
		}{
			{"unknown platform", opr, "platform=facebook", 400, "platform harus instagram atau tiktok"},
			{"bad period", opr, "periode=tahunan", 400, "periode harus harian, mingguan, bulanan atau semua"},
			{"another client", opr, "client_id=POLRESB", 403, "client_id tidak diizinkan"},
			{"no premium", free, "", 403, "Akses premium diperlukan untuk endpoint ini"},
			{"another directorate's personnel", lantas, "client_id=DITLANTAS&role=ditbinmas&scope=org", 403, "client_id tidak diizinkan"},
		} {
			t.Run(route+"/"+tt.name, func(t *testing.T) {
				got := r.Do(http.MethodGet, route+"?"+tt.query, "", tt.token)
				if got.Status != tt.status || got.Msg() != tt.message {
					t.Fatalf("%d %s, want %d %q", got.Status, got.Raw, tt.status, tt.message)
				}
			})
		}
	}
}
