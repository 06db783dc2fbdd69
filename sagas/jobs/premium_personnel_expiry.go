package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/personnelpremium"
	"github.com/cicero/cicero/internal/schedule"
)

// Name and schedule of the personnel premium expiry job (spec access.md
// §3.7, legacy ./src/cron/cronPremiumExpiry.js): midnight, Asia/Jakarta.
const (
	PersonnelPremiumExpiryJob  = "personnel-premium-expiry"
	PersonnelPremiumExpiryCron = "0 0 * * *"
)

// DuePersonnel is a person whose premium ended: one ExpirePremium.
type DuePersonnel struct {
	UserID  string
	EndDate time.Time
}

// PersonnelDueLister lists expiry work from the personnel premium read
// model, a page of up to limit after the item after (nil: from the start),
// in (end date, user) order.
type PersonnelDueLister interface {
	DueAfter(ctx context.Context, now time.Time, limit int, after *DuePersonnel) ([]DuePersonnel, error)
}

// PersonnelPremiumExpiry ends the premium of persons whose
// premium_end_date has passed (legacy: premium_status=false,
// premium_end_date=NULL; a failure for one person is logged and the rest
// go on).
type PersonnelPremiumExpiry struct {
	due   PersonnelDueLister
	h     *personnelpremium.Handlers
	now   func() time.Time
	log   *slog.Logger
	batch int
}

// NewPersonnelPremiumExpiry returns the job over the read model due and
// the handlers h. now is the clock (nil: time.Now); batch bounds the work
// of one run (0: 1000; the rest waits for the next slot).
func NewPersonnelPremiumExpiry(due PersonnelDueLister, h *personnelpremium.Handlers, now func() time.Time,
	log *slog.Logger, batch int) *PersonnelPremiumExpiry {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if batch <= 0 {
		batch = 1000
	}
	return &PersonnelPremiumExpiry{due: due, h: h, now: now, log: log, batch: batch}
}

// Job returns the job on its schedule, for schedule.Register.
func (p *PersonnelPremiumExpiry) Job() schedule.Job {
	return schedule.Job{Name: PersonnelPremiumExpiryJob, Legacy: legacy("cronPremiumExpiry"), Cron: PersonnelPremiumExpiryCron, Run: p.Run}
}

// Run issues ExpirePremium for each person whose premium is due. The
// command id names the person and the end date, so a rerun before the
// read model caught up appends nothing, while a later grant's expiry is a
// new command. Personnel premium belongs to no client: args.ClientID is
// not used.
func (p *PersonnelPremiumExpiry) Run(ctx context.Context, _ schedule.Args) error {
	now := p.now()
	var errs []error
	checked, expired := 0, 0
	// Page by keyset until a short page: the legacy job expired everyone
	// due, and a daily job that stopped at one page would leave the rest
	// premium for another day.
	var after *DuePersonnel
	for {
		due, err := p.due.DueAfter(ctx, now, p.batch, after)
		if err != nil {
			return errors.Join(append(errs, fmt.Errorf("%s: %w", PersonnelPremiumExpiryJob, err))...)
		}
		for _, d := range due {
			meta := commands.Meta{CommandID: CommandID(PersonnelPremiumExpiryJob, d.UserID, d.EndDate.UTC().Format(time.RFC3339Nano)),
				Actor: "system:" + PersonnelPremiumExpiryJob}
			out, err := p.h.ExpirePremium(ctx, meta, personnelpremium.ExpirePremium{UserID: d.UserID})
			if err != nil {
				p.log.Error("expire personnel premium failed", "user_id", d.UserID, "err", err)
				errs = append(errs, fmt.Errorf("expire personnel premium %s: %w", d.UserID, err))
				continue
			}
			expired += len(out.Appended)
		}
		checked += len(due)
		if len(due) < p.batch || ctx.Err() != nil {
			break
		}
		after = &due[len(due)-1]
	}
	p.log.Info("personnel premium expiry", "checked", checked, "appended", expired)
	return errors.Join(errs...)
}
