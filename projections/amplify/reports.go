package amplify

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/projections"
)

// ReportsName is the projection's name (checkpoints, lock, CLI).
const ReportsName = "amplify_reports"

// ErrNotFound: no such row (the one sentinel of every context's queries).
var ErrNotFound = projections.ErrNotFound

// Reports projects the AMPLIFY stream into amplify_reports and
// amplify_khusus_posts. Reports are few (a person reports a post once), so
// a batch is one pipelined round trip of per-event statements.
type Reports struct{ reg *events.Registry }

var _ projections.Projection = (*Reports)(nil)

// NewReports builds the projection; reg decodes event bodies.
func NewReports(reg *events.Registry) *Reports { return &Reports{reg: reg} }

func (*Reports) Name() string      { return ReportsName }
func (*Reports) Streams() []string { return []string{"AMPLIFY"} }
func (*Reports) Tables() []string  { return []string{"amplify_reports", "amplify_khusus_posts"} }
func (*Reports) EventTypes() []string {
	return events.Types(events.LinkReportSubmitted{}, events.LinkReportUpdated{}, events.LinkReportDeleted{})
}

func null(s string) *string { return projections.Nullable(s) }

// Apply implements Projection.
func (p *Reports) Apply(ctx context.Context, tx pgx.Tx, t projections.Tables, batch []events.Envelope) error {
	reports, khusus := projections.Ident(t["amplify_reports"]), projections.Ident(t["amplify_khusus_posts"])
	b := &pgx.Batch{}
	for i := range batch {
		env := &batch[i]
		pl, err := p.reg.Decode(env)
		if err != nil {
			return fmt.Errorf("amplify reports: %w", err)
		}
		v := int64(env.Position)
		switch e := pl.(type) {
		case *events.LinkReportSubmitted:
			l := e.Links
			b.Queue(`INSERT INTO `+reports+` (kind, shortcode, user_id, client_id, instagram_link, facebook_link,
				twitter_link, tiktok_link, youtube_link, post_published_at, post_date, submitted_at, submitted_date, updated_at, version)
				VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11::date,$12,$13::date,$12,$14)
				ON CONFLICT (kind, shortcode, user_id) DO UPDATE SET client_id = EXCLUDED.client_id,
				instagram_link = EXCLUDED.instagram_link, facebook_link = EXCLUDED.facebook_link,
				twitter_link = EXCLUDED.twitter_link, tiktok_link = EXCLUDED.tiktok_link, youtube_link = EXCLUDED.youtube_link,
				post_published_at = EXCLUDED.post_published_at, post_date = EXCLUDED.post_date,
				submitted_at = EXCLUDED.submitted_at, submitted_date = EXCLUDED.submitted_date,
				updated_at = EXCLUDED.updated_at, version = EXCLUDED.version`,
				e.Kind, e.Shortcode, e.UserID, e.ClientID, null(l.Instagram), null(l.Facebook), null(l.Twitter),
				null(l.Tiktok), null(l.Youtube), e.PostPublishedAt, jakarta.Date(e.PostPublishedAt), e.SubmittedAt,
				jakarta.Date(e.SubmittedAt), v)
			if e.Kind == events.LinkReportKhusus {
				b.Queue(`INSERT INTO `+khusus+` (client_id, shortcode, published_at, jakarta_date, registered_at)
					VALUES ($1,$2,$3,$4::date,$5) ON CONFLICT DO NOTHING`,
					e.ClientID, e.Shortcode, e.PostPublishedAt, jakarta.Date(e.PostPublishedAt), e.SubmittedAt)
			}
		case *events.LinkReportUpdated:
			l := e.Links
			b.Queue(`UPDATE `+reports+` SET instagram_link = $4, facebook_link = $5, twitter_link = $6, tiktok_link = $7,
				youtube_link = $8, updated_at = $9, version = $10 WHERE kind = $1 AND shortcode = $2 AND user_id = $3`,
				e.Kind, e.Shortcode, e.UserID, null(l.Instagram), null(l.Facebook), null(l.Twitter), null(l.Tiktok),
				null(l.Youtube), e.UpdatedAt, v)
		case *events.LinkReportDeleted:
			b.Queue(`DELETE FROM `+reports+` WHERE kind = $1 AND shortcode = $2 AND user_id = $3`, e.Kind, e.Shortcode, e.UserID)
		}
	}
	if b.Len() == 0 {
		return nil
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("amplify reports: %w", err)
	}
	return nil
}
