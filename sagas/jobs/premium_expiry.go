// Package jobs holds the scheduled jobs that issue commands on the clock
// (ARCHITECTURE.md "Schedules"). Each job lists its work from a read model
// and sends one command per aggregate with a command id derived from the
// work item, so a rerun — the next slot while the read model still lags,
// or an operator's `cicero job run` — appends nothing twice.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/premium"
	"github.com/cicero/cicero/internal/schedule"
)

// Names and schedules of the premium expiry jobs (spec access.md §3.7;
// the legacy code's schedules, which differ from its docs, win).
const (
	SubscriptionExpiryJob  = "dashboard-subscription-expiry"
	SubscriptionExpiryCron = "*/48 * * * *" // minutes 0 and 48 of every hour
	RequestExpiryJob       = "dashboard-premium-request-expiry"
	RequestExpiryCron      = "20 * * * *" // hourly at :20
)

// DueSubscription is an active subscription past its expiry: one
// ExpirePremium for its user.
type DueSubscription struct {
	DashboardUserID string
	SubscriptionID  string
}

// DueRequest is an open premium request past its admin deadline: one
// ExpireRequest.
type DueRequest struct {
	DashboardUserID string
	RequestToken    string
}

// DueLister lists expiry work from the premium read model (the premium
// context's wiring adapts its queries; jobs never import read models).
type DueLister interface {
	DueSubscriptions(ctx context.Context, now time.Time, limit int) ([]DueSubscription, error)
	DueRequests(ctx context.Context, now time.Time, limit int) ([]DueRequest, error)
}

// PremiumExpiry expires dashboard premium subscriptions past their
// expires_at and premium requests past their admin deadline. The
// notifications the legacy crons sent are the premium saga's business:
// they follow the PremiumExpired / PremiumRequestExpired events.
type PremiumExpiry struct {
	due   DueLister
	h     *premium.Handlers
	now   func() time.Time
	log   *slog.Logger
	batch int
}

// NewPremiumExpiry returns the jobs over the read model due and the
// premium handlers h. now is the clock (nil: time.Now); batch bounds the
// work of one run (0: 1000; the rest waits for the next slot).
func NewPremiumExpiry(due DueLister, h *premium.Handlers, now func() time.Time, log *slog.Logger, batch int) *PremiumExpiry {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if batch <= 0 {
		batch = 1000
	}
	return &PremiumExpiry{due: due, h: h, now: now, log: log, batch: batch}
}

// Jobs returns both jobs on their schedules, for schedule.Register.
func (p *PremiumExpiry) Jobs() []schedule.Job {
	return []schedule.Job{
		{Name: SubscriptionExpiryJob, Legacy: legacy("cronDashboardSubscriptionExpiry"), Cron: SubscriptionExpiryCron, Run: p.ExpireSubscriptions},
		{Name: RequestExpiryJob, Legacy: legacy("cronDashboardPremiumRequestExpiry"), Cron: RequestExpiryCron, Run: p.ExpireRequests},
	}
}

// jobSpace names the command ids the jobs derive (name-based, SHA-1).
var jobSpace = uuid.MustParse("0c7d2f8e-3b61-4d0a-9a52-6f1e8b4c2d97")

// CommandID is the id of the command a job issues for one work item.
func CommandID(job string, parts ...string) string {
	key := job
	for _, s := range parts {
		key += "/" + s
	}
	return uuid.NewSHA1(jobSpace, []byte(key)).String()
}

// ExpireSubscriptions issues ExpirePremium for each due subscription.
// Subscriptions belong to no client, so args.ClientID is not used. A
// failure for one user is logged and the rest go on; the run reports them
// joined.
func (p *PremiumExpiry) ExpireSubscriptions(ctx context.Context, _ schedule.Args) error {
	due, err := p.due.DueSubscriptions(ctx, p.now(), p.batch)
	if err != nil {
		return fmt.Errorf("%s: %w", SubscriptionExpiryJob, err)
	}
	var errs []error
	expired := 0
	for _, d := range due {
		meta := commands.Meta{CommandID: CommandID(SubscriptionExpiryJob, d.DashboardUserID, d.SubscriptionID),
			Actor: "system:" + SubscriptionExpiryJob}
		out, err := p.h.ExpirePremium(ctx, meta, premium.ExpirePremium{DashboardUserID: d.DashboardUserID})
		if err != nil {
			p.log.Error("expire subscription failed", "dashboard_user_id", d.DashboardUserID,
				"subscription_id", d.SubscriptionID, "err", err)
			errs = append(errs, fmt.Errorf("expire subscription %s: %w", d.SubscriptionID, err))
			continue
		}
		expired += len(out.Appended)
	}
	p.log.Info("subscription expiry", "checked", len(due), "appended", expired)
	return errors.Join(errs...)
}

// ExpireRequests issues ExpireRequest for each due request (args.ClientID
// is not used: the due list does not carry the client).
func (p *PremiumExpiry) ExpireRequests(ctx context.Context, _ schedule.Args) error {
	due, err := p.due.DueRequests(ctx, p.now(), p.batch)
	if err != nil {
		return fmt.Errorf("%s: %w", RequestExpiryJob, err)
	}
	var errs []error
	expired := 0
	for _, d := range due {
		meta := commands.Meta{CommandID: CommandID(RequestExpiryJob, d.DashboardUserID, d.RequestToken),
			Actor: "system:" + RequestExpiryJob}
		out, err := p.h.ExpireRequest(ctx, meta, premium.ExpireRequest{DashboardUserID: d.DashboardUserID,
			RequestToken: d.RequestToken})
		if err != nil {
			p.log.Error("expire premium request failed", "dashboard_user_id", d.DashboardUserID,
				"request_token", d.RequestToken, "err", err)
			errs = append(errs, fmt.Errorf("expire request %s: %w", d.RequestToken, err))
			continue
		}
		expired += len(out.Appended)
	}
	p.log.Info("premium request expiry", "checked", len(due), "appended", expired)
	return errors.Join(errs...)
}
