package apitest

import (
	"testing"

	"github.com/cicero/cicero/projections/premium"

	"github.com/google/uuid"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/commands/personnelpremium"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/readapi"
	"github.com/cicero/cicero/writeapi"
)

// PremReqRig is the /api router with the personnel premium routes
// (/api/premium-requests) behind Access (the default route policy) and
// Dedup, over a Stack whose Manager keeps the personnel_premium read model;
// every answer is validated against the OpenAPI document.
type PremReqRig struct {
	*Stack
	People  *person.Handlers
	Premium *personnelpremium.Handlers
	Q       *premium.PersonnelQueries
}

func NewPremReqRig(t testing.TB) *PremReqRig {
	t.Helper()
	s := NewStack(t, StackOptions{}, Proj(premium.NewPersonnel))
	r := &PremReqRig{Stack: s, People: person.NewHandlers(s.RT), Premium: personnelpremium.NewHandlers(s.RT, nil),
		Q: premium.NewPersonnelQueries(s.Pool)}
	s.Serve(func(api *auth.Router) {
		readapi.MountPremiumRequests(api, readapi.PremiumRequestsDeps{Requests: r.Q, Logger: s.Log})
		writeapi.MountPremiumRequestCommands(api, writeapi.PremiumRequestCommandDeps{Requests: r.Q, Premium: r.Premium,
			WaitFor: s.Waiter(premium.PersonnelName), Logger: s.Log})
	})
	s.RegisterClients(OrgClient("POLRES_A"))
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
	return r.Personnel(nrp)
}

// Admin is a session of a dashboard admin; Dashboard one of another role.
func (r *PremReqRig) Admin() string { return r.Dashboard("admin") }

func (r *PremReqRig) Dashboard(role string) string {
	return r.Token(auth.KindDashboard, auth.Claims{DashboardUserID: uuid.NewString(), Username: role, Role: role,
		ClientIDs: []string{"POLRES_A"}})
}

// Penmas is a session of a Penmas editorial user.
func (r *PremReqRig) Penmas() string {
	return r.Token(auth.KindPenmas, auth.Claims{UserID: uuid.NewString(), Username: "penulis", Role: "penulis"})
}
