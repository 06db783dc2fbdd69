package main

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/testkit"
)

// routeExempt are the /api routes the bad input matrix leaves out ("METHOD
// /api/pattern" → the reason). A route added to the server without a row,
// or a row or exemption naming a route that is not mounted, fails
// TestRouteMatrixCoverage: the matrix grows with the API. The platform
// routes outside /api (/, /healthz, /readyz, /metrics, /ops,
// /openapi.yaml) take no input a client can get wrong and are not walked;
// TestServePlatformRoutes covers them.
var routeExempt = map[string]string{
	// Every mounted /api route has rows today.
}

// TestRouteMatrixCoverage walks the router the server really serves and
// holds it against the rows of TestBadInputMatrix.
func TestRouteMatrixCoverage(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	app, err := NewApp(ctx, testEnv(t), testkit.Logger(t))
	if err != nil {
		cancel()
		t.Fatalf("new app: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		_ = app.ln.Close() // never served: Run owns the listener otherwise
		app.Close()
	})
	// router() builds a *chi.Mux; the interface is all production exposes.
	routes, ok := app.http.Handler.(chi.Routes)
	if !ok {
		t.Fatalf("the server's handler is a %T, not a chi router", app.http.Handler)
	}
	mounted := map[string]bool{}
	err = chi.Walk(routes, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if strings.HasPrefix(route, "/api/") {
			mounted[method+" "+route] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(mounted) == 0 {
		t.Fatal("the walk found no /api route")
	}

	// The rows' routes are constants; the world's tokens and ids are not
	// needed to list them.
	rowsOf := map[string]int{}
	for _, r := range (&badWorld{}).rows() {
		rowsOf[r.method+" "+r.route]++
	}
	var missing, unknownRows, staleExempt []string
	for mr := range mounted {
		_, exempt := routeExempt[mr]
		switch {
		case rowsOf[mr] > 0 && exempt:
			staleExempt = append(staleExempt, mr+" (has rows)")
		case rowsOf[mr] == 0 && !exempt:
			missing = append(missing, mr)
		}
	}
	for mr := range rowsOf {
		if !mounted[mr] {
			unknownRows = append(unknownRows, mr)
		}
	}
	for mr := range routeExempt {
		if !mounted[mr] {
			staleExempt = append(staleExempt, mr+" (not mounted)")
		}
	}
	for _, l := range []struct {
		what string
		list []string
	}{
		{"mounted routes without a row (add rows, or an exemption with its reason)", missing},
		{"rows naming a route the server does not mount", unknownRows},
		{"stale exemptions", staleExempt},
	} {
		if len(l.list) > 0 {
			slices.Sort(l.list)
			t.Errorf("%s:\n\t%s", l.what, strings.Join(l.list, "\n\t"))
		}
	}
	t.Logf("%d /api routes, %d with rows, %d exempt", len(mounted), len(mounted)-len(missing)-len(routeExempt), len(routeExempt))
}

// routeWho is who may call every mounted /api route: the access design in
// one table (SPEC.md §5.10). Routes are mounted through auth.Router with
// their audience; this table is the reviewer's copy, so a route added,
// removed or opened to someone else shows up here.
var routeWho = map[string]auth.Who{
	"GET /api/audit/aggregates":                                  auth.Admins,
	"GET /api/audit/diff/{kind}/{id}":                            auth.Admins,
	"GET /api/audit/events":                                      auth.Admins,
	"GET /api/audit/history/{kind}/{id}":                         auth.Admins,
	"GET /api/audit/reads":                                       auth.Admins,
	"GET /api/audit/state/{kind}/{id}":                           auth.Admins,
	"GET /api/audit/why/{nrp}":                                   auth.Admins,
	"DELETE /api/users/{id}":                                     auth.Staff,
	"GET /api/clients":                                           auth.Staff,
	"GET /api/clients/active":                                    auth.Staff,
	"GET /api/clients/profile":                                   auth.OperatorList,
	"GET /api/clients/{client_id}":                               auth.Staff,
	"GET /api/clients/{client_id}/users":                         auth.Staff,
	"GET /api/dashboard/users":                                   auth.Admins,
	"GET /api/dashboard/users/{id}":                              auth.OperatorList,
	"GET /api/premium-requests":                                  auth.Staff | auth.Personnel,
	"GET /api/premium/request/latest":                            auth.Staff,
	"GET /api/premium/request/{token}":                           auth.Staff,
	"GET /api/users":                                             auth.OperatorList,
	"GET /api/users/by-client-full/{client_id}":                  auth.Staff,
	"GET /api/users/by-client/{client_id}":                       auth.Staff,
	"GET /api/users/list":                                        auth.OperatorList,
	"GET /api/users/{id}":                                        auth.Staff,
	"POST /api/auth/dashboard-login":                             auth.Public,
	"POST /api/auth/dashboard-password-reset/confirm":            auth.Public,
	"POST /api/auth/dashboard-password-reset/request":            auth.Public,
	"POST /api/auth/dashboard-register":                          auth.Public,
	"POST /api/auth/login":                                       auth.Public,
	"POST /api/auth/logout":                                      auth.Public,
	"POST /api/auth/password-reset/confirm":                      auth.Public,
	"POST /api/auth/password-reset/request":                      auth.Public,
	"POST /api/auth/penmas-login":                                auth.Public,
	"POST /api/auth/penmas-register":                             auth.Public,
	"POST /api/auth/user-login":                                  auth.Public,
	"POST /api/auth/user-register":                               auth.Public,
	"POST /api/claim/request-otp":                                auth.Public,
	"POST /api/claim/user-data":                                  auth.Public,
	"POST /api/claim/validate-email":                             auth.Public,
	"POST /api/claim/verify-otp":                                 auth.Public,
	"POST /api/password-reset/confirm":                           auth.Public,
	"POST /api/password-reset/request":                           auth.Public,
	"POST /api/premium-requests":                                 auth.Staff | auth.Personnel,
	"POST /api/premium-requests/{id}/approve":                    auth.Admins,
	"POST /api/premium-requests/{id}/deny":                       auth.Admins,
	"POST /api/premium/request":                                  auth.Staff,
	"POST /api/premium/requests/{token}/approve":                 auth.Admins,
	"POST /api/premium/requests/{token}/deny":                    auth.Admins,
	"POST /api/premium/users/{id}/grant":                         auth.Admins,
	"POST /api/premium/users/{id}/revoke":                        auth.Admins,
	"POST /api/user_roles/update":                                auth.Staff,
	"POST /api/users":                                            auth.OperatorList,
	"POST /api/users/create":                                     auth.OperatorList,
	"PUT /api/claim/update":                                      auth.Public,
	"PUT /api/clients/{client_id}":                               auth.Staff,
	"PUT /api/dashboard/users/{id}/approve":                      auth.Admins,
	"PUT /api/dashboard/users/{id}/clients":                      auth.Admins,
	"PUT /api/dashboard/users/{id}/password":                     auth.OperatorList,
	"PUT /api/dashboard/users/{id}/reject":                       auth.Admins,
	"PUT /api/premium-requests/{id}":                             auth.Staff | auth.Personnel,
	"PUT /api/premium/request/{token}/confirm":                   auth.Staff,
	"PUT /api/user_roles/update":                                 auth.Staff,
	"PUT /api/users/{id}":                                        auth.OperatorList,
	"PUT /api/users/{id}/roles":                                  auth.Staff,
	"PUT /api/users/{id}/wa-notification":                        auth.Staff,
	"POST /api/social/posts/import":                              auth.Dashboard,
	"GET /api/dashboard/anev":                                    auth.Dashboard,
	"POST /api/dashboard/komplain/insta":                         auth.Dashboard,
	"POST /api/dashboard/komplain/tiktok":                        auth.Dashboard,
	"GET /api/dashboard/anev/export":                             auth.Dashboard,
	"GET /api/dashboard/premium/executive-recap":                 auth.Dashboard,
	"GET /api/dashboard/premium/risk-summary":                    auth.Dashboard,
	"PUT /api/social/posts/{platform}/{post_id}/roles/{role}":    auth.Staff,
	"DELETE /api/social/posts/{platform}/{post_id}/roles/{role}": auth.Staff,
	"POST /api/admin/jobs/{name}/run":                            auth.Admins,
	// Social reads (readapi/social_reads.go).
	"GET /api/insta/posts":                 auth.Staff,
	"GET /api/instagram/posts":             auth.Staff,
	"GET /api/tiktok/posts":                auth.Staff | auth.ClientOperators,
	"GET /api/aggregator":                  auth.OperatorList,
	"GET /api/social/aggregator":           auth.OperatorList,
	"POST /api/aggregator/refresh":         auth.Staff,
	"GET /api/insta/rapid-profile":         auth.OperatorList,
	"GET /api/insta/rapid-posts":           auth.Staff,
	"GET /api/tiktok/rapid-profile":        auth.Staff | auth.ClientOperators,
	"GET /api/tiktok/rapid-posts":          auth.Staff | auth.ClientOperators,
	"GET /api/clients/{client_id}/summary": auth.Staff,
	"GET /api/insta/rekap-likes":           auth.OperatorList,
	"GET /api/likes/instagram":             auth.Staff,
	"GET /api/tiktok/rekap-komentar":       auth.OperatorList,
	"GET /api/dashboard/stats":             auth.Dashboard,
	// The Penmas editorial workflow (readapi/editorial_reads.go, writeapi/editorial_*.go):
	// Penmas tokens only; roles and ownership are the commands' (SPEC.md §5.13).
	"GET /api/events":                     auth.Penmas,
	"POST /api/events":                    auth.Penmas,
	"PUT /api/events/{id}":                auth.Penmas,
	"DELETE /api/events/{id}":             auth.Penmas,
	"GET /api/events/{id}/logs":           auth.Penmas,
	"POST /api/events/{id}/logs":          auth.Penmas,
	"GET /api/approvals":                  auth.Penmas,
	"POST /api/approvals":                 auth.Penmas,
	"PUT /api/approvals/{id}":             auth.Penmas,
	"GET /api/press-release-details/{id}": auth.Penmas,
	"POST /api/press-release-details":     auth.Penmas,
	"PUT /api/press-release-details/{id}": auth.Penmas,
	"PUT /api/penmas-users/{id}":          auth.Admins,
	// Link amplification (readapi/amplify_*.go, writeapi/amplify_reports.go).
	"GET /api/link-reports":                                auth.Staff | auth.Personnel,
	"GET /api/link-reports/excel":                          auth.Staff,
	"GET /api/link-reports/excel/by-user-shortcode":        auth.Staff,
	"GET /api/link-reports/{shortcode}":                    auth.Staff | auth.Personnel,
	"POST /api/link-reports":                               auth.Dashboard | auth.Personnel,
	"PUT /api/link-reports/{shortcode}":                    auth.Dashboard | auth.Personnel,
	"DELETE /api/link-reports/{shortcode}":                 auth.Staff | auth.Personnel,
	"GET /api/link-reports-khusus":                         auth.Staff | auth.Personnel,
	"GET /api/link-reports-khusus/excel":                   auth.Staff,
	"GET /api/link-reports-khusus/excel/by-user-shortcode": auth.Staff,
	"GET /api/link-reports-khusus/{shortcode}":             auth.Staff | auth.Personnel,
	"POST /api/link-reports-khusus":                        auth.Dashboard | auth.Personnel,
	"PUT /api/link-reports-khusus/{shortcode}":             auth.Dashboard | auth.Personnel,
	"DELETE /api/link-reports-khusus/{shortcode}":          auth.Staff | auth.Personnel,
	"GET /api/amplify/rekap":                               auth.OperatorList,
	"GET /api/amplify/rekap/excel":                         auth.OperatorList,
	"GET /api/amplify/rekap-khusus":                        auth.OperatorList,
	"GET /api/amplify-khusus/rekap":                        auth.OperatorList,
}

// TestRouteAuthRules walks the router the server really serves: every /api
// route carries an access rule (a route mounted around auth.Router would be
// refused for everyone at run time; this finds it first), and the rules are
// the ones routeWho documents.
func TestRouteAuthRules(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	app, err := NewApp(ctx, testEnv(t), testkit.Logger(t))
	if err != nil {
		cancel()
		t.Fatalf("new app: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		_ = app.ln.Close()
		app.Close()
	})
	routes := app.http.Handler.(chi.Routes)
	walked := map[string]bool{}
	err = chi.Walk(routes, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if !strings.HasPrefix(route, "/api/") {
			return nil
		}
		key := method + " " + route
		walked[key] = true
		if _, ok := app.routes.Rule(method, route); !ok {
			t.Errorf("%s is mounted without an access rule (mount it through auth.Router)", key)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]auth.Who{}
	for _, r := range app.routes.List() {
		key := r.Method + " " + r.Pattern
		got[key] = r.Who
		if !walked[key] {
			t.Errorf("rule for %s, which the router does not serve", key)
		}
	}
	for key, want := range routeWho {
		if g, ok := got[key]; !ok {
			t.Errorf("routeWho lists %s, which is not mounted", key)
		} else if g != want {
			t.Errorf("%s admits %s, routeWho says %s", key, g, want)
		}
	}
	for key, g := range got {
		if _, ok := routeWho[key]; !ok {
			t.Errorf("%s (admits %s) is missing from routeWho", key, g)
		}
	}
}
