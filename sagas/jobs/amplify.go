package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/outgoing"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/amplifytext"
	"github.com/cicero/cicero/internal/amplifyxlsx"
	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/internal/normalize"
	"github.com/cicero/cicero/internal/schedule"
	"github.com/cicero/cicero/internal/waid"
	"github.com/cicero/cicero/sagas"
)

// Names and schedules of the amplification jobs (spec/ops.md §5.3 #2, #3,
// #13; the code's times).
const (
	RekapLinkJob        = "amplify-rekap-link"
	RekapLinkCron       = "5 15,18,21 * * *"
	AmplifyMonthlyJob   = "amplify-link-monthly"
	AmplifyMonthlyCron  = "0 23 28-31 * *" // and only on the month's last day
	AmplifyDailyJob     = "amplify-daily-report"
	AmplifyDailyCron    = "7 21 * * *"
	amplifyOperatorRole = "operator"
)

// AmplifyClient is a client amplification recaps go to, with its contact
// fields as stored (several numbers may share one field).
type AmplifyClient struct {
	ID, Nama, Type         string
	Operator, Super, Group string
	Active, Amplify        bool
}

// AmplifySource reads what the amplification jobs send (the amplify and
// directory read models, adapted by the context's wiring).
type AmplifySource interface {
	AmplifyClients(ctx context.Context) ([]AmplifyClient, error)
	// AmplifyDay is a client's posts of a Jakarta date, its active
	// personnel holding role ("" = all) and their reports on those posts.
	AmplifyDay(ctx context.Context, clientID, day, role string) (amplifytext.Absensi, error)
	// AmplifyExport is the workbook rows of the client's reports on posts
	// published in [from, to].
	AmplifyExport(ctx context.Context, clientID, from, to string) ([]amplifyxlsx.Row, error)
}

// AmplifyDeps is what the amplification jobs use.
type AmplifyDeps struct {
	Source AmplifySource
	Queue  Queuer
	// AdminWhatsApp is ADMIN_WHATSAPP as configured.
	AdminWhatsApp string
	// Ready, when set, is waited on (up to ReadyTimeout, 0: one minute)
	// for the main session before a job queues anything.
	Ready        Readiness
	ReadyTimeout time.Duration
	Now          func() time.Time // nil: time.Now
	Logger       *slog.Logger
}

// Amplify queues the amplification recaps as MessageQueued: each message
// is keyed <job>/<CLIENT>/<Jakarta slot>/<part>, the slot being the
// scheduled time the run belongs to, so a rerun of a slot (another
// instance, `cicero job run` later that hour) queues nothing twice.
type Amplify struct {
	d      AmplifyDeps
	admins []string
}

// NewAmplify returns the jobs over d.
func NewAmplify(d AmplifyDeps) *Amplify {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.ReadyTimeout <= 0 {
		d.ReadyTimeout = time.Minute
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	return &Amplify{d: d, admins: waid.Admins(d.AdminWhatsApp)}
}

// Jobs returns the three jobs on their schedules, with their legacy keys.
func (a *Amplify) Jobs() []schedule.Job {
	return []schedule.Job{
		{Name: RekapLinkJob, Legacy: legacy("cronRekapLink"), Cron: RekapLinkCron, Run: a.RunRekapLink},
		{Name: AmplifyMonthlyJob, Legacy: legacy("cronAmplifyLinkMonthly"), Cron: AmplifyMonthlyCron, Run: a.RunMonthly},
		{Name: AmplifyDailyJob, Legacy: legacy("cronOprRequestDailyReport"), Cron: AmplifyDailyCron, Run: a.RunDailyReport},
	}
}

// ready waits for the main session when a readiness gate is wired.
func (a *Amplify) ready(ctx context.Context, job string) error {
	if a.d.Ready == nil {
		return nil
	}
	if err := a.d.Ready.WaitReady(ctx, sagas.SessionMain, a.d.ReadyTimeout); err != nil {
		return fmt.Errorf("%s: WhatsApp not ready: %w", job, err)
	}
	return nil
}

// clients lists the active amplification clients (org only when org),
// or the one args names.
func (a *Amplify) clients(ctx context.Context, args schedule.Args, org bool) ([]AmplifyClient, error) {
	all, err := a.d.Source.AmplifyClients(ctx)
	if err != nil {
		return nil, fmt.Errorf("amplification clients: %w", err)
	}
	only := normalize.ClientID(args.ClientID)
	var out []AmplifyClient
	for _, c := range all {
		if !c.Active || !c.Amplify || (org && !strings.EqualFold(c.Type, "org")) || (only != "" && normalize.ClientID(c.ID) != only) {
			continue
		}
		out = append(out, c)
	}
	return out, nil
}

// recipients is every address of fields (each field may hold several),
// once, in order.
func recipients(fields ...[]string) []string {
	var out []string
	seen := map[string]bool{}
	for _, f := range fields {
		for _, s := range f {
			if j := waid.Recipient(s); j != "" && !seen[j] {
				seen[j] = true
				out = append(out, j)
			}
		}
	}
	return out
}

// enqueue queues m under <job>/<CLIENT>/<slot>/<part> from the main
// session.
func (a *Amplify) enqueue(ctx context.Context, job, slot, part string, m events.MessageQueued) error {
	m.Key = job + "/" + strings.ToUpper(m.ClientID) + "/" + slot + "/" + part
	m.Kind, m.Channel, m.Session = job, sagas.ChannelWhatsApp, sagas.SessionMain
	if m.NotAfter == nil {
		// A recap of a day (or of a month, sent on its last day) is stale
		// once that Jakarta day is over.
		end := jakarta.EndOfDay(a.d.Now())
		m.NotAfter = &end
	}
	if _, err := a.d.Queue.Queue(ctx, commands.Meta{Actor: "system:" + job}, outgoing.Queue{Message: m}); err != nil {
		return fmt.Errorf("%s: queue %s: %w", job, m.Key, err)
	}
	return nil
}

// slot is the Jakarta scheduled time a run at now belongs to: the latest
// of the day's hours at minute that is not after now, or now's own minute
// for a run by hand before the first.
func slot(now time.Time, minute int, hours ...int) string {
	j := now.In(jakarta.Location)
	s := j.Truncate(time.Minute)
	for _, h := range hours {
		t := time.Date(j.Year(), j.Month(), j.Day(), h, minute, 0, 0, jakarta.Location)
		if !t.After(j) {
			s = t
		}
	}
	return s.Format("2006-01-02T15:04")
}
