package social

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/projections"
)

// Task set keys of the attendance materialisation.

// ClientTask is the task set of a client's feed: its posts, not withdrawn.
func ClientTask(clientID string) string {
	return "client:" + strings.ToUpper(strings.TrimSpace(clientID))
}

// RoleTask is the task set of a directorate role: the posts in the feed of
// the client named like the role, and the posts tagged for the role (both
// not withdrawn from every feed). SPEC.md §5.4: counts and posts select the
// same set.
func RoleTask(role string) string { return "role:" + strings.ToLower(strings.TrimSpace(role)) }

// postTasks is a post's task-set state.
type postTasks struct {
	day   string
	feeds []string // clients whose feed holds it now
	tags  []string // role tags
	dirty bool
}

// tasks derives the task sets the post is in.
func (s *postTasks) tasks() []string {
	if s == nil || len(s.feeds) == 0 {
		return nil
	}
	var out []string
	for _, c := range s.feeds {
		out = append(out, ClientTask(c))
		if r := strings.ToLower(c); auth.IsDirectorateRole(r) {
			out = append(out, RoleTask(r))
		}
	}
	for _, r := range s.tags {
		out = append(out, RoleTask(r))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

type dailyKey struct {
	platform, kind, task, day, username string
}

// attendance folds one batch of the engagements projection in event order.
// Engagement rows and count increments wait in memory; a change of a post's
// task sets first writes what waits for that post, then moves the counts of
// the post's recorded engagers with one statement per added or removed task
// set (such changes are rare: a second client's feed, a tag, a withdrawal).
type attendance struct {
	tx      pgx.Tx
	t       projections.Tables
	posts   map[postKey]*postTasks
	rows    [][]any
	pending map[postKey]bool
	delta   map[dailyKey]int
}

func loadAttendance(ctx context.Context, tx pgx.Tx, t projections.Tables, keys []postKey) (*attendance, error) {
	a := &attendance{tx: tx, t: t, posts: map[postKey]*postTasks{}, pending: map[postKey]bool{}, delta: map[dailyKey]int{}}
	plat, id := make([]string, 0, len(keys)), make([]string, 0, len(keys))
	seen := map[postKey]bool{}
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			plat, id = append(plat, k.platform), append(id, k.id)
		}
	}
	rows, err := tx.Query(ctx, `SELECT s.platform, s.post_id, s.jakarta_date::text, s.feeds, s.tags
		FROM `+projections.Ident(t["social_attendance_posts"])+` s
		JOIN unnest($1::text[], $2::text[]) AS u(plat, id) ON s.platform = u.plat AND s.post_id = u.id`, plat, id)
	if err != nil {
		return nil, fmt.Errorf("load attendance state: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k postKey
		s := &postTasks{}
		if err := rows.Scan(&k.platform, &k.id, &s.day, &s.feeds, &s.tags); err != nil {
			return nil, fmt.Errorf("load attendance state: %w", err)
		}
		a.posts[k] = s
	}
	return a, rows.Err()
}

func (a *attendance) fold(ctx context.Context, ev events.Payload) error {
	switch r := ev.(type) {
	case *events.LikesRecorded:
		a.engaged(postKey{r.Platform, r.PostID}, KindLike, r.Usernames, r.ObservedAt)
	case *events.CommentsRecorded:
		a.engaged(postKey{r.Platform, r.PostID}, KindComment, r.Usernames, r.ObservedAt)
	case *events.PostIngested:
		k := postKey{r.Platform, r.PostID}
		s := a.posts[k]
		if s == nil {
			s = &postTasks{day: jakarta.Date(r.PublishedAt)}
			a.posts[k] = s
		}
		return a.change(ctx, k, func() { s.feeds = addSorted(s.feeds, r.ClientID) })
	case *events.PostWithdrawn:
		return a.change(ctx, postKey{r.Platform, r.PostID}, func() {
			s := a.posts[postKey{r.Platform, r.PostID}]
			s.feeds = slices.DeleteFunc(s.feeds, func(c string) bool { return c == r.ClientID })
		})
	case *events.PostTaggedForRole:
		return a.change(ctx, postKey{r.Platform, r.PostID}, func() {
			s := a.posts[postKey{r.Platform, r.PostID}]
			s.tags = addSorted(s.tags, strings.ToLower(r.Role))
		})
	case *events.PostUntaggedForRole:
		return a.change(ctx, postKey{r.Platform, r.PostID}, func() {
			s := a.posts[postKey{r.Platform, r.PostID}]
			s.tags = slices.DeleteFunc(s.tags, func(x string) bool { return x == strings.ToLower(r.Role) })
		})
	}
	return nil
}

func addSorted(xs []string, x string) []string {
	if slices.Contains(xs, x) {
		return xs
	}
	xs = append(slices.Clone(xs), x)
	slices.Sort(xs)
	return xs
}

func (a *attendance) engaged(k postKey, kind string, names []string, at any) {
	s := a.posts[k]
	tasks := s.tasks() // none for a post never ingested (the aggregate forbids it)
	for _, u := range names {
		a.rows = append(a.rows, []any{k.platform, k.id, kind, u, at})
		for _, task := range tasks {
			a.delta[dailyKey{k.platform, kind, task, s.day, u}]++
		}
	}
	if len(names) > 0 {
		a.pending[k] = true
	}
}

// change applies edit to post k's state (a post not ingested yet, which
// the aggregate never allows, is ignored) and moves the counts of its
// engagers between the task sets it left and joined.
func (a *attendance) change(ctx context.Context, k postKey, edit func()) error {
	s := a.posts[k]
	if s == nil {
		return nil
	}
	before := s.tasks()
	edit()
	s.dirty = true
	after := s.tasks()
	var added, removed []string
	for _, x := range after {
		if !slices.Contains(before, x) {
			added = append(added, x)
		}
	}
	for _, x := range before {
		if !slices.Contains(after, x) {
			removed = append(removed, x)
		}
	}
	if len(added) == 0 && len(removed) == 0 {
		return nil
	}
	if a.pending[k] {
		if err := a.flush(ctx); err != nil {
			return err
		}
	}
	eng, daily := projections.Ident(a.t["social_engagements"]), projections.Ident(a.t["social_daily_attendance"])
	for _, task := range added {
		_, err := a.tx.Exec(ctx, `INSERT INTO `+daily+` AS d (platform, kind, task, jakarta_date, username, posts)
			SELECT e.platform, e.kind, $3, $4::date, e.username, 1 FROM `+eng+` e WHERE e.platform = $1 AND e.post_id = $2
			ON CONFLICT (platform, kind, task, jakarta_date, username) DO UPDATE SET posts = d.posts + 1`,
			k.platform, k.id, task, s.day)
		if err != nil {
			return fmt.Errorf("attendance: add %s/%s to %s: %w", k.platform, k.id, task, err)
		}
	}
	for _, task := range removed {
		_, err := a.tx.Exec(ctx, `UPDATE `+daily+` AS d SET posts = d.posts - 1 FROM `+eng+` e
				WHERE e.platform = $1 AND e.post_id = $2 AND d.platform = e.platform AND d.kind = e.kind
				  AND d.task = $3 AND d.jakarta_date = $4::date AND d.username = e.username`,
			k.platform, k.id, task, s.day)
		if err != nil {
			return fmt.Errorf("attendance: remove %s/%s from %s: %w", k.platform, k.id, task, err)
		}
		// A separate statement: a DELETE in the same statement as the
		// UPDATE (a data-modifying CTE) does not see the updated rows and
		// left them behind at zero.
		if _, err := a.tx.Exec(ctx, `DELETE FROM `+daily+` WHERE platform = $1 AND task = $2 AND jakarta_date = $3::date AND posts <= 0`,
			k.platform, task, s.day); err != nil {
			return fmt.Errorf("attendance: remove %s/%s from %s: %w", k.platform, k.id, task, err)
		}
	}
	return nil
}

// flush writes the waiting engagement rows and count increments.
func (a *attendance) flush(ctx context.Context) error {
	if err := copyEngagements(ctx, a.tx, a.t["social_engagements"], a.rows); err != nil {
		return err
	}
	a.rows, a.pending = nil, map[postKey]bool{}
	if len(a.delta) == 0 {
		return nil
	}
	keys := make([]dailyKey, 0, len(a.delta))
	for k := range a.delta {
		keys = append(keys, k)
	}
	// One lock order for concurrent writers (rebuild and live never share
	// tables, but keep the habit).
	slices.SortFunc(keys, func(x, y dailyKey) int {
		// Field by field: concatenating the keys allocated two strings
		// per comparison, a visible share of a batch's CPU.
		return cmp.Or(strings.Compare(x.platform, y.platform), strings.Compare(x.kind, y.kind),
			strings.Compare(x.task, y.task), strings.Compare(x.day, y.day), strings.Compare(x.username, y.username))
	})
	n := len(keys)
	plat, kind, task, day, user := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	cnt := make([]int32, n)
	for i, k := range keys {
		plat[i], kind[i], task[i], day[i], user[i], cnt[i] = k.platform, k.kind, k.task, k.day, k.username, int32(a.delta[k])
	}
	a.delta = map[dailyKey]int{}
	table := a.t["social_daily_attendance"]
	_, err := a.tx.Exec(ctx, `INSERT INTO `+projections.Ident(table)+` AS d (platform, kind, task, jakarta_date, username, posts)
		SELECT u.plat, u.kind, u.task, u.day::date, u.usr, u.n
		FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[]) AS u(plat, kind, task, day, usr, n)
		ON CONFLICT (platform, kind, task, jakarta_date, username) DO UPDATE SET posts = d.posts + EXCLUDED.posts`,
		plat, kind, task, day, user, cnt)
	if err != nil {
		return fmt.Errorf("upsert %s: %w", table, err)
	}
	return nil
}

// writeState stores the task-set state and the task sets of the posts
// whose state changed in the batch.
func (a *attendance) writeState(ctx context.Context) error {
	var keys []postKey
	for k, s := range a.posts {
		if s.dirty {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	slices.SortFunc(keys, cmpPost)
	n := len(keys)
	plat, id, day, feeds, tags := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	var tPlat, tTask, tDay, tID []string
	for i, k := range keys {
		s := a.posts[k]
		plat[i], id[i], day[i] = k.platform, k.id, s.day
		feeds[i], tags[i] = pgTextArray(s.feeds), pgTextArray(s.tags)
		for _, task := range s.tasks() {
			tPlat, tTask, tDay, tID = append(tPlat, k.platform), append(tTask, task), append(tDay, s.day), append(tID, k.id)
		}
	}
	st, tt := projections.Ident(a.t["social_attendance_posts"]), projections.Ident(a.t["social_attendance_tasks"])
	if _, err := a.tx.Exec(ctx, `INSERT INTO `+st+` (platform, post_id, jakarta_date, feeds, tags)
		SELECT u.plat, u.id, u.day::date, u.feeds::text[], u.tags::text[]
		FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u(plat, id, day, feeds, tags)
		ON CONFLICT (platform, post_id) DO UPDATE SET feeds = EXCLUDED.feeds, tags = EXCLUDED.tags`,
		plat, id, day, feeds, tags); err != nil {
		return fmt.Errorf("upsert social_attendance_posts: %w", err)
	}
	if _, err := a.tx.Exec(ctx, `DELETE FROM `+tt+` AS t USING unnest($1::text[], $2::text[]) AS u(plat, id)
		WHERE t.platform = u.plat AND t.post_id = u.id`, plat, id); err != nil {
		return fmt.Errorf("clear social_attendance_tasks: %w", err)
	}
	if len(tID) > 0 {
		if _, err := a.tx.Exec(ctx, `INSERT INTO `+tt+` (platform, task, jakarta_date, post_id)
			SELECT u.plat, u.task, u.day::date, u.id FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(plat, task, day, id)`,
			tPlat, tTask, tDay, tID); err != nil {
			return fmt.Errorf("insert social_attendance_tasks: %w", err)
		}
	}
	return nil
}

// pgTextArray renders a text[] literal of client ids and role names (no
// quotes or commas in them, but quote every element anyway).
func pgTextArray(xs []string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, x := range xs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		b.WriteString(strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(x))
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}
