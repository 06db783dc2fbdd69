// Package dirreport builds the directorate reports of the WhatsApp
// `dirrequest` menu that the schedules send (spec/ops.md §5.4 glossary):
// one entry point, Builder.Build(ctx, clientID, action, opts), answers the
// parts (texts, optionally files) of a menu action for a directorate
// client. The scheduled jobs (sagas/jobs) and the WhatsApp menu call it;
// neither sends anything here: the caller queues the parts.
//
// Texts come from internal/recaptext over the figures of
// projections/recap (the attendance read models). Actions whose text the
// spec gives (5: §5.3 accumulation, 10: §5.4, 2: the executive recap) use
// those renderers; the others are plain recaps of the same figures
// (README "Schedules" lists them). Excel parts are not built: each action
// answers its text.
package dirreport

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/internal/normalize"
	"github.com/cicero/cicero/internal/recaptext"
	"github.com/cicero/cicero/projections/recap"
)

// Part is one message of a report: a text, or a file with its caption.
type Part struct {
	Text     string
	Document *events.QueuedDocument
}

// Options narrow a report. Period is one of today (default; also daily,
// harian), yesterday, this_week, last_week, this_month, last_month,
// all_time; ReferenceDate is the day the period is counted from (zero:
// now); RoleFlag is the directorate role whose personnel are counted
// (default the client's id, lower-cased).
type Options struct {
	Period        string
	ReferenceDate time.Time
	RoleFlag      string
}

// UnknownActionError: the action is not one this package builds.
type UnknownActionError struct{ Action int }

func (e *UnknownActionError) Error() string {
	return fmt.Sprintf("dirrequest action %d is not available", e.Action)
}

// ErrPeriod: Options.Period is not a known period.
var ErrPeriod = errors.New("unknown period")

// Reader is what the reports read (*recap.Reader).
type Reader interface {
	Client(ctx context.Context, id string) (recap.Client, error)
	TaskPosts(ctx context.Context, c recap.Client, platform, from, to string, engagers bool) (
		[]recaptext.Post, map[string]map[string]bool, error)
	People(ctx context.Context, c recap.Client, platform, role, from, to string) ([]recaptext.Person, error)
	Members(ctx context.Context, c recap.Client, role string, strict bool) ([]recap.Member, error)
}

// Builder builds the reports.
type Builder struct {
	r   Reader
	now func() time.Time
}

// New returns a builder reading through r with the clock now (nil:
// time.Now).
func New(r Reader, now func() time.Time) *Builder {
	if now == nil {
		now = time.Now
	}
	return &Builder{r: r, now: now}
}

// Actions lists the actions Build answers, in order.
func Actions() []int { return []int{1, 2, 3, 5, 6, 7, 8, 9, 10, 21, 22, 28, 29, 30, 34, 35} }

// Build answers action for the client: its parts in sending order. An
// action not in Actions is an *UnknownActionError; an unknown client is
// recap.ErrNotFound; an unknown period wraps ErrPeriod. Action 3 answers no
// part when everybody's data is complete.
func (b *Builder) Build(ctx context.Context, clientID string, action int, opts Options) ([]Part, error) {
	if !slices.Contains(Actions(), action) {
		return nil, &UnknownActionError{Action: action}
	}
	c, err := b.r.Client(ctx, clientID)
	if err != nil {
		return nil, err
	}
	now := b.now()
	ref := opts.ReferenceDate
	if ref.IsZero() {
		ref = now
	}
	p, err := periodOf(opts.Period, ref)
	if err != nil {
		return nil, err
	}
	role := strings.ToLower(strings.TrimSpace(opts.RoleFlag))
	if role == "" {
		role = strings.ToLower(c.ID)
	}
	rq := request{b: b, c: c, at: now, p: p, role: role}
	text, err := rq.build(ctx, action)
	if err != nil || text == "" {
		return nil, err
	}
	return []Part{{Text: text}}, nil
}

// request is one Build's context.
type request struct {
	b    *Builder
	c    recap.Client
	at   time.Time
	p    period
	role string
}

func (rq request) build(ctx context.Context, action int) (string, error) {
	switch action {
	case 1, 3:
		ms, err := rq.b.r.Members(ctx, rq.c, rq.role, false)
		if err != nil {
			return "", err
		}
		in := recaptext.Completeness{Client: rq.c.Client, At: rq.at}
		for _, m := range ms {
			in.Members = append(in.Members, m.Member)
		}
		if action == 1 {
			return recaptext.DataCompleteness(in), nil
		}
		return recaptext.IncompleteData(in), nil
	case 2:
		return rq.executive(ctx)
	}
	ig, err := rq.directorate(ctx, "instagram")
	if err != nil {
		return "", err
	}
	switch action {
	case 5, 7:
		// 7 is the menu's generic absensiLikes on a directorate client,
		// which the old code rendered as the same accumulation (§5.3).
		return recaptext.DirectorateLikes(ig.Directorate), nil
	case 6:
		return recaptext.DirectorateSimple(ig.Directorate, "instagram"), nil
	case 28:
		return recaptext.PerContentRecap(ig.Directorate, "instagram", ig.done()), nil
	case 34:
		return recaptext.KasatBinmasRecap(ig.Directorate, "instagram", rq.p.label), nil
	}
	tt, err := rq.directorate(ctx, "tiktok")
	if err != nil {
		return "", err
	}
	switch action {
	case 9:
		return recaptext.DirectorateSimple(tt.Directorate, "tiktok"), nil
	case 8, 10:
		// 8: absensiKomentar on a directorate client, the §5.4 accumulation.
		return recaptext.DirectorateKomentar(tt.Directorate), nil
	case 21:
		return recaptext.Laphar(ig.Directorate, tt.Directorate), nil
	case 22:
		return recaptext.EngagementRanking(ig.Directorate, tt.Directorate, rq.p.label), nil
	case 29:
		return recaptext.PerContentRecap(tt.Directorate, "tiktok", tt.done()), nil
	case 30:
		return recaptext.SatkerReport(ig.Directorate, tt.Directorate, rq.p.label), nil
	case 35:
		return recaptext.KasatBinmasRecap(tt.Directorate, "tiktok", rq.p.label), nil
	}
	return "", &UnknownActionError{Action: action}
}

// figures is one platform's directorate input and who engaged per post.
type figures struct {
	recaptext.Directorate
	engagers map[string]map[string]bool // post → normalised usernames
}

// done maps each post to the NRPs of the personnel whose handle engaged.
func (f figures) done() map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for id, who := range f.engagers {
		set := map[string]bool{}
		for _, p := range f.People {
			if h := normalize.Handle(p.Handle); h != "" && who[h] {
				set[p.NRP] = true
			}
		}
		out[id] = set
	}
	return out
}

func (rq request) directorate(ctx context.Context, platform string) (figures, error) {
	posts, who, err := rq.b.r.TaskPosts(ctx, rq.c, platform, rq.p.from, rq.p.to, true)
	if err != nil {
		return figures{}, err
	}
	people, err := rq.b.r.People(ctx, rq.c, platform, rq.role, rq.p.from, rq.p.to)
	if err != nil {
		return figures{}, err
	}
	return figures{Directorate: recaptext.Directorate{Client: rq.c.Client, At: rq.at, Posts: posts, People: people},
		engagers: who}, nil
}

// executive is action 2: the executive recap of Instagram likes and TikTok
// comments, one after the other, with the REST classes (sudah: every
// post; kurang: some; belum: none; no username apart) and the three best
// and worst satker.
func (rq request) executive(ctx context.Context) (string, error) {
	var texts []string
	for _, platform := range []string{"instagram", "tiktok"} {
		f, err := rq.directorate(ctx, platform)
		if err != nil {
			return "", err
		}
		texts = append(texts, recaptext.ExecutiveRecap(executiveOf(f.Directorate, platform, rq.p.label)))
	}
	return strings.Join(texts, "\n\n"), nil
}

func executiveOf(d recaptext.Directorate, platform, label string) recaptext.Executive {
	n := len(d.Posts)
	e := recaptext.Executive{Platform: platform, ClientName: d.Client.Name, PeriodLabel: label, Users: len(d.People),
		Posts: n, UnitKind: "client"}
	type unit struct {
		name         string
		users, sudah int
	}
	var units []*unit
	idx := map[string]*unit{}
	for _, p := range d.People {
		key := strings.ToUpper(p.ClientID)
		u, ok := idx[key]
		if !ok {
			name := p.ClientName
			if name == "" {
				name = p.ClientID
			}
			u = &unit{name: name}
			idx[key] = u
			units = append(units, u)
		}
		u.users++
		st := recaptext.ClassifyOperator(p, n)
		if st != recaptext.NoHandle {
			e.Engagements += min(p.Count, n)
			if p.Exception {
				e.Engagements += n - min(p.Count, n)
			}
		}
		switch {
		case st == recaptext.NoHandle:
			e.NoUsername++
		case st == recaptext.Lengkap:
			e.Sudah++
			u.sudah++
		case st == recaptext.Kurang:
			e.Kurang++
		default:
			e.Belum++
		}
	}
	// Best first by share of sudah (then name); worst first the other way.
	slices.SortStableFunc(units, func(a, b *unit) int {
		if c := b.sudah*a.users - a.sudah*b.users; c != 0 {
			return c
		}
		return strings.Compare(a.name, b.name)
	})
	for _, u := range units[:min(3, len(units))] {
		e.Top = append(e.Top, recaptext.Unit{Name: u.name, Users: u.users, Sudah: u.sudah})
	}
	for i := len(units) - 1; i >= max(0, len(units)-3); i-- {
		e.Bottom = append(e.Bottom, recaptext.Unit{Name: units[i].name, Users: units[i].users, Sudah: units[i].sudah})
	}
	return e
}

// period is a resolved Options.Period: inclusive Jakarta dates ("" from:
// all time) and its label.
type period struct{ from, to, label string }

func periodOf(name string, ref time.Time) (period, error) {
	j := ref.In(jakarta.Location)
	day := time.Date(j.Year(), j.Month(), j.Day(), 0, 0, 0, 0, jakarta.Location)
	d := func(t time.Time) string { return t.Format(time.DateOnly) }
	span := func(a, b time.Time) period {
		return period{from: d(a), to: d(b), label: d(a) + " s.d. " + d(b)}
	}
	monday := day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
	month := time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, jakarta.Location)
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "", "today", "daily", "harian":
		return period{from: d(day), to: d(day), label: d(day)}, nil
	case "yesterday":
		y := day.AddDate(0, 0, -1)
		return period{from: d(y), to: d(y), label: d(y)}, nil
	case "this_week":
		return span(monday, day), nil
	case "last_week":
		return span(monday.AddDate(0, 0, -7), monday.AddDate(0, 0, -1)), nil
	case "this_month":
		return span(month, day), nil
	case "last_month":
		return span(month.AddDate(0, -1, 0), month.AddDate(0, 0, -1)), nil
	case "all_time", "semua":
		return period{label: "semua"}, nil
	}
	return period{}, fmt.Errorf("%w %q", ErrPeriod, name)
}
