package middleware_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/middleware"
	"github.com/cicero/cicero/internal/testkit"
)

func wantDuplicate(t *testing.T, a answer) {
	t.Helper()
	wantError(t, a, http.StatusTooManyRequests, "Duplicate request detected", "")
}

func TestDedup(t *testing.T) {
	s := newStack(t, stackOpts{})
	op, _ := s.operator(t)
	other, _ := s.operator(t)
	body := `{"nama":"` + uniq("x") + `"}`

	if a := s.do(t, "POST", "/api/users/create", body, op); a.status != 200 {
		t.Fatalf("first: %d %s", a.status, a.raw)
	}
	wantDuplicate(t, s.do(t, "POST", "/api/users/create", body, op))
	if n := s.drain(); n != 1 {
		t.Fatalf("handler ran %d times, want 1", n)
	}

	ok := func(name, method, path, body, token string) {
		t.Helper()
		if a := s.do(t, method, path, body, token); a.status != 200 {
			t.Fatalf("%s: %d %s", name, a.status, a.raw)
		}
	}
	ok("different body", "POST", "/api/users/create", `{"nama":"`+uniq("y")+`"}`, op)
	ok("same body, other caller", "POST", "/api/users/create", body, other)
	ok("same body, other query", "POST", "/api/users/create?x=1", body, op)
	ok("same body, other method", "PUT", "/api/users/create", body, op)
	for i := 0; i < 3; i++ {
		ok("GET is never de-duplicated", "GET", "/api/users/list", "", op)
	}
	// Claim routes are exempt (public, keyed by IP otherwise).
	claim := `{"nrp":"` + uniq("1") + `"}`
	ok("claim 1", "POST", "/api/claim/request-otp", claim, "")
	ok("claim 2", "POST", "/api/claim/request-otp", claim, "")
	// Anonymous public calls are keyed by address.
	login := `{"username":"` + uniq("u") + `","password":"p"}`
	ok("login 1", "POST", "/api/auth/dashboard-login", login, "")
	wantDuplicate(t, s.do(t, "POST", "/api/auth/dashboard-login", login, ""))
}

func TestDedupKeyLivesFiveMinutes(t *testing.T) {
	rdb := testkit.NewRedis(t)
	prefix := uniq("dedup") + ":"
	h := middleware.Dedup(middleware.DedupConfig{Redis: rdb, KeyPrefix: prefix})(okHandler())
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/api/x", strings.NewReader("{}")))
	keys, err := rdb.Keys(context.Background(), prefix+"*").Result()
	if err != nil || len(keys) != 1 {
		t.Fatalf("dedup keys %v, %v", keys, err)
	}
	if ttl := rdb.TTL(context.Background(), keys[0]).Val(); ttl < 4*time.Minute+50*time.Second || ttl > 5*time.Minute {
		t.Fatalf("dedup key ttl %s, want 5m", ttl)
	}
}

func TestDedupReleasesFailedRequests(t *testing.T) {
	s := newStack(t, stackOpts{})
	op, _ := s.operator(t)
	body := `{"n":"` + uniq("f") + `"}`
	for i := 0; i < 2; i++ {
		if a := s.do(t, "POST", "/api/users/create?status=500", body, op); a.status != 500 {
			t.Fatalf("try %d: %d %s", i, a.status, a.raw)
		}
	}
	for i := 0; i < 2; i++ {
		if a := s.do(t, "POST", "/api/users/create?status=400", body, op); a.status != 400 {
			t.Fatalf("4xx try %d: %d %s", i, a.status, a.raw)
		}
	}
	for i := 0; i < 2; i++ {
		if a := s.do(t, "POST", "/api/users/create?panic=1", body, op); a.status != 500 {
			t.Fatalf("panic try %d: %d %s", i, a.status, a.raw)
		}
	}
	if n := s.drain(); n != 6 {
		t.Fatalf("handler ran %d times, want 6: failed requests must not block a retry", n)
	}
}

func TestDedupDisabled(t *testing.T) {
	s := newStack(t, stackOpts{dedupOff: true}) // ALLOW_DUPLICATE_REQUESTS=true
	op, _ := s.operator(t)
	body := `{"n":"` + uniq("d") + `"}`
	for i := 0; i < 3; i++ {
		if a := s.do(t, "POST", "/api/users/create", body, op); a.status != 200 {
			t.Fatalf("try %d: %d %s", i, a.status, a.raw)
		}
	}
}

func TestDedupExemptsRootAndFailsOpen(t *testing.T) {
	rdb := testkit.NewRedis(t)
	ip := uniq("ip")
	h := middleware.Dedup(middleware.DedupConfig{Redis: rdb, ClientIP: func(*http.Request) string { return ip }})(okHandler())
	for i := 0; i < 2; i++ {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("POST", "/", strings.NewReader("{}")))
		if rec.Code != 200 {
			t.Fatalf("POST / try %d: %d", i, rec.Code)
		}
	}
	dead := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", DialTimeout: 100 * time.Millisecond, MaxRetries: -1})
	t.Cleanup(func() { dead.Close() })
	h = middleware.Dedup(middleware.DedupConfig{Redis: dead, Log: testkit.Logger(t)})(okHandler())
	for i := 0; i < 2; i++ {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("POST", "/api/x", strings.NewReader("{}")))
		if rec.Code != 200 {
			t.Fatalf("redis down, try %d: %d", i, rec.Code)
		}
	}
}

func TestDedupUsesPrincipalNotAddress(t *testing.T) {
	rdb := testkit.NewRedis(t)
	ip := uniq("ip")
	h := middleware.Dedup(middleware.DedupConfig{Redis: rdb, ClientIP: func(*http.Request) string { return ip }})(okHandler())
	send := func(id string) int {
		r := httptest.NewRequest("POST", "/api/link-reports", strings.NewReader(`{"shortcode":"abc"}`))
		r = r.WithContext(auth.WithPrincipal(r.Context(), &auth.Principal{Kind: auth.KindUser, ID: id}))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		return rec.Code
	}
	a, b := uniq("nrp"), uniq("nrp")
	if send(a) != 200 || send(b) != 200 {
		t.Fatal("two people behind one proxy sending the same body collided")
	}
	if send(a) != http.StatusTooManyRequests {
		t.Fatal("same person, same body not refused")
	}
}

func okHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(200) })
}
