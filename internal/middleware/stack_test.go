package middleware_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/redis/go-redis/v9"

	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/internal/middleware"
	"github.com/cicero/cicero/internal/testkit"
)

// stack is the HTTP chain as cmd/cicero mounts it, with an echo handler
// behind it, served by a real httptest server over a real Redis.
type stack struct {
	srv   *httptest.Server
	auth  *auth.Authenticator
	rdb   *redis.Client
	calls chan string // one entry per request that reached the handler
}

type stackOpts struct {
	reload    middleware.Reloader
	dedupOff  bool
	bodyLimit int64
	origins   []string
	now       func() time.Time
	secret    []byte
}

func newStack(t *testing.T, o stackOpts) *stack {
	t.Helper()
	rdb := testkit.NewRedis(t)
	log := testkit.Logger(t)
	if o.secret == nil {
		o.secret = secret(t)
	}
	a, err := auth.New(rdb, auth.Options{Secret: o.secret, Now: o.now})
	if err != nil {
		t.Fatal(err)
	}
	if o.origins == nil {
		o.origins = []string{"https://dashboard.example"}
	}
	s := &stack{auth: a, rdb: rdb, calls: make(chan string, 100)}

	r := chi.NewRouter()
	r.Use(httpx.Recover(log), middleware.EnvGuard(log), middleware.CORS(middleware.CORSConfig{Origins: o.origins}), middleware.BodyLimit(o.bodyLimit, log))
	r.NotFound(httpx.NotFound)
	r.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		httpx.JSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	table := auth.NewRoutes()
	resolve := func(method, path string) string { return r.Find(chi.NewRouteContext(), method, path) }
	r.Route("/api", func(api chi.Router) {
		api.Use(middleware.Access(middleware.AccessConfig{Auth: a, Routes: table, Resolve: resolve, Reload: o.reload, Log: log}))
		api.Use(middleware.Dedup(middleware.DedupConfig{Redis: rdb, Disabled: o.dedupOff, Log: log}))
		routes := auth.NewRouter(api, "/api", table)
		// What the login helper's logout handler does.
		routes.Post("/auth/logout", auth.Public, func(w http.ResponseWriter, r *http.Request) {
			if err := a.Logout(w, r); err != nil {
				httpx.Error(w, r, log, err)
				return
			}
			httpx.JSON(w, http.StatusOK, map[string]bool{"success": true})
		})
		for _, rt := range testRoutes {
			routes.Handle(rt.method, rt.pattern, rt.who, s.echo)
		}
	})
	s.srv = httptest.NewServer(r)
	t.Cleanup(s.srv.Close)
	return s
}

// testRoutes are the routes behind the stack, each with the audience the
// real route of that path has (cmd/cicero's route table), all answered by echo.
var testRoutes = []struct {
	method, pattern string
	who             auth.Who
}{
	{"POST", "/auth/dashboard-login", auth.Public},
	{"POST", "/claim/request-otp", auth.Public},
	{"GET", "/health/wa", auth.Public},
	{"GET", "/dashboard/stats", auth.OperatorList},
	{"GET", "/clients/profile", auth.OperatorList},
	{"GET", "/aggregator", auth.OperatorList},
	{"GET", "/insta/rekap-likes", auth.OperatorList},
	{"GET", "/dashboard/anev", auth.Dashboard},
	{"GET", "/dashboard/anev/export", auth.Dashboard},
	{"GET", "/premium/request/latest", auth.Staff},
	{"GET", "/users", auth.OperatorList},
	{"GET", "/users/list", auth.OperatorList},
	{"POST", "/users/create", auth.OperatorList},
	{"PUT", "/users/create", auth.OperatorList},
	{"GET", "/users/{id}", auth.Staff},
	{"PUT", "/users/{id}", auth.OperatorList},
	{"PUT", "/dashboard/users/{id}/approve", auth.Admins},
	{"GET", "/link-reports", auth.Personnel},
	{"POST", "/link-reports", auth.Operators | auth.Personnel},
	{"GET", "/events", auth.Penmas},
}

// echo answers what the handler saw; ?status=N makes it answer N, ?panic=1 panics.
func (s *stack) echo(w http.ResponseWriter, r *http.Request) {
	s.calls <- r.Method + " " + r.URL.Path
	if r.URL.Query().Get("panic") != "" {
		panic("boom")
	}
	body, _ := io.ReadAll(r.Body)
	out := map[string]any{"body": string(body)}
	if p, ok := auth.FromContext(r.Context()); ok {
		out["kind"], out["id"], out["role"] = string(p.Kind), p.ID, p.Role
	}
	status := http.StatusOK
	if s := r.URL.Query().Get("status"); s != "" {
		status, _ = strconv.Atoi(s)
	}
	httpx.JSON(w, status, out)
}

type answer struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

// do sends method path with body (nil = none) and token (sent as Bearer; ""
// = none), plus extra headers as key, value pairs.
func (s *stack) do(t *testing.T, method, path, body, token string, headers ...string) answer {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = bytes.NewBufferString(body)
	}
	req, err := http.NewRequest(method, s.srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return s.send(t, req)
}

func (s *stack) send(t *testing.T, req *http.Request) answer {
	t.Helper()
	resp, err := s.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &a.body); err != nil {
			t.Fatalf("%s %s: body is not JSON: %q", req.Method, req.URL.Path, raw)
		}
	}
	return a
}

func (s *stack) login(t *testing.T, k auth.Kind, c auth.Claims) string {
	t.Helper()
	is, err := s.auth.Issue(context.Background(), k, c)
	if err != nil {
		t.Fatal(err)
	}
	return is.Token
}

func (s *stack) operator(t *testing.T, clients ...string) (string, string) {
	id := uniq("op")
	if clients == nil {
		clients = []string{"POLRES_A"}
	}
	return s.login(t, auth.KindDashboard, auth.Claims{DashboardUserID: id, Role: "operator", ClientIDs: clients}), id
}

// drain empties the handler-call log and returns how many calls it held.
func (s *stack) drain() int {
	n := 0
	for {
		select {
		case <-s.calls:
			n++
		default:
			return n
		}
	}
}

func secret(t *testing.T) []byte {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

func uniq(prefix string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return prefix + "-" + hex.EncodeToString(b)
}

func wantError(t *testing.T, a answer, status int, message, reason string) {
	t.Helper()
	if a.status != status {
		t.Fatalf("status %d, want %d (%s)", a.status, status, a.raw)
	}
	if a.body["success"] != false || a.body["message"] != message {
		t.Fatalf("body %s, want success=false message=%q", a.raw, message)
	}
	got, has := a.body["reason"]
	if reason == "" && has {
		t.Fatalf("unexpected reason in %s", a.raw)
	}
	if reason != "" && got != reason {
		t.Fatalf("reason %v, want %s", got, reason)
	}
	if ct := a.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Fatalf("content type %q", ct)
	}
}
