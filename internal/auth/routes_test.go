package auth_test

import (
	"net/http"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/cicero/cicero/internal/auth"
)

func TestWhoAdmitsByAudience(t *testing.T) {
	admin := &auth.Principal{Kind: auth.KindDashboard, Role: "admin"}
	demoted := &auth.Principal{Kind: auth.KindDashboard, Role: "ditsamapta", BaseRole: "admin"}
	dir := &auth.Principal{Kind: auth.KindDashboard, Role: "ditbinmas"}
	op := &auth.Principal{Kind: auth.KindDashboard, Role: "operator"}
	user := &auth.Principal{Kind: auth.KindUser, Role: "user"}
	penmas := &auth.Principal{Kind: auth.KindPenmas, Role: "operator"} // judged as Penmas whatever its role
	client := &auth.Principal{Kind: auth.KindClient, Role: "client"}
	cases := []struct {
		who  auth.Who
		p    *auth.Principal
		want bool
	}{
		{auth.Admins, admin, true},
		{auth.Admins, demoted, true},
		{auth.Admins, dir, false},
		{auth.Staff, dir, true},
		{auth.Staff, op, false},
		{auth.Dashboard, op, true},
		{auth.Dashboard, client, false},
		{auth.OperatorList, client, true},
		{auth.OperatorList, user, false},
		{auth.Personnel, user, true},
		{auth.Personnel, penmas, false},
		{auth.Penmas, penmas, true},
		{auth.Dashboard, penmas, false},
		{auth.Public, admin, false}, // public says nothing about kinds
	}
	for _, c := range cases {
		if got := c.who.Admits(c.p); got != c.want {
			t.Errorf("%s admits %s/%s = %v, want %v", c.who, c.p.Kind, c.p.Role, got, c.want)
		}
	}
}

func TestRouterRecordsRules(t *testing.T) {
	table := auth.NewRoutes()
	mux := chi.NewRouter()
	mux.Route("/api", func(api chi.Router) {
		r := auth.NewRouter(api, "/api", table)
		r.Get("/users/{id}", auth.Staff, func(http.ResponseWriter, *http.Request) {})
		r.Put("/users/{id}", auth.Dashboard, func(http.ResponseWriter, *http.Request) {})
		r.Post("/auth/login", auth.Public, func(http.ResponseWriter, *http.Request) {})
	})
	for _, c := range []struct {
		method, pattern string
		want            auth.Who
		known           bool
	}{
		{"GET", "/api/users/{id}", auth.Staff, true},
		{"HEAD", "/api/users/{id}", auth.Staff, true},
		{"PUT", "/api/users/{id}", auth.Dashboard, true},
		{"DELETE", "/api/users/{id}", 0, false},
		{"POST", "/api/auth/login", auth.Public, true},
		{"GET", "/users/{id}", 0, false}, // patterns are full paths
	} {
		got, ok := table.Rule(c.method, c.pattern)
		if got != c.want || ok != c.known {
			t.Errorf("%s %s: %s/%v, want %s/%v", c.method, c.pattern, got, ok, c.want, c.known)
		}
	}
	if n := len(table.List()); n != 3 {
		t.Fatalf("%d rules listed, want 3", n)
	}
	// The pattern the router resolves is the key the table holds.
	if p := mux.Find(chi.NewRouteContext(), "PUT", "/api/users/42"); p != "/api/users/{id}" {
		t.Fatalf("resolved %q", p)
	}
}

func TestRouterRefusesRouteWithoutAudience(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("a route open to nobody was mounted")
		}
	}()
	auth.NewRouter(chi.NewRouter(), "", auth.NewRoutes()).Get("/x", 0, func(http.ResponseWriter, *http.Request) {})
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
