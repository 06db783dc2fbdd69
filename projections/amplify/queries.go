package amplify

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cicero/cicero/internal/amplifyxlsx"
	"github.com/cicero/cicero/projections"
)

// Queries reads the amplify read models (with the social posts' caption
// and media, and the directory's personnel for exports and recaps).
type Queries struct{ db projections.Querier }

// NewQueries returns queries over db.
func NewQueries(db projections.Querier) *Queries { return &Queries{db: db} }

// Report is one report as the legacy routes answer it. CreatedAt is the
// post's instant (the old created_at, which recaps filter by);
// SubmittedAt is when the person reported.
type Report struct {
	Shortcode    string    `json:"shortcode"`
	UserID       string    `json:"user_id"`
	ClientID     string    `json:"client_id"`
	Instagram    *string   `json:"instagram_link"`
	Facebook     *string   `json:"facebook_link"`
	Twitter      *string   `json:"twitter_link"`
	Tiktok       *string   `json:"tiktok_link"`
	Youtube      *string   `json:"youtube_link"`
	CreatedAt    time.Time `json:"created_at"`
	PostDate     string    `json:"post_date"`
	SubmittedAt  time.Time `json:"submitted_at"`
	UpdatedAt    time.Time `json:"updated_at"`
	Caption      *string   `json:"caption"`
	ImageURL     *string   `json:"image_url"`
	ThumbnailURL *string   `json:"thumbnail_url"`
	Version      int64     `json:"version"`
}

// ReportFilter selects reports of one kind. Clients, when not nil, limits
// them to those clients (a scoped caller); empty fields select all.
type ReportFilter struct {
	Kind      string
	UserID    string
	Shortcode string
	Clients   []string
	Limit     int // 0: no limit
	Offset    int
}

const reportColumns = `r.shortcode, r.user_id, r.client_id, r.instagram_link, r.facebook_link, r.twitter_link,
	r.tiktok_link, r.youtube_link, r.post_published_at, to_char(r.post_date, 'YYYY-MM-DD'), r.submitted_at, r.updated_at,
	sp.caption, NULLIF(sp.media->>'image_url', ''), NULLIF(sp.media->>'thumbnail_url', ''), r.version`

func scanReport(row pgx.CollectableRow) (Report, error) {
	var r Report
	err := row.Scan(&r.Shortcode, &r.UserID, &r.ClientID, &r.Instagram, &r.Facebook, &r.Twitter, &r.Tiktok, &r.Youtube,
		&r.CreatedAt, &r.PostDate, &r.SubmittedAt, &r.UpdatedAt, &r.Caption, &r.ImageURL, &r.ThumbnailURL, &r.Version)
	return r, err
}

func (f ReportFilter) where() (string, []any) {
	args := []any{f.Kind, f.UserID, f.Shortcode, f.Clients}
	return `WHERE r.kind = $1 AND ($2 = '' OR r.user_id = $2) AND ($3 = '' OR r.shortcode = $3)
		AND ($4::text[] IS NULL OR upper(r.client_id) = ANY (SELECT upper(c) FROM unnest($4::text[]) c))`, args
}

// Reports lists the reports f selects, newest post first, with the total
// f selects without its limit.
func (q *Queries) Reports(ctx context.Context, f ReportFilter) ([]Report, int, error) {
	where, args := f.where()
	var total int
	if err := q.db.QueryRow(ctx, `SELECT count(*) FROM amplify_reports r `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count reports: %w", err)
	}
	limit := "ALL"
	if f.Limit > 0 {
		limit = fmt.Sprint(f.Limit)
	}
	rows, err := q.db.Query(ctx, `SELECT `+reportColumns+` FROM amplify_reports r
		LEFT JOIN social_posts sp ON sp.platform = 'instagram' AND sp.post_id = r.shortcode `+where+`
		ORDER BY r.post_published_at DESC, r.submitted_at DESC, r.shortcode, r.user_id
		LIMIT `+limit+` OFFSET `+fmt.Sprint(max(f.Offset, 0)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list reports: %w", err)
	}
	out, err := pgx.CollectRows(rows, scanReport)
	if err != nil {
		return nil, 0, fmt.Errorf("list reports: %w", err)
	}
	return out, total, nil
}

// Report returns the first report f selects (ErrNotFound: none).
func (q *Queries) Report(ctx context.Context, f ReportFilter) (Report, error) {
	f.Limit = 1
	rs, _, err := q.Reports(ctx, f)
	if err != nil {
		return Report{}, err
	}
	if len(rs) == 0 {
		return Report{}, ErrNotFound
	}
	return rs[0], nil
}

// ExportFilter selects the reports of a client's posts published in
// [From, To] (Jakarta dates), optionally of one person or post.
type ExportFilter struct {
	Kind, ClientID, From, To, UserID, Shortcode string
	// ByUser orders by person then post instead of by date.
	ByUser bool
}

// Export reads the workbook's rows.
func (q *Queries) Export(ctx context.Context, f ExportFilter) ([]amplifyxlsx.Row, error) {
	order := "r.post_date, r.submitted_at, r.user_id, r.shortcode"
	if f.ByUser {
		order = "r.user_id, r.shortcode, r.post_date"
	}
	rows, err := q.db.Query(ctx, `SELECT to_char(r.post_date, 'YYYY-MM-DD'), TRIM(COALESCE(p.title, '') || ' ' || COALESCE(p.nama, '')),
		r.user_id, COALESCE(p.divisi, ''), COALESCE(r.instagram_link, ''), COALESCE(r.facebook_link, ''),
		COALESCE(r.twitter_link, ''), COALESCE(r.tiktok_link, ''), COALESCE(r.youtube_link, ''), r.shortcode
		FROM amplify_reports r LEFT JOIN personnel p ON p.user_id = r.user_id
		WHERE r.kind = $1 AND upper(r.client_id) = upper($2) AND r.post_date BETWEEN $3::date AND $4::date
		AND ($5 = '' OR r.user_id = $5) AND ($6 = '' OR r.shortcode = $6)
		ORDER BY `+order, f.Kind, f.ClientID, f.From, f.To, f.UserID, f.Shortcode)
	if err != nil {
		return nil, fmt.Errorf("export reports: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (amplifyxlsx.Row, error) {
		var e amplifyxlsx.Row
		err := row.Scan(&e.Date, &e.PangkatNama, &e.NRP, &e.Satfung, &e.Instagram, &e.Facebook, &e.Twitter, &e.Tiktok,
			&e.Youtube, &e.Shortcode)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("export reports: %w", err)
	}
	return out, nil
}

// ClientType is a client's type in lower case (ErrNotFound: no client).
func (q *Queries) ClientType(ctx context.Context, clientID string) (string, error) {
	var t string
	err := q.db.QueryRow(ctx, `SELECT lower(client_type) FROM clients WHERE upper(client_id) = upper($1)`, clientID).Scan(&t)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("client type of %s: %w", clientID, err)
	}
	return t, nil
}
