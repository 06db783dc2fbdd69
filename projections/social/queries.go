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

// Post is one row of social_posts with the clients whose feeds hold it and
// its role tags.
type Post struct {
	Platform    string           `json:"platform"`
	PostID      string           `json:"post_id"`
	Account     string           `json:"account"`
	Caption     string           `json:"caption"`
	Media       events.PostMedia `json:"media"`
	PublishedAt time.Time        `json:"published_at"`
	JakartaDate string           `json:"jakarta_date"`
	Likes       int              `json:"likes"`
	Comments    int              `json:"comments"`
	Source      string           `json:"source"`
	Clients     []string         `json:"clients"`   // feeds holding it now
	Withdrawn   []string         `json:"withdrawn"` // feeds it left
	Roles       []string         `json:"roles"`
	Version     uint64           `json:"version"`
}

// Profile is one row of social_profiles.
type Profile struct {
	Platform   string    `json:"platform"`
	Username   string    `json:"username"`
	FullName   string    `json:"full_name"`
	Bio        string    `json:"bio"`
	Followers  int       `json:"followers"`
	Following  int       `json:"following"`
	Posts      int       `json:"posts"`
	AvatarURL  string    `json:"avatar_url"`
	Verified   bool      `json:"verified"`
	ExternalID string    `json:"external_id"`
	ObservedAt time.Time `json:"observed_at"`
}

// FetchRun is one row of social_fetch_runs.
type FetchRun struct {
	RunID      string    `json:"run_id"`
	ClientID   string    `json:"client_id"`
	Platform   string    `json:"platform"`
	HostUsed   string    `json:"host_used"`
	Posts      int       `json:"posts"`
	Ingested   int       `json:"ingested"`
	Withdrawn  int       `json:"withdrawn"`
	Likes      int       `json:"likes"`
	Comments   int       `json:"comments"`
	Failures   int       `json:"failures"`
	Errors     []string  `json:"errors"`
	Succeeded  bool      `json:"succeeded"`
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
}

// Queries reads the social read models (the live tables).
type Queries struct{ db Querier }

// NewQueries reads through db.
func NewQueries(db Querier) *Queries { return &Queries{db: db} }

// Post returns one post; ErrNotFound when the read model has none.
func (q *Queries) Post(ctx context.Context, platform, postID string) (Post, error) {
	var p Post
	var media []byte
	var v int64
	err := q.db.QueryRow(ctx, `SELECT p.platform, p.post_id, p.account, p.caption, p.media, p.published_at,
			p.jakarta_date::text, p.likes, p.comments, p.source, p.version,
			coalesce((SELECT array_agg(c.client_id ORDER BY c.client_id) FROM social_post_clients c
				WHERE c.platform = p.platform AND c.post_id = p.post_id AND NOT c.withdrawn), '{}'),
			coalesce((SELECT array_agg(c.client_id ORDER BY c.client_id) FROM social_post_clients c
				WHERE c.platform = p.platform AND c.post_id = p.post_id AND c.withdrawn), '{}'),
			coalesce((SELECT array_agg(r.role ORDER BY r.role) FROM social_post_roles r
				WHERE r.platform = p.platform AND r.post_id = p.post_id), '{}')
		FROM social_posts p WHERE p.platform = $1 AND p.post_id = $2`, platform, postID).
		Scan(&p.Platform, &p.PostID, &p.Account, &p.Caption, &media, &p.PublishedAt, &p.JakartaDate, &p.Likes,
			&p.Comments, &p.Source, &v, &p.Clients, &p.Withdrawn, &p.Roles)
	if errors.Is(err, pgx.ErrNoRows) {
		return Post{}, fmt.Errorf("post %s/%s: %w", platform, postID, ErrNotFound)
	}
	if err != nil {
		return Post{}, fmt.Errorf("post %s/%s: %w", platform, postID, err)
	}
	if err := json.Unmarshal(media, &p.Media); err != nil {
		return Post{}, fmt.Errorf("post %s/%s media: %w", platform, postID, err)
	}
	p.Version = uint64(v)
	return p, nil
}

// ClientPostsOn lists the ids of the posts in the client's feed (not
// withdrawn) published on the Asia/Jakarta date day (YYYY-MM-DD), oldest
// first.
func (q *Queries) ClientPostsOn(ctx context.Context, clientID, platform, day string) ([]string, error) {
	rows, err := q.db.Query(ctx, `SELECT post_id FROM social_post_clients
		WHERE client_id = $1 AND platform = $2 AND jakarta_date = $3::date AND NOT withdrawn
		ORDER BY published_at, post_id`, clientID, platform, day)
	if err != nil {
		return nil, fmt.Errorf("posts of %s on %s: %w", clientID, day, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("posts of %s on %s: %w", clientID, day, err)
	}
	return ids, nil
}

// Engagers lists the usernames that engaged with a post in kind (KindLike,
// KindComment), in the order they were first seen.
func (q *Queries) Engagers(ctx context.Context, platform, postID, kind string) ([]string, error) {
	rows, err := q.db.Query(ctx, `SELECT username FROM social_engagements
		WHERE platform = $1 AND post_id = $2 AND kind = $3 ORDER BY first_seen, username`, platform, postID, kind)
	if err != nil {
		return nil, fmt.Errorf("engagers of %s: %w", postID, err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("engagers of %s: %w", postID, err)
	}
	return out, nil
}

// Profile returns an account's last observed profile; ErrNotFound when
// none was ever observed.
func (q *Queries) Profile(ctx context.Context, platform, username string) (Profile, error) {
	var p Profile
	err := q.db.QueryRow(ctx, `SELECT platform, username, full_name, bio, followers, following, posts, avatar_url,
			verified, external_id, observed_at FROM social_profiles WHERE platform = $1 AND username = $2`, platform, username).
		Scan(&p.Platform, &p.Username, &p.FullName, &p.Bio, &p.Followers, &p.Following, &p.Posts, &p.AvatarURL,
			&p.Verified, &p.ExternalID, &p.ObservedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return Profile{}, fmt.Errorf("profile %s/%s: %w", platform, username, ErrNotFound)
	}
	if err != nil {
		return Profile{}, fmt.Errorf("profile %s/%s: %w", platform, username, err)
	}
	return p, nil
}

// FetchRuns lists a client's latest fetch runs (all clients when clientID
// is ""), newest first, at most limit.
func (q *Queries) FetchRuns(ctx context.Context, clientID string, limit int) ([]FetchRun, error) {
	rows, err := q.db.Query(ctx, `SELECT run_id, client_id, platform, host_used, posts, ingested, withdrawn, likes,
			comments, failures, errors, succeeded, started_at, finished_at FROM social_fetch_runs
		WHERE $1 = '' OR client_id = $1 ORDER BY finished_at DESC, run_id LIMIT $2`, clientID, limit)
	if err != nil {
		return nil, fmt.Errorf("fetch runs: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (FetchRun, error) {
		var f FetchRun
		var errs []byte
		if err := r.Scan(&f.RunID, &f.ClientID, &f.Platform, &f.HostUsed, &f.Posts, &f.Ingested, &f.Withdrawn, &f.Likes,
			&f.Comments, &f.Failures, &errs, &f.Succeeded, &f.StartedAt, &f.FinishedAt); err != nil {
			return f, err
		}
		return f, json.Unmarshal(errs, &f.Errors)
	})
	if err != nil {
		return nil, fmt.Errorf("fetch runs: %w", err)
	}
	return out, nil
}
