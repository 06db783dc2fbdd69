package middleware_test

import (
	"net/http"
	"testing"
)

func TestEnvGuard(t *testing.T) {
	s := newStack(t, stackOpts{})
	for _, p := range []string{"/.env", "/api/.env.local", "/foo.environment", "/API/.ENV", "/api/x%2eenv", "/api/auth/.env"} {
		for _, m := range []string{"GET", "POST"} {
			a := s.do(t, m, p, "", "")
			wantError(t, a, http.StatusNotFound, "Endpoint not found", "")
		}
	}
	if n := s.drain(); n != 0 {
		t.Fatalf("probes reached the handler %d times", n)
	}
	if a := s.do(t, "GET", "/", "", ""); a.status != 200 || a.body["status"] != "ok" {
		t.Fatalf("root: %d %s", a.status, a.raw)
	}
	if a := s.do(t, "GET", "/environment", "", ""); a.status != 404 {
		t.Fatalf("/environment: %d", a.status) // plain 404 from the router, not the guard
	}
}
