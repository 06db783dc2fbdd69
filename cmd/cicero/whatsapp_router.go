package main

import (
	"context"
	"errors"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/commands/outgoing"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/commands/personnelpremium"
	"github.com/cicero/cicero/commands/premium"
	"github.com/cicero/cicero/internal/google"
	"github.com/cicero/cicero/internal/premiumguard"
	"github.com/cicero/cicero/internal/waid"
	"github.com/cicero/cicero/projections/access"
	"github.com/cicero/cicero/projections/amplify"
	"github.com/cicero/cicero/projections/directory"
	premiumview "github.com/cicero/cicero/projections/premium"
	"github.com/cicero/cicero/projections/recap"
	"github.com/cicero/cicero/projections/social"
	"github.com/cicero/cicero/sagas/inbound"
	"github.com/cicero/cicero/sagas/inbound/readmodels"
	"github.com/cicero/cicero/sagas/jobs/dirreport"
	"github.com/cicero/cicero/writeapi"
)

// newWhatsAppRouter builds the inbound WhatsApp router over the directory
// and premium read models, the commands, Redis and (in serve) the
// scheduler's fetch job. The WhatsApp manager hands it every message.
func newWhatsAppRouter(w *wiring) (*inbound.Router, error) {
	if w.redis == nil {
		return nil, errors.New("whatsapp router: redis is required")
	}
	d := whatsAppRouterDeps(w)
	return inbound.New(inbound.Config{Admins: waid.Admins(w.cfg.AdminWhatsApp), KeyPrefix: "cicero:",
		SeenTTL: w.cfg.WADedupTTL(), Logger: w.log}, d)
}

// whatsAppRouterDeps are the router's dependencies from the wiring.
func whatsAppRouterDeps(w *wiring) inbound.Deps {
	rt := w.runtime
	d := inbound.Deps{
		Directory: readmodels.Directory{Q: directory.NewQueries(w.pool)},
		Premium:   readmodels.Premium{Dash: premiumview.NewQueries(w.pool), Personnel: premiumview.NewPersonnelQueries(w.pool)},
		Groups:    readmodels.Groups{Q: directory.NewQueries(w.pool)},
		DashUsers: readmodels.DashUsers{Q: access.NewDashboardUserQueries(w.pool)},
		Solver:    readmodels.Solver{S: writeapi.ComplaintSolutions{Social: social.NewQueries(w.pool)}},
		Absensi:   readmodels.Absensi{R: recap.New(w.pool)},
		Usernames: readmodels.Absensi{R: recap.New(w.pool)},
		Links:     readmodels.Links{Q: amplify.NewQueries(w.pool)},
		Reports:   readmodels.Reports{B: dirreport.New(recap.New(w.pool), nil)},
		Redis:     w.redis,
		Commands: inbound.Commands{Person: person.NewHandlers(rt), Client: client.NewHandlers(rt),
			DashUser:         dashuser.NewHandlers(rt),
			Premium:          premium.NewHandlers(rt, premiumguard.ParseTiers(w.cfg.PremiumAllowedTiers), nil),
			PersonnelPremium: personnelpremium.NewHandlers(rt, nil), Outgoing: outgoing.NewHandlers(rt)},
	}
	d.Contacts = waContacts{w}
	if w.jobs != nil && w.background != nil {
		d.Fetcher = readmodels.Fetcher{S: w.jobs, Life: w.background}
	}
	return d
}

// waContacts is the admin's savecontact over the Google contacts saver.
type waContacts struct{ w *wiring }

func (c waContacts) SaveAll(ctx context.Context, meta commands.Meta, key string) (int, error) {
	res, err := saveAllContacts(ctx, c.w, meta, key)
	if errors.Is(err, google.ErrNotConfigured) {
		return 0, inbound.ErrNotConfigured
	}
	return res.Saved, err
}
