package social

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cicero/cicero/events"
)

// FeedPost is one post as the post reads list it (the dashboard's
// /api/insta/posts, /api/instagram/posts, /api/tiktok/posts, the
// aggregator and the rapid-posts reads): the post's columns and one client
// whose feed holds it (a post shared by two clients is listed for each).
type FeedPost struct {
	Platform    string
	PostID      string
	ClientID    string
	Account     string
	Caption     string
	Media       events.PostMedia
	PublishedAt time.Time
	JakartaDate string
	Likes       int
	Comments    int
}

// PostQuery selects posts of one platform: those in the feed of any of
// Clients, those tagged for Role and those of the official Account (the
// union of what is set), published on a Jakarta date in [From, To] (empty:
// unbounded). A post withdrawn from every feed holding it is never listed
// (withdrawn posts leave task sets, SPEC.md §5.5); one withdrawn from a
// client of Clients only is not listed for that client.
type PostQuery struct {
	Platform    string
	Clients     []string
	Role        string
	Account     string
	From, To    string
	NewestFirst bool
	Limit       int // 0: no limit
}

// Posts lists the posts q selects, oldest first (newest first with
// NewestFirst), each once with the client it is listed for: one of
// q.Clients holding it when there is one, else the first client holding it.
func (q *Queries) Posts(ctx context.Context, pq PostQuery) ([]FeedPost, error) {
	order := "p.published_at, p.post_id"
	if pq.NewestFirst {
		order = "p.published_at DESC, p.post_id DESC"
	}
	var limit *int
	if pq.Limit > 0 {
		limit = &pq.Limit
	}
	clients := pq.Clients
	if clients == nil {
		clients = []string{}
	}
	rows, err := q.db.Query(ctx, `WITH sel AS (
			SELECT c.post_id FROM social_post_clients c
			WHERE c.platform = $1 AND c.client_id = ANY($2::text[]) AND NOT c.withdrawn
			  AND ($4::date IS NULL OR c.jakarta_date >= $4::date) AND ($5::date IS NULL OR c.jakarta_date <= $5::date)
			UNION
			SELECT r.post_id FROM social_post_roles r
			WHERE r.platform = $1 AND $3 <> '' AND r.role = $3
			  AND ($4::date IS NULL OR r.jakarta_date >= $4::date) AND ($5::date IS NULL OR r.jakarta_date <= $5::date)
			UNION
			SELECT a.post_id FROM social_posts a
			WHERE a.platform = $1 AND $6 <> '' AND lower(a.account) = $6
			  AND ($4::date IS NULL OR a.jakarta_date >= $4::date) AND ($5::date IS NULL OR a.jakarta_date <= $5::date))
		SELECT p.platform, p.post_id, c.client_id, p.account, p.caption, p.media, p.published_at, p.jakarta_date::text,
			p.likes, p.comments
		FROM sel JOIN social_posts p ON p.platform = $1 AND p.post_id = sel.post_id
		JOIN LATERAL (SELECT c.client_id FROM social_post_clients c
			WHERE c.platform = p.platform AND c.post_id = p.post_id AND NOT c.withdrawn
			ORDER BY c.client_id = ANY($2::text[]) DESC, c.client_id LIMIT 1) c ON true
		ORDER BY `+order+` LIMIT $7`,
		pq.Platform, clients, pq.Role, dateArg(pq.From), dateArg(pq.To), pq.Account, limit)
	if err != nil {
		return nil, fmt.Errorf("posts: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (FeedPost, error) {
		var p FeedPost
		var media []byte
		if err := r.Scan(&p.Platform, &p.PostID, &p.ClientID, &p.Account, &p.Caption, &media, &p.PublishedAt,
			&p.JakartaDate, &p.Likes, &p.Comments); err != nil {
			return p, err
		}
		return p, json.Unmarshal(media, &p.Media)
	})
	if err != nil {
		return nil, fmt.Errorf("posts: %w", err)
	}
	return out, nil
}

// dateArg is a Jakarta date bound: nil (unbounded) when empty.
func dateArg(day string) *string {
	if day == "" {
		return nil
	}
	return &day
}

// PlatformSummary is what a client's feed on one platform holds for a
// period: its posts (those withdrawn counted apart), the like and comment
// counts the platform last showed on them, and the engagement recorded
// (one per post and username, SPEC.md §5.2).
type PlatformSummary struct {
	Posts            int
	Withdrawn        int
	Likes            int // sum of the posts' like counts as last observed
	Comments         int
	LikesRecorded    int // social_engagements rows of kind like
	CommentsRecorded int
	Engagers         int // distinct usernames that liked or commented
	FirstPost        *time.Time
	LastPost         *time.Time
}

// ClientSummary sums the client's feed on platform over the Jakarta dates
// [from, to] (empty: unbounded).
func (q *Queries) ClientSummary(ctx context.Context, clientID, platform, from, to string) (PlatformSummary, error) {
	var s PlatformSummary
	err := q.db.QueryRow(ctx, `WITH inrange AS (
			SELECT c.post_id, c.withdrawn FROM social_post_clients c
			WHERE c.client_id = $1 AND c.platform = $2
			  AND ($3::date IS NULL OR c.jakarta_date >= $3::date) AND ($4::date IS NULL OR c.jakarta_date <= $4::date)),
		sel AS (SELECT post_id FROM inrange WHERE NOT withdrawn)
		SELECT (SELECT count(*) FROM sel), (SELECT count(*) FROM inrange WHERE withdrawn),
			coalesce(sum(p.likes), 0), coalesce(sum(p.comments), 0), min(p.published_at), max(p.published_at),
			(SELECT count(*) FROM social_engagements e JOIN sel USING (post_id) WHERE e.platform = $2 AND e.kind = 'like'),
			(SELECT count(*) FROM social_engagements e JOIN sel USING (post_id) WHERE e.platform = $2 AND e.kind = 'comment'),
			(SELECT count(DISTINCT e.username) FROM social_engagements e JOIN sel USING (post_id) WHERE e.platform = $2)
		FROM sel JOIN social_posts p ON p.platform = $2 AND p.post_id = sel.post_id`,
		clientID, platform, dateArg(from), dateArg(to)).
		Scan(&s.Posts, &s.Withdrawn, &s.Likes, &s.Comments, &s.FirstPost, &s.LastPost, &s.LikesRecorded,
			&s.CommentsRecorded, &s.Engagers)
	if err != nil {
		return PlatformSummary{}, fmt.Errorf("summary of %s %s: %w", clientID, platform, err)
	}
	return s, nil
}

// LatestFetchRun returns the client's last fetch run on platform;
// ErrNotFound when it was never fetched.
func (q *Queries) LatestFetchRun(ctx context.Context, clientID, platform string) (FetchRun, error) {
	var f FetchRun
	var errs []byte
	err := q.db.QueryRow(ctx, `SELECT run_id, client_id, platform, host_used, posts, ingested, withdrawn, likes,
			comments, failures, errors, succeeded, started_at, finished_at FROM social_fetch_runs
		WHERE client_id = $1 AND platform = $2 ORDER BY finished_at DESC, run_id LIMIT 1`, clientID, platform).
		Scan(&f.RunID, &f.ClientID, &f.Platform, &f.HostUsed, &f.Posts, &f.Ingested, &f.Withdrawn, &f.Likes,
			&f.Comments, &f.Failures, &errs, &f.Succeeded, &f.StartedAt, &f.FinishedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return FetchRun{}, fmt.Errorf("fetch run of %s %s: %w", clientID, platform, ErrNotFound)
	}
	if err != nil {
		return FetchRun{}, fmt.Errorf("fetch run of %s %s: %w", clientID, platform, err)
	}
	if err := json.Unmarshal(errs, &f.Errors); err != nil {
		return FetchRun{}, fmt.Errorf("fetch run of %s %s: %w", clientID, platform, err)
	}
	return f, nil
}
