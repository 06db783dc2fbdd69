package social

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/projections"
)

var _ projections.ClientPartition = (*Engagements)(nil)

// ClientKinds implements projections.ClientPartition: a client's
// engagement rows and attendance figures come from the posts its feed
// ever held.
func (*Engagements) ClientKinds() []string {
	return []string{events.SocialPrefix + ".ig.post", events.SocialPrefix + ".tt.post"}
}

// ForgetSubjects implements projections.ClientPartition: the posts'
// engagement rows, task sets and task-set state go, and the (platform,
// task set, day) keys they were counted under are kept in a temporary
// table for SettleSubjects. A post shared with another client is forgotten
// and replayed whole, so that client's figures come back equal within the
// same transaction.
func (*Engagements) ForgetSubjects(ctx context.Context, tx pgx.Tx, t projections.Tables, _ string, subjects []string) error {
	plat, id, err := postsOf(subjects)
	if err != nil {
		return err
	}
	eng, tasks, state := projections.Ident(t["social_engagements"]), projections.Ident(t["social_attendance_tasks"]),
		projections.Ident(t["social_attendance_posts"])
	if _, err := tx.Exec(ctx, `CREATE TEMPORARY TABLE IF NOT EXISTS rebuild_client_keys
			(platform text, task text, jakarta_date date) ON COMMIT DROP`); err != nil {
		return fmt.Errorf("forget: keys table: %w", err)
	}
	if err := keepKeys(ctx, tx, tasks, plat, id); err != nil {
		return err
	}
	for _, table := range []string{eng, tasks, state} {
		if _, err := tx.Exec(ctx, `DELETE FROM `+table+` AS x USING unnest($1::text[], $2::text[]) AS u(plat, id)
			WHERE x.platform = u.plat AND x.post_id = u.id`, plat, id); err != nil {
			return fmt.Errorf("forget %s: %w", table, err)
		}
	}
	return nil
}

// SettleSubjects implements projections.ClientPartition: every daily
// figure of a (platform, task set, day) the posts were or now are in is
// recomputed from the task sets and engagement rows (the figure is, by
// definition, how many of that day's task posts each username engaged
// with), so a count that had drifted is right afterwards too.
func (*Engagements) SettleSubjects(ctx context.Context, tx pgx.Tx, t projections.Tables, subjects []string) error {
	plat, id, err := postsOf(subjects)
	if err != nil {
		return err
	}
	eng, tasks, daily := projections.Ident(t["social_engagements"]), projections.Ident(t["social_attendance_tasks"]),
		projections.Ident(t["social_daily_attendance"])
	if err := keepKeys(ctx, tx, tasks, plat, id); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM `+daily+` AS d USING (SELECT DISTINCT * FROM rebuild_client_keys) k
		WHERE d.platform = k.platform AND d.task = k.task AND d.jakarta_date = k.jakarta_date`); err != nil {
		return fmt.Errorf("settle: clear counts: %w", err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO `+daily+` (platform, kind, task, jakarta_date, username, posts)
		SELECT tk.platform, e.kind, tk.task, tk.jakarta_date, e.username, count(*)
		FROM (SELECT DISTINCT * FROM rebuild_client_keys) k
		JOIN `+tasks+` tk ON tk.platform = k.platform AND tk.task = k.task AND tk.jakarta_date = k.jakarta_date
		JOIN `+eng+` e ON e.platform = tk.platform AND e.post_id = tk.post_id
		GROUP BY 1, 2, 3, 4, 5`); err != nil {
		return fmt.Errorf("settle: recount: %w", err)
	}
	_, err = tx.Exec(ctx, `DROP TABLE rebuild_client_keys`)
	return err
}

// keepKeys remembers the (platform, task set, day) keys the posts are in.
func keepKeys(ctx context.Context, tx pgx.Tx, tasks string, plat, id []string) error {
	if _, err := tx.Exec(ctx, `INSERT INTO rebuild_client_keys (platform, task, jakarta_date)
		SELECT DISTINCT tk.platform, tk.task, tk.jakarta_date FROM `+tasks+` tk
		JOIN unnest($1::text[], $2::text[]) AS u(plat, id) ON tk.platform = u.plat AND tk.post_id = u.id`, plat, id); err != nil {
		return fmt.Errorf("keep task keys: %w", err)
	}
	return nil
}

// postsOf reads post subjects into platforms and ids.
func postsOf(subjects []string) (plat, id []string, err error) {
	for _, s := range subjects {
		i := strings.LastIndexByte(s, '.')
		if i < 0 {
			continue
		}
		pid, err := events.DecodeToken(s[i+1:])
		if err != nil {
			return nil, nil, fmt.Errorf("subject %s: %w", s, err)
		}
		switch s[:i] {
		case events.SocialPrefix + ".ig.post":
			plat, id = append(plat, events.PlatformInstagram), append(id, pid)
		case events.SocialPrefix + ".tt.post":
			plat, id = append(plat, events.PlatformTiktok), append(id, pid)
		}
	}
	return plat, id, nil
}
