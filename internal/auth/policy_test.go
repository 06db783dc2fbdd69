package auth_test

import (
	"testing"

	"github.com/cicero/cicero/internal/auth"
)

func TestDefaultPolicyCompiles(t *testing.T) {
	defer func() {
		if v := recover(); v != nil {
			t.Fatalf("default policy: %v", v)
		}
	}()
	auth.DefaultPolicy()
}

func TestNewPolicyRefusesBadPatterns(t *testing.T) {
	for _, path := range []string{"api/x", "/api/**/x", "/api//x", "/api/../x", "/api/./x"} {
		if _, err := auth.NewPolicy([]auth.Rule{auth.Allow("*", path)}, nil); err == nil {
			t.Errorf("pattern %q accepted", path)
		}
	}
	if _, err := auth.NewPolicy(nil, map[auth.Audience][]auth.Rule{auth.AudienceAdmin: {auth.Allow("GET,,POST", "/api")}}); err == nil {
		t.Error("empty method accepted")
	}
}

type routeCase struct {
	method, path string
	allowed      bool
}

func checkRoutes(t *testing.T, p *auth.Principal, cases []routeCase) {
	t.Helper()
	pol := auth.DefaultPolicy()
	for _, c := range cases {
		if got := pol.Allows(p, c.method, c.path); got != c.allowed {
			t.Errorf("%s (%s) %s %s: allowed=%v, want %v", p.Kind, p.Role, c.method, c.path, got, c.allowed)
		}
	}
}

// The operator allow-list of spec/access.md §2.2, verbatim, plus ANEV.
func TestOperatorAllowList(t *testing.T) {
	op := &auth.Principal{Kind: auth.KindDashboard, Role: "operator", ClientIDs: []string{"A"}}
	if auth.AudienceOf(op) != auth.AudienceOperator {
		t.Fatalf("audience %s", auth.AudienceOf(op))
	}
	checkRoutes(t, op, []routeCase{
		// exact paths, any method
		{"GET", "/api/clients/profile", true},
		{"GET", "/api/amplify/rekap", true},
		{"GET", "/api/amplify/rekap-khusus", true},
		{"GET", "/api/amplify-khusus/rekap", true},
		{"GET", "/api/dashboard/stats", true},
		{"GET", "/api/dashboard/login-web/recap", true},
		{"GET", "/api/dashboard/social-media/instagram/analysis", true},
		{"POST", "/api/dashboard/komplain/insta", true},
		{"POST", "/api/dashboard/komplain/tiktok", true},
		{"GET", "/api/insta/rekap-likes", true},
		{"GET", "/api/insta/rapid-profile", true},
		{"GET", "/api/tiktok/rekap-komentar", true},
		{"GET", "/api/users", true},
		{"POST", "/api/users/create", true},
		{"GET", "/api/users/list", true},
		{"POST", "/api/users/list", true}, // the old test "blocks operator role on disallowed methods" asserted this
		{"HEAD", "/api/users/list", true},
		// prefix
		{"GET", "/api/aggregator", true},
		{"GET", "/api/aggregator/refresh", true},
		{"GET", "/api/aggregatorx", false},
		// method + pattern
		{"PUT", "/api/users/12345678", true},
		{"GET", "/api/users/12345678", false},
		{"DELETE", "/api/users/12345678", false},
		{"PUT", "/api/users/1/roles", false},
		{"POST", "/api/link-reports", true},
		{"POST", "/api/link-reports-khusus", true},
		{"PUT", "/api/link-reports/ABC123", true},
		{"PUT", "/api/link-reports-khusus/ABC123", true},
		{"GET", "/api/link-reports", false},
		{"DELETE", "/api/link-reports/ABC123", false},
		{"GET", "/api/link-reports-khusus", false},
		// SPEC.md §5.15
		{"GET", "/api/dashboard/anev", true},
		{"GET", "/api/dashboard/anev/export", true},
		{"POST", "/api/dashboard/anev", false},
		// blocked, as before
		{"GET", "/api/premium/request/latest", false},
		{"POST", "/api/premium/request", false},
		{"GET", "/api/users/by-client/A", false},
		{"POST", "/api/tiktok/komplain", false},
		{"PUT", "/api/dashboard/users/x/approve", false},
		{"GET", "/api/clients", false},
		{"DELETE", "/api/clients/A", false},
		{"POST", "/api/user_roles/update", false},
		{"GET", "/api/events", false},
		// exact matching is case- and slash-sensitive
		{"GET", "/api/users/", false},
		{"GET", "/api/Users", false},
		{"GET", "/api/clients/profile/", false},
	})
}

func TestDashboardAudiences(t *testing.T) {
	dir := &auth.Principal{Kind: auth.KindDashboard, Role: "ditbinmas", ClientIDs: []string{"DITBINMAS"}}
	admin := &auth.Principal{Kind: auth.KindDashboard, Role: "admin"}
	demoted := &auth.Principal{Kind: auth.KindDashboard, Role: "ditsamapta", BaseRole: "admin"}
	if auth.AudienceOf(dir) != auth.AudienceDashboard || auth.AudienceOf(admin) != auth.AudienceAdmin || auth.AudienceOf(demoted) != auth.AudienceAdmin {
		t.Fatal("audiences")
	}
	checkRoutes(t, dir, []routeCase{
		{"GET", "/api/dashboard/anev", true},
		{"GET", "/api/premium/request/latest", true},
		{"GET", "/api/users/by-client/DITBINMAS", true},
		{"GET", "/api/users/123", true},
		{"PUT", "/api/users/123", true},
		{"GET", "/api/amplify/rekap/excel", true},
		{"PUT", "/api/dashboard/users/x/approve", false}, // approvals stay with admins
		{"PUT", "/api/dashboard/users/x/reject", false},
		{"POST", "/api/commands/grant-premium", false},
		{"GET", "/api/audit/aggregates", false},
		{"GET", "/api/events", false}, // Penmas routes need Penmas tokens
		{"POST", "/api/approvals/1", false},
	})
	checkRoutes(t, admin, []routeCase{
		{"PUT", "/api/dashboard/users/x/approve", true},
		{"POST", "/api/commands/grant-premium", true},
		{"GET", "/api/audit/aggregates/x", true},
		{"GET", "/api/dashboard/anev", true},
		{"GET", "/api/press-release-details", false},
	})
	checkRoutes(t, demoted, []routeCase{{"PUT", "/api/dashboard/users/x/approve", true}})
}

func TestPersonnelTokensReachOnlyPersonnelRoutes(t *testing.T) {
	p := &auth.Principal{Kind: auth.KindUser, ID: "123", Role: "user"}
	checkRoutes(t, p, []routeCase{
		{"GET", "/api/link-reports", true},
		{"POST", "/api/link-reports", true},
		{"PUT", "/api/link-reports/ABC", true},
		{"POST", "/api/link-reports-khusus", true},
		{"POST", "/api/premium-requests", true},
		{"GET", "/api/premium-requests", true},
		{"PUT", "/api/premium-requests/7", true},
		{"POST", "/api/premium-requests/7/approve", false},
		{"POST", "/api/tiktok/komplain", true},
		{"GET", "/api/insta/posts", true},
		{"GET", "/api/link-reports/excel", false},
		{"GET", "/api/link-reports-khusus/excel/by-user-shortcode", false},
		{"GET", "/api/dashboard/stats", false},
		{"GET", "/api/dashboard/anev", false},
		{"GET", "/api/users", false},
		{"PUT", "/api/users/123", false},
		{"DELETE", "/api/users/123", false},
		{"POST", "/api/user_roles/update", false},
		{"GET", "/api/clients/profile", false},
		{"DELETE", "/api/clients/A", false},
		{"GET", "/api/insta/rekap-likes", false},
		{"GET", "/api/events", false},
	})
}

func TestPenmasTokensReachOnlyPenmasRoutes(t *testing.T) {
	// Even a Penmas user registered with role "operator" is judged as Penmas.
	for _, role := range []string{"penulis", "editor", "operator", "admin"} {
		p := &auth.Principal{Kind: auth.KindPenmas, ID: "p1", Role: role}
		checkRoutes(t, p, []routeCase{
			{"GET", "/api/events", true},
			{"POST", "/api/events", true},
			{"PUT", "/api/events/5", true},
			{"GET", "/api/events/5/logs", true},
			{"POST", "/api/approvals", true},
			{"PUT", "/api/approvals/9", true},
			{"GET", "/api/press-release-details/3", true},
			// Personnel premium is personnel-only (routes.go).
			{"POST", "/api/premium-requests", false},
			{"GET", "/api/premium-requests", false},
			{"GET", "/api/users", false},
			{"GET", "/api/dashboard/stats", false},
			{"GET", "/api/clients/profile", false},
			{"POST", "/api/link-reports", false},
			{"PUT", "/api/dashboard/users/x/approve", false},
			{"GET", "/api/eventsx", false},
		})
	}
}

func TestClientTokens(t *testing.T) {
	p := &auth.Principal{Kind: auth.KindClient, ID: "POLRES_A", ClientID: "POLRES_A", Role: "client"}
	checkRoutes(t, p, []routeCase{
		{"GET", "/api/clients/profile", true},
		{"GET", "/api/insta/rekap-likes", true},
		{"GET", "/api/tiktok/posts", true},
		{"POST", "/api/tiktok/komplain", true},
		{"POST", "/api/tiktok/posts", false},
		{"GET", "/api/clients", false},
		{"DELETE", "/api/clients/POLRES_A", false},
		{"PUT", "/api/dashboard/users/x/approve", false},
		{"GET", "/api/events", false},
	})
}

func TestPublicRoutes(t *testing.T) {
	pol := auth.DefaultPolicy()
	for _, c := range []routeCase{
		{"POST", "/api/auth/dashboard-login", true},
		{"POST", "/api/auth/login", true},
		{"POST", "/api/auth/user-login", true},
		{"POST", "/api/auth/dashboard-register", true},
		{"POST", "/api/auth/user-register", true},
		{"POST", "/api/auth/penmas-login", true},
		{"POST", "/api/auth/penmas-register", true},
		{"POST", "/api/auth/logout", true},
		{"GET", "/api/auth/open", true},
		{"POST", "/api/auth/dashboard-password-reset/request", true},
		{"POST", "/api/auth/password-reset/confirm", true},
		{"POST", "/api/password-reset/request", true},
		{"POST", "/api/claim/request-otp", true},
		{"PUT", "/api/claim/update", true},
		{"GET", "/api/health/wa", true},
		{"GET", "/api/auth/anything-else", false},
		{"GET", "/api/users", false},
		{"GET", "/api/health", false},
		{"GET", "/api/claimx", false},
	} {
		if got := pol.IsPublic(c.method, c.path); got != c.allowed {
			t.Errorf("%s %s public=%v, want %v", c.method, c.path, got, c.allowed)
		}
	}
}

func TestCanonicalPath(t *testing.T) {
	for path, want := range map[string]bool{
		"/api/users":          true,
		"/api/users/":         true,
		"/":                   true,
		"/api//users":         false,
		"/api/./users":        false,
		"/api/claim/../users": false,
		"/api/..":             false,
		"api/users":           false,
		"":                    false,
	} {
		if got := auth.CanonicalPath(path); got != want {
			t.Errorf("CanonicalPath(%q) = %v, want %v", path, got, want)
		}
	}
}
