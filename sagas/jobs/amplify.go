package jobs

import (
	"context"
	"errors"
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
	RekapLinkJob         = "amplify-rekap-link"
	RekapLinkCron        = "5 15,18,21 * * *"
	AmplifyMonthlyJob    = "amplify-link-monthly"
	AmplifyMonthlyCron   = "0 23 28-31 * *" // and only on the month's last day
	AmplifyDailyJob      = "amplify-daily-report"
	AmplifyDailyCron     = "7 21 * * *"
	amplifyOperatorRole  = "operator"
	amplifyMonthlyPrefix = "amplify-monthly"
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

// Amplify queues the amplification recaps as MessageQueued: each message
// is keyed by job, client and Jakarta slot, so a rerun of a slot (another
// instance, `cicero job run`) queues nothing twice.
type Amplify struct {
	src    AmplifySource
	queue  *outgoing.Handlers
	admins []string
	now    func() time.Time
	log    *slog.Logger
}

// NewAmplify returns the jobs over src, queuing through queue; admins is
// ADMIN_WHATSAPP as configured; now is the clock (nil: time.Now).
func NewAmplify(src AmplifySource, queue *outgoing.Handlers, adminWhatsApp string, now func() time.Time, log *slog.Logger) *Amplify {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Amplify{src: src, queue: queue, admins: waid.Admins(adminWhatsApp), now: now, log: log}
}

// Jobs returns the three jobs on their schedules.
func (a *Amplify) Jobs() []schedule.Job {
	return []schedule.Job{
		{Name: RekapLinkJob, Cron: RekapLinkCron, Run: a.RunRekapLink},
		{Name: AmplifyMonthlyJob, Cron: AmplifyMonthlyCron, Run: a.RunMonthly},
		{Name: AmplifyDailyJob, Cron: AmplifyDailyCron, Run: a.RunDailyReport},
	}
}

// clients lists the active amplification clients (org only when org),
// or the one args names.
func (a *Amplify) clients(ctx context.Context, args schedule.Args, org bool) ([]AmplifyClient, error) {
	all, err := a.src.AmplifyClients(ctx)
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

func (a *Amplify) enqueue(ctx context.Context, job string, m events.MessageQueued) error {
	m.Channel = sagas.ChannelWhatsApp
	m.Session = sagas.SessionMain
	_, err := a.queue.Queue(ctx, commands.Meta{Actor: "system:" + job}, outgoing.Queue{Message: m})
	return err
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

// RunRekapLink is cronRekapLink (spec/ops.md §5.4 #2): for each active
// org client with amplification, absensiLink of its operators to every
// ADMIN_WHATSAPP number and the client's operator, super and group
// fields (every number of a multi-number field, unlike the old job).
func (a *Amplify) RunRekapLink(ctx context.Context, args schedule.Args) error {
	now := a.now()
	cs, err := a.clients(ctx, args, true)
	if err != nil {
		return err
	}
	key := slot(now, 5, 15, 18, 21)
	var errs []error
	for _, c := range cs {
		to := recipients(a.admins, waid.Split(c.Operator), waid.Split(c.Super), waid.Split(c.Group))
		if len(to) == 0 {
			continue
		}
		day, err := a.src.AmplifyDay(ctx, c.ID, jakarta.Date(now), amplifyOperatorRole)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		day.ClientID = c.ID
		if err := a.enqueue(ctx, RekapLinkJob, events.MessageQueued{Key: "rekap-link/" + c.ID + "/" + key, Kind: "rekap-link",
			ClientID: c.ID, Recipients: to, Text: amplifytext.AbsensiLink(now, day)}); err != nil {
			errs = append(errs, fmt.Errorf("rekap link %s: %w", c.ID, err))
		}
	}
	return errors.Join(errs...)
}

var bulanIndo = [12]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
	"Oktober", "November", "Desember"}

// RunMonthly is cronAmplifyLinkMonthly (spec/ops.md §5.4 #3): on the
// month's last Jakarta day only, each active amplification client's
// reports on the month's posts as `<client_id>_<Bulan>.xlsx` to its
// operator numbers (a header-only file when there are none).
func (a *Amplify) RunMonthly(ctx context.Context, args schedule.Args) error {
	now := a.now().In(jakarta.Location)
	if now.AddDate(0, 0, 1).Day() != 1 {
		a.log.Info("amplify monthly: not the last day of the month", "date", jakarta.Date(now))
		return nil
	}
	cs, err := a.clients(ctx, args, false)
	if err != nil {
		return err
	}
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, jakarta.Location)
	month := first.Format("2006-01")
	var errs []error
	for _, c := range cs {
		to := recipients(waid.Split(c.Operator))
		if len(to) == 0 {
			a.log.Info("amplify monthly: Nomor operator tidak valid", "client", c.ID)
			continue
		}
		rows, err := a.src.AmplifyExport(ctx, c.ID, first.Format(time.DateOnly), jakarta.Date(now))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		data, err := amplifyxlsx.Write(rows)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		name := c.ID + "_" + strings.ReplaceAll(bulanIndo[now.Month()-1], " ", "_") + ".xlsx"
		if err := a.enqueue(ctx, AmplifyMonthlyJob, events.MessageQueued{Key: amplifyMonthlyPrefix + "/" + c.ID + "/" + month,
			Kind: "amplify-monthly", ClientID: c.ID, Recipients: to,
			Document: &events.QueuedDocument{FileName: name, MimeType: amplifyxlsx.ContentType, Data: data}}); err != nil {
			errs = append(errs, fmt.Errorf("amplify monthly %s: %w", c.ID, err))
		}
	}
	return errors.Join(errs...)
}

// RunDailyReport is cronOprRequestDailyReport (spec/ops.md §5.4 #13): for
// each active org client with amplification, today's and then
// yesterday's amplification report of its operators to its operator
// numbers; a day nobody reported is skipped.
func (a *Amplify) RunDailyReport(ctx context.Context, args schedule.Args) error {
	now := a.now().In(jakarta.Location)
	cs, err := a.clients(ctx, args, true)
	if err != nil {
		return err
	}
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, jakarta.Location)
	var errs []error
	for _, c := range cs {
		to := recipients(waid.Split(c.Operator))
		if len(to) == 0 {
			continue
		}
		for i, day := range []time.Time{today, today.AddDate(0, 0, -1)} {
			d, err := a.src.AmplifyDay(ctx, c.ID, jakarta.Date(day), amplifyOperatorRole)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			d.ClientID = c.ID
			text, ok := amplifytext.DailyReport(now, day, d)
			if !ok {
				continue
			}
			key := fmt.Sprintf("%s/%s/%s/part-%d", AmplifyDailyJob, c.ID, jakarta.Date(today), i+1)
			if err := a.enqueue(ctx, AmplifyDailyJob, events.MessageQueued{Key: key, Kind: AmplifyDailyJob, ClientID: c.ID,
				Recipients: to, Text: text}); err != nil {
				errs = append(errs, fmt.Errorf("amplify daily report %s: %w", c.ID, err))
			}
		}
	}
	return errors.Join(errs...)
}
