package amplify

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/recaptext"
)

// LinksPerPost is the number of platforms a post can be amplified on.
const LinksPerPost = 5

// RecapQuery is one amplification recap (spec/ops.md §2.4): the task posts
// of a period and the personnel counted against them.
type RecapQuery struct {
	// Kind is events.LinkReportRegular (posts of client feeds) or
	// events.LinkReportKhusus (the client's khusus posts).
	Kind string
	// PostClient selects the posts of a client's feed ("" = none by client).
	PostClient string
	// PostRole also selects the posts of the directorate client named like
	// the role and the posts tagged for it (regular only).
	PostRole string
	// UserClient and UserRole filter the personnel ("" = any).
	UserClient, UserRole string
	// Regional, upper case, limits posts and personnel to clients of that
	// region ("" = any).
	Regional string
	// From and To bound the posts' Jakarta dates; All: no bound.
	From, To string
	All      bool
}

// RecapRow is one person's line.
type RecapRow struct {
	ClientID          string `json:"client_id"`
	UserID            string `json:"user_id"`
	Title             string `json:"title"`
	Nama              string `json:"nama"`
	Username          string `json:"username"`
	Divisi            string `json:"divisi"`
	Exception         bool   `json:"exception"`
	JumlahLink        int    `json:"jumlah_link"`
	DisplayNama       string `json:"display_nama"`
	SudahMelaksanakan bool   `json:"sudahMelaksanakan"`
	// ClientName orders the rows (satker priority).
	ClientName string `json:"-"`
}

// Recap is the posts counted and every person's line.
type Recap struct {
	Posts int
	Rows  []RecapRow
}

// MaxLink is the links a person owes: five per post.
func (r Recap) MaxLink() int { return r.Posts * LinksPerPost }

const recapSQL = `WITH posts AS (%s),
sums AS (
	SELECT r.user_id, sum(num_nonnulls(NULLIF(r.instagram_link, ''), NULLIF(r.facebook_link, ''), NULLIF(r.twitter_link, ''),
		NULLIF(r.tiktok_link, ''), NULLIF(r.youtube_link, '')))::int AS links
	FROM amplify_reports r JOIN posts ON posts.post_id = r.shortcode
	WHERE r.kind = $1 AND ($1 = 'regular' OR upper(r.client_id) = upper($2))
	GROUP BY r.user_id)
SELECT (SELECT count(*) FROM posts)::int, p.client_id, p.user_id, p.title, p.nama, p.insta, p.divisi, p.exception,
	COALESCE(s.links, 0), COALESCE(c.nama, '')
FROM personnel p
LEFT JOIN clients c ON upper(c.client_id) = upper(p.client_id)
LEFT JOIN sums s ON s.user_id = p.user_id
WHERE p.status AND ($4 = '' OR upper(p.client_id) = upper($4)) AND ($5 = '' OR $5 = ANY (p.roles))
	AND ($6 = '' OR upper(c.regional_id) = $6)`

const regularPostsSQL = `SELECT DISTINCT pc.post_id FROM social_post_clients pc
	LEFT JOIN clients pcl ON upper(pcl.client_id) = upper(pc.client_id)
	WHERE pc.platform = 'instagram' AND NOT pc.withdrawn
	AND ($7 OR pc.jakarta_date BETWEEN $8::date AND $9::date)
	AND (($2 <> '' AND upper(pc.client_id) = upper($2))
		OR ($3 <> '' AND (upper(pc.client_id) = upper($3) OR EXISTS (SELECT 1 FROM social_post_roles pr
			WHERE pr.platform = 'instagram' AND pr.post_id = pc.post_id AND pr.role = lower($3)))))
	AND ($6 = '' OR upper(pcl.regional_id) = $6)`

const khususPostsSQL = `SELECT kp.shortcode AS post_id FROM amplify_khusus_posts kp
	WHERE upper(kp.client_id) = upper($2) AND ($7 OR kp.jakarta_date BETWEEN $8::date AND $9::date) AND $3 = ''`

// Recap computes the recap: jumlah_link is the number of non-empty links
// of the person's reports on the posts counted; exempt personnel count as
// complete (MaxLink). Rows are ordered by satker priority of the person's
// client's name, then jumlah_link (most first), name, NRP.
func (q *Queries) Recap(ctx context.Context, rq RecapQuery) (Recap, error) {
	posts := regularPostsSQL
	if rq.Kind == events.LinkReportKhusus {
		posts = khususPostsSQL
	}
	from, to := rq.From, rq.To
	if rq.All {
		from, to = "1970-01-01", "1970-01-01"
	}
	rows, err := q.db.Query(ctx, fmt.Sprintf(recapSQL, posts), rq.Kind, rq.PostClient, strings.ToLower(rq.PostRole),
		rq.UserClient, strings.ToLower(rq.UserRole), strings.ToUpper(rq.Regional), rq.All, from, to)
	if err != nil {
		return Recap{}, fmt.Errorf("amplify recap: %w", err)
	}
	var out Recap
	out.Rows, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (RecapRow, error) {
		var r RecapRow
		err := row.Scan(&out.Posts, &r.ClientID, &r.UserID, &r.Title, &r.Nama, &r.Username, &r.Divisi, &r.Exception,
			&r.JumlahLink, &r.ClientName)
		return r, err
	})
	if err != nil {
		return Recap{}, fmt.Errorf("amplify recap: %w", err)
	}
	if len(out.Rows) == 0 {
		// No personnel: the post count still answers.
		if err := q.db.QueryRow(ctx, fmt.Sprintf(`WITH posts AS (%s) SELECT count(*)::int FROM posts WHERE $1 <> '' AND $4 = $4 AND $5 = $5`, posts),
			rq.Kind, rq.PostClient, strings.ToLower(rq.PostRole), rq.UserClient, strings.ToLower(rq.UserRole),
			strings.ToUpper(rq.Regional), rq.All, from, to).Scan(&out.Posts); err != nil {
			return Recap{}, fmt.Errorf("amplify recap posts: %w", err)
		}
	}
	for i := range out.Rows {
		r := &out.Rows[i]
		if r.Exception {
			r.JumlahLink = out.MaxLink()
		}
		r.DisplayNama = strings.TrimSpace(r.Title + " " + r.Nama)
		if strings.TrimSpace(r.Title) == "" {
			r.DisplayNama = r.Nama
		}
		r.SudahMelaksanakan = r.JumlahLink > 0
	}
	slices.SortStableFunc(out.Rows, func(a, b RecapRow) int {
		return cmp.Or(cmp.Compare(recaptext.SatkerRank(a.ClientName), recaptext.SatkerRank(b.ClientName)),
			cmp.Compare(b.JumlahLink, a.JumlahLink), cmp.Compare(strings.ToUpper(a.Nama), strings.ToUpper(b.Nama)),
			cmp.Compare(a.UserID, b.UserID))
	})
	return out, nil
}
