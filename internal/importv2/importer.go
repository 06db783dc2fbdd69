package importv2

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/account"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/commands/personnelpremium"
	postcmd "github.com/cicero/cicero/commands/post"
	"github.com/cicero/cicero/commands/premium"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/sagas"
)

// Actor is the actor of every imported event; sagas send nothing for
// such events (the old system sent its messages when they happened).
const Actor = sagas.ImportActor

// idSpace names the import's command ids (UUIDv5 of table, key, content).
var idSpace = uuid.MustParse("0b7f6f0e-3c1a-4f53-9a57-1d2f3b9f6c11")

// streams are the streams the import appends to (for counting new events).
var streams = []string{"DIRECTORY", "ACCESS", "PREMIUM", "SOCIAL", "AMPLIFY", "EDITORIAL"}

// Options tune a run.
type Options struct {
	Clock Clock
	// DryRun reads and checks every row and reports what would be
	// imported, appending nothing.
	DryRun bool
	// Concurrency is how many rows are imported at once (default 8).
	Concurrency int
	// MaxUsernames bounds the usernames one LikesRecorded or
	// CommentsRecorded carries (default 5000): larger lists are split so a
	// message stays under the server's payload limit.
	MaxUsernames int
	// Now is the clock premium expiry is judged by (default time.Now).
	Now func() time.Time
}

// Progress is told about each table's rows as they are done.
type Progress interface {
	Start(table string, total int)
	Add(n int)
	Finish()
}

type nopProgress struct{}

func (nopProgress) Start(string, int) {}
func (nopProgress) Add(int)           {}
func (nopProgress) Finish()           {}

// CommandLog is the runtime's command log: an import looks a command up
// there before running it.
type CommandLog interface {
	Get(ctx context.Context, commandID string) (commands.Outcome, bool, error)
}

// Importer issues an old database's rows as commands.
type Importer struct {
	src      *Source
	cmdlog   CommandLog
	store    *events.Store
	opts     Options
	log      *slog.Logger
	progress Progress

	clients   *client.Handlers
	people    *person.Handlers
	dash      *dashuser.Handlers
	premium   *premium.Handlers
	personnel *personnelpremium.Handlers
	postsH    *postcmd.Handlers
	posts     importedPosts
	accounts  *account.Handlers
	ops       opsHandlers

	heads  map[string]uint64
	report *Report
	// known are the client ids imported (or present) so far, upper case,
	// and each client's official accounts (posts name them).
	known sync.Map // client id → clientAccounts
	// persons are the NRPs imported (or present) so far; dashboards the
	// dashboard accounts, each with whether it is approved. Rows that
	// need them (premium requests, subscriptions) are skipped without a
	// command when they are missing: a refusal would be remembered in the
	// command log as that row's answer, also once the account is fixed.
	persons    sync.Map // nrp → true
	dashboards sync.Map // dashboard_user_id → approved
}

type clientAccounts struct{ Insta, Tiktok string }

// New returns an importer reading src and issuing commands through rt.
// cmdlog is the command log rt uses.
func New(src *Source, rt *commands.Runtime, cmdlog CommandLog, opts Options, log *slog.Logger, progress Progress) *Importer {
	if opts.Concurrency <= 0 {
		opts.Concurrency = 8
	}
	if opts.MaxUsernames <= 0 {
		opts.MaxUsernames = 5000
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if progress == nil {
		progress = nopProgress{}
	}
	return &Importer{src: src, cmdlog: cmdlog, store: rt.Store(), opts: opts, log: log, progress: progress,
		clients: client.NewHandlers(rt), people: person.NewHandlers(rt), dash: dashuser.NewHandlers(rt),
		premium: premium.NewHandlers(rt, nil, opts.Now), personnel: personnelpremium.NewHandlers(rt, opts.Now), postsH: postcmd.NewHandlers(rt, nil), accounts: account.NewHandlers(rt),
		ops: newOpsHandlers(rt), report: &Report{DryRun: opts.DryRun}}
}

// Run imports every table in dependency order and returns the report. A
// row that breaks a rule is skipped and reported; an error (the event
// store or the old database failing) stops the run, which a second run
// then resumes.
func (im *Importer) Run(ctx context.Context) (*Report, error) {
	start := time.Now()
	im.heads = map[string]uint64{}
	for _, st := range streams {
		h, err := im.store.StreamHead(ctx, st)
		if err != nil {
			return nil, fmt.Errorf("stream %s: %w", st, err)
		}
		im.heads[st] = h
	}
	im.report.Missing = im.src.Missing()
	steps := []struct {
		table string
		run   func(context.Context, *TableReport) error
	}{
		{"clients", im.importClients},
		{"user", im.importPersonnel},
		{"dashboard_user", im.importDashboardUsers},
		{"dashboard_user_subscriptions", im.importSubscriptions},
		{"dashboard_premium_request", im.importPremiumRequests},
		{"premium_request", im.importPersonnelRequests},
		{"insta_post", im.importInstagramPosts},
		{"tiktok_post", im.importTiktokPosts},
		{"insta_like", im.importLikes},
		{"tiktok_comment", im.importComments},
		{"insta_profile", im.importProfiles},
		{"link_report", im.importLinkReports},
		{"link_report_khusus", im.importKhususReports},
		{"penmas_user", im.importPenmasUsers},
		{"editorial_event", im.importEditorialEvents},
	}
	for _, st := range steps {
		if st.table != "clients" && st.table != "user" && !im.src.Has(st.table) {
			continue
		}
		t := im.report.table(st.table)
		began := time.Now()
		err := st.run(ctx, t)
		t.Elapsed = time.Since(began)
		if err != nil {
			im.report.Elapsed = time.Since(start)
			return im.report, fmt.Errorf("import %s: %w", st.table, err)
		}
	}
	im.report.Elapsed = time.Since(start)
	return im.report, nil
}

// meta names a command by a hash of its source, its type and its content,
// with the source as causation and the row's own time as occurred_at.
// The type is part of the id: two commands of one row may encode alike
// (RegisterClient and the UpdateClient that follows its "already
// registered" carry the same fields), and the second must not get the
// first one's answer.
func meta(table, key string, cmd any, at time.Time) commands.Meta {
	return named(table, key, cmd, cmd, at)
}

// metaAt is meta for a command that decides on an aggregate whose version
// was `version` when the row's import began: the id also names that
// version. A value that changes in the old system and then changes back
// issues the same command twice; the second time the aggregate has moved
// on, so it is a new command (decided, appending the change back) and not
// the first one's answer. An unchanged aggregate keeps the id, so a rerun
// over unchanged rows is still answered from the command log.
func metaAt(table, key string, cmd any, at time.Time, version uint64) commands.Meta {
	if version == 0 {
		return meta(table, key, cmd, at)
	}
	return named(table, key, cmd, struct {
		Cmd     any    `json:"cmd"`
		Version uint64 `json:"version"`
	}{cmd, version}, at)
}

func named(table, key string, cmd, content any, at time.Time) commands.Meta {
	raw, err := json.Marshal(content)
	if err != nil {
		panic(fmt.Sprintf("import command %s/%s: %v", table, key, err)) // plain structs always encode
	}
	id := uuid.NewSHA1(idSpace, append([]byte(fmt.Sprintf("%s\x00%s\x00%T\x00", table, key, cmd)), raw...))
	return commands.Meta{CommandID: id.String(), Actor: Actor, CausationID: "v2:" + table + ":" + key, OccurredAt: at}
}

// version is subject's version as the stream leader knows it.
func (im *Importer) version(ctx context.Context, subject string) (uint64, error) {
	v, err := im.store.LeaderVersion(ctx, subject)
	if err != nil {
		return 0, fmt.Errorf("version of %s: %w", subject, err)
	}
	return v, nil
}

// exec runs a command unless the command log has its outcome: the
// runtime would decide anyway (loading the aggregate) while it looks the
// id up, which on a rerun over millions of likes is the whole cost. The
// runtime's own idempotency still covers a command whose log row is gone.
func (im *Importer) exec(ctx context.Context, m commands.Meta, run func(commands.Meta) (commands.Outcome, error)) (commands.Outcome, error) {
	o, ok, err := im.cmdlog.Get(ctx, m.CommandID)
	if err != nil {
		return commands.Outcome{}, fmt.Errorf("command log: %w", err)
	}
	if ok {
		return o, o.Err()
	}
	return run(m)
}

// fresh counts the new events of an outcome (a replayed outcome or a
// duplicate append is not new) and reports whether there were any.
func (im *Importer) fresh(t *TableReport, out commands.Outcome) bool {
	n := 0
	for _, a := range out.Appended {
		if !a.Duplicate && a.Sequence > im.heads[a.Stream] {
			n += len(a.Types)
		}
	}
	im.report.mu.Lock()
	t.Events += n
	im.report.mu.Unlock()
	return n > 0
}

// rowDone records one row's result: imported (something new), unchanged,
// or skipped with the refusal's message.
func (im *Importer) rowDone(t *TableReport, key string, changed bool, refusal error) {
	im.report.mu.Lock()
	defer im.report.mu.Unlock()
	switch {
	case refusal != nil:
		t.skip(refusal.Error(), key)
	case changed:
		t.Imported++
	default:
		t.Unchanged++
	}
}

func (im *Importer) skip(t *TableReport, reason, key string) {
	im.report.mu.Lock()
	t.skip(reason, key)
	im.report.mu.Unlock()
}

func (im *Importer) leftOut(t *TableReport, reason, key string) {
	im.report.mu.Lock()
	t.leftOut(reason, key)
	im.report.mu.Unlock()
}

func (im *Importer) read(t *TableReport, n int) {
	im.report.mu.Lock()
	t.Read += n
	im.report.mu.Unlock()
}

// refusal splits a command's error into a business refusal (the row is
// skipped with its message) and a failure (the run stops).
func refusal(err error) (skip error, fail error) {
	if err == nil {
		return nil, nil
	}
	var ae *apperr.Error
	if errors.As(err, &ae) && (ae.Code == apperr.Invalid || ae.Code == apperr.Conflict || ae.Code == apperr.NotFound ||
		ae.Code == apperr.Unauthorized || ae.Code == apperr.Forbidden) {
		return skipReason{ae}, nil
	}
	return nil, err
}

type skipReason struct{ e *apperr.Error }

func (s skipReason) Error() string {
	if s.e.Field != "" {
		return s.e.Field + ": " + s.e.Message
	}
	return s.e.Message
}

// each runs fn over items on the importer's workers; the first failure
// stops the rest.
func each[T any](ctx context.Context, im *Importer, items []T, fn func(context.Context, T) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(im.opts.Concurrency, len(items)) {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= len(items) {
					return
				}
				if err := fn(ctx, items[i]); err != nil {
					cancel(err)
					return
				}
				im.progress.Add(1)
			}
		})
	}
	wg.Wait()
	im.progress.Finish()
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	return nil
}
