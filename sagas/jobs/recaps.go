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
	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/internal/recaptext"
	"github.com/cicero/cicero/internal/schedule"
	"github.com/cicero/cicero/internal/waid"
	"github.com/cicero/cicero/projections/messaging"
	"github.com/cicero/cicero/projections/recap"
	"github.com/cicero/cicero/sagas"
	"github.com/cicero/cicero/sagas/jobs/dirreport"
)

// Readiness waits until a WhatsApp session can send (the WhatsApp
// adapter's session manager). Session "" is the fallback chain: any of its
// sessions ready will do.
type Readiness interface {
	WaitReady(ctx context.Context, session string, timeout time.Duration) error
}

// RecapReader is what the scheduled recaps read (*recap.Reader).
type RecapReader interface {
	dirreport.Reader
	Clients(ctx context.Context, typ string, activeOnly bool) ([]recap.Client, error)
	Absensi(ctx context.Context, c recap.Client, platform, role, day string, at time.Time) (recaptext.Absensi, error)
}

// ReminderStates reads the reminders' state of a day
// (*projections/messaging.Queries).
type ReminderStates interface {
	ReminderStates(ctx context.Context, day string) ([]messaging.ReminderState, error)
}

// Queuer queues a message once per key (*commands/outgoing.Handlers).
type Queuer interface {
	Queue(ctx context.Context, meta commands.Meta, cmd outgoing.Queue) (commands.Outcome, error)
}

// ClientFetcher runs the social fetch for args (one client and platform):
// a *SocialFetch, or serve's scheduler running the social-fetch job, so a
// routine refresh waits for a fetch already running instead of doubling it.
type ClientFetcher interface {
	Run(ctx context.Context, args schedule.Args) error
}

// RecapDeps is what the scheduled recaps use.
type RecapDeps struct {
	Read      RecapReader
	Reports   *dirreport.Builder
	Reminders ReminderStates
	Queue     Queuer
	// Ready, when set, is waited on (up to ReadyTimeout, 0: one minute)
	// before a job queues anything; a session not ready fails the run.
	Ready        Readiness
	ReadyTimeout time.Duration
	// Admins are ADMIN_WHATSAPP's JIDs (waid.Admins).
	Admins []string
	// DirRequestGroup is ENABLE_DIRREQUEST_GROUP: without it the seven
	// dirRequest jobs (14–20 of spec/ops.md §5.3) are not registered.
	DirRequestGroup bool
	// Fetch runs the routine amplification refresh (an Instagram fetch of
	// the amplify clients); nil leaves that job out.
	Fetch  ClientFetcher
	Now    func() time.Time
	Logger *slog.Logger
}

// Recaps are the clock-driven WhatsApp recaps and reminders of
// spec/ops.md §5.3 (jobs 4, 5, 10, 11, 12, 14, 15, 17–20). Each run
// queues its messages with commands/outgoing under keys made of the job,
// the client, the Jakarta slot (minute) and the part, so a rerun of the
// same slot appends nothing; the messaging-queued saga puts them in the
// outbox.
type Recaps struct{ d RecapDeps }

// NewRecaps returns the recaps over d.
func NewRecaps(d RecapDeps) *Recaps {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.ReadyTimeout <= 0 {
		d.ReadyTimeout = time.Minute
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	return &Recaps{d: d}
}

// legacy is the old cron_job_config key of a module.
func legacy(module string) string { return "./src/cron/" + module + ".js" }

// Jobs lists the recaps on their schedules (the code's real times,
// Asia/Jakarta), with their legacy keys.
func (r *Recaps) Jobs() []schedule.Job {
	js := []schedule.Job{
		{Name: RekapUpdateJob, Legacy: legacy("cronDirRequestRekapUpdate"), Cron: "0 8-18/4 * * *", Run: r.rekapUpdate},
		{Name: DitsamaptaJob, Legacy: legacy("cronDirRequestRekapBelumLengkapDitsamapta"), Cron: "15 6 * * *", Run: r.ditsamapta},
		{Name: UpdateUsernameJob, Legacy: legacy("cronOprRequestAbsensiUpdateDataUsername"), Cron: "45 6 * * *",
			Run: r.updateUsername},
		{Name: EngagementJob, Legacy: legacy("cronOprRequestAbsensiEngagement"), Cron: "20 15,18,20 * * *", Run: r.engagement},
	}
	if r.d.Fetch != nil {
		js = append(js, schedule.Job{Name: AmplifyRoutineJob, Legacy: legacy("cronOprRequestAmplifyRoutineUpdate"),
			Cron: "55,25 8-21 * * *", Run: r.amplifyRoutine})
	}
	if r.d.DirRequestGroup {
		js = append(js,
			schedule.Job{Name: ReminderJob, Legacy: legacy("cronWaNotificationReminder"), Cron: "5 17 * * *",
				Also: []string{"35 17 * * *"}, Run: r.reminder},
			r.actionJob(bidhumasEvening),
			r.actionJob(ditbinmasGroup),
			r.actionJob(ditbinmasSuper),
			r.actionJob(ditbinmasOperator),
			r.actionJob(ditbinmasAbsensi))
	}
	return js
}

// Names of the recap jobs.
const (
	RekapUpdateJob    = "dirrequest-rekap-update"
	DitsamaptaJob     = "dirrequest-ditsamapta-belum-lengkap"
	UpdateUsernameJob = "oprrequest-update-data-username"
	EngagementJob     = "oprrequest-absensi-engagement"
	AmplifyRoutineJob = "oprrequest-amplify-routine-update"
	ReminderJob       = "wa-notification-reminder"
)

// run is one job run: its name and Jakarta slot.
type run struct {
	r    *Recaps
	job  string
	now  time.Time
	slot string
}

func (r *Recaps) start(ctx context.Context, job, session string) (*run, error) {
	if r.d.Ready != nil {
		if err := r.d.Ready.WaitReady(ctx, session, r.d.ReadyTimeout); err != nil {
			return nil, fmt.Errorf("%s: WhatsApp not ready: %w", job, err)
		}
	}
	now := r.d.Now()
	return &run{r: r, job: job, now: now, slot: now.In(jakarta.Location).Format("2006-01-02T15:04")}, nil
}

// message is one message of a run.
type message struct {
	kind                        string // "" the job's name
	client, part, session, text string
	recipients                  []string
	doc                         *events.QueuedDocument
	meta                        map[string]string
}

// notAfter: a recap or reminder is news of its Jakarta day only.
func (rn *run) notAfter() *time.Time {
	t := jakarta.EndOfDay(rn.now)
	return &t
}

// queue queues m under <job>/<client>/<slot>/<part>.
func (rn *run) queue(ctx context.Context, m message) error {
	if len(m.recipients) == 0 {
		return nil
	}
	key := rn.job + "/" + strings.ToUpper(m.client) + "/" + rn.slot + "/" + m.part
	kind := m.kind
	if kind == "" {
		kind = rn.job
	}
	_, err := rn.r.d.Queue.Queue(ctx, commands.Meta{Actor: "system:" + rn.job}, outgoing.Queue{Message: events.MessageQueued{
		Key: key, Kind: kind, ClientID: m.client, Channel: sagas.ChannelWhatsApp, Recipients: m.recipients,
		Session: m.session, Text: m.text, Document: m.doc, Meta: m.meta, NotAfter: rn.notAfter()}})
	if err != nil {
		return fmt.Errorf("%s: queue %s: %w", rn.job, key, err)
	}
	return nil
}

// numbers are the user JIDs of a multi-number field.
func numbers(field string) []string {
	var out []string
	for _, n := range waid.Split(field) {
		if j := waid.UserJID(n); j != "" {
			out = append(out, j)
		}
	}
	return out
}

// union joins recipient lists without repeats, in order.
func union(lists ...[]string) []string {
	seen := map[string]bool{}
	var out []string
	for _, l := range lists {
		for _, x := range l {
			if x != "" && !seen[x] {
				seen[x] = true
				out = append(out, x)
			}
		}
	}
	return out
}

func groupOf(c recap.Client) []string {
	if g := firstGroup(c.Group); g != "" {
		return []string{g}
	}
	return nil
}

func equalFold(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}
