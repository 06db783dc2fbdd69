package readapi_test

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/commands/post"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apitest"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/projections/directory"
	"github.com/cicero/cicero/projections/social"
	"github.com/cicero/cicero/readapi"
)

// The recap world (spec/social.md §3, §4.2–4.4): what the test knows to be
// true, as plain data. Every expected payload below is computed from it by
// the test's own reading of the spec, never by the read model's SQL.
// Requests are made at anevNow (Friday 2026-11-20, 10:00 Jakarta).

type rkClient struct{ id, nama, typ, regional string }

type rkPerson struct {
	nrp, nama, client, divisi string
	insta, tiktok             string // as typed
	roles                     []string
	exception, inactive       bool
}

var rkClients = []rkClient{
	{"POLRESA", "POLRES A", "org", "JATIM"},
	{"POLRESB", "POLRES NGAWI", "org", "JATIM"}, // satker priority rank 4: listed first
	{"DITBINMAS", "DIREKTORAT BINMAS", "direktorat", "JATIM"},
	{"POLRESX", "POLRES X", "org", "BALI"},
	{"DITLANTAS", "DIREKTORAT LALU LINTAS", "direktorat", "JATIM"}, // no personnel, no posts: the other directorate
}

var rkPeople = []rkPerson{
	{nrp: "80000001", nama: "BUDI", client: "POLRESA", divisi: "SAT BINMAS", insta: "@Budi.S", tiktok: "@Budi_TT", roles: []string{"operator"}},
	{nrp: "80000002", nama: "siti", client: "POLRESA", divisi: "SAT BINMAS", insta: " siti ", tiktok: "siti", roles: []string{"operator"}},
	{nrp: "80000003", nama: "CANDRA", client: "POLRESA", divisi: "BAG OPS", roles: []string{"operator"}},
	{nrp: "80000004", nama: "DEWI", client: "POLRESA", roles: []string{"operator"}, exception: true}, // exempt, no handle
	{nrp: "80000005", nama: "ANDI", client: "POLRESA", divisi: "SAT LANTAS", insta: "https://www.instagram.com/Andi/", tiktok: "https://www.tiktok.com/@Andi", roles: []string{"operator", "ditbinmas"}},
	{nrp: "80000006", nama: "GONE", client: "POLRESA", insta: "gone", roles: []string{"operator"}, inactive: true},
	{nrp: "80000007", nama: "RINA", client: "POLRESB", divisi: "SAT BINMAS", insta: "rina", tiktok: "rina", roles: []string{"ditbinmas"}},
	{nrp: "80000008", nama: "JOKO", client: "POLRESB", divisi: "SAT BINMAS", insta: "joko", roles: []string{"ditbinmas"}},
	{nrp: "80000009", nama: "BALI", client: "POLRESX", divisi: "SAT BINMAS", insta: "bali.one", roles: []string{"ditbinmas"}},
	{nrp: "80000010", nama: "EKO", client: "POLRESA", divisi: "SAT BINMAS", insta: "eko", tiktok: "eko"}, // no role
	{nrp: "80000011", nama: "FAJAR", client: "POLRESA", divisi: "SAT BINMAS", insta: "fajar.x", roles: []string{"operator"}, exception: true},
}

var rkPosts = []anevPost{
	{platform: "instagram", id: "Rpa00001", clients: []string{"POLRESA"}, at: jkt(0, 0, 1), engagers: []string{"budi.s", "SITI", "stranger", "andi"}},
	{platform: "instagram", id: "Rpa00002", clients: []string{"POLRESA"}, at: jkt(1, 23, 59), engagers: []string{"@budi.s", "rina", "eko"}},
	{platform: "instagram", id: "Rpa00003", clients: []string{"POLRESA"}, at: jkt(10, 12, 0), engagers: []string{"budi.s", "siti", "andi"}},
	{platform: "instagram", id: "Rpa00004", clients: []string{"POLRESA"}, at: jkt(0, 8, 0), withdrawnBy: "POLRESA", engagers: []string{"budi.s"}},
	{platform: "instagram", id: "Rshared1", clients: []string{"POLRESA", "POLRESB"}, at: jkt(0, 9, 0), engagers: []string{"siti", "rina", "joko", "eko"}},
	{platform: "instagram", id: "Rpa00006", clients: []string{"POLRESA"}, at: jkt(3, 9, 0), roles: []string{"ditbinmas"}, engagers: []string{"andi", "rina"}},
	{platform: "instagram", id: "Rdit0001", clients: []string{"DITBINMAS"}, at: jkt(0, 7, 0), engagers: []string{"rina", "joko", "andi", "bali.one", "outsider"}},
	{platform: "instagram", id: "Rpx00001", clients: []string{"POLRESX"}, at: jkt(0, 7, 0), roles: []string{"ditbinmas"}, engagers: []string{"bali.one"}},
	{platform: "instagram", id: "Rpb00001", clients: []string{"POLRESB"}, at: jkt(0, 6, 0), roles: []string{"ditbinmas"}, withdrawnBy: "POLRESB", engagers: []string{"rina", "joko"}},
	{platform: "tiktok", id: "7500000000000000001", clients: []string{"POLRESA"}, at: jkt(0, 6, 0), engagers: []string{"@budi_tt", "SITI", "nobody"}},
	{platform: "tiktok", id: "7500000000000000002", clients: []string{"POLRESA"}, at: jkt(1, 23, 59), engagers: []string{"siti"}},
	{platform: "tiktok", id: "7500000000000000003", clients: []string{"DITBINMAS"}, at: jkt(1, 10, 0), engagers: []string{"rina", "andi"}},
	{platform: "tiktok", id: "7500000000000000004", clients: []string{"POLRESA"}, at: jkt(0, 0, 1), engagers: []string{"budi_tt", "eko"}},
}

// rkUntagged are role tags given after the engagement was recorded and
// taken back: the post leaves the role's task set.
var rkUntagged = map[string]string{"Rpa00001": "ditbinmas", "7500000000000000001": "ditbinmas"}

// rkHandle is the test's reading of spec §2.6 for a handle as typed: a
// profile link's name, leading "@" dropped, trimmed, lower-cased.
func rkHandle(typed string) string {
	h := strings.ToLower(strings.TrimSpace(typed))
	for _, p := range []string{"https://www.instagram.com/", "https://www.tiktok.com/"} {
		h = strings.TrimSuffix(strings.TrimPrefix(h, p), "/")
	}
	return strings.TrimLeft(h, "@")
}

func rkClientOf(id string) rkClient {
	for _, c := range rkClients {
		if c.id == id {
			return c
		}
	}
	panic(id)
}

// rkWant is one recap request's truth: the task set and the personnel set.
type rkWant struct {
	platform     string
	client, role string // task: the client's feed, or the role's owned-or-tagged posts
	from, to     string // Jakarta dates, inclusive; "" = every date
	people       func(rkPerson) bool
	regional     string
}

// taskPosts are the posts of the task set in the period: in a feed they
// were not withdrawn from.
func (w rkWant) taskPosts(platform string) []anevPost {
	var out []anevPost
	for _, p := range rkPosts {
		day := jakarta.Date(p.at)
		if p.platform != platform || (w.from != "" && (day < w.from || day > w.to)) {
			continue
		}
		in := false
		for _, c := range p.clients {
			if c == p.withdrawnBy {
				continue
			}
			if (w.client != "" && c == w.client) || (w.role != "" && (strings.EqualFold(c, w.role) || slices.Contains(p.roles, w.role))) {
				in = true
			}
		}
		if in {
			out = append(out, p)
		}
	}
	return out
}

func (w rkWant) members() []rkPerson {
	var out []rkPerson
	for _, p := range rkPeople {
		if p.inactive || !w.people(p) || (w.regional != "" && rkClientOf(p.client).regional != w.regional) {
			continue
		}
		out = append(out, p)
	}
	return out
}

// payload is the whole answer of spec §4.2 (likes) or §4.3 (comments),
// with the fixes of SPEC.md §5 (exempt personnel done for every post,
// satker priority on the client's name), as JSON would carry it.
func (w rkWant) payload(t *testing.T) map[string]any {
	t.Helper()
	posts := w.taskPosts(w.platform)
	total := len(posts)
	tiktok := w.platform == "tiktok"
	type row struct {
		p                rkPerson
		username, handle string
		n                int
	}
	var rows []row
	for _, p := range w.members() {
		typed := p.insta
		if tiktok {
			typed = p.tiktok
		}
		r := row{p: p, username: rkHandle(typed), handle: rkHandle(typed)}
		for _, post := range posts {
			if r.handle != "" && slices.ContainsFunc(post.engagers, func(e string) bool { return rkHandle(e) == r.handle }) {
				r.n++
			}
		}
		if p.exception {
			r.n = total
		}
		rows = append(rows, r)
	}
	prio := []string{"POLRES LAMONGAN", "POLRES BOJONEGORO", "POLRES PROBOLINGGO", "POLRES NGAWI", "POLRES MADIUN",
		"POLRES PACITAN", "POLRES BONDOWOSO", "POLRES SITUBONDO", "POLRES MOJOKERTO", "POLRES KEDIRI", "POLRES KEDIRI KOTA",
		"POLRESTA MALANG KOTA", "POLRES MADIUN KOTA"}
	rank := func(r row) int {
		if i := slices.Index(prio, rkClientOf(r.p.client).nama); i >= 0 {
			return i + 1
		}
		return 14
	}
	slices.SortFunc(rows, func(a, b row) int {
		if rank(a) != rank(b) {
			return rank(a) - rank(b)
		}
		na, nb := strings.ToUpper(a.p.nama), strings.ToUpper(b.p.nama)
		if rank(a) == 14 && na != nb {
			return strings.Compare(na, nb)
		}
		if a.n != b.n {
			return b.n - a.n
		}
		return strings.Compare(na+a.p.nrp, nb+b.p.nrp)
	})
	word := map[bool][5]string{
		false: {"jumlah_like", "missingLikes", "totalLikes", "likes", "Instagram"},
		true:  {"jumlah_komentar", "missingComments", "totalComments", "comments", "TikTok"},
	}[tiktok]
	badge := map[string]string{"sudah": "✅ Semua konten pada periode ini sudah di-like.", "kurang": "⚠️ Masih ada konten yang belum di-like.",
		"belum": "⏳ Belum ada like pada periode ini.", "no_posts": "ℹ️ Tidak ada konten yang perlu di-like pada periode ini."}
	if tiktok {
		badge = map[string]string{"sudah": "✅ Semua konten pada periode ini sudah dikomentari.", "kurang": "⚠️ Masih ada konten yang belum dikomentari.",
			"belum": "⏳ Belum ada komentar pada periode ini.", "no_posts": "ℹ️ Tidak ada konten yang perlu dikomentari pada periode ini."}
	}
	var (
		data, chart, noUserDetails          []any
		sudahU, kurangU, belumU, noUserNull = []any{}, []any{}, []any{}, []any{}
		withC, withoutC                     = []any{}, []any{}
		dist                                = map[string]int{}
		sum                                 int
		sumRate                             float64
	)
	for i, r := range rows {
		noHandle := r.handle == "" && !r.p.exception
		var st string
		switch {
		case noHandle:
			st = "no_username"
		case total == 0:
			st = "no_posts"
		case r.n >= total:
			st = "sudah"
		case r.n > 0:
			st = "kurang"
		default:
			st = "belum"
		}
		dist[st]++
		sum += r.n
		rate := 0.0
		if total > 0 {
			rate = float64(r.n) / float64(total)
		}
		pct := math.Round(rate * 100)
		var username any
		if r.username != "" {
			username = r.username
		}
		badges := []any{}
		if b, ok := badge[st]; ok {
			badges = append(badges, b)
		}
		if noHandle {
			badges = append(badges, "❗ Username "+word[4]+" belum tersedia.")
		}
		c := rkClientOf(r.p.client)
		nama := strings.ToUpper(r.p.nama) // the directory keeps names upper-case
		m := map[string]any{"user_id": r.p.nrp, "title": "", "nama": nama, "username": username, "divisi": r.p.divisi,
			"client_id": r.p.client, "client_name": c.nama, "regional_id": c.regional, word[0]: r.n, "ranking": i + 1,
			"completionRate": rate, "completionPercentage": pct, word[1]: max(total-r.n, 0), "status": st, "badges": badges}
		if tiktok {
			m["total_konten"] = total
		} else {
			m["exception"] = r.p.exception
		}
		data = append(data, m)
		switch st {
		case "sudah", "kurang", "belum":
			sumRate += rate
			if username != nil {
				l := map[string]*[]any{"sudah": &sudahU, "kurang": &kurangU, "belum": &belumU}[st]
				*l = append(*l, username)
			}
		case "no_username":
			noUserNull = append(noUserNull, nil)
			noUserDetails = append(noUserDetails, map[string]any{"userId": r.p.nrp, "name": nama, "division": r.p.divisi,
				"clientId": r.p.client, "regionalId": c.regional})
		}
		chart = append(chart, map[string]any{"label": nama, word[3]: r.n, word[1]: max(total-r.n, 0), "completionPercentage": pct})
		if r.n > 0 && username != nil {
			withC = append(withC, username)
		} else if r.n == 0 {
			withoutC = append(withoutC, username)
		}
	}
	active := dist["sudah"] + dist["kurang"] + dist["belum"]
	avg, part := 0.0, 0.0
	if active > 0 && total > 0 {
		avg = math.Round(100*sumRate/float64(active)*10) / 10
		part = math.Round(100*float64(dist["sudah"]+dist["kurang"])/float64(active)*10) / 10
	}
	verb := map[bool][4]string{
		false: {"me-like semua konten yang tersedia", "kekurangan like pada sebagian konten", "memberikan like sama sekali", "Instagram"},
		true:  {"mengomentari semua konten yang tersedia", "kekurangan komentar pada sebagian konten", "memberikan komentar sama sekali", "TikTok"},
	}[tiktok]
	insights := []any{}
	for _, x := range []struct {
		n   int
		txt string
	}{{dist["sudah"], "✅ %d akun sudah " + verb[0] + "."}, {dist["kurang"], "⚠️ %d akun masih " + verb[1] + "."},
		{dist["belum"], "⏳ %d akun belum " + verb[2] + "."}, {dist["no_username"], "❗ %d akun belum memiliki username " + verb[3] + "."}} {
		if x.n > 0 {
			insights = append(insights, fmt.Sprintf(x.txt, x.n))
		}
	}
	if total == 0 {
		insights = append(insights, "ℹ️ Tidak ada konten pada periode ini.")
	}
	legend := []any{
		map[string]any{"status": "sudah", "label": "Sudah", "description": "Semua konten pada periode ini telah di-like."},
		map[string]any{"status": "kurang", "label": "Kurang", "description": "Sudah melakukan like tetapi masih ada konten yang belum di-like."},
		map[string]any{"status": "belum", "label": "Belum", "description": "Belum memberikan like pada periode ini."},
		map[string]any{"status": "no_username", "label": "No Username", "description": "Belum memiliki username Instagram di sistem."},
		map[string]any{"status": "no_posts", "label": "No Posts", "description": "Tidak ada konten untuk periode yang dipilih."},
	}
	if tiktok {
		legend[0].(map[string]any)["description"] = "Semua konten pada periode ini telah dikomentari."
		legend[1].(map[string]any)["description"] = "Sudah memberikan komentar tetapi masih ada konten yang belum dikomentari."
		legend[2].(map[string]any)["description"] = "Belum memberikan komentar pada periode ini."
		legend[3].(map[string]any)["description"] = "Belum memiliki username TikTok di sistem."
	}
	out := map[string]any{"success": true, "data": orEmpty(data), "chartHeight": max(len(rows)*36, 320), "totalPosts": total,
		"sudahUsers": sudahU, "kurangUsers": kurangU, "belumUsers": belumU,
		"sudahUsersCount": dist["sudah"], "kurangUsersCount": dist["kurang"], "belumUsersCount": dist["belum"] + dist["no_username"],
		"noUsernameUsersCount": dist["no_username"], "noUsernameUsers": noUserNull, "usersCount": len(rows),
		"summary": map[string]any{"totalPosts": total, "totalUsers": len(rows), word[2]: sum, "averageCompletionPercentage": avg,
			"participationRatePercentage": part, "distribution": map[string]any{"sudah": dist["sudah"], "kurang": dist["kurang"],
				"belum": dist["belum"], "noUsername": dist["no_username"], "noPosts": dist["no_posts"]}},
		"chartData": orEmpty(chart), "insights": insights, "statusLegend": legend, "noUsernameUsersDetails": orEmpty(noUserDetails)}
	if tiktok {
		out["usersWithComments"], out["usersWithCommentsCount"] = withC, len(withC)
		out["usersWithoutComments"], out["usersWithoutCommentsCount"] = withoutC, len(withoutC)
	}
	return asJSON(t, out)
}

func orEmpty(xs []any) []any {
	if xs == nil {
		return []any{}
	}
	return xs
}

// asJSON is v as a decoded JSON answer (numbers float64).
func asJSON(t *testing.T, v any) map[string]any {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func hasRole(role string) func(rkPerson) bool {
	return func(p rkPerson) bool { return slices.Contains(p.roles, role) }
}

// orgMember: the client's own personnel, or holders of the role named like it.
func orgMember(client string) func(rkPerson) bool {
	return func(p rkPerson) bool { return p.client == client || slices.Contains(p.roles, strings.ToLower(client)) }
}

func both(a, b func(rkPerson) bool) func(rkPerson) bool {
	return func(p rkPerson) bool { return a(p) && b(p) }
}

type recapRig struct{ *apitest.Stack }

func newRecapRig(t *testing.T) *recapRig {
	t.Helper()
	s := apitest.NewStack(t, apitest.StackOptions{NoDedup: true}, apitest.Proj(directory.New), apitest.Proj(social.NewPosts),
		apitest.Proj(social.NewEngagements))
	s.Serve(func(api *auth.Router) {
		readapi.MountSocialRecap(api, readapi.SocialRecapDeps{Directory: directory.NewQueries(s.Pool),
			Attendance: social.NewQueries(s.Pool), Logger: s.Log, Now: func() time.Time { return anevNow }})
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
	for _, c := range rkClients {
		must(ch.RegisterClient(ctx, meta, client.RegisterClient{ClientID: c.id, Nama: c.nama, ClientType: c.typ, RegionalID: c.regional}))
	}
	ph := person.NewHandlers(s.RT)
	for _, p := range rkPeople {
		must(ph.RegisterPerson(ctx, meta, person.RegisterPerson{NRP: p.nrp, Nama: p.nama, ClientID: p.client,
			Divisi: p.divisi, Insta: p.insta, Tiktok: p.tiktok, Roles: p.roles, Exception: p.exception}))
		if p.inactive {
			must(ph.Deactivate(ctx, meta, person.Deactivate{NRP: p.nrp}))
		}
	}
	posts := post.NewHandlers(s.RT, nil)
	for _, p := range rkPosts {
		for _, c := range p.clients {
			must(posts.IngestPost(ctx, meta, post.IngestPost{Platform: p.platform, PostID: p.id, ClientID: c,
				Account: strings.ToLower(c), PublishedAt: p.at, ObservedAt: p.at.Add(time.Minute)}))
		}
		for _, role := range p.roles {
			must(posts.TagPostForRole(ctx, meta, post.TagPostForRole{Platform: p.platform, PostID: p.id, Role: role, By: "test"}))
		}
		at := p.at.Add(10 * time.Minute)
		var o commands.Outcome
		var err error
		if p.platform == "instagram" {
			o, _, err = posts.RecordLikes(ctx, meta, post.RecordLikes{Platform: p.platform, PostID: p.id, Usernames: p.engagers, ObservedAt: at, WindowStart: at, WindowEnd: at})
		} else {
			o, _, err = posts.RecordComments(ctx, meta, post.RecordComments{Platform: p.platform, PostID: p.id, Usernames: p.engagers, ObservedAt: at, WindowStart: at, WindowEnd: at})
		}
		must(o, err)
		if role := rkUntagged[p.id]; role != "" {
			must(posts.TagPostForRole(ctx, meta, post.TagPostForRole{Platform: p.platform, PostID: p.id, Role: role, By: "test"}))
			must(posts.UntagPostForRole(ctx, meta, post.UntagPostForRole{Platform: p.platform, PostID: p.id, Role: role}))
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
	return &recapRig{s}
}

func (r *recapRig) dash(role string, clients ...string) string {
	return r.Token(auth.KindDashboard, auth.Claims{DashboardUserID: "dash-" + role + strings.Join(clients, "-"), Username: role,
		Role: role, ClientIDs: clients})
}

func TestRecapsMatchAnIndependentComputation(t *testing.T) {
	r := newRecapRig(t)
	adm := r.dash("admin", "POLRESA")
	opr := r.dash("operator", "POLRESA")
	dit := r.dash("ditbinmas", "DITBINMAS")
	mobile := r.Token(auth.KindClient, auth.Claims{ClientID: "POLRESA", Role: "client"}) // a client operator's mobile login
	day := func(n int) string { return jakarta.Date(anevNow.AddDate(0, 0, -n)) }
	today := day(0)
	polresa := orgMember("POLRESA")
	ig, tt := "instagram", "tiktok"
	tests := []struct {
		name, path, token string
		want              rkWant
	}{
		// GET /api/insta/rekap-likes
		{"likes org harian (00:01 today in, 23:59 yesterday out; withdrawn out; shared in)", "/api/insta/rekap-likes?client_id=POLRESA", adm,
			rkWant{platform: ig, client: "POLRESA", from: today, to: today, people: polresa}},
		{"likes org harian, tanggal yesterday (23:59 in)", "/api/insta/rekap-likes?client_id=polresa&periode=harian&tanggal=" + day(1), adm,
			rkWant{platform: ig, client: "POLRESA", from: day(1), to: day(1), people: polresa}},
		{"likes org mingguan (Monday week)", "/api/insta/rekap-likes?client_id=POLRESA&periode=mingguan&tanggal=" + today, adm,
			rkWant{platform: ig, client: "POLRESA", from: "2026-11-16", to: "2026-11-22", people: polresa}},
		{"likes org bulanan YYYY-MM", "/api/insta/rekap-likes?client_id=POLRESA&periode=bulanan&tanggal=2026-11", adm,
			rkWant{platform: ig, client: "POLRESA", from: "2026-11-01", to: "2026-11-30", people: polresa}},
		{"likes org semua", "/api/insta/rekap-likes?client_id=POLRESA&periode=semua", adm,
			rkWant{platform: ig, client: "POLRESA", people: polresa}},
		{"likes org range (tanggal_mulai/tanggal_selesai)", "/api/insta/rekap-likes?client_id=POLRESA&tanggal_mulai=" + day(3) + "&tanggal_selesai=" + day(1), adm,
			rkWant{platform: ig, client: "POLRESA", from: day(3), to: day(1), people: polresa}},
		{"likes org, a day without posts: no_posts", "/api/insta/rekap-likes?client_id=POLRESA&tanggal=2026-10-01", adm,
			rkWant{platform: ig, client: "POLRESA", from: "2026-10-01", to: "2026-10-01", people: polresa}},
		{"likes shared post in the second feed", "/api/insta/rekap-likes?client_id=POLRESB", adm,
			rkWant{platform: ig, client: "POLRESB", from: today, to: today, people: orgMember("POLRESB")}},
		{"likes operator scope org: the client's operators", "/api/insta/rekap-likes?role=operator&scope=org", opr,
			rkWant{platform: ig, client: "POLRESA", from: today, to: today, people: both(polresa, hasRole("operator"))}},
		{"likes directorate scope: owned or tagged, every unit", "/api/insta/rekap-likes?client_id=DITBINMAS&role=ditbinmas&scope=direktorat&periode=mingguan", dit,
			rkWant{platform: ig, role: "ditbinmas", from: "2026-11-16", to: "2026-11-22", people: hasRole("ditbinmas")}},
		{"likes directorate scope, regional filter", "/api/insta/rekap-likes?client_id=DITBINMAS&role=ditbinmas&scope=direktorat&regional_id=jatim", dit,
			rkWant{platform: ig, role: "ditbinmas", from: today, to: today, people: hasRole("ditbinmas"), regional: "JATIM"}},
		{"likes org scope with a directorate role: the role's posts, the unit's holders", "/api/insta/rekap-likes?client_id=POLRESA&role=ditbinmas&scope=org&periode=mingguan", adm,
			rkWant{platform: ig, role: "ditbinmas", from: "2026-11-16", to: "2026-11-22", people: both(polresa, hasRole("ditbinmas"))}},
		{"likes legacy ditbinmas caller", "/api/insta/rekap-likes", dit,
			rkWant{platform: ig, role: "ditbinmas", from: today, to: today, people: hasRole("ditbinmas")}},
		// GET /api/likes/instagram
		{"likes/instagram: the DITBINMAS aggregation", "/api/likes/instagram?periode=mingguan", adm,
			rkWant{platform: ig, role: "ditbinmas", from: "2026-11-16", to: "2026-11-22", people: hasRole("ditbinmas")}},
		{"likes/instagram regional BALI", "/api/likes/instagram?regional_id=BALI", adm,
			rkWant{platform: ig, role: "ditbinmas", from: today, to: today, people: hasRole("ditbinmas"), regional: "BALI"}},
		// GET /api/tiktok/rekap-komentar
		{"komentar org harian", "/api/tiktok/rekap-komentar?client_id=POLRESA", adm,
			rkWant{platform: tt, client: "POLRESA", from: today, to: today, people: polresa}},
		{"komentar org yesterday (23:59 in)", "/api/tiktok/rekap-komentar?client_id=POLRESA&tanggal=" + day(1), adm,
			rkWant{platform: tt, client: "POLRESA", from: day(1), to: day(1), people: polresa}},
		{"komentar operator: the token's client, whatever the query says", "/api/tiktok/rekap-komentar?client_id=POLRESB&role=operator&scope=org", opr,
			rkWant{platform: tt, client: "POLRESA", from: today, to: today, people: both(polresa, hasRole("operator"))}},
		{"komentar client operator (mobile login): its client", "/api/tiktok/rekap-komentar", mobile,
			rkWant{platform: tt, client: "POLRESA", from: today, to: today, people: polresa}},
		{"likes client operator (mobile login) semua", "/api/insta/rekap-likes?client_id=polresa&periode=semua", mobile,
			rkWant{platform: ig, client: "POLRESA", people: polresa}},
		{"komentar directorate mingguan", "/api/tiktok/rekap-komentar?client_id=DITBINMAS&role=ditbinmas&scope=direktorat&periode=mingguan", dit,
			rkWant{platform: tt, role: "ditbinmas", from: "2026-11-16", to: "2026-11-22", people: hasRole("ditbinmas")}},
		{"komentar no posts", "/api/tiktok/rekap-komentar?client_id=POLRESA&start_date=2026-10-01&end_date=2026-10-02", adm,
			rkWant{platform: tt, client: "POLRESA", from: "2026-10-01", to: "2026-10-02", people: polresa}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := r.Do(http.MethodGet, tc.path, "", tc.token)
			if got.Status != http.StatusOK {
				t.Fatalf("%d %s", got.Status, got.Raw)
			}
			want := tc.want.payload(t)
			if len(want["data"].([]any)) == 0 {
				t.Fatalf("the case tests nothing: no personnel")
			}
			if d := cmp.Diff(want, got.Body); d != "" {
				t.Errorf("payload (-want +got):\n%s", d)
			}
		})
	}
}

func TestDashboardStatsMatchesAnIndependentComputation(t *testing.T) {
	r := newRecapRig(t)
	opr := r.dash("operator", "POLRESA")
	dit := r.dash("ditbinmas", "DITBINMAS")
	adm := r.dash("admin", "POLRESA")
	today := jakarta.Date(anevNow)
	week := rkWant{from: "2026-11-16", to: "2026-11-22"}
	tests := []struct {
		name, path, token             string
		client, role, scope, regional string
		want                          rkWant
	}{
		{"operator: its own client, whatever the query says", "/api/dashboard/stats?client_id=POLRESB&role=operator&scope=org", opr,
			"POLRESA", "operator", "org", "", rkWant{client: "POLRESA", from: today, to: today, people: both(orgMember("POLRESA"), hasRole("operator"))}},
		{"directorate today", "/api/dashboard/stats?client_id=DITBINMAS&role=ditbinmas&scope=direktorat", dit,
			"DITBINMAS", "ditbinmas", "direktorat", "", rkWant{role: "ditbinmas", from: today, to: today, people: hasRole("ditbinmas")}},
		{"directorate mingguan in BALI", "/api/dashboard/stats?client_id=DITBINMAS&role=ditbinmas&scope=direktorat&periode=mingguan&regional_id=bali", dit,
			"DITBINMAS", "ditbinmas", "direktorat", "BALI", rkWant{role: "ditbinmas", from: week.from, to: week.to, people: hasRole("ditbinmas"), regional: "BALI"}},
		{"admin, another client by name, semua", "/api/dashboard/stats?client_id=polresb&periode=semua", adm,
			"POLRESB", "admin", "org", "", rkWant{client: "POLRESB", people: orgMember("POLRESB")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := r.Do(http.MethodGet, tc.path, "", tc.token)
			if got.Status != http.StatusOK {
				t.Fatalf("%d %s", got.Status, got.Raw)
			}
			var regional any
			if tc.regional != "" {
				regional = tc.regional
			}
			want := asJSON(t, map[string]any{"success": true, "data": map[string]any{"client_id": tc.client, "role": tc.role,
				"scope": tc.scope, "regional_id": regional, "clients": len(rkClients), "users": len(tc.want.members()),
				"igPosts": len(tc.want.taskPosts("instagram")), "ttPosts": len(tc.want.taskPosts("tiktok"))}})
			if d := cmp.Diff(want, got.Body); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestRecapRefusals(t *testing.T) {
	r := newRecapRig(t)
	opr := r.dash("operator", "POLRESA")
	two := r.dash("operator", "POLRESA", "POLRESB")
	adm := r.dash("admin", "POLRESA", "POLRESB")
	mobile := r.Token(auth.KindClient, auth.Claims{ClientID: "POLRESA", Role: "client"})
	lantas := r.dash("ditlantas", "DITLANTAS")
	oprDit := r.dash("operator", "DITLANTAS")
	for _, tc := range []struct {
		name, path, token string
		status            int
		message           string
	}{
		// A directorate-wide personnel set (every holder of a role, in
		// every unit) is the role's directorate's own: scope=org on a
		// direktorat client must not widen to another directorate's.
		{"directorate, another directorate's personnel via org scope", "/api/insta/rekap-likes?client_id=DITLANTAS&role=ditbinmas&scope=org", lantas, 403, "client_id tidak diizinkan"},
		{"directorate, another directorate's personnel via org scope (tiktok)", "/api/tiktok/rekap-komentar?client_id=DITLANTAS&role=ditbinmas&scope=org", lantas, 403, "client_id tidak diizinkan"},
		{"directorate, another directorate's personnel count", "/api/dashboard/stats?client_id=DITLANTAS&role=ditbinmas&scope=org", lantas, 403, "client_id tidak diizinkan"},
		{"operator of a directorate, another directorate's personnel", "/api/insta/rekap-likes?client_id=DITLANTAS&role=ditbinmas&scope=org", oprDit, 403, "client_id tidak diizinkan"},
		{"directorate, its own org recap", "/api/insta/rekap-likes?client_id=DITLANTAS", lantas, 200, ""},
		{"operator, another client", "/api/insta/rekap-likes?client_id=POLRESB&role=operator&scope=org", opr, 403, "client_id tidak diizinkan"},
		{"operator, directorate-wide set", "/api/insta/rekap-likes?client_id=POLRESA&role=ditbinmas&scope=direktorat", opr, 403, "client_id tidak diizinkan"},
		{"client operator, another client", "/api/tiktok/rekap-komentar?client_id=POLRESB", mobile, 403, "client_id tidak diizinkan"},
		{"client operator, not on the dashboard", "/api/dashboard/stats", mobile, 403, ""},
		{"no client named", "/api/insta/rekap-likes", adm, 400, "client_id wajib diisi"},
		{"operator of two clients names none", "/api/tiktok/rekap-komentar", two, 400, "client_id wajib diisi"},
		{"bad scope", "/api/insta/rekap-likes?client_id=POLRESA&scope=polda", adm, 400, "scope tidak valid"},
		{"directorate scope, not a directorate role", "/api/tiktok/rekap-komentar?client_id=POLRESA&scope=direktorat&role=operator", adm, 400, "role direktorat tidak valid"},
		{"bad date", "/api/insta/rekap-likes?client_id=POLRESA&tanggal=kemarin", adm, 400, ""},
		{"stats, operator scope of another client", "/api/dashboard/stats?client_id=POLRESB", adm, 200, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := r.Do(http.MethodGet, tc.path, "", tc.token)
			if got.Status != tc.status || (tc.message != "" && got.Msg() != tc.message) {
				t.Fatalf("%d %s, want %d %q", got.Status, got.Raw, tc.status, tc.message)
			}
		})
	}
}
