package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/commands/premium"
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

// PremRig is the /api router with the premium read and write routes behind
// Access and Dedup, over real JetStream, Postgres (command log, premium
// read model kept by a running Manager) and Redis; every answer is
// validated against the OpenAPI document.
type PremRig struct {
	T       testing.TB
	N       *testkit.NATS
	Auth    *auth.Authenticator
	Users   *dashuser.Handlers
	Premium *premium.Handlers
	Q       *projections.PremiumQueries
	Mgr     *projections.Manager
	Srv     *httptest.Server
	HTTP    *http.Client
}

func NewPremRig(t testing.TB) *PremRig {
	t.Helper()
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	log := testkit.Logger(t)
	rt := commands.NewRuntime(n.Store, commands.NewPGCommandLog(pool), log)
	mgr, err := projections.NewManager(pool, n.Store, projections.RunnerOptions{Logger: log, Standby: 50 * time.Millisecond,
		LagInterval: time.Second}, projections.NewPremium(n.Store.Registry()))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = mgr.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })

	rdb := testkit.NewRedis(t)
	a, err := auth.New(rdb, auth.Options{Secret: []byte(fmt.Sprintf("prem-test-secret-%d-0123456789abcdef", time.Now().UnixNano()))})
	if err != nil {
		t.Fatal(err)
	}
	r := &PremRig{T: t, N: n, Auth: a, Users: dashuser.NewHandlers(rt, dashuser.WithHashCost(4)),
		Premium: premium.NewHandlers(rt, nil, nil), Q: projections.NewPremiumQueries(pool), Mgr: mgr}
	wait := func(ctx context.Context, ps []events.Position) error {
		return mgr.WaitFor(ctx, projections.PremiumName, ps, 10*time.Second)
	}
	router := chi.NewRouter()
	router.Use(httpx.Recover(log))
	router.NotFound(httpx.NotFound)
	router.Route("/api", func(api chi.Router) {
		api.Use(middleware.Access(middleware.AccessConfig{Auth: a, Log: log}))
		api.Use(middleware.Dedup(middleware.DedupConfig{Redis: rdb, Log: log,
			KeyPrefix: fmt.Sprintf("test:dedup:%d:", time.Now().UnixNano())}))
		readapi.MountPremium(api, readapi.PremiumReadDeps{Premium: r.Q, Logger: log})
		writeapi.MountPremiumCommands(api, writeapi.PremiumCommandDeps{Requests: r.Q, Premium: r.Premium,
			WaitForPremium: wait, Logger: log})
	})
	r.Srv = httptest.NewServer(router)
	t.Cleanup(r.Srv.Close)
	r.HTTP = apispec.Client(t)
	// Dashboard accounts name existing clients.
	clients := client.NewHandlers(rt)
	for _, id := range []string{"POLRES_A", "POLRES_B"} {
		if _, err := clients.RegisterClient(Ctx(t), commands.Meta{Actor: "test"}, client.RegisterClient{ClientID: id,
			Nama: "Nama " + id, ClientType: "org", RegionalID: "JATIM"}); err != nil {
			t.Fatalf("register client %s: %v", id, err)
		}
	}
	return r
}

// DashUser creates an approved dashboard account with role and clients and
// returns its id and a session token for it.
func (r *PremRig) DashUser(username, role string, clients ...string) (string, string) {
	r.T.Helper()
	ctx := Ctx(r.T)
	id, _, err := r.Users.CreateDashboardUser(ctx, commands.Meta{Actor: "test"}, dashuser.CreateDashboardUser{
		Username: username, Password: "rahasia-123", Role: role, WhatsApp: "081234567890", ClientIDs: clients,
		ActorRole: "admin"})
	if err != nil {
		r.T.Fatalf("create dashboard user %s: %v", username, err)
	}
	iss, err := r.Auth.Issue(ctx, auth.KindDashboard, auth.Claims{DashboardUserID: id, Username: username,
		Role: role, ClientIDs: clients})
	if err != nil {
		r.T.Fatal(err)
	}
	return id, iss.Token
}

// Personnel is a session of a personnel (user) token.
func (r *PremRig) Personnel(nrp string) string {
	r.T.Helper()
	iss, err := r.Auth.Issue(Ctx(r.T), auth.KindUser, auth.Claims{UserID: nrp, Role: "user"})
	if err != nil {
		r.T.Fatal(err)
	}
	return iss.Token
}

// PremResp is a decoded answer.
type PremResp struct {
	Status int
	Header http.Header
	Body   map[string]any
	Raw    string
}

func (x PremResp) Msg() string { s, _ := x.Body["message"].(string); return s }

func (x PremResp) Request() map[string]any { m, _ := x.Body["request"].(map[string]any); return m }

func (x PremResp) Str(key string) string { s, _ := x.Request()[key].(string); return s }

// Do sends method path with body ("" = none) as token.
func (r *PremRig) Do(method, path, body, token string) PremResp {
	r.T.Helper()
	var rd io.Reader
	if body != "" {
		rd = bytes.NewBufferString(body)
	}
	req, err := http.NewRequestWithContext(Ctx(r.T), method, r.Srv.URL+path, rd)
	if err != nil {
		r.T.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := r.HTTP.Do(req)
	if err != nil {
		r.T.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := PremResp{Status: res.StatusCode, Header: res.Header, Raw: string(raw)}
	_ = json.Unmarshal(raw, &out.Body)
	return out
}
