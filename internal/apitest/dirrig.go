// Package apitest assembles the /api router the way cmd/cicero mounts it,
// over real JetStream, Postgres and Redis, for the readapi and writeapi
// tests. It is test support: nothing outside _test.go files imports it.
package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/person"
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

// DirRig is the /api router as cmd/cicero mounts it (Access, Dedup, the
// user and client read and write routes) over real JetStream, Postgres
// (command log and the directory read model kept by a running Manager)
// and Redis, with a client that validates every answer against OpenAPI.
type DirRig struct {
	T       testing.TB
	N       *testkit.NATS
	Rdb     *redis.Client
	Auth    *auth.Authenticator
	People  *person.Handlers
	Clients *client.Handlers
	Dir     *projections.DirectoryQueries
	Mgr     *projections.Manager
	Pool    *pgxpool.Pool
	Srv     *httptest.Server
	HTTP    *http.Client
}

type RigOpts struct {
	NoDedup bool
	NoSpec  bool
}

func NewDirRig(t testing.TB, o RigOpts) *DirRig {
	t.Helper()
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	log := testkit.Logger(t)
	rt := commands.NewRuntime(n.Store, commands.NewPGCommandLog(pool), log)
	mgr, err := projections.NewManager(pool, n.Store, projections.RunnerOptions{Logger: log, Standby: 50 * time.Millisecond,
		LagInterval: time.Second}, projections.NewDirectory(n.Store.Registry()))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = mgr.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })

	rdb := testkit.NewRedis(t)
	a, err := auth.New(rdb, auth.Options{Secret: []byte(fmt.Sprintf("dir-test-secret-%d-0123456789abcdef", time.Now().UnixNano()))})
	if err != nil {
		t.Fatal(err)
	}
	r := &DirRig{T: t, N: n, Rdb: rdb, Auth: a, People: person.NewHandlers(rt), Clients: client.NewHandlers(rt),
		Dir: projections.NewDirectoryQueries(pool), Mgr: mgr, Pool: pool}
	wait := func(ctx context.Context, ps []events.Position) error {
		return mgr.WaitFor(ctx, projections.DirectoryName, ps, 10*time.Second)
	}
	router := chi.NewRouter()
	router.Use(httpx.Recover(log))
	router.NotFound(httpx.NotFound)
	router.Route("/api", func(api chi.Router) {
		api.Use(middleware.Access(middleware.AccessConfig{Auth: a, Log: log}))
		// A per-test key prefix keeps parallel tests' de-duplication apart.
		api.Use(middleware.Dedup(middleware.DedupConfig{Redis: rdb, Disabled: o.NoDedup, Log: log,
			KeyPrefix: fmt.Sprintf("test:dedup:%d:", time.Now().UnixNano())}))
		readapi.MountUsers(api, readapi.UsersDeps{Directory: r.Dir, Logger: log})
		readapi.MountClients(api, readapi.ClientsDeps{Directory: r.Dir, Logger: log})
		writeapi.MountUserCommands(api, writeapi.UserCommandsDeps{Directory: r.Dir, People: r.People,
			WaitForDirectory: wait, Logger: log})
		writeapi.MountClientCommands(api, writeapi.ClientCommandsDeps{Directory: r.Dir, Clients: r.Clients,
			WaitForDirectory: wait, Logger: log})
	})
	r.Srv = httptest.NewServer(router)
	t.Cleanup(r.Srv.Close)
	r.HTTP = http.DefaultClient
	if !o.NoSpec {
		r.HTTP = apispec.Client(t)
	}
	return r
}

func Ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

// Settle waits until the read model has applied o's events.
func (r *DirRig) Settle(o commands.Outcome) {
	r.T.Helper()
	if err := r.Mgr.WaitFor(Ctx(r.T), projections.DirectoryName, o.Positions(), 20*time.Second); err != nil {
		r.T.Fatalf("read model did not catch up: %v", err)
	}
}

// MustClient registers a client (type org or direktorat) and waits for it.
func (r *DirRig) MustClient(id, typ, regional string) {
	r.T.Helper()
	o, err := r.Clients.RegisterClient(Ctx(r.T), commands.Meta{Actor: "test"},
		client.RegisterClient{ClientID: id, Nama: "Nama " + id, ClientType: typ, RegionalID: regional,
			ClientInsta: strings.ToLower(id) + "_ig", ClientLevel: "Premium_1"})
	if err != nil {
		r.T.Fatalf("register client %s: %v", id, err)
	}
	r.Settle(o)
}

// MustPerson registers a person and waits for the read model.
func (r *DirRig) MustPerson(nrp, clientID string, roles ...string) {
	r.T.Helper()
	o, err := r.People.RegisterPerson(Ctx(r.T), commands.Meta{Actor: "test"},
		person.RegisterPerson{NRP: nrp, Nama: "Personel " + nrp, ClientID: clientID, Roles: roles, WhatsApp: "0812" + nrp[len(nrp)-6:]})
	if err != nil {
		r.T.Fatalf("register %s: %v", nrp, err)
	}
	r.Settle(o)
}

// Token issues a session of kind k with claims c.
func (r *DirRig) Token(k auth.Kind, c auth.Claims) string {
	r.T.Helper()
	iss, err := r.Auth.Issue(Ctx(r.T), k, c)
	if err != nil {
		r.T.Fatal(err)
	}
	return iss.Token
}

func (r *DirRig) Operator(clients ...string) string {
	return r.Token(auth.KindDashboard, auth.Claims{DashboardUserID: "op-" + strings.Join(clients, "-"), Username: "op",
		Role: "operator", ClientIDs: clients})
}

func (r *DirRig) Admin() string {
	return r.Token(auth.KindDashboard, auth.Claims{DashboardUserID: "admin-1", Username: "admin", Role: "admin",
		ClientIDs: []string{"POLRES_A"}})
}

func (r *DirRig) Directorate(id string) string {
	return r.Token(auth.KindDashboard, auth.Claims{DashboardUserID: "dir-" + id, Username: "dir", Role: strings.ToLower(id),
		BaseRole: "bidhumas", ClientIDs: []string{id}})
}

func (r *DirRig) Personnel(nrp string) string {
	return r.Token(auth.KindUser, auth.Claims{UserID: nrp, Role: "user"})
}

// Resp is a decoded answer.
type Resp struct {
	Status int
	Header http.Header
	Body   map[string]any
	Raw    string
}

func (x Resp) Msg() string { s, _ := x.Body["message"].(string); return s }

func (x Resp) Data() map[string]any { d, _ := x.Body["data"].(map[string]any); return d }

func (x Resp) List() []map[string]any {
	raw, _ := x.Body["data"].([]any)
	out := make([]map[string]any, len(raw))
	for i, v := range raw {
		out[i], _ = v.(map[string]any)
	}
	return out
}

// IDs lists the user_id (or client_id) of a list answer.
func (x Resp) IDs(key string) []string {
	var out []string
	for _, m := range x.List() {
		s, _ := m[key].(string)
		out = append(out, s)
	}
	return out
}

// Do sends method path with body ("" = none) as token, plus header pairs.
func (r *DirRig) Do(method, path, body, token string, headers ...string) Resp {
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
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := r.HTTP.Do(req)
	if err != nil {
		r.T.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := Resp{Status: res.StatusCode, Header: res.Header, Raw: string(raw)}
	_ = json.Unmarshal(raw, &out.Body)
	return out
}

// Head is the DIRECTORY stream's last sequence.
func (r *DirRig) Head() uint64 {
	r.T.Helper()
	h, err := r.N.Store.StreamHead(Ctx(r.T), "DIRECTORY")
	if err != nil {
		r.T.Fatal(err)
	}
	return h
}

// Seed is the standard directory: two org clients in two regions, the
// DITBINMAS directorate, and personnel across them.
//
//	POLRES_A (JATIM): 81000001 operator, 81000002 operator+ditbinmas, 81000003 (no role)
//	POLRES_B (JATENG): 82000001 operator, 82000002 ditbinmas
func (r *DirRig) Seed() {
	r.MustClient("POLRES_A", "org", "JATIM")
	r.MustClient("POLRES_B", "org", "JATENG")
	r.MustClient("DITBINMAS", "direktorat", "JATIM")
	r.MustPerson("81000001", "POLRES_A", "operator")
	r.MustPerson("81000002", "POLRES_A", "operator", "ditbinmas")
	r.MustPerson("81000003", "POLRES_A")
	r.MustPerson("82000001", "POLRES_B", "operator")
	r.MustPerson("82000002", "POLRES_B", "ditbinmas")
}
