package main

import (
	"context"
	"time"

	"github.com/cicero/cicero/commands/personnelpremium"
	"github.com/cicero/cicero/commands/premium"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/premiumguard"
	"github.com/cicero/cicero/internal/schedule"
	"github.com/cicero/cicero/internal/waid"
	"github.com/cicero/cicero/projections"
	premiumview "github.com/cicero/cicero/projections/premium"
	"github.com/cicero/cicero/readapi"
	"github.com/cicero/cicero/sagas"
	"github.com/cicero/cicero/sagas/jobs"
	premiumsaga "github.com/cicero/cicero/sagas/premium"
	"github.com/cicero/cicero/writeapi"
)

// premiumContext is PREMIUM: dashboard premium subscriptions and requests,
// and the legacy personnel premium (spec/access.md §3).
func premiumContext() boundedContext {
	return boundedContext{
		name: "premium",
		readModels: func(reg *events.Registry) []projections.Projection {
			return []projections.Projection{premiumview.NewDashboard(reg), premiumview.NewPersonnel(reg)}
		},
		sagas: func(w *wiring) ([]sagas.Saga, error) {
			return []sagas.Saga{
				premiumsaga.AdminNotice(w.store, waid.Admins(w.cfg.AdminWhatsApp)),
				premiumsaga.UserNotice(w.store),
			}, nil
		},
		jobs: func(w *wiring) ([]schedule.Job, error) {
			tiers := premiumguard.ParseTiers(w.cfg.PremiumAllowedTiers)
			expiry := jobs.NewPremiumExpiry(premiumDue{premiumview.NewQueries(w.pool)},
				premium.NewHandlers(w.runtime, tiers, nil), nil, w.log, 0)
			personnel := jobs.NewPersonnelPremiumExpiry(personnelDue{premiumview.NewPersonnelQueries(w.pool)},
				personnelpremium.NewHandlers(w.runtime, nil), nil, w.log, 0)
			return append(expiry.Jobs(), personnel.Job()), nil
		},
		mount: func(w *wiring, api *auth.Router) error {
			pq := premiumview.NewQueries(w.pool)
			readapi.MountPremium(api, readapi.PremiumReadDeps{Premium: pq, Logger: w.log})
			writeapi.MountPremiumCommands(api, writeapi.PremiumCommandDeps{Requests: pq,
				Premium:        premium.NewHandlers(w.runtime, premiumguard.ParseTiers(w.cfg.PremiumAllowedTiers), nil),
				WaitForPremium: w.waiter(premiumview.DashboardName), Logger: w.log})
			ppq := premiumview.NewPersonnelQueries(w.pool)
			readapi.MountPremiumRequests(api, readapi.PremiumRequestsDeps{Requests: ppq, Logger: w.log})
			writeapi.MountPremiumRequestCommands(api, writeapi.PremiumRequestCommandDeps{Requests: ppq,
				Premium: personnelpremium.NewHandlers(w.runtime, nil), WaitFor: w.waiter(premiumview.PersonnelName),
				Logger: w.log})
			return nil
		},
	}
}

// premiumDue lists the expiry jobs' work from the premium read model.
type premiumDue struct{ q *premiumview.Queries }

func (d premiumDue) DueSubscriptions(ctx context.Context, now time.Time, limit int) ([]jobs.DueSubscription, error) {
	rows, err := d.q.DueSubscriptions(ctx, now, limit)
	out := make([]jobs.DueSubscription, len(rows))
	for i, r := range rows {
		out[i] = jobs.DueSubscription{DashboardUserID: r.DashboardUserID, SubscriptionID: r.SubscriptionID}
	}
	return out, err
}

func (d premiumDue) DueRequests(ctx context.Context, now time.Time, limit int) ([]jobs.DueRequest, error) {
	rows, err := d.q.DueRequests(ctx, now, limit)
	out := make([]jobs.DueRequest, len(rows))
	for i, r := range rows {
		out[i] = jobs.DueRequest{DashboardUserID: r.DashboardUserID, RequestToken: r.RequestToken}
	}
	return out, err
}

// personnelDue lists the personnel expiry job's work.
type personnelDue struct{ q *premiumview.PersonnelQueries }

func (d personnelDue) DueAfter(ctx context.Context, now time.Time, limit int, after *jobs.DuePersonnel) ([]jobs.DuePersonnel, error) {
	var from *premiumview.DuePersonnel
	if after != nil {
		from = &premiumview.DuePersonnel{UserID: after.UserID, EndDate: after.EndDate}
	}
	rows, err := d.q.DueAfter(ctx, now, limit, from)
	out := make([]jobs.DuePersonnel, len(rows))
	for i, r := range rows {
		out[i] = jobs.DuePersonnel{UserID: r.UserID, EndDate: r.EndDate}
	}
	return out, err
}
