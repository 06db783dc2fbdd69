package readapi

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/projections/social"
)

// AnevReader is what the ANEV reads (projections/social.Queries).
type AnevReader interface {
	AnevDirectory(ctx context.Context, f social.AnevDirectoryFilter) ([]social.AnevUser, error)
	TaskPosts(ctx context.Context, f social.TaskFilter) ([]string, error)
	EngagerCounts(ctx context.Context, platform, kind string, ids []string) ([]social.EngagerCount, error)
	TaskEngagerCounts(ctx context.Context, platform, task, from, to string) ([]social.EngagerCount, int, error)
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
	guarded := r.With(d.Guard, refuseNUL)
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
	httpx.JSON(w, http.StatusOK, anevAnswer{Success: true, Data: rep.body()})
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
	// scope=direktorat lists every unit's holders of the role: the role's
	// own directorate's (and admins'); operators are narrowed to their
	// client (directoryFilter).
	if req.scope == scopeDirektor && !p.IsOperator() && !p.IsAdmin() && !strings.EqualFold(p.Role, req.role) &&
		!p.AllowsClient(req.role) {
		return req, forbidden(msgClientNotAllowed)
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
	rep := &anevReport{req: req}
	// The directory and the two platforms' reads are independent: run them
	// side by side.
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		var err error
		rep.users, err = a.Social.AnevDirectory(gctx, directoryFilter(p, req))
		return err
	})
	ctype, err := a.Social.ClientType(ctx, req.client)
	if err != nil {
		_ = g.Wait()
		return nil, err
	}
	for _, pl := range []struct {
		platform, kind string
		dst            *anevPlatform
	}{{"instagram", social.KindLike, &rep.ig}, {"tiktok", social.KindComment, &rep.tt}} {
		f := social.TaskFilter{Platform: pl.platform, Client: req.client, Role: req.role, Regional: req.regional,
			ByRole: req.scope == scopeDirektor || ctype == scopeDirektor, From: req.rng.from, To: req.rng.to}
		g.Go(func() error {
			var err error
			*pl.dst, err = a.platform(gctx, f, pl.kind, ctype == scopeDirektor)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return rep, nil
}

// platform reads one platform's task set and engagement. If the role's
// task set is empty for a directorate client, its own feed is read
// instead (spec §4.1). Without a region the task set is one of the
// attendance materialisation's (a client's feed, or a directorate role's
// owned-or-tagged posts) and the per-day counts answer; with a region the
// posts are selected and their engagement rows counted.
func (a *anevAPI) platform(ctx context.Context, f social.TaskFilter, kind string, direktorat bool) (anevPlatform, error) {
	if f.Regional == "" && (!f.ByRole || auth.IsDirectorateRole(f.Role)) {
		task := social.ClientTask(f.Client)
		if f.ByRole {
			task = social.RoleTask(f.Role)
		}
		counts, posts, err := a.Social.TaskEngagerCounts(ctx, f.Platform, task, f.From, f.To)
		if err != nil || posts > 0 || !f.ByRole || !direktorat {
			return anevPlatform{posts: posts, counts: counts}, err
		}
		counts, posts, err = a.Social.TaskEngagerCounts(ctx, f.Platform, social.ClientTask(f.Client), f.From, f.To)
		return anevPlatform{posts: posts, counts: counts}, err
	}
	ids, err := a.Social.TaskPosts(ctx, f)
	if err != nil {
		return anevPlatform{}, err
	}
	if f.ByRole && len(ids) == 0 && direktorat {
		f.ByRole = false
		if ids, err = a.Social.TaskPosts(ctx, f); err != nil {
			return anevPlatform{}, err
		}
	}
	counts, err := a.Social.EngagerCounts(ctx, f.Platform, kind, ids)
	if err != nil {
		return anevPlatform{}, err
	}
	return anevPlatform{posts: len(ids), counts: counts}, nil
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
