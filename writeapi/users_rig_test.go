package writeapi_test

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

// dirRig is the /api router as cmd/cicero mounts it (Access, Dedup, the
// user and client read and write routes) over real JetStream, Postgres
// (command log and the directory read model kept by a running Manager)
// and Redis, with a client that validates every answer against OpenAPI.
type dirRig struct {
	t       testing.TB
	n       *testkit.NATS
	rdb     *redis.Client
	auth    *auth.Authenticator
	people  *person.Handlers
	clients *client.Handlers
	dir     *projections.DirectoryQueries
	mgr     *projections.Manager
	pool    *pgxpool.Pool
	srv     *httptest.Server
	http    *http.Client
}

type rigOpts struct {
	noDedup bool
	noSpec  bool
}

func newDirRig(t testing.TB, o rigOpts) *dirRig {
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
	r := &dirRig{t: t, n: n, rdb: rdb, auth: a, people: person.NewHandlers(rt), clients: client.NewHandlers(rt),
		dir: projections.NewDirectoryQueries(pool), mgr: mgr, pool: pool}
	wait := func(ctx context.Context, ps []events.Position) error {
		return mgr.WaitFor(ctx, projections.DirectoryName, ps, 10*time.Second)
	}
	router := chi.NewRouter()
	router.Use(httpx.Recover(log))
	router.NotFound(httpx.NotFound)
	router.Route("/api", func(api chi.Router) {
		api.Use(middleware.Access(middleware.AccessConfig{Auth: a, Log: log}))
		// A per-test key prefix keeps parallel tests' de-duplication apart.
		api.Use(middleware.Dedup(middleware.DedupConfig{Redis: rdb, Disabled: o.noDedup, Log: log,
			KeyPrefix: fmt.Sprintf("test:dedup:%d:", time.Now().UnixNano())}))
		readapi.MountUsers(api, readapi.UsersDeps{Directory: r.dir, Logger: log})
		readapi.MountClients(api, readapi.ClientsDeps{Directory: r.dir, Logger: log})
		writeapi.MountUserCommands(api, writeapi.UserCommandsDeps{Directory: r.dir, People: r.people,
			WaitForDirectory: wait, Logger: log})
		writeapi.MountClientCommands(api, writeapi.ClientCommandsDeps{Directory: r.dir, Clients: r.clients,
			WaitForDirectory: wait, Logger: log})
	})
	r.srv = httptest.NewServer(router)
	t.Cleanup(r.srv.Close)
	r.http = http.DefaultClient
	if !o.noSpec {
		r.http = apispec.Client(t)
	}
	return r
}

func rigCtx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

// settle waits until the read model has applied o's events.
func (r *dirRig) settle(o commands.Outcome) {
	r.t.Helper()
	if err := r.mgr.WaitFor(rigCtx(r.t), projections.DirectoryName, o.Positions(), 20*time.Second); err != nil {
		r.t.Fatalf("read model did not catch up: %v", err)
	}
}

// mustClient registers a client (type org or direktorat) and waits for it.
func (r *dirRig) mustClient(id, typ, regional string) {
	r.t.Helper()
	o, err := r.clients.RegisterClient(rigCtx(r.t), commands.Meta{Actor: "test"},
		client.RegisterClient{ClientID: id, Nama: "Nama " + id, ClientType: typ, RegionalID: regional,
			ClientInsta: strings.ToLower(id) + "_ig", ClientLevel: "Premium_1"})
	if err != nil {
		r.t.Fatalf("register client %s: %v", id, err)
	}
	r.settle(o)
}

// mustPerson registers a person and waits for the read model.
func (r *dirRig) mustPerson(nrp, clientID string, roles ...string) {
	r.t.Helper()
	o, err := r.people.RegisterPerson(rigCtx(r.t), commands.Meta{Actor: "test"},
		person.RegisterPerson{NRP: nrp, Nama: "Personel " + nrp, ClientID: clientID, Roles: roles, WhatsApp: "0812" + nrp[len(nrp)-6:]})
	if err != nil {
		r.t.Fatalf("register %s: %v", nrp, err)
	}
	r.settle(o)
}

// token issues a session of kind k with claims c.
func (r *dirRig) token(k auth.Kind, c auth.Claims) string {
	r.t.Helper()
	iss, err := r.auth.Issue(rigCtx(r.t), k, c)
	if err != nil {
		r.t.Fatal(err)
	}
	return iss.Token
}

func (r *dirRig) operator(clients ...string) string {
	return r.token(auth.KindDashboard, auth.Claims{DashboardUserID: "op-" + strings.Join(clients, "-"), Username: "op",
		Role: "operator", ClientIDs: clients})
}

func (r *dirRig) admin() string {
	return r.token(auth.KindDashboard, auth.Claims{DashboardUserID: "admin-1", Username: "admin", Role: "admin",
		ClientIDs: []string{"POLRES_A"}})
}

func (r *dirRig) directorate(id string) string {
	return r.token(auth.KindDashboard, auth.Claims{DashboardUserID: "dir-" + id, Username: "dir", Role: strings.ToLower(id),
		BaseRole: "bidhumas", ClientIDs: []string{id}})
}

func (r *dirRig) personnel(nrp string) string {
	return r.token(auth.KindUser, auth.Claims{UserID: nrp, Role: "user"})
}

// resp is a decoded answer.
type resp struct {
	Status int
	Header http.Header
	Body   map[string]any
	Raw    string
}

func (x resp) msg() string { s, _ := x.Body["message"].(string); return s }

func (x resp) data() map[string]any { d, _ := x.Body["data"].(map[string]any); return d }

func (x resp) list() []map[string]any {
	raw, _ := x.Body["data"].([]any)
	out := make([]map[string]any, len(raw))
	for i, v := range raw {
		out[i], _ = v.(map[string]any)
	}
	return out
}

// ids lists the user_id (or client_id) of a list answer.
func (x resp) ids(key string) []string {
	var out []string
	for _, m := range x.list() {
		s, _ := m[key].(string)
		out = append(out, s)
	}
	return out
}

// do sends method path with body ("" = none) as token, plus header pairs.
func (r *dirRig) do(method, path, body, token string, headers ...string) resp {
	r.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = bytes.NewBufferString(body)
	}
	req, err := http.NewRequestWithContext(rigCtx(r.t), method, r.srv.URL+path, rd)
	if err != nil {
		r.t.Fatal(err)
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
	res, err := r.http.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := resp{Status: res.StatusCode, Header: res.Header, Raw: string(raw)}
	_ = json.Unmarshal(raw, &out.Body)
	return out
}

// head is the DIRECTORY stream's last sequence.
func (r *dirRig) head() uint64 {
	r.t.Helper()
	h, err := r.n.Store.StreamHead(rigCtx(r.t), "DIRECTORY")
	if err != nil {
		r.t.Fatal(err)
	}
	return h
}

// seed is the standard directory: two org clients in two regions, the
// DITBINMAS directorate, and personnel across them.
//
//	POLRES_A (JATIM): 81000001 operator, 81000002 operator+ditbinmas, 81000003 (no role)
//	POLRES_B (JATENG): 82000001 operator, 82000002 ditbinmas
func (r *dirRig) seed() {
	r.mustClient("POLRES_A", "org", "JATIM")
	r.mustClient("POLRES_B", "org", "JATENG")
	r.mustClient("DITBINMAS", "direktorat", "JATIM")
	r.mustPerson("81000001", "POLRES_A", "operator")
	r.mustPerson("81000002", "POLRES_A", "operator", "ditbinmas")
	r.mustPerson("81000003", "POLRES_A")
	r.mustPerson("82000001", "POLRES_B", "operator")
	r.mustPerson("82000002", "POLRES_B", "ditbinmas")
}
