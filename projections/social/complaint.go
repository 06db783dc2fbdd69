package social

import (
	"context"
	"fmt"
	"time"
)

// Recorded is what the read models hold of one account's engagement with
// a client's posts since an instant.
type Recorded struct {
	Posts       int // distinct posts engaged with
	First, Last time.Time
}

// RecordedSince counts the posts of clientID's feed that username (kind:
// KindLike or KindComment) engaged with, first seen at or after since.
func (q *Queries) RecordedSince(ctx context.Context, platform, kind, username, clientID string, since time.Time) (Recorded, error) {
	var r Recorded
	var first, last *time.Time
	err := q.db.QueryRow(ctx, `SELECT count(DISTINCT e.post_id), min(e.first_seen), max(e.first_seen)
		FROM social_engagements e
		WHERE e.platform = $1 AND e.kind = $2 AND e.username = $3 AND e.first_seen >= $5
		  AND EXISTS (SELECT 1 FROM social_post_clients pc
		      WHERE pc.platform = e.platform AND pc.post_id = e.post_id AND upper(pc.client_id) = upper($4))`,
		platform, kind, username, clientID, since).Scan(&r.Posts, &first, &last)
	if err != nil {
		return Recorded{}, fmt.Errorf("engagement of %s since %s: %w", username, since.Format(time.DateOnly), err)
	}
	if first != nil {
		r.First, r.Last = *first, *last
	}
	return r, nil
}
