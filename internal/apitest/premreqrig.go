package apitest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/commands/personnelpremium"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apispec"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/internal/middleware"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/projections"
	"github.com/cicero/cicero/readapi"
	"github.com/cicero/cicero/writeapi"
)

// PremReqRig is the /api router with the personnel premium routes
// (/api/premium-requests) behind Access (the default route policy) and
// Dedup, over real JetStream, Postgres (command log, personnel_premium read
// model kept by a running Manager) and Redis; every answer is validated
// against the OpenAPI document.
type PremReqRig struct {
	T       testing.TB
	N       *testkit.NATS
	Auth    *auth.Authenticator
	People  *person.Handlers
	Premium *personnelpremium.Handlers
	Q       *projections.PersonnelPremiumQueries
	Mgr     *projections.Manager
	Srv     *httptest.Server
	HTTP    *http.Client
}

func NewPremReqRig(t testing.TB) *PremReqRig {
	t.Helper()
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	log := testkit.Logger(t)
	rt := commands.NewRuntime(n.Store, commands.NewPGCommandLog(pool), log)
	mgr, err := projections.NewManager(pool, n.Store, projections.RunnerOptions{Logger: log, Standby: 50 * time.Millisecond,
		LagInterval: time.Second}, projections.NewPersonnelPremium(n.Store.Registry()))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = mgr.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })

	rdb := testkit.NewRedis(t)
	a, err := auth.New(rdb, auth.Options{Secret: []byte(fmt.Sprintf("premreq-test-secret-%d-0123456789abcdef", time.Now().UnixNano()))})
	if err != nil {
		t.Fatal(err)
	}
	r := &PremReqRig{T: t, N: n, Auth: a, People: person.NewHandlers(rt), Premium: personnelpremium.NewHandlers(rt, nil),
		Q: projections.NewPersonnelPremiumQueries(pool), Mgr: mgr}
	wait := func(ctx context.Context, ps []events.Position) error {
		return mgr.WaitFor(ctx, projections.PersonnelPremiumName, ps, 10*time.Second)
	}
	router := chi.NewRouter()
	router.Use(httpx.Recover(log))
	router.NotFound(httpx.NotFound)
	router.Route("/api", func(api chi.Router) {
		api.Use(middleware.Access(middleware.AccessConfig{Auth: a, Log: log}))
		api.Use(middleware.Dedup(middleware.DedupConfig{Redis: rdb, Log: log,
			KeyPrefix: fmt.Sprintf("test:dedup:%d:", time.Now().UnixNano())}))
		readapi.MountPremiumRequests(api, readapi.PremiumRequestsDeps{Requests: r.Q, Logger: log})
		writeapi.MountPremiumRequestCommands(api, writeapi.PremiumRequestCommandDeps{Requests: r.Q, Premium: r.Premium,
			WaitFor: wait, Logger: log})
	})
	r.Srv = httptest.NewServer(router)
	t.Cleanup(r.Srv.Close)
	r.HTTP = apispec.Client(t)
	if _, err := client.NewHandlers(rt).RegisterClient(Ctx(t), commands.Meta{Actor: "test"}, client.RegisterClient{
		ClientID: "POLRES_A", Nama: "Nama POLRES_A", ClientType: "org", RegionalID: "JATIM"}); err != nil {
		t.Fatalf("register client: %v", err)
	}
	return r
}

// Person registers a member of personnel and returns a personnel session
// for them (the mobile app's user-login).
func (r *PremReqRig) Person(nrp string) string {
	r.T.Helper()
	if _, err := r.People.RegisterPerson(Ctx(r.T), commands.Meta{Actor: "test"}, person.RegisterPerson{NRP: nrp,
		Nama: "Personel " + nrp, ClientID: "POLRES_A"}); err != nil {
		r.T.Fatalf("register %s: %v", nrp, err)
	}
	return r.Token(auth.KindUser, auth.Claims{UserID: nrp, Role: "user"})
}

// Admin is a session of a dashboard admin; Dashboard one of another role.
func (r *PremReqRig) Admin() string { return r.dashboard("admin") }

func (r *PremReqRig) Dashboard(role string) string { return r.dashboard(role) }

func (r *PremReqRig) dashboard(role string) string {
	return r.Token(auth.KindDashboard, auth.Claims{DashboardUserID: uuid.NewString(), Username: role, Role: role,
		ClientIDs: []string{"POLRES_A"}})
}

// Penmas is a session of a Penmas editorial user.
func (r *PremReqRig) Penmas() string {
	return r.Token(auth.KindPenmas, auth.Claims{UserID: uuid.NewString(), Username: "penulis", Role: "penulis"})
}

// Token issues a session of kind k with claims c.
func (r *PremReqRig) Token(k auth.Kind, c auth.Claims) string {
	r.T.Helper()
	iss, err := r.Auth.Issue(Ctx(r.T), k, c)
	if err != nil {
		r.T.Fatal(err)
	}
	return iss.Token
}

// Do sends method path with body ("" = none) as token; the answers have
// the dashboard premium routes' shape ("request", "message"), so PremRig's
// sender serves.
func (r *PremReqRig) Do(method, path, body, token string) PremResp {
	r.T.Helper()
	return (&PremRig{T: r.T, Srv: r.Srv, HTTP: r.HTTP}).Do(method, path, body, token)
}
