// Package middleware holds the HTTP middlewares every request passes: the
// access layer (token, session, allow-list), request de-duplication, the
// .env probe guard, CORS and the body size limit. All answer errors as JSON
// through internal/httpx.
package middleware

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/httpx"
)

// Reloader refreshes a principal from the read models on each request, the
// way the old verifyDashboardToken reloaded the dashboard user: it may
// update client ids, role and premium snapshot in place. It is called for
// every kind of token (switch on p.Kind) on non-public routes, before the
// allow-list is consulted, so a changed role takes effect at once. Returning an error
// wrapping auth.ErrInvalidToken answers 401 (e.g. account deactivated); an
// *apperr.Error answers its status; anything else 500.
type Reloader func(ctx context.Context, p *auth.Principal) error

// AccessConfig configures Access.
type AccessConfig struct {
	Auth *auth.Authenticator
	// Routes holds every route's rule (filled as the routes are mounted
	// through auth.Router).
	Routes *auth.Routes
	// Resolve returns the pattern of the route a request will reach ("" for
	// none): chi's Mux.Find on the root router.
	Resolve func(method, path string) string
	Reload  Reloader     // optional
	Log     *slog.Logger // nil → slog.Default()
}

// Access is the one access layer for every /api route. It resolves the
// route the request will reach and applies that route's rule: public routes
// pass (with the caller attached when a valid token is sent); everything
// else needs a verified token with a live Redis session (401 with reason
// otherwise) and a route its kind may reach (403 "Forbidden" otherwise). A
// request that reaches no route still needs a valid token before it learns
// so (404/405), so the API's shape is not shown to strangers. The principal
// is put in the request context (auth.FromContext).
func Access(cfg AccessConfig) func(http.Handler) http.Handler {
	log := cfg.Log
	if log == nil {
		log = slog.Default()
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			path := routePath(r)
			if !auth.CanonicalPath(path) || !auth.CanonicalPath(r.URL.Path) {
				httpx.NotFound(w, r)
				return
			}
			pattern := cfg.Resolve(r.Method, path)
			who, known := cfg.Routes.Rule(r.Method, pattern)
			if pattern != "" && !known {
				// A route mounted around auth.Router: refuse it and say so
				// (TestRouteAuthRules keeps this from happening).
				log.Error("route without an access rule refused", "method", r.Method, "route", pattern)
				auth.WriteForbidden(w)
				return
			}
			if who&auth.Public != 0 {
				if p, err := cfg.Auth.Authenticate(r); err == nil {
					r = r.WithContext(auth.WithPrincipal(r.Context(), p))
				}
				next.ServeHTTP(w, r)
				return
			}
			p, err := cfg.Auth.Authenticate(r)
			if err == nil && cfg.Reload != nil {
				err = cfg.Reload(r.Context(), p)
			}
			if err != nil {
				auth.WriteError(w, r, log, err)
				return
			}
			if p.Kind == auth.KindDashboard && len(p.ClientIDs) == 0 && p.ClientID == "" {
				// spec/access.md §2.2 verifyDashboardToken step 5.
				httpx.JSON(w, http.StatusForbidden, httpx.ErrorBody{Message: "Operator belum memiliki klien yang diizinkan"})
				return
			}
			if known && !who.Admits(p) {
				auth.WriteForbidden(w)
				return
			}
			next.ServeHTTP(w, r.WithContext(auth.WithPrincipal(r.Context(), p)))
		})
	}
}

// routePath is the path the router matches on (chi reads RawPath when the
// request carried escapes), so the allow-list judges what will be routed.
func routePath(r *http.Request) string {
	if r.URL.RawPath != "" {
		return r.URL.RawPath
	}
	return r.URL.Path
}
