package jobs_test

import (
	"context"
	"time"

	premiumview "github.com/cicero/cicero/projections/premium"
	"github.com/cicero/cicero/sagas/jobs"
)

// The tests read due work from the real read models through the same
// mapping the premium context's wiring (cmd/cicero) does.

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
