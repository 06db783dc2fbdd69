package apitest

import (
	"context"
	"crypto/rand"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apispec"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/internal/middleware"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/projections"
	"github.com/cicero/cicero/projections/access"
)

// Stack is what every HTTP rig stands on: embedded JetStream, a fresh
// Postgres database with the command log and a running projection Manager,
// Redis, and an Authenticator; Serve puts the /api router in front of it.
type Stack struct {
	T    testing.TB
	Log  *slog.Logger
	N    *testkit.NATS
	Pool *pgxpool.Pool
	RT   *commands.Runtime
	Mgr  *projections.Manager
	// IdemPrefix prefixes the Redis keys of Idempotency-Key answers.
	IdemPrefix string
	Rdb        *redis.Client
	Auth       *auth.Authenticator
	// Throttle counts login attempts under a key prefix of the test's own.
	Throttle *auth.Throttle
	Srv      *httptest.Server // set by Serve or Listen
	HTTP     *http.Client     // validates every answer against the OpenAPI document

	opts StackOptions
}

// StackOptions are where rigs differ in the middleware in front of /api.
type StackOptions struct {
	// ReloadPrincipals gives Access the composition root's reload hook, so
	// a dashboard token carries its account's current state.
	ReloadPrincipals bool
	// BodyLimit puts the default request body limit in front of the router.
	BodyLimit bool
	// NoDedup lets identical requests through.
	NoDedup bool
}

// NewProjection builds a projection over the stack's event registry, which
// exists only once the stack has started.
type NewProjection func(*events.Registry) projections.Projection

// Proj adapts a projections constructor (directory.New, …).
func Proj[P projections.Projection](f func(*events.Registry) P) NewProjection {
	return func(reg *events.Registry) projections.Projection { return f(reg) }
}

// NewStack starts the parts and runs the projections until t ends.
func NewStack(t testing.TB, opts StackOptions, ps ...NewProjection) *Stack {
	t.Helper()
	s := &Stack{T: t, Log: testkit.Logger(t), N: testkit.StartNATS(t, testkit.FastSync()), opts: opts}
	s.Pool, _ = testkit.NewDatabase(t)
	s.RT = commands.NewRuntime(s.N.Store, commands.NewPGCommandLog(s.Pool), s.Log)

	reg := s.N.Store.Registry()
	built := make([]projections.Projection, len(ps))
	for i, p := range ps {
		built[i] = p(reg)
	}
	var err error
	s.Mgr, err = projections.NewManager(s.Pool, s.N.Store, projections.RunnerOptions{Logger: s.Log,
		Standby: 50 * time.Millisecond, LagInterval: time.Second}, built...)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = s.Mgr.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })

	s.Rdb = testkit.NewRedis(t)
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	if s.Auth, err = auth.New(s.Rdb, auth.Options{Secret: secret}); err != nil {
		t.Fatal(err)
	}
	s.HTTP = apispec.Client(t)
	// Tests share one Redis: keys of their own.
	s.IdemPrefix = "test:idem:" + rand.Text() + ":"
	s.Throttle = auth.NewThrottle(s.Rdb, auth.ThrottleConfig{Prefix: "test:throttle:" + rand.Text() + ":", Secret: secret})
	return s
}

// Serve serves the router as the composition root builds it — Recover,
// the JSON 404, then /api behind Access and Dedup — with mount adding the
// routes under test to /api.
func (s *Stack) Serve(mount func(api *auth.Router)) *httptest.Server {
	s.T.Helper()
	root := chi.NewRouter()
	root.Use(httpx.Recover(s.Log))
	// The test client is the proxy: X-Forwarded-For from loopback names
	// the client address (TRUSTED_PROXIES=127.0.0.1,::1).
	root.Use(middleware.WithClientIP(middleware.ClientIP([]netip.Prefix{
		netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("::1/128")})))
	if s.opts.BodyLimit {
		root.Use(middleware.BodyLimit(0, s.Log))
	}
	root.NotFound(httpx.NotFound)
	routes := auth.NewRoutes()
	acc := middleware.AccessConfig{Auth: s.Auth, Log: s.Log, Routes: routes,
		Resolve: func(method, path string) string { return root.Find(chi.NewRouteContext(), method, path) }}
	if s.opts.ReloadPrincipals {
		acc.Reload = access.NewPrincipalReloader(s.Pool, nil).Reload
	}
	root.Route("/api", func(api chi.Router) {
		api.Use(middleware.Access(acc))
		api.Use(middleware.Idempotency(middleware.IdempotencyConfig{Redis: s.Rdb, Log: s.Log, KeyPrefix: s.IdemPrefix}))
		// Tests share one Redis: a key prefix of their own keeps their
		// de-duplication apart.
		api.Use(middleware.Dedup(middleware.DedupConfig{Redis: s.Rdb, Disabled: s.opts.NoDedup, Log: s.Log,
			KeyPrefix: "test:dedup:" + rand.Text() + ":"}))
		mount(auth.NewRouter(api, "/api", routes))
	})
	return s.Listen(root)
}

// Listen serves h until t ends.
func (s *Stack) Listen(h http.Handler) *httptest.Server {
	s.Srv = httptest.NewServer(h)
	s.T.Cleanup(s.Srv.Close)
	return s.Srv
}

// Waiter is a write route's read-your-writes wait on projection.
func (s *Stack) Waiter(projection string) func(context.Context, []events.Position) error {
	return func(ctx context.Context, ps []events.Position) error {
		return s.Mgr.WaitFor(ctx, projection, ps, 10*time.Second)
	}
}

// Settle waits until projection has applied positions.
func (s *Stack) Settle(projection string, positions []events.Position) {
	s.T.Helper()
	if err := s.Mgr.WaitFor(Ctx(s.T), projection, positions, 20*time.Second); err != nil {
		s.T.Fatalf("read model %s did not catch up: %v", projection, err)
	}
}

// Token issues a session of kind k with claims c.
func (s *Stack) Token(k auth.Kind, c auth.Claims) string {
	s.T.Helper()
	iss, err := s.Auth.Issue(Ctx(s.T), k, c)
	if err != nil {
		s.T.Fatal(err)
	}
	return iss.Token
}

// Personnel is a session of a personnel (user) token.
func (s *Stack) Personnel(nrp string) string {
	return s.Token(auth.KindUser, auth.Claims{UserID: nrp, Role: "user"})
}

// OrgClient is an ORG client of JATIM, the kind dashboard accounts name.
func OrgClient(id string) client.RegisterClient {
	return client.RegisterClient{ClientID: id, Nama: "Nama " + id, ClientType: "org", RegionalID: "JATIM"}
}

// RegisterClients enters clients without waiting for any read model.
func (s *Stack) RegisterClients(cs ...client.RegisterClient) {
	s.T.Helper()
	h := client.NewHandlers(s.RT)
	for _, c := range cs {
		if _, err := h.RegisterClient(Ctx(s.T), commands.Meta{Actor: "test"}, c); err != nil {
			s.T.Fatalf("register client %s: %v", c.ClientID, err)
		}
	}
}
