package linkreport

import (
	"context"
	"strings"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/commands/post"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/normalize"
)

// Refusals of an imported report: the old row names something that was
// never imported here.
const (
	MsgImportPerson = "personel tidak ditemukan"
	MsgImportPost   = "post tidak ditemukan"
)

// ImportReport records a report made in the old system (`cicero
// import-v2`, tables link_report and link_report_khusus) as history: with
// its own time and its post's, without the live submission rules (the
// 2-day window, khusus "today", the duplicate guard) that judged it back
// then. The person and the post must be known here (NotFound otherwise:
// the row is skipped with the reason). A report whose subject has any
// history already (imported before, or made or withdrawn here since) is
// left as it is: a rerun appends nothing.
type ImportReport struct {
	Kind      string
	Shortcode string
	UserID    string
	// ClientID is the client the old row counts for ("" = the post's
	// first client, as for a regular report).
	ClientID    string
	Links       events.Links
	SubmittedAt time.Time
	By          string
}

func (cmd ImportReport) decide(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
	kind, shortcode, nrp, err := key(cmd.Kind, cmd.Shortcode, cmd.UserID)
	if err != nil {
		return nil, err
	}
	r, v, err := Load(ctx, l, kind, shortcode, nrp)
	if err != nil {
		return nil, err
	}
	if v > 0 {
		return nil, nil // recorded before: history is not rewritten
	}
	who, _, err := person.Load(ctx, l, nrp)
	if err != nil {
		return nil, err
	}
	if !who.Registered {
		return nil, &apperr.Error{Code: apperr.NotFound, Field: "user_id", Message: MsgImportPerson}
	}
	p, _, err := post.Load(ctx, l, events.PlatformInstagram, shortcode)
	if err != nil {
		return nil, err
	}
	if !p.Ingested {
		return nil, &apperr.Error{Code: apperr.NotFound, Field: "shortcode", Message: MsgImportPost}
	}
	at := cmd.SubmittedAt
	if at.IsZero() {
		at = p.PublishedAt // the old model copied the post's time into the report
	}
	return r.commit(v, &events.LinkReportSubmitted{Kind: kind, Shortcode: shortcode, UserID: nrp,
		ClientID: reportClient(p, normalize.ClientID(cmd.ClientID)), Links: trimLinks(cmd.Links),
		PostPublishedAt: p.PublishedAt.UTC(), SubmittedAt: at.UTC(), Title: who.Title, Nama: who.Nama,
		By: cmd.By}), nil
}

// trimLinks keeps of each old column its first URL ("" when none), as the
// old create did with what it stored.
func trimLinks(l events.Links) events.Links {
	first := func(s string) string {
		if u := FirstURL(s); u != "" {
			return u
		}
		return strings.TrimSpace(s)
	}
	return events.Links{Instagram: first(l.Instagram), Facebook: first(l.Facebook), Twitter: first(l.Twitter),
		Tiktok: first(l.Tiktok), Youtube: first(l.Youtube)}
}

// ImportReport → LinkReportSubmitted, nothing when recorded before.
func (h *Handlers) ImportReport(ctx context.Context, meta commands.Meta, cmd ImportReport) (commands.Outcome, error) {
	return h.rt.Handle(ctx, "linkreport.ImportReport", meta, cmd.decide)
}
