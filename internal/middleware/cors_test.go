package middleware_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/cicero/cicero/internal/middleware"
)

func TestCORSPreflight(t *testing.T) {
	s := newStack(t, stackOpts{origins: middleware.ParseOrigins("https://dashboard.example/, https://other.example")})
	preflight := func(origin string) answer {
		return s.do(t, "OPTIONS", "/api/users/list", "", "",
			"Origin", origin,
			"Access-Control-Request-Method", "PUT",
			"Access-Control-Request-Headers", "authorization, content-type, x-cicero-min-position, x-cicero-token, x-cicero-reposter-token")
	}

	a := preflight("https://dashboard.example")
	if a.status != http.StatusNoContent {
		t.Fatalf("allowed preflight: %d %s", a.status, a.raw)
	}
	h := a.header
	if h.Get("Access-Control-Allow-Origin") != "https://dashboard.example" || h.Get("Access-Control-Allow-Credentials") != "true" {
		t.Fatalf("allow-origin/credentials: %v", h)
	}
	for _, m := range []string{"GET", "POST", "PUT", "DELETE"} {
		if !strings.Contains(h.Get("Access-Control-Allow-Methods"), m) {
			t.Errorf("methods %q lack %s", h.Get("Access-Control-Allow-Methods"), m)
		}
	}
	for _, hd := range []string{"Authorization", "Content-Type", "X-Cicero-Min-Position", "X-Cicero-Token", "X-Cicero-Reposter-Token"} {
		if !strings.Contains(h.Get("Access-Control-Allow-Headers"), hd) {
			t.Errorf("headers %q lack %s", h.Get("Access-Control-Allow-Headers"), hd)
		}
	}
	if !slices.Contains(h.Values("Vary"), "Origin") {
		t.Errorf("no Vary: Origin")
	}
	if a := preflight("https://other.example"); a.status != http.StatusNoContent {
		t.Fatalf("second origin: %d", a.status)
	}

	a = preflight("https://evil.example")
	wantError(t, a, http.StatusForbidden, "Origin tidak diizinkan", "")
	if a.header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatal("disallowed origin got Allow-Origin")
	}
	if n := s.drain(); n != 0 {
		t.Fatalf("preflights reached the handler %d times", n)
	}
}

func TestCORSActualRequests(t *testing.T) {
	s := newStack(t, stackOpts{})
	tok, _ := s.operator(t)
	a := s.do(t, "GET", "/api/dashboard/stats", "", tok, "Origin", "https://dashboard.example")
	if a.status != 200 || a.header.Get("Access-Control-Allow-Origin") != "https://dashboard.example" || a.header.Get("Access-Control-Allow-Credentials") != "true" {
		t.Fatalf("allowed origin: %d %v", a.status, a.header)
	}
	for _, hd := range []string{"X-Cicero-Consistency", "Retry-After"} {
		if !strings.Contains(a.header.Get("Access-Control-Expose-Headers"), hd) {
			t.Fatalf("expose headers %q lack %s", a.header.Get("Access-Control-Expose-Headers"), hd)
		}
	}
	// Errors carry CORS headers too, so the dashboard can read the 401.
	a = s.do(t, "GET", "/api/dashboard/stats", "", "", "Origin", "https://dashboard.example")
	if a.status != 401 || a.header.Get("Access-Control-Allow-Origin") == "" {
		t.Fatalf("401 without CORS headers: %d %v", a.status, a.header)
	}
	a = s.do(t, "GET", "/api/dashboard/stats", "", tok, "Origin", "https://evil.example")
	if a.header.Get("Access-Control-Allow-Origin") != "" || a.header.Get("Access-Control-Allow-Credentials") != "" {
		t.Fatalf("disallowed origin got CORS headers: %v", a.header)
	}
	a = s.do(t, "GET", "/api/dashboard/stats", "", tok)
	if a.header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatal("CORS headers without Origin")
	}
}

func TestCORSWildcardNeverWithCredentials(t *testing.T) {
	h := middleware.CORS(middleware.CORSConfig{Origins: []string{"*"}})(okHandler())
	for _, method := range []string{"GET", "OPTIONS"} {
		r := httptest.NewRequest(method, "/api/x", nil)
		r.Header.Set("Origin", "https://anywhere.example")
		if method == "OPTIONS" {
			r.Header.Set("Access-Control-Request-Method", "POST")
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if rec.Header().Get("Access-Control-Allow-Origin") != "*" || rec.Header().Get("Access-Control-Allow-Credentials") != "" {
			t.Fatalf("%s: %v", method, rec.Header())
		}
	}
}

func TestParseOrigins(t *testing.T) {
	got := middleware.ParseOrigins(" https://a.example/ ,, https://b.example:8443 ")
	if !slices.Equal(got, []string{"https://a.example", "https://b.example:8443"}) {
		t.Fatalf("%q", got)
	}
	if middleware.ParseOrigins("") != nil {
		t.Fatal("empty list")
	}
}
