package social

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Scopes of the dashboard's analytics.
const (
	ScopeOrg        = "org"
	ScopeDirektorat = "direktorat"
)

// AnevUser is one member of personnel in an ANEV user directory.
type AnevUser struct {
	UserID, Nama, Title, Divisi, Jabatan string
	Insta, Tiktok                        string // as typed
	InstaNorm, TiktokNorm                string // what engagement matching compares
	ClientID, ClientName, RegionalID     string
	WhatsApp, Email                      string
	Exception                            bool
}

// AnevDirectoryFilter selects the personnel an ANEV covers (spec/social.md
// §4.1 "User directory"), active only:
//   - ScopeDirektorat: everyone holding Role, of OnlyClient when it is set;
//   - ScopeOrg: the personnel of Client, holding Role when Role is set;
//
// then of clients in Regional when it is set.
type AnevDirectoryFilter struct {
	Scope, Role, Client, OnlyClient, Regional string
}

// AnevDirectory lists the personnel of f, ordered by name then NRP.
func (q *Queries) AnevDirectory(ctx context.Context, f AnevDirectoryFilter) ([]AnevUser, error) {
	rows, err := q.db.Query(ctx, `SELECT p.user_id, p.nama, p.title, p.divisi, p.jabatan, p.insta, p.tiktok,
			p.insta_norm, p.tiktok_norm, coalesce(p.client_id, ''), coalesce(c.nama, ''), coalesce(c.regional_id, ''),
			p.whatsapp, p.email, p.exception
		FROM personnel p LEFT JOIN clients c ON upper(c.client_id) = upper(p.client_id)
		WHERE p.status
		  AND CASE WHEN $1 = 'direktorat'
		      THEN $2 = ANY(p.roles) AND ($4 = '' OR upper(p.client_id) = upper($4))
		      ELSE upper(p.client_id) = upper($3) AND ($2 = '' OR $2 = ANY(p.roles)) END
		  AND ($5 = '' OR upper(c.regional_id) = upper($5))
		ORDER BY upper(p.nama), p.user_id`, f.Scope, f.Role, f.Client, f.OnlyClient, f.Regional)
	if err != nil {
		return nil, fmt.Errorf("anev directory: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (AnevUser, error) {
		var u AnevUser
		err := r.Scan(&u.UserID, &u.Nama, &u.Title, &u.Divisi, &u.Jabatan, &u.Insta, &u.Tiktok, &u.InstaNorm,
			&u.TiktokNorm, &u.ClientID, &u.ClientName, &u.RegionalID, &u.WhatsApp, &u.Email, &u.Exception)
		return u, err
	})
	if err != nil {
		return nil, fmt.Errorf("anev directory: %w", err)
	}
	return out, nil
}

// TaskFilter selects a task set: the posts of one platform whose Jakarta
// date is in [From, To] (YYYY-MM-DD), not withdrawn from the feed that
// holds them, and either in Client's feed or — ByRole — in the feed of
// the client named Role or tagged as a task for Role; of clients in
// Regional when it is set. Post counts and engagement counts select the
// same posts, so a completion rate never exceeds 1 (SPEC.md §5.4).
type TaskFilter struct {
	Platform, Client, Role, Regional string
	ByRole                           bool
	From, To                         string
}

// TaskPosts lists the ids of the posts of f.
func (q *Queries) TaskPosts(ctx context.Context, f TaskFilter) ([]string, error) {
	rows, err := q.db.Query(ctx, `SELECT DISTINCT pc.post_id
		FROM social_post_clients pc LEFT JOIN clients c ON upper(c.client_id) = upper(pc.client_id)
		WHERE pc.platform = $1 AND NOT pc.withdrawn AND pc.jakarta_date BETWEEN $2::date AND $3::date
		  AND CASE WHEN $4
		      THEN upper(pc.client_id) = upper($5) OR EXISTS (SELECT 1 FROM social_post_roles r
		           WHERE r.platform = pc.platform AND r.post_id = pc.post_id AND r.role = lower($5))
		      ELSE upper(pc.client_id) = upper($6) END
		  AND ($7 = '' OR upper(c.regional_id) = upper($7))
		ORDER BY 1`, f.Platform, f.From, f.To, f.ByRole, f.Role, f.Client, f.Regional)
	if err != nil {
		return nil, fmt.Errorf("task posts: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("task posts: %w", err)
	}
	return ids, nil
}

// EngagerCount is how many of a task set's posts one username engaged
// with.
type EngagerCount struct {
	Username string
	Posts    int
}

// EngagerCounts counts, per normalised username, the posts among ids it
// liked or commented on (kind), ordered by username (byte-wise).
func (q *Queries) EngagerCounts(ctx context.Context, platform, kind string, ids []string) ([]EngagerCount, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := q.db.Query(ctx, `SELECT username, count(*) FROM social_engagements
		WHERE platform = $1 AND kind = $2 AND post_id = ANY($3)
		GROUP BY username`, platform, kind, ids)
	if err != nil {
		return nil, fmt.Errorf("engager counts: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (EngagerCount, error) {
		var c EngagerCount
		return c, r.Scan(&c.Username, &c.Posts)
	})
	if err != nil {
		return nil, fmt.Errorf("engager counts: %w", err)
	}
	sortEngagers(out)
	return out, nil
}

// ClientType returns a client's type ("" when it is unknown).
func (q *Queries) ClientType(ctx context.Context, clientID string) (string, error) {
	var t string
	err := q.db.QueryRow(ctx, `SELECT lower(client_type) FROM clients WHERE upper(client_id) = upper($1)`, clientID).Scan(&t)
	if err == pgx.ErrNoRows {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("client type of %s: %w", clientID, err)
	}
	return t, nil
}

// TaskEngagerCounts is EngagerCounts over a task set of the attendance
// materialisation (ClientTask / RoleTask) in [From, To] (Jakarta dates),
// read from the per-day counts instead of the engagement rows: the same
// answer as EngagerCounts(TaskPosts(…)) for a task filter without a region.
// The second value is the task set's post count.
func (q *Queries) TaskEngagerCounts(ctx context.Context, platform, task, from, to string) ([]EngagerCount, int, error) {
	var posts int
	if err := q.db.QueryRow(ctx, `SELECT count(*)::int FROM social_attendance_tasks
		WHERE platform = $1 AND task = $2 AND jakarta_date BETWEEN $3::date AND $4::date`, platform, task, from, to).Scan(&posts); err != nil {
		return nil, 0, fmt.Errorf("task engager counts %s: %w", task, err)
	}
	if posts == 0 {
		return nil, 0, nil
	}
	rows, err := q.db.Query(ctx, `SELECT username, sum(posts)::int FROM social_daily_attendance
		WHERE platform = $1 AND kind = $2 AND task = $3 AND jakarta_date BETWEEN $4::date AND $5::date
		GROUP BY username`, platform, kindOf(platform), task, from, to)
	if err != nil {
		return nil, 0, fmt.Errorf("task engager counts %s: %w", task, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (EngagerCount, error) {
		var c EngagerCount
		return c, r.Scan(&c.Username, &c.Posts)
	})
	if err != nil {
		return nil, 0, fmt.Errorf("task engager counts %s: %w", task, err)
	}
	sortEngagers(out)
	return out, posts, nil
}

// sortEngagers orders counts by username, byte-wise: in Go rather than
// ORDER BY, since sorting tens of thousands of names under the database's
// collation cost as much as the aggregation itself.
func sortEngagers(cs []EngagerCount) {
	slices.SortFunc(cs, func(a, b EngagerCount) int { return strings.Compare(a.Username, b.Username) })
}
