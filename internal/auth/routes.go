package auth

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/go-chi/chi/v5"
)

// Who is the set of callers a route admits (SPEC.md §5.10). Every /api
// route is registered through a Router together with its Who, so a route
// cannot be mounted without saying who may call it, and the access layer
// decides on the route the request will really reach (its chi pattern),
// not on a second copy of the paths.
type Who uint16

const (
	// Public routes need no token (logins, registration, claim, reset); a
	// valid token, when sent, is still read so logout and de-duplication see
	// the caller.
	Public Who = 1 << iota
	// Admins are dashboard users with role admin.
	Admins
	// Directorates are the other dashboard users: directorate staff and
	// every role that is neither admin nor operator.
	Directorates
	// Operators are dashboard users with role operator (the legacy
	// operator allow-list).
	Operators
	// Personnel hold a personnel (user) token from the mobile app.
	Personnel
	// Penmas hold a Penmas editorial token.
	Penmas
	// ClientOperators hold a client-operator token from the mobile login.
	ClientOperators
)

// Common sets.
const (
	// Staff is every dashboard user but operators (the legacy "any dashboard
	// route" grant, which left operators to their allow-list).
	Staff = Admins | Directorates
	// Dashboard is every dashboard user.
	Dashboard = Admins | Directorates | Operators
	// OperatorList is what the legacy operator allow-list opened: dashboard
	// users and client operators.
	OperatorList = Dashboard | ClientOperators
)

var whoNames = []struct {
	w    Who
	name string
}{
	{Public, "public"}, {Admins, "admin"}, {Directorates, "directorate"}, {Operators, "operator"},
	{Personnel, "personnel"}, {Penmas, "penmas"}, {ClientOperators, "client"},
}

func (w Who) String() string {
	var out []string
	for _, n := range whoNames {
		if w&n.w != 0 {
			out = append(out, n.name)
		}
	}
	if len(out) == 0 {
		return "nobody"
	}
	return strings.Join(out, "|")
}

// audienceWho maps each audience to its bit.
var audienceWho = map[Audience]Who{
	AudienceAdmin: Admins, AudienceDashboard: Directorates, AudienceOperator: Operators,
	AudiencePersonnel: Personnel, AudiencePenmas: Penmas, AudienceClient: ClientOperators,
}

// Admits reports whether p may call a route open to w.
func (w Who) Admits(p *Principal) bool { return w&audienceWho[AudienceOf(p)] != 0 }

// RouteRule is one mounted route and who may call it. Pattern is the full
// chi pattern ("/api/users/{id}").
type RouteRule struct {
	Method  string
	Pattern string
	Who     Who
}

// Routes is the table of every route registered through its Routers. It is
// filled while the router is built and read on every request.
type Routes struct {
	mu    sync.RWMutex
	rules map[string]Who
}

// NewRoutes returns an empty table.
func NewRoutes() *Routes { return &Routes{rules: map[string]Who{}} }

func routeKey(method, pattern string) string { return method + " " + pattern }

func (t *Routes) add(method, pattern string, who Who) {
	if who == 0 {
		panic(fmt.Sprintf("route %s %s admits nobody", method, pattern))
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	k := routeKey(method, pattern)
	if _, dup := t.rules[k]; dup {
		// chi would panic too; say which rule.
		panic(fmt.Sprintf("route %s registered twice", k))
	}
	t.rules[k] = who
}

// Rule returns who may call method on the route pattern (HEAD is GET).
func (t *Routes) Rule(method, pattern string) (Who, bool) {
	if method == http.MethodHead {
		method = http.MethodGet
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	w, ok := t.rules[routeKey(method, pattern)]
	return w, ok
}

// List returns every rule, sorted by pattern then method.
func (t *Routes) List() []RouteRule {
	t.mu.RLock()
	defer t.mu.RUnlock()
	out := make([]RouteRule, 0, len(t.rules))
	for k, w := range t.rules {
		m, p, _ := strings.Cut(k, " ")
		out = append(out, RouteRule{Method: m, Pattern: p, Who: w})
	}
	slices.SortFunc(out, func(a, b RouteRule) int {
		if c := strings.Compare(a.Pattern, b.Pattern); c != 0 {
			return c
		}
		return strings.Compare(a.Method, b.Method)
	})
	return out
}

// Router mounts routes on a chi router and records each one's rule in a
// Routes table. Patterns are relative to the router's prefix, as in chi.
type Router struct {
	r      chi.Router
	prefix string
	table  *Routes
}

// NewRouter registers onto r, whose routes the request paths reach under
// prefix (e.g. "/api" for the router given to chi's Route("/api", …)).
func NewRouter(r chi.Router, prefix string, table *Routes) *Router {
	return &Router{r: r, prefix: strings.TrimSuffix(prefix, "/"), table: table}
}

// Table is the routes table this router records into.
func (r *Router) Table() *Routes { return r.table }

// Handle mounts h for method on pattern, open to who.
func (r *Router) Handle(method, pattern string, who Who, h http.HandlerFunc) {
	r.table.add(method, r.prefix+pattern, who)
	r.r.Method(method, pattern, h)
}

// Get, Post, Put, Delete and Patch are Handle for one method.
func (r *Router) Get(pattern string, who Who, h http.HandlerFunc) {
	r.Handle(http.MethodGet, pattern, who, h)
}
func (r *Router) Post(pattern string, who Who, h http.HandlerFunc) {
	r.Handle(http.MethodPost, pattern, who, h)
}
func (r *Router) Put(pattern string, who Who, h http.HandlerFunc) {
	r.Handle(http.MethodPut, pattern, who, h)
}
func (r *Router) Delete(pattern string, who Who, h http.HandlerFunc) {
	r.Handle(http.MethodDelete, pattern, who, h)
}
func (r *Router) Patch(pattern string, who Who, h http.HandlerFunc) {
	r.Handle(http.MethodPatch, pattern, who, h)
}

// With returns a router whose routes also pass through mw (after the access
// layer), e.g. the premium guard.
func (r *Router) With(mw ...func(http.Handler) http.Handler) *Router {
	return &Router{r: r.r.With(mw...), prefix: r.prefix, table: r.table}
}

// CanonicalPath reports whether path has no empty (//) or dot segments. The
// access layer refuses other paths, so a rule can never be bypassed by a
// spelling that a proxy or router would read differently. A single trailing
// slash is allowed.
func CanonicalPath(path string) bool {
	if !strings.HasPrefix(path, "/") {
		return false
	}
	segs := strings.Split(strings.TrimPrefix(path, "/"), "/")
	for i, s := range segs {
		switch {
		case s == "." || s == "..":
			return false
		case s == "" && i != len(segs)-1:
			return false
		}
	}
	return true
}
