// Package linkreport is the link report aggregate of the AMPLIFY context
// (spec/ops.md §2): one person's amplification links for one Instagram
// post, regular (a post of the client's feed) or khusus (a post registered
// for a special assignment). Subject amplify.report.<shortcode>.<nrp> or
// amplify.khusus.<shortcode>.<nrp>: "has this person reported this post"
// is the subject's own history, so two concurrent submissions of the same
// report cannot both land (the second re-decides on the first and is
// refused). The post itself is read from its SOCIAL aggregate (exists,
// published when, for which clients), never from a read model.
package linkreport

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/normalize"
)

// Legacy refusals (spec/ops.md §2.3), kept byte for byte.
const (
	MsgDuplicate       = "anda mengirimkan link duplikasi"
	MsgRegularNotFound = "shortcode not found or older than 2 days"
	MsgKhususNotFound  = "shortcode not found or not from today"
	MsgShortcode       = "shortcode wajib diisi"
	MsgUserID          = "user_id wajib diisi"
	MsgClientRequired  = "client_id is required"
	MsgOnlyInstagram   = "Only instagram_link is allowed for special assignment updates"
	MsgKind            = "jenis laporan tidak dikenal"
)

// Window is how recent a regular report's post must be (the legacy
// `NOW() - INTERVAL '2 days'`).
const Window = 48 * time.Hour

// Report is the state of one report, folded from its events.
type Report struct {
	Kind, Shortcode, UserID string
	Exists                  bool
	ClientID                string
	Links                   events.Links
	PostPublishedAt         time.Time
	SubmittedAt             time.Time
}

func (r *Report) apply(p events.Payload) {
	switch e := p.(type) {
	case *events.LinkReportSubmitted:
		r.Exists, r.ClientID, r.Links = true, e.ClientID, e.Links
		r.PostPublishedAt, r.SubmittedAt = e.PostPublishedAt, e.SubmittedAt
	case *events.LinkReportUpdated:
		r.Links = e.Links
	case *events.LinkReportDeleted:
		r.Exists = false
	}
}

// Load reads and folds one report through the command's loader.
func Load(ctx context.Context, l *commands.Loader, kind, shortcode, nrp string) (Report, uint64, error) {
	r := Report{Kind: kind, Shortcode: shortcode, UserID: nrp}
	envs, v, err := l.Load(ctx, events.LinkReportSubject(kind, shortcode, nrp))
	if err != nil {
		return Report{}, 0, fmt.Errorf("load link report: %w", err)
	}
	for i := range envs {
		p, err := l.Registry().Decode(&envs[i])
		if err != nil {
			return Report{}, 0, fmt.Errorf("decode link report: %w", err)
		}
		r.apply(p)
	}
	return r, v, nil
}

func (r Report) commit(v uint64, ev events.Payload) []events.Commit {
	return []events.Commit{{Subject: events.LinkReportSubject(r.Kind, r.Shortcode, r.UserID),
		AggregateID: events.LinkReportAggregateID(r.Kind, r.Shortcode, r.UserID), Expected: v, Events: []events.Payload{ev}}}
}

// key checks and normalises what names a report.
func key(kind, shortcode, userID string) (string, string, string, error) {
	kind = strings.ToLower(strings.TrimSpace(kind))
	if kind == "" {
		kind = events.LinkReportRegular
	}
	if kind != events.LinkReportRegular && kind != events.LinkReportKhusus {
		return "", "", "", apperr.Invalidf("kind", "%s", MsgKind)
	}
	shortcode = strings.TrimSpace(shortcode)
	if shortcode == "" {
		return "", "", "", apperr.Invalidf("shortcode", "%s", MsgShortcode)
	}
	nrp := normalize.NRP(userID)
	if nrp == "" {
		return "", "", "", apperr.Invalidf("user_id", "%s", MsgUserID)
	}
	return kind, shortcode, nrp, nil
}

// Handlers runs the link report commands.
type Handlers struct{ rt *commands.Runtime }

// NewHandlers returns the link report handlers over rt.
func NewHandlers(rt *commands.Runtime) *Handlers { return &Handlers{rt: rt} }

// Submit → LinkReportSubmitted (khusus again: LinkReportUpdated or nothing).
func (h *Handlers) Submit(ctx context.Context, meta commands.Meta, cmd Submit) (commands.Outcome, error) {
	return h.rt.Handle(ctx, "linkreport.Submit", meta, cmd.decide)
}

// Update → LinkReportUpdated (nothing when the links are unchanged).
func (h *Handlers) Update(ctx context.Context, meta commands.Meta, cmd Update) (commands.Outcome, error) {
	return h.rt.Handle(ctx, "linkreport.Update", meta, cmd.decide)
}

// Delete → LinkReportDeleted (nothing when there is no report).
func (h *Handlers) Delete(ctx context.Context, meta commands.Meta, cmd Delete) (commands.Outcome, error) {
	return h.rt.Handle(ctx, "linkreport.Delete", meta, cmd.decide)
}
