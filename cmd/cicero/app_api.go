package main

import (
	"context"
	"strings"
	"time"

	"github.com/cicero/cicero/projections/access"
	"github.com/cicero/cicero/projections/directory"
	premiumview "github.com/cicero/cicero/projections/premium"

	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/commands/personnelpremium"
	"github.com/cicero/cicero/commands/premium"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/normalize"
	"github.com/cicero/cicero/internal/premiumguard"
	"github.com/cicero/cicero/readapi"
	"github.com/cicero/cicero/writeapi"
)

// mountAPI adds every /api route group. The router already authenticates
// (with the principal reloaded from the read models), de-duplicates and
// honours X-Cicero-Min-Position.
func (a *App) mountAPI(api *auth.Router) error {
	dir := directory.NewQueries(a.deps.pool)
	waitDir := func(ctx context.Context, ps []events.Position) error {
		return a.models.WaitFor(ctx, directory.Name, ps, a.cfg.ReadWaitMax)
	}
	mailer, err := a.mailer()
	if err != nil {
		return err
	}
	resetBase := a.cfg.DashboardResetURL
	if resetBase == "" {
		resetBase = a.cfg.DashboardURL
	}
	authDeps := writeapi.AuthDeps{Runtime: a.runtime, Pool: a.deps.pool, Auth: a.authn, Logger: a.log,
		AdminWhatsApp: adminNumbers(a.cfg.AdminWhatsApp),
		// No WhatsApp sender yet: a reset by WhatsApp number answers that
		// it cannot be sent; a reset by e-mail goes out over SMTP.
		ResetDelivery: writeapi.ResetMessenger{Mail: mailer, BaseURL: resetBase},
		ResetTTL:      time.Duration(a.cfg.DashboardResetMinutes) * time.Minute,
		WaitForDashboardUsers: func(ctx context.Context, ps []events.Position) error {
			return a.models.WaitFor(ctx, access.DashboardUsersName, ps, a.cfg.ReadWaitMax)
		},
		WaitForDirectory: waitDir}
	writeapi.MountAuth(api, authDeps)
	writeapi.MountPenmasAuth(api, authDeps)
	readapi.MountUsers(api, readapi.UsersDeps{Directory: dir, Logger: a.log})
	readapi.MountClients(api, readapi.ClientsDeps{Directory: dir, Logger: a.log})
	writeapi.MountUserCommands(api, writeapi.UserCommandsDeps{Directory: dir, People: person.NewHandlers(a.runtime),
		WaitForDirectory: waitDir, Logger: a.log})
	writeapi.MountClientCommands(api, writeapi.ClientCommandsDeps{Directory: dir, Clients: client.NewHandlers(a.runtime),
		WaitForDirectory: waitDir, Logger: a.log})
	readapi.MountDashboardUsers(api, readapi.DashboardUsersDeps{Users: access.NewDashboardUserQueries(a.deps.pool), Logger: a.log})
	writeapi.MountDashboardUserCommands(api, writeapi.DashboardUserCommandDeps{Users: dashuser.NewHandlers(a.runtime), Logger: a.log,
		Sessions: a.authn.Sessions(),
		WaitFor: func(ctx context.Context, ps []events.Position) error {
			return a.models.WaitFor(ctx, access.DashboardUsersName, ps, a.cfg.ReadWaitMax)
		}})
	pq := premiumview.NewQueries(a.deps.pool)
	readapi.MountPremium(api, readapi.PremiumReadDeps{Premium: pq, Logger: a.log})
	writeapi.MountPremiumCommands(api, writeapi.PremiumCommandDeps{Requests: pq,
		Premium: premium.NewHandlers(a.runtime, premiumguard.ParseTiers(a.cfg.PremiumAllowedTiers), nil),
		WaitForPremium: func(ctx context.Context, ps []events.Position) error {
			return a.models.WaitFor(ctx, premiumview.DashboardName, ps, a.cfg.ReadWaitMax)
		},
		Logger: a.log})
	ppq := premiumview.NewPersonnelQueries(a.deps.pool)
	readapi.MountPremiumRequests(api, readapi.PremiumRequestsDeps{Requests: ppq, Logger: a.log})
	writeapi.MountPremiumRequestCommands(api, writeapi.PremiumRequestCommandDeps{Requests: ppq,
		Premium: personnelpremium.NewHandlers(a.runtime, nil),
		WaitFor: func(ctx context.Context, ps []events.Position) error {
			return a.models.WaitFor(ctx, premiumview.PersonnelName, ps, a.cfg.ReadWaitMax)
		},
		Logger: a.log})
	return a.mountClaim(api, mailer)
}

// adminNumbers reads ADMIN_WHATSAPP (comma separated, any spelling, the
// legacy "@c.us" suffix allowed) into normalised numbers.
func adminNumbers(list string) []string {
	var out []string
	for _, s := range strings.Split(list, ",") {
		s, _, _ = strings.Cut(strings.TrimSpace(s), "@")
		if n := normalize.WhatsApp(s); normalize.ValidWhatsApp(n) {
			out = append(out, n)
		}
	}
	return out
}
