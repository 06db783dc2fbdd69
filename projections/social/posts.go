package social

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/projections"
)

// PostsName is the posts projection's name.
const PostsName = "social_posts"

// Posts is the read model of posts: social_posts (one row per post, counts
// as last observed), social_post_clients (the clients whose feeds hold it,
// withdrawn per client) and social_post_roles (directorate role tags).
// Apply folds a batch in memory per row and writes each table with one
// statement per kind of change.
type Posts struct {
	reg *events.Registry
}

var _ projections.Projection = (*Posts)(nil)

// NewPosts builds the projection; reg decodes event bodies.
func NewPosts(reg *events.Registry) *Posts { return &Posts{reg: reg} }

// Name implements projections.Projection.
func (*Posts) Name() string { return PostsName }

// Streams implements projections.Projection.
func (*Posts) Streams() []string { return []string{"SOCIAL"} }

// Tables implements projections.Projection.
func (*Posts) Tables() []string {
	return []string{"social_posts", "social_post_clients", "social_post_roles"}
}

// EventTypes implements projections.Projection.
func (*Posts) EventTypes() []string {
	return events.Types(
		events.PostIngested{},
		events.PostStatsObserved{},
		events.PostWithdrawn{},
		events.PostTaggedForRole{},
		events.PostUntaggedForRole{},
	)
}

type postKey struct{ platform, id string }

type postClientKey struct {
	postKey
	client string
}

type postRoleKey struct {
	postKey
	role string
}

// postRow is a post first ingested in this batch (inserted whole) or an
// existing one whose counts changed (stats only).
type postRow struct {
	full                     bool
	account, caption, source string
	media                    []byte
	published                time.Time
	likes, comments          int
	version                  int64
	ingestedAt, updatedAt    time.Time
}

type postClientRow struct {
	ingested              bool // an ingest in this batch defines the row
	published, ingestedAt time.Time
	withdrawn             bool
	withdrawnAt           *time.Time
}

type postRoleRow struct {
	present bool
	by      string
	at      time.Time
}

type postsBatch struct {
	posts   map[postKey]*postRow
	clients map[postClientKey]*postClientRow
	roles   map[postRoleKey]*postRoleRow
}

// Apply implements projections.Projection.
func (p *Posts) Apply(ctx context.Context, tx pgx.Tx, t projections.Tables, batch []events.Envelope) error {
	b := postsBatch{posts: map[postKey]*postRow{}, clients: map[postClientKey]*postClientRow{}, roles: map[postRoleKey]*postRoleRow{}}
	for i := range batch {
		env := &batch[i]
		switch env.Type {
		case "PostIngested", "PostStatsObserved", "PostWithdrawn", "PostTaggedForRole", "PostUntaggedForRole":
		default:
			continue
		}
		ev, err := p.reg.Decode(env)
		if err != nil {
			return fmt.Errorf("%s: %w", PostsName, err)
		}
		at := env.Meta.OccurredAt
		if at.IsZero() {
			at = env.RecordedAt
		}
		if err := b.fold(ev, int64(env.Position), at); err != nil {
			return err
		}
	}
	if err := writePosts(ctx, tx, t["social_posts"], b.posts); err != nil {
		return err
	}
	if err := writePostClients(ctx, tx, t["social_post_clients"], b.clients); err != nil {
		return err
	}
	return writePostRoles(ctx, tx, t["social_post_roles"], t["social_posts"], b.roles)
}

func (b *postsBatch) fold(ev events.Payload, seq int64, at time.Time) error {
	switch e := ev.(type) {
	case *events.PostIngested:
		k := postKey{e.Platform, e.PostID}
		media, err := json.Marshal(e.Media)
		if err != nil {
			return fmt.Errorf("%s: media of %s: %w", PostsName, e.PostID, err)
		}
		r := b.posts[k]
		if r == nil || !r.full {
			r = &postRow{full: true, account: e.Account, caption: e.Caption, source: e.Source, media: media,
				published: e.PublishedAt, ingestedAt: at}
			b.posts[k] = r
		}
		r.likes, r.comments, r.version, r.updatedAt = e.Likes, e.Comments, seq, at
		b.clients[postClientKey{k, e.ClientID}] = &postClientRow{ingested: true, published: e.PublishedAt, ingestedAt: at}
	case *events.PostStatsObserved:
		k := postKey{e.Platform, e.PostID}
		r := b.posts[k]
		if r == nil {
			r = &postRow{}
			b.posts[k] = r
		}
		r.likes, r.comments, r.version, r.updatedAt = e.Likes, e.Comments, seq, at
	case *events.PostWithdrawn:
		k := postClientKey{postKey{e.Platform, e.PostID}, e.ClientID}
		r := b.clients[k]
		if r == nil {
			r = &postClientRow{}
			b.clients[k] = r
		}
		w := at
		r.withdrawn, r.withdrawnAt = true, &w
	case *events.PostTaggedForRole:
		b.roles[postRoleKey{postKey{e.Platform, e.PostID}, e.Role}] = &postRoleRow{present: true, by: e.By, at: at}
	case *events.PostUntaggedForRole:
		b.roles[postRoleKey{postKey{e.Platform, e.PostID}, e.Role}] = &postRoleRow{}
	}
	return nil
}

// sortedKeys orders keys so concurrent writers lock rows in one order.
func sortedKeys[K comparable, V any](m map[K]V, less func(a, b K) int) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.SortFunc(out, less)
	return out
}

func cmpPost(a, b postKey) int {
	if a.platform != b.platform {
		return cmpStr(a.platform, b.platform)
	}
	return cmpStr(a.id, b.id)
}

func cmpStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func writePosts(ctx context.Context, tx pgx.Tx, table string, rows map[postKey]*postRow) error {
	keys := sortedKeys(rows, cmpPost)
	var full, stats []postKey
	for _, k := range keys {
		if rows[k].full {
			full = append(full, k)
		} else {
			stats = append(stats, k)
		}
	}
	if len(full) > 0 {
		n := len(full)
		plat, id, acct, capt, src, media := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		pub, day, ing, upd := make([]time.Time, n), make([]string, n), make([]time.Time, n), make([]time.Time, n)
		likes, comments := make([]int32, n), make([]int32, n)
		ver := make([]int64, n)
		for i, k := range full {
			r := rows[k]
			plat[i], id[i], acct[i], capt[i], src[i], media[i] = k.platform, k.id, r.account, r.caption, r.source, string(r.media)
			pub[i], day[i], ing[i], upd[i] = r.published, jakarta.Date(r.published), r.ingestedAt, r.updatedAt
			likes[i], comments[i], ver[i] = int32(r.likes), int32(r.comments), r.version
		}
		// A post ingested by a second client, or again after a withdrawal,
		// keeps its first row; only the counts move.
		_, err := tx.Exec(ctx, `INSERT INTO `+projections.Ident(table)+` AS p (platform, post_id, account, caption, media,
				published_at, jakarta_date, likes, comments, source, version, ingested_at, updated_at)
			SELECT u.plat, u.id, u.acct, u.capt, u.media::jsonb, u.pub, u.day::date, u.likes, u.comments, u.src, u.ver, u.ing, u.upd
			FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::text[],
				$8::int[], $9::int[], $10::text[], $11::bigint[], $12::timestamptz[], $13::timestamptz[])
				AS u(plat, id, acct, capt, media, pub, day, likes, comments, src, ver, ing, upd)
			ON CONFLICT (platform, post_id) DO UPDATE SET likes = EXCLUDED.likes, comments = EXCLUDED.comments,
				version = EXCLUDED.version, updated_at = EXCLUDED.updated_at`,
			plat, id, acct, capt, media, pub, day, likes, comments, src, ver, ing, upd)
		if err != nil {
			return fmt.Errorf("upsert %s: %w", table, err)
		}
	}
	if len(stats) > 0 {
		n := len(stats)
		plat, id := make([]string, n), make([]string, n)
		likes, comments := make([]int32, n), make([]int32, n)
		ver, upd := make([]int64, n), make([]time.Time, n)
		for i, k := range stats {
			r := rows[k]
			plat[i], id[i], likes[i], comments[i], ver[i], upd[i] = k.platform, k.id, int32(r.likes), int32(r.comments), r.version, r.updatedAt
		}
		_, err := tx.Exec(ctx, `UPDATE `+projections.Ident(table)+` AS p SET likes = u.likes, comments = u.comments,
				version = u.ver, updated_at = u.upd
			FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::bigint[], $6::timestamptz[])
				AS u(plat, id, likes, comments, ver, upd)
			WHERE p.platform = u.plat AND p.post_id = u.id`, plat, id, likes, comments, ver, upd)
		if err != nil {
			return fmt.Errorf("update %s counts: %w", table, err)
		}
	}
	return nil
}

func writePostClients(ctx context.Context, tx pgx.Tx, table string, rows map[postClientKey]*postClientRow) error {
	keys := sortedKeys(rows, func(a, b postClientKey) int {
		if c := cmpPost(a.postKey, b.postKey); c != 0 {
			return c
		}
		return cmpStr(a.client, b.client)
	})
	var ing, wd []postClientKey
	for _, k := range keys {
		if rows[k].ingested {
			ing = append(ing, k)
		} else {
			wd = append(wd, k)
		}
	}
	if len(ing) > 0 {
		n := len(ing)
		plat, id, cl, day := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		pub, at := make([]time.Time, n), make([]time.Time, n)
		withdrawn, wat := make([]bool, n), make([]*time.Time, n)
		for i, k := range ing {
			r := rows[k]
			plat[i], id[i], cl[i], day[i], pub[i], at[i] = k.platform, k.id, k.client, jakarta.Date(r.published), r.published, r.ingestedAt
			withdrawn[i], wat[i] = r.withdrawn, r.withdrawnAt
		}
		_, err := tx.Exec(ctx, `INSERT INTO `+projections.Ident(table)+` (platform, post_id, client_id, jakarta_date,
				published_at, withdrawn, ingested_at, withdrawn_at)
			SELECT u.plat, u.id, u.cl, u.day::date, u.pub, u.wd, u.at, u.wat
			FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::bool[], $7::timestamptz[], $8::timestamptz[])
				AS u(plat, id, cl, day, pub, wd, at, wat)
			ON CONFLICT (platform, post_id, client_id) DO UPDATE SET withdrawn = EXCLUDED.withdrawn,
				ingested_at = EXCLUDED.ingested_at, withdrawn_at = EXCLUDED.withdrawn_at`,
			plat, id, cl, day, pub, withdrawn, at, wat)
		if err != nil {
			return fmt.Errorf("upsert %s: %w", table, err)
		}
	}
	if len(wd) > 0 {
		n := len(wd)
		plat, id, cl, wat := make([]string, n), make([]string, n), make([]string, n), make([]time.Time, n)
		for i, k := range wd {
			plat[i], id[i], cl[i], wat[i] = k.platform, k.id, k.client, *rows[k].withdrawnAt
		}
		_, err := tx.Exec(ctx, `UPDATE `+projections.Ident(table)+` AS c SET withdrawn = true, withdrawn_at = u.wat
			FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[]) AS u(plat, id, cl, wat)
			WHERE c.platform = u.plat AND c.post_id = u.id AND c.client_id = u.cl`, plat, id, cl, wat)
		if err != nil {
			return fmt.Errorf("withdraw in %s: %w", table, err)
		}
	}
	return nil
}

func writePostRoles(ctx context.Context, tx pgx.Tx, table, postsTable string, rows map[postRoleKey]*postRoleRow) error {
	keys := sortedKeys(rows, func(a, b postRoleKey) int {
		if c := cmpPost(a.postKey, b.postKey); c != 0 {
			return c
		}
		return cmpStr(a.role, b.role)
	})
	var addP, addI, addR, addBy, delP, delI, delR []string
	var addAt []time.Time
	for _, k := range keys {
		r := rows[k]
		if r.present {
			addP, addI, addR, addBy, addAt = append(addP, k.platform), append(addI, k.id), append(addR, k.role), append(addBy, r.by), append(addAt, r.at)
		} else {
			delP, delI, delR = append(delP, k.platform), append(delI, k.id), append(delR, k.role)
		}
	}
	if len(delP) > 0 {
		_, err := tx.Exec(ctx, `DELETE FROM `+projections.Ident(table)+` AS r USING unnest($1::text[], $2::text[], $3::text[]) AS u(plat, id, role)
			WHERE r.platform = u.plat AND r.post_id = u.id AND r.role = u.role`, delP, delI, delR)
		if err != nil {
			return fmt.Errorf("untag in %s: %w", table, err)
		}
	}
	if len(addP) > 0 {
		// The tag takes the post's day from the post (written above in this
		// transaction when the post is new).
		_, err := tx.Exec(ctx, `INSERT INTO `+projections.Ident(table)+` (platform, post_id, role, jakarta_date, tagged_by, tagged_at)
			SELECT u.plat, u.id, u.role, p.jakarta_date, u.by, u.at
			FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[]) AS u(plat, id, role, by, at)
			JOIN `+projections.Ident(postsTable)+` p ON p.platform = u.plat AND p.post_id = u.id
			ON CONFLICT (platform, post_id, role) DO UPDATE SET tagged_by = EXCLUDED.tagged_by, tagged_at = EXCLUDED.tagged_at`,
			addP, addI, addR, addBy, addAt)
		if err != nil {
			return fmt.Errorf("tag in %s: %w", table, err)
		}
	}
	return nil
}
