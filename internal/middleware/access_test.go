package middleware_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/golang-jwt/jwt/v5"
	"github.com/redis/go-redis/v9"

	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/middleware"
	"github.com/cicero/cicero/internal/testkit"
)

func TestAccessRefusesTokenProblems(t *testing.T) {
	key := secret(t)
	s := newStack(t, stackOpts{secret: key})
	old := newStack(t, stackOpts{secret: key, now: func() time.Time { return time.Now().Add(-3 * time.Hour) }})
	expired, _ := old.operator(t)
	hs384, _ := jwt.NewWithClaims(jwt.SigningMethodHS384, jwt.MapClaims{"kind": "dashboard", "dashboard_user_id": "x", "role": "admin", "exp": time.Now().Add(time.Hour).Unix()}).SignedString(key)
	noSession, _, _ := s.auth.Tokens().Issue(auth.Claims{Kind: auth.KindDashboard, DashboardUserID: "x", Role: "admin", ClientIDs: []string{"A"}})

	cases := []struct {
		name, token, message, reason string
	}{
		{"missing", "", "Token required", "missing_token"},
		{"garbage", "abc.def.ghi", "Invalid token", "invalid_token"},
		{"other algorithm", hs384, "Invalid token", "invalid_token"},
		{"no session", noSession, "Invalid token", "invalid_token"},
		{"expired", expired, "Invalid token", "expired_token"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantError(t, s.do(t, "GET", "/api/dashboard/stats", "", c.token), http.StatusUnauthorized, c.message, c.reason)
		})
	}
	if n := s.drain(); n != 0 {
		t.Fatalf("%d refused requests reached the handler", n)
	}
}

func TestRevokedSessionIsRefusedEverywhere(t *testing.T) {
	s := newStack(t, stackOpts{})
	tok, _ := s.operator(t)
	routes := [][2]string{{"GET", "/api/dashboard/stats"}, {"GET", "/api/clients/profile"}, {"POST", "/api/users/create"}, {"GET", "/api/aggregator"}}
	for _, rt := range routes {
		if a := s.do(t, rt[0], rt[1], `{"n":"`+uniq("b")+`"}`, tok); a.status != http.StatusOK {
			t.Fatalf("before logout %v: %d %s", rt, a.status, a.raw)
		}
	}
	// Logout is public and revokes the token it is sent; it clears the cookie.
	a := s.do(t, "POST", "/api/auth/logout", "", tok)
	if a.status != http.StatusOK || a.header.Get("Set-Cookie") == "" {
		t.Fatalf("logout: %d %s %v", a.status, a.raw, a.header)
	}
	for _, rt := range routes {
		wantError(t, s.do(t, rt[0], rt[1], `{}`, tok), http.StatusUnauthorized, "Invalid token", "invalid_token")
	}
}

func TestAccessAllowListsOverHTTP(t *testing.T) {
	s := newStack(t, stackOpts{})
	op, opID := s.operator(t)
	nrp := uniq("nrp")
	personnel := s.login(t, auth.KindUser, auth.Claims{UserID: nrp, Role: "user"})
	penmas := s.login(t, auth.KindPenmas, auth.Claims{UserID: uniq("pen"), Role: "editor"})
	admin := s.login(t, auth.KindDashboard, auth.Claims{DashboardUserID: uniq("adm"), Role: "admin", ClientIDs: []string{"POLDA"}})

	cases := []struct {
		name, token, method, path string
		status                    int
	}{
		{"operator anev", op, "GET", "/api/dashboard/anev", 200},
		{"operator anev export", op, "GET", "/api/dashboard/anev/export", 200},
		{"operator rekap", op, "GET", "/api/insta/rekap-likes?client_id=POLRES_A", 200},
		{"operator premium", op, "GET", "/api/premium/request/latest", 403},
		{"operator user by id", op, "GET", "/api/users/123", 403},
		{"operator approve", op, "PUT", "/api/dashboard/users/x/approve", 403},
		{"personnel on dashboard route", personnel, "GET", "/api/dashboard/stats", 403},
		{"personnel user edit", personnel, "PUT", "/api/users/123", 403},
		{"personnel link report", personnel, "POST", "/api/link-reports", 200},
		{"penmas events", penmas, "GET", "/api/events", 200},
		{"penmas users", penmas, "GET", "/api/users", 403},
		{"admin approve", admin, "PUT", "/api/dashboard/users/x/approve", 200},
		{"admin penmas", admin, "GET", "/api/events", 403},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := s.do(t, c.method, c.path, `{"nonce":"`+uniq("n")+`"}`, c.token)
			if c.status == 403 {
				wantError(t, a, 403, "Forbidden", "")
				return
			}
			if a.status != c.status {
				t.Fatalf("status %d, want %d: %s", a.status, c.status, a.raw)
			}
		})
	}
	// The handler sees the principal.
	a := s.do(t, "GET", "/api/dashboard/stats", "", op)
	if a.body["kind"] != "dashboard" || a.body["id"] != opID || a.body["role"] != "operator" {
		t.Fatalf("principal in context: %s", a.raw)
	}
	a = s.do(t, "GET", "/api/link-reports", "", personnel)
	if a.body["kind"] != "user" || a.body["id"] != nrp {
		t.Fatalf("personnel principal: %s", a.raw)
	}
}

func TestPublicRoutes(t *testing.T) {
	s := newStack(t, stackOpts{})
	a := s.do(t, "POST", "/api/auth/dashboard-login", `{"username":"`+uniq("u")+`"}`, "")
	if a.status != 200 || a.body["kind"] != nil {
		t.Fatalf("anonymous login route: %d %s", a.status, a.raw)
	}
	// A bad token on a public route is ignored, not refused.
	if a := s.do(t, "GET", "/api/health/wa", "", "garbage"); a.status != 200 {
		t.Fatalf("public route with bad token: %d", a.status)
	}
	tok, id := s.operator(t)
	a = s.do(t, "GET", "/api/health/wa", "", tok)
	if a.status != 200 || a.body["id"] != id {
		t.Fatalf("public route did not see the valid caller: %s", a.raw)
	}
	// A path that reaches no route needs a token before it learns so.
	wantError(t, s.do(t, "GET", "/api/auth/something-new", "", ""), 401, "Token required", "missing_token")
	if a := s.do(t, "GET", "/api/auth/something-new", "", tok); a.status != http.StatusNotFound {
		t.Fatalf("unknown route with a token: %d %s", a.status, a.raw)
	}
}

// TestRouteWithoutRuleIsRefused: a route mounted on chi directly, around
// auth.Router, is refused for everyone (admins too) instead of being open to
// whoever a default would let in.
func TestRouteWithoutRuleIsRefused(t *testing.T) {
	rdb := testkit.NewRedis(t)
	a, err := auth.New(rdb, auth.Options{Secret: secret(t)})
	if err != nil {
		t.Fatal(err)
	}
	table := auth.NewRoutes()
	mux := chi.NewRouter()
	mux.Route("/api", func(api chi.Router) {
		api.Use(middleware.Access(middleware.AccessConfig{Auth: a, Routes: table, Log: testkit.Logger(t),
			Resolve: func(m, p string) string { return mux.Find(chi.NewRouteContext(), m, p) }}))
		api.Get("/sneaky", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	})
	tok, _, err := a.Tokens().Issue(auth.Claims{Kind: auth.KindDashboard, DashboardUserID: uniq("adm"), Role: "admin", ClientIDs: []string{"A"}})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/api/sneaky", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	mux.ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden {
		t.Fatalf("route without a rule answered %d %s", rec.Code, rec.Body)
	}
}

func TestNonCanonicalPathsAreRefused(t *testing.T) {
	s := newStack(t, stackOpts{})
	for _, p := range []string{"/api/claim/../users", "/api/claim/%2e%2e/users", "/api//users", "/api/./users"} {
		req, err := http.NewRequest("GET", s.srv.URL+"/", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.URL.Opaque = p // send the path exactly as written
		a := s.send(t, req)
		if a.status != http.StatusNotFound {
			t.Errorf("%s: status %d %s", p, a.status, a.raw)
		}
	}
	if n := s.drain(); n != 0 {
		t.Fatalf("%d non-canonical requests reached the handler", n)
	}
}

func TestReloadHook(t *testing.T) {
	var deactivated, demoted, promoted string
	reload := func(_ context.Context, p *auth.Principal) error {
		switch p.ID {
		case deactivated:
			return fmt.Errorf("dashboard user %s inactive: %w", p.ID, auth.ErrInvalidToken)
		case demoted:
			p.ClientIDs, p.ClientID = nil, ""
		case promoted:
			p.Role = "admin"
		case "boom":
			return apperr.New(apperr.Forbidden, "Akun belum disetujui")
		}
		return nil
	}
	s := newStack(t, stackOpts{reload: reload})
	t1, id1 := s.operator(t)
	t2, id2 := s.operator(t)
	t3, id3 := s.operator(t)
	deactivated, demoted, promoted = id1, id2, id3

	wantError(t, s.do(t, "GET", "/api/dashboard/stats", "", t1), 401, "Invalid token", "invalid_token")
	wantError(t, s.do(t, "GET", "/api/dashboard/stats", "", t2), 403, "Operator belum memiliki klien yang diizinkan", "")
	if a := s.do(t, "PUT", "/api/dashboard/users/x/approve", "{}", t3); a.status != 200 || a.body["role"] != "admin" {
		t.Fatalf("reloaded role not used: %d %s", a.status, a.raw)
	}
	boom := s.login(t, auth.KindDashboard, auth.Claims{DashboardUserID: "boom", Role: "operator", ClientIDs: []string{"A"}})
	t.Cleanup(func() { _, _ = s.auth.Sessions().RevokeActor(context.Background(), auth.KindDashboard, "boom") })
	wantError(t, s.do(t, "GET", "/api/dashboard/stats", "", boom), 403, "Akun belum disetujui", "")
}

func TestPanicAnswersJSON(t *testing.T) {
	s := newStack(t, stackOpts{})
	tok, _ := s.operator(t)
	wantError(t, s.do(t, "GET", "/api/dashboard/stats?panic=1", "", tok), 500, "Terjadi kesalahan pada server", "")
	if a := s.do(t, "GET", "/api/dashboard/stats", "", tok); a.status != 200 {
		t.Fatalf("server did not survive the panic: %d", a.status)
	}
}

func TestAccessWithRedisDownAnswers500(t *testing.T) {
	dead := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", DialTimeout: 100 * time.Millisecond, MaxRetries: -1})
	t.Cleanup(func() { dead.Close() })
	a, err := auth.New(dead, auth.Options{Secret: secret(t)})
	if err != nil {
		t.Fatal(err)
	}
	tok, _, _ := a.Tokens().Issue(auth.Claims{Kind: auth.KindDashboard, DashboardUserID: "x", Role: "admin", ClientIDs: []string{"A"}})
	table := auth.NewRoutes()
	auth.NewRouter(chi.NewRouter(), "/api", table).Get("/dashboard/stats", auth.Dashboard, func(http.ResponseWriter, *http.Request) {})
	h := middleware.Access(middleware.AccessConfig{Auth: a, Routes: table, Log: testkit.Logger(t),
		Resolve: func(string, string) string { return "/api/dashboard/stats" }})(okHandler())
	r := httptest.NewRequest("GET", "/api/dashboard/stats", nil)
	r.Header.Set("Authorization", "Bearer "+tok)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), `"success":false`) {
		t.Fatalf("redis down: %d %s (a token must not pass unchecked, nor look like a bad token)", rec.Code, rec.Body)
	}
}
