package readapi

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/projections/social"
)

// AnevReader is what the ANEV reads (projections/social.Queries).
type AnevReader interface {
	AnevDirectory(ctx context.Context, f social.AnevDirectoryFilter) ([]social.AnevUser, error)
	TaskPosts(ctx context.Context, f social.TaskFilter) ([]string, error)
	EngagerCounts(ctx context.Context, platform, kind string, ids []string) ([]social.EngagerCount, error)
	ClientType(ctx context.Context, clientID string) (string, error)
}

// AnevDeps is what the ANEV routes use. Guard is the premium guard
// (premiumguard.Middleware) in front of both routes.
type AnevDeps struct {
	Social AnevReader
	Guard  func(http.Handler) http.Handler
	Now    func() time.Time
	Logger *slog.Logger
}

type anevAPI struct{ AnevDeps }

// MountAnev adds GET /dashboard/anev and /dashboard/anev/export (the
// premium ANEV page; operators too, for their own client: SPEC.md §5.15).
func MountAnev(r *auth.Router, d AnevDeps) {
	if d.Social == nil || d.Guard == nil {
		panic("readapi.MountAnev: Social and Guard are required")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	a := &anevAPI{d}
	guarded := r.With(d.Guard)
	guarded.Get("/dashboard/anev", auth.Dashboard, a.anev)
	guarded.Get("/dashboard/anev/export", auth.Dashboard, a.export)
}

// anevRequest is a resolved ANEV request.
type anevRequest struct {
	client, role, scope, regional string
	rng                           anevRange
}

func (a *anevAPI) anev(w http.ResponseWriter, r *http.Request) {
	rep, ok := a.report(w, r)
	if !ok {
		return
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"success": true, "data": rep.body()})
}

// report resolves the request and computes its report, answering the
// refusal itself when there is one.
func (a *anevAPI) report(w http.ResponseWriter, r *http.Request) (*anevReport, bool) {
	p, found := principal(w, r)
	if !found {
		return nil, false
	}
	req, err := parseAnevRequest(p, r, a.Now())
	var re rangeError
	if errors.As(err, &re) {
		re.write(w)
		return nil, false
	}
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return nil, false
	}
	rep, err := a.compute(r.Context(), p, req)
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return nil, false
	}
	return rep, true
}

// parseAnevRequest applies spec/social.md §4.1's query rules: the time
// range, the client (query or X-Client-Id, within the caller's clients),
// role and scope.
func parseAnevRequest(p *auth.Principal, r *http.Request, now time.Time) (anevRequest, error) {
	q := r.URL.Query()
	rng, err := parseAnevRange(q, now)
	if err != nil {
		return anevRequest{}, err
	}
	req := anevRequest{rng: rng}
	requested := strings.TrimSpace(q.Get("client_id"))
	if requested == "" {
		requested = strings.TrimSpace(r.Header.Get("X-Client-Id"))
	}
	switch {
	case requested != "":
		if req.client, err = p.ResolveClient(requested); err != nil {
			return req, forbidden(msgClientNotAllowed)
		}
	case p.IsOperator():
		if len(p.ClientIDs) != 1 && p.ClientID == "" {
			return req, invalid(msgClientRequired)
		}
		req.client = p.ClientID
		if req.client == "" {
			req.client = p.ClientIDs[0]
		}
	case p.ClientID != "":
		req.client = p.ClientID
	case len(p.ClientIDs) > 0:
		req.client = p.ClientIDs[0]
	}
	if req.client == "" {
		return req, invalid(msgClientRequired)
	}
	req.role = strings.ToLower(strings.TrimSpace(q.Get("role")))
	if req.role == "" {
		req.role = p.Role
	}
	req.scope = strings.ToLower(strings.TrimSpace(q.Get("scope")))
	if req.scope == "" {
		req.scope = scopeOrg
	}
	if req.scope != scopeOrg && req.scope != scopeDirektor {
		return req, invalid(msgScopeInvalid)
	}
	if req.role == "" {
		return req, invalid(msgRoleRequired)
	}
	if req.scope == scopeDirektor && !auth.IsDirectorateRole(req.role) {
		return req, invalid(msgDirectorateRole)
	}
	req.regional = strings.ToUpper(strings.TrimSpace(q.Get("regional_id")))
	return req, nil
}

// directoryFilter is the personnel set of §4.1 "User directory". One fix:
// a role outside the roles personnel hold (an admin's "admin") does not
// empty an org directory; it selects the client's personnel.
func directoryFilter(p *auth.Principal, req anevRequest) social.AnevDirectoryFilter {
	f := social.AnevDirectoryFilter{Scope: req.scope, Role: req.role, Client: req.client, Regional: req.regional}
	switch {
	case req.scope == scopeDirektor && p.IsOperator():
		f.OnlyClient = req.client
	case req.scope == scopeDirektor:
		// A directorate viewing itself sees every unit's personnel; asking
		// for another client narrows to the caller's own.
		if p.ClientID != "" && !strings.EqualFold(p.ClientID, req.client) {
			f.OnlyClient = p.ClientID
		}
	case req.role != "operator" && !auth.IsDirectorateRole(req.role):
		f.Role = ""
	}
	return f
}

// compute reads the directory and both platforms' engagement.
func (a *anevAPI) compute(ctx context.Context, p *auth.Principal, req anevRequest) (*anevReport, error) {
	users, err := a.Social.AnevDirectory(ctx, directoryFilter(p, req))
	if err != nil {
		return nil, err
	}
	ctype, err := a.Social.ClientType(ctx, req.client)
	if err != nil {
		return nil, err
	}
	rep := &anevReport{req: req, users: users}
	for _, pl := range []struct {
		platform, kind string
		dst            *anevPlatform
	}{{"instagram", social.KindLike, &rep.ig}, {"tiktok", social.KindComment, &rep.tt}} {
		f := social.TaskFilter{Platform: pl.platform, Client: req.client, Role: req.role, Regional: req.regional,
			ByRole: req.scope == scopeDirektor || ctype == scopeDirektor, From: req.rng.from, To: req.rng.to}
		ids, err := a.Social.TaskPosts(ctx, f)
		if err != nil {
			return nil, err
		}
		if f.ByRole && len(ids) == 0 && ctype == scopeDirektor {
			f.ByRole = false
			if ids, err = a.Social.TaskPosts(ctx, f); err != nil {
				return nil, err
			}
		}
		counts, err := a.Social.EngagerCounts(ctx, pl.platform, pl.kind, ids)
		if err != nil {
			return nil, err
		}
		*pl.dst = anevPlatform{posts: len(ids), counts: counts}
	}
	return rep, nil
}

// anevPlatform is one platform's task set size and engagement.
type anevPlatform struct {
	posts  int
	counts []social.EngagerCount
}

func (p anevPlatform) total() int {
	n := 0
	for _, c := range p.counts {
		n += c.Posts
	}
	return n
}

func (p anevPlatform) byUser() map[string]int {
	m := make(map[string]int, len(p.counts))
	for _, c := range p.counts {
		m[c.Username] = c.Posts
	}
	return m
}

// anevReport is a computed ANEV.
type anevReport struct {
	req    anevRequest
	users  []social.AnevUser
	ig, tt anevPlatform
}

// row is one directory user's figures.
type anevRow struct {
	user                      social.AnevUser
	likes, comments, actions  int
	expected                  int
	rate                      float64
	instaHandle, tiktokHandle *string
}

// rows computes every directory user's likes, comments and completion
// rate. An exempt user counts as done (SPEC.md §5.2): their actions are
// the expected ones; their likes and comments stay what was observed.
func (rep *anevReport) rows() []anevRow {
	likes, comments := rep.ig.byUser(), rep.tt.byUser()
	expected := rep.ig.posts + rep.tt.posts
	out := make([]anevRow, len(rep.users))
	for i, u := range rep.users {
		row := anevRow{user: u, expected: expected, instaHandle: handle(u.InstaNorm), tiktokHandle: handle(u.TiktokNorm)}
		if u.InstaNorm != "" {
			row.likes = likes[u.InstaNorm]
		}
		if u.TiktokNorm != "" {
			row.comments = comments[u.TiktokNorm]
		}
		row.actions = row.likes + row.comments
		if u.Exception {
			row.actions = max(row.actions, expected)
		}
		row.rate = completionRate(row.actions, expected)
		out[i] = row
	}
	return out
}

func handle(norm string) *string {
	if norm == "" {
		return nil
	}
	return &norm
}

// completionRate is actions/expected rounded to 4 places, 0 without
// expected actions, never above 1 (SPEC.md §5.4).
func completionRate(actions, expected int) float64 {
	if expected == 0 {
		return 0
	}
	return min(1, math.Round(float64(actions)/float64(expected)*1e4)/1e4)
}

// satfung is a division's name as the cards show it ("-" when empty).
func satfung(divisi string) string {
	if strings.TrimSpace(divisi) == "" {
		return "-"
	}
	return strings.TrimSpace(divisi)
}

// body is the legacy answer's data plus the fields the ANEV cards read
// (SPEC.md §5.15).
func (rep *anevReport) body() map[string]any {
	rows := rep.rows()
	var regional any
	if rep.req.regional != "" {
		regional = rep.req.regional
	}
	directory := make([]map[string]any, len(rows))
	compliance := make([]map[string]any, len(rows))
	type satfungTotals struct{ users, likes, comments int }
	bySatfung := map[string]*satfungTotals{}
	for i, row := range rows {
		u := row.user
		contact := map[string]any{"instagram": row.instaHandle, "tiktok": tiktokContact(row.tiktokHandle)}
		directory[i] = map[string]any{"user_id": u.UserID, "nama": u.Nama, "title": u.Title, "divisi": u.Divisi,
			"client_id": u.ClientID, "client_name": u.ClientName, "kontak_sosial": contact}
		compliance[i] = map[string]any{"user_id": u.UserID, "nama": u.Nama, "divisi": u.Divisi, "client_id": u.ClientID,
			"likes": row.likes, "comments": row.comments, "total_actions": row.actions, "expected_actions": row.expected,
			"completion_rate": row.rate, "exception": u.Exception}
		s := satfung(u.Divisi)
		if bySatfung[s] == nil {
			bySatfung[s] = &satfungTotals{}
		}
		bySatfung[s].users++
		bySatfung[s].likes += row.likes
		bySatfung[s].comments += row.comments
	}
	names := make([]string, 0, len(bySatfung))
	for s := range bySatfung {
		names = append(names, s)
	}
	slices.Sort(names)
	userPerSatfung := make([]map[string]any, len(names))
	likesPerSatfung := make([]map[string]any, len(names))
	for i, s := range names {
		t := bySatfung[s]
		userPerSatfung[i] = map[string]any{"satfung": s, "count": t.users}
		likesPerSatfung[i] = map[string]any{"satfung": s, "likes": t.likes, "comments": t.comments, "users": t.users}
	}
	igTotal, ttTotal := rep.ig.total(), rep.tt.total()
	expected := rep.ig.posts + rep.tt.posts
	return map[string]any{
		"filters": map[string]any{"client_id": rep.req.client, "role": rep.req.role, "scope": rep.req.scope,
			"regional_id": regional, "time_range": rep.req.rng.name, "start_date": rep.req.rng.startRFC(),
			"end_date": rep.req.rng.endRFC(), "permitted_time_ranges": anevTimeRanges},
		"user_directory":       directory,
		"instagram_engagement": map[string]any{"total_posts": rep.ig.posts, "total_likes": igTotal, "per_user": perUser(rows, rep.ig, "likes", true)},
		"tiktok_engagement":    map[string]any{"total_posts": rep.tt.posts, "total_comments": ttTotal, "per_user": perUser(rows, rep.tt, "comments", false)},
		"aggregates": map[string]any{
			"total_users": len(rows), "instagram_posts": rep.ig.posts, "tiktok_posts": rep.tt.posts,
			"total_likes": igTotal, "total_comments": ttTotal, "expected_actions": expected,
			"compliance_per_pelaksana": compliance,
			"totals": map[string]any{"total_users": len(rows), "posts": map[string]any{"instagram": rep.ig.posts, "tiktok": rep.tt.posts},
				"likes": igTotal, "comments": ttTotal, "expected_actions": expected, "likes_per_satfung": likesPerSatfung},
			"platforms":        []map[string]any{{"platform": "instagram", "posts": rep.ig.posts}, {"platform": "tiktok", "posts": rep.tt.posts}},
			"user_per_satfung": userPerSatfung,
		},
	}
}

// tiktokContact is the TikTok handle as the old answer showed it: "@name".
func tiktokContact(norm *string) any {
	if norm == nil {
		return nil
	}
	return "@" + *norm
}

// perUser is one platform's per_user list: every directory user in
// directory order, then one unmapped entry per engaged username no
// directory user has (in username order).
func perUser(rows []anevRow, pl anevPlatform, metric string, insta bool) []map[string]any {
	counts := pl.byUser()
	mapped := map[string]bool{}
	out := make([]map[string]any, 0, len(rows)+len(pl.counts))
	for _, row := range rows {
		h := row.tiktokHandle
		if insta {
			h = row.instaHandle
		}
		n := 0
		if h != nil {
			n = counts[*h]
			mapped[*h] = true
		}
		var username any
		if h != nil {
			username = *h
		}
		out = append(out, map[string]any{"user_id": row.user.UserID, "nama": row.user.Nama, "divisi": row.user.Divisi,
			"client_id": row.user.ClientID, "username": username, metric: n,
			"kontak_sosial": map[string]any{"instagram": row.instaHandle, "tiktok": tiktokContact(row.tiktokHandle)}})
	}
	for _, c := range pl.counts {
		if mapped[c.Username] {
			continue
		}
		out = append(out, map[string]any{"user_id": nil, "nama": nil, "divisi": nil, "client_id": nil,
			"username": c.Username, metric: c.Posts, "unmapped": true})
	}
	return out
}
