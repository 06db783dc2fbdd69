package importv2

import (
	"context"
	"fmt"
	"github.com/cicero/cicero/commands"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cicero/cicero/commands/account"
	"github.com/cicero/cicero/events"
)

type oldProfile struct {
	Username, FullName, Bio, Avatar string
	Followers, Following, Posts     *int
	Updated                         *time.Time
}

// importProfiles observes every stored Instagram profile once, as of its
// updated_at (ObserveProfile records only what changed).
func (im *Importer) importProfiles(ctx context.Context, t *TableReport) error {
	s := im.src
	c := func(name, typ string) string { return s.col("insta_profile", "p", name, typ) }
	n, err := s.Count(ctx, "insta_profile")
	if err != nil {
		return fmt.Errorf("count insta_profile: %w", err)
	}
	rows, err := s.Query(ctx, `SELECT p.username, COALESCE(`+c("full_name", "text")+`, ''), COALESCE(`+c("biography", "text")+`, ''),
		COALESCE(`+c("profile_pic_url", "text")+`, ''), `+c("follower_count", "int")+`, `+c("following_count", "int")+`,
		`+c("post_count", "int")+`, `+c("updated_at", "timestamp")+` FROM insta_profile p ORDER BY p.username`)
	if err != nil {
		return fmt.Errorf("read insta_profile: %w", err)
	}
	im.progress.Start("insta_profile", n)
	scan := func(r pgx.Rows) (oldProfile, error) {
		var p oldProfile
		err := r.Scan(&p.Username, &p.FullName, &p.Bio, &p.Avatar, &p.Followers, &p.Following, &p.Posts, &p.Updated)
		return p, err
	}
	return stream(ctx, im, rows, scan, func(ctx context.Context, p oldProfile) error {
		im.read(t, 1)
		if im.opts.DryRun {
			im.rowDone(t, p.Username, true, nil)
			return nil
		}
		at := time.Time{}
		if p.Updated != nil && plausible(*p.Updated) {
			at = wall(*p.Updated, im.opts.Clock.Other)
		}
		cmd := account.ObserveProfile{Platform: events.PlatformInstagram, Username: p.Username, FullName: p.FullName,
			Bio: p.Bio, AvatarURL: p.Avatar, Followers: deref(p.Followers), Following: deref(p.Following),
			Posts: deref(p.Posts), ObservedAt: at}
		out, err := im.exec(ctx, meta("insta_profile", p.Username, cmd, at), func(m commands.Meta) (commands.Outcome, error) { return im.accounts.ObserveProfile(ctx, m, cmd) })
		skip, fail := refusal(err)
		if fail != nil {
			return fmt.Errorf("profile %s: %w", p.Username, fail)
		}
		im.rowDone(t, p.Username, skip == nil && im.fresh(t, out), skip)
		return nil
	})
}
