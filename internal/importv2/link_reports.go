package importv2

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/linkreport"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/normalize"
)

// oldLinkReport is a row of link_report or link_report_khusus (spec
// social.md §1.5, ops.md §2.2) with, for khusus, the client of its post.
type oldLinkReport struct {
	Shortcode, UserID, ClientID string
	Links                       events.Links
	Created                     *time.Time
}

const (
	reasonReportPost = "the post was not imported (skipped or missing)"
	reasonReportTime = "unparseable created_at: dated by its post"
)

func (im *Importer) importLinkReports(ctx context.Context, t *TableReport) error {
	return im.importReports(ctx, t, events.LinkReportRegular, "link_report")
}

func (im *Importer) importKhususReports(ctx context.Context, t *TableReport) error {
	return im.importReports(ctx, t, events.LinkReportKhusus, "link_report_khusus")
}

// importReports records each old report as history (linkreport.ImportReport):
// with the time the old row holds (which the old model copied from the
// post) and without the live submission rules, which judged it back then.
// A khusus report counts for its post's client: insta_post_khusus's, else
// insta_post's.
func (im *Importer) importReports(ctx context.Context, t *TableReport, kind, table string) error {
	s := im.src
	c := func(name string) string { return "COALESCE(" + s.col(table, "r", name, "text") + ", '')" }
	client := `''`
	if kind == events.LinkReportKhusus {
		client = `COALESCE(` + khususClient(s) + `, '')`
	}
	n, err := s.Count(ctx, table)
	if err != nil {
		return fmt.Errorf("count %s: %w", table, err)
	}
	rows, err := s.Query(ctx, fmt.Sprintf(`SELECT r.shortcode, COALESCE(r.user_id, ''), %s, %s, %s, %s, %s, %s, %s
		FROM %s r ORDER BY r.shortcode, r.user_id`, client, c("instagram_link"), c("facebook_link"), c("twitter_link"),
		c("tiktok_link"), c("youtube_link"), s.col(table, "r", "created_at", "timestamp"), table))
	if err != nil {
		return fmt.Errorf("read %s: %w", table, err)
	}
	im.progress.Start(table, n)
	scan := func(r pgx.Rows) (oldLinkReport, error) {
		var o oldLinkReport
		err := r.Scan(&o.Shortcode, &o.UserID, &o.ClientID, &o.Links.Instagram, &o.Links.Facebook, &o.Links.Twitter,
			&o.Links.Tiktok, &o.Links.Youtube, &o.Created)
		return o, err
	}
	return stream(ctx, im, rows, scan, func(ctx context.Context, o oldLinkReport) error {
		im.read(t, 1)
		return im.importReport(ctx, t, kind, table, o)
	})
}

// khususClient is the select expression of a khusus report's post client.
func khususClient(s *Source) string {
	var exprs []string
	if s.Has("insta_post_khusus") {
		exprs = append(exprs, `(SELECT k.client_id FROM insta_post_khusus k WHERE k.shortcode = r.shortcode LIMIT 1)`)
	}
	if s.Has("insta_post") {
		exprs = append(exprs, `(SELECT p.client_id FROM insta_post p WHERE p.shortcode = r.shortcode)`)
	}
	if len(exprs) == 0 {
		return `NULL::text`
	}
	out := exprs[0]
	if len(exprs) == 2 {
		out = "COALESCE(" + exprs[0] + ", " + exprs[1] + ")"
	}
	return out
}

func (im *Importer) importReport(ctx context.Context, t *TableReport, kind, table string, o oldLinkReport) error {
	key := o.Shortcode + "/" + o.UserID
	published, ok := im.posts.published(events.PlatformInstagram, o.Shortcode)
	if !ok {
		im.skip(t, reasonReportPost, key)
		return nil
	}
	// Checked here, not only by the command: a dry run reports it too, and
	// a refusal would stay in the command log after the person arrives.
	if _, ok := im.persons.Load(normalize.NRP(o.UserID)); !ok {
		im.skip(t, reasonPersonAbsent, key)
		return nil
	}
	at := published
	if o.Created != nil && plausible(*o.Created) {
		at = wall(*o.Created, im.opts.Clock.Other)
	} else {
		im.leftOut(t, reasonReportTime, key)
	}
	if im.opts.DryRun {
		im.rowDone(t, key, true, nil)
		return nil
	}
	cmd := linkreport.ImportReport{Kind: kind, Shortcode: o.Shortcode, UserID: o.UserID, ClientID: o.ClientID,
		Links: o.Links, SubmittedAt: at, By: Actor}
	out, err := im.exec(ctx, meta(table, key, cmd, at), func(m commands.Meta) (commands.Outcome, error) { return im.ops.reports.ImportReport(ctx, m, cmd) })
	skip, fail := refusal(err)
	if fail != nil {
		return fmt.Errorf("%s %s: %w", table, key, fail)
	}
	im.rowDone(t, key, skip == nil && im.fresh(t, out), skip)
	return nil
}
