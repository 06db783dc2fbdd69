// Package apitest assembles the /api router the way cmd/cicero mounts it,
// over real JetStream, Postgres and Redis, for the readapi and writeapi
// tests. It is test support: nothing outside _test.go files imports it.
package apitest

import (
	"net/http"
	"strings"
	"testing"

	"github.com/cicero/cicero/projections/directory"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/readapi"
	"github.com/cicero/cicero/writeapi"
)

// DirRig is the /api router as cmd/cicero mounts it (Access, Dedup, the
// user and client read and write routes) over a Stack whose Manager keeps
// the directory read model, with a client that validates every answer
// against OpenAPI.
type DirRig struct {
	*Stack
	People  *person.Handlers
	Clients *client.Handlers
	Dir     *directory.Queries
}

type RigOpts struct {
	NoDedup bool
	NoSpec  bool
}

func NewDirRig(t testing.TB, o RigOpts) *DirRig {
	t.Helper()
	s := NewStack(t, StackOptions{NoDedup: o.NoDedup}, Proj(directory.New))
	r := &DirRig{Stack: s, People: person.NewHandlers(s.RT), Clients: client.NewHandlers(s.RT),
		Dir: directory.NewQueries(s.Pool)}
	wait := s.Waiter(directory.Name)
	s.Serve(func(api *auth.Router) {
		readapi.MountUsers(api, readapi.UsersDeps{Directory: r.Dir, Logger: s.Log})
		readapi.MountClients(api, readapi.ClientsDeps{Directory: r.Dir, Logger: s.Log})
		writeapi.MountUserCommands(api, writeapi.UserCommandsDeps{Directory: r.Dir, People: r.People,
			WaitForDirectory: wait, Logger: s.Log})
		writeapi.MountClientCommands(api, writeapi.ClientCommandsDeps{Directory: r.Dir, Clients: r.Clients,
			WaitForDirectory: wait, Logger: s.Log})
	})
	if o.NoSpec {
		s.HTTP = http.DefaultClient
	}
	return r
}

// Settle waits until the read model has applied o's events.
func (r *DirRig) Settle(o commands.Outcome) {
	r.T.Helper()
	r.Stack.Settle(directory.Name, o.Positions())
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
