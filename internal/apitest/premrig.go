package apitest

import (
	"testing"

	premiumview "github.com/cicero/cicero/projections/premium"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/commands/premium"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/readapi"
	"github.com/cicero/cicero/writeapi"
)

// PremRig is the /api router with the premium read and write routes behind
// Access and Dedup, over a Stack whose Manager keeps the premium read
// model; every answer is validated against the OpenAPI document.
type PremRig struct {
	*Stack
	Users   *dashuser.Handlers
	Premium *premium.Handlers
	Q       *premiumview.Queries
}

func NewPremRig(t testing.TB) *PremRig {
	t.Helper()
	s := NewStack(t, StackOptions{}, Proj(premiumview.NewDashboard))
	r := &PremRig{Stack: s, Users: dashuser.NewHandlers(s.RT, dashuser.WithHashCost(4)),
		Premium: premium.NewHandlers(s.RT, nil, nil), Q: premiumview.NewQueries(s.Pool)}
	s.Serve(func(api *auth.Router) {
		readapi.MountPremium(api, readapi.PremiumReadDeps{Premium: r.Q, Logger: s.Log})
		writeapi.MountPremiumCommands(api, writeapi.PremiumCommandDeps{Requests: r.Q, Premium: r.Premium,
			WaitForPremium: s.Waiter(premiumview.DashboardName), Logger: s.Log})
	})
	// Dashboard accounts name existing clients.
	s.RegisterClients(OrgClient("POLRES_A"), OrgClient("POLRES_B"))
	return r
}

// DashUser creates an approved dashboard account with role and clients and
// returns its id and a session token for it.
func (r *PremRig) DashUser(username, role string, clients ...string) (string, string) {
	r.T.Helper()
	id, _, err := r.Users.CreateDashboardUser(Ctx(r.T), commands.Meta{Actor: "test"}, dashuser.CreateDashboardUser{
		Username: username, Password: "rahasia-123", Role: role, WhatsApp: "081234567890", ClientIDs: clients,
		ActorRole: "admin"})
	if err != nil {
		r.T.Fatalf("create dashboard user %s: %v", username, err)
	}
	return id, r.Token(auth.KindDashboard, auth.Claims{DashboardUserID: id, Username: username, Role: role,
		ClientIDs: clients})
}
