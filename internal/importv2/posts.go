package importv2

import (
	"context"
	"fmt"
	"github.com/cicero/cicero/commands"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	postcmd "github.com/cicero/cicero/commands/post"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/normalize"
)

// oldPost is a row of insta_post or tiktok_post with its role tags.
type oldPost struct {
	ID, ClientID, Caption, Image, Thumb string
	Likes, Comments                     *int
	Created                             *time.Time
	Roles                               []string
}

const (
	reasonPostOrphan = "orphan: the post's client is not a client of the old database"
	reasonPostTime   = "unparseable created_at: the post's day cannot be known"
	reasonTagRole    = "role tag not known here (posts are tagged for the directorates only): left out"
)

// knownTagRoles are the roles a post may be tagged for here.
var knownTagRoles = postcmd.DirectorateRoles

// importedPosts remembers the posts imported (platform + id), so likes
// of a post that was skipped are reported, not issued.
type importedPosts struct{ m sync.Map }

func (p *importedPosts) add(platform, id string, published time.Time) {
	p.m.Store(platform+"/"+id, published)
}

// published is the imported post's time, false when it was not imported.
func (p *importedPosts) published(platform, id string) (time.Time, bool) {
	v, ok := p.m.Load(platform + "/" + id)
	if !ok {
		return time.Time{}, false
	}
	return v.(time.Time), true
}

func (im *Importer) importInstagramPosts(ctx context.Context, t *TableReport) error {
	return im.importPosts(ctx, t, events.PlatformInstagram, "insta_post", "shortcode", "insta_post_roles", im.opts.Clock.InstagramPosts)
}

func (im *Importer) importTiktokPosts(ctx context.Context, t *TableReport) error {
	return im.importPosts(ctx, t, events.PlatformTiktok, "tiktok_post", "video_id", "tiktok_post_roles", im.opts.Clock.TiktokPosts)
}

// importPosts ingests one platform's posts as the fetch would have seen
// them last (counts as stored), under their client's official account,
// with the old naive created_at read in the platform's convention, then
// their role tags.
func (im *Importer) importPosts(ctx context.Context, t *TableReport, platform, table, idCol, rolesTable string, loc *time.Location) error {
	s := im.src
	c := func(name, typ string) string { return s.col(table, "p", name, typ) }
	roles := `'{}'::text[]`
	if s.Has(rolesTable) {
		roles = fmt.Sprintf(`COALESCE((SELECT array_agg(lower(r.role_name) ORDER BY lower(r.role_name)) FROM %s r
			WHERE r.%s = p.%s), '{}')`, rolesTable, idCol, idCol)
	}
	n, err := s.Count(ctx, table)
	if err != nil {
		return fmt.Errorf("count %s: %w", table, err)
	}
	rows, err := s.Query(ctx, fmt.Sprintf(`SELECT p.%s, COALESCE(p.client_id, ''), COALESCE(%s, ''), COALESCE(%s, ''),
		COALESCE(%s, ''), %s, %s, %s, %s FROM %s p ORDER BY p.%s`, idCol, c("caption", "text"), c("image_url", "text"),
		c("thumbnail_url", "text"), c("like_count", "int"), c("comment_count", "int"), c("created_at", "timestamp"),
		roles, table, idCol))
	if err != nil {
		return fmt.Errorf("read %s: %w", table, err)
	}
	im.progress.Start(table, n)
	scan := func(r pgx.Rows) (oldPost, error) {
		var p oldPost
		err := r.Scan(&p.ID, &p.ClientID, &p.Caption, &p.Image, &p.Thumb, &p.Likes, &p.Comments, &p.Created, &p.Roles)
		return p, err
	}
	return stream(ctx, im, rows, scan, func(ctx context.Context, p oldPost) error {
		im.read(t, 1)
		return im.importPost(ctx, t, platform, table, loc, p)
	})
}

func (im *Importer) importPost(ctx context.Context, t *TableReport, platform, table string, loc *time.Location, p oldPost) error {
	key := p.ID
	acc, ok := im.known.Load(normalize.ClientID(p.ClientID))
	if !ok {
		im.skip(t, reasonPostOrphan, key)
		return nil
	}
	if p.Created == nil || !plausible(*p.Created) {
		im.skip(t, reasonPostTime, key)
		return nil
	}
	published := wall(*p.Created, loc)
	var tags []string
	for _, r := range p.Roles {
		if known(r) {
			tags = append(tags, r)
		} else {
			im.leftOut(t, reasonTagRole, key)
		}
	}
	if im.opts.DryRun {
		im.posts.add(platform, p.ID, published)
		im.rowDone(t, key, true, nil)
		return nil
	}
	account := acc.(clientAccounts).Insta
	if platform == events.PlatformTiktok {
		account = acc.(clientAccounts).Tiktok
	}
	cmd := postcmd.IngestPost{Platform: platform, PostID: p.ID, ClientID: p.ClientID, Account: account,
		Caption: p.Caption, Media: events.PostMedia{ImageURL: p.Image, ThumbnailURL: p.Thumb}, PublishedAt: published,
		Likes: deref(p.Likes), Comments: deref(p.Comments), Source: "import", ObservedAt: published}
	out, err := im.exec(ctx, meta(table, key, cmd, published), func(m commands.Meta) (commands.Outcome, error) { return im.postsH.IngestPost(ctx, m, cmd) })
	skip, fail := refusal(err)
	if fail != nil {
		return fmt.Errorf("post %s: %w", key, fail)
	}
	if skip != nil {
		im.rowDone(t, key, false, skip)
		return nil
	}
	im.posts.add(platform, p.ID, published)
	changed := im.fresh(t, out)
	// The tags as the old row has them now, added and removed where they
	// moved there. The id names the post's version, so a tag removed and
	// given back there is a new command (likes move the version too; the
	// decision then finds nothing to do).
	v, err := im.version(ctx, events.PostSubject(platform, strings.TrimSpace(p.ID)))
	if err != nil {
		return fmt.Errorf("post %s: %w", key, err)
	}
	tag := postcmd.FollowImportedTags{Platform: platform, PostID: p.ID, Roles: tags, By: Actor}
	o, err := im.exec(ctx, metaAt(table, key, tag, published, v), func(m commands.Meta) (commands.Outcome, error) { return im.postsH.FollowImportedTags(ctx, m, tag) })
	s, f := refusal(err)
	if f != nil {
		return fmt.Errorf("tags of %s: %w", key, f)
	}
	if s == nil {
		changed = im.fresh(t, o) || changed
	}
	im.rowDone(t, key, changed, nil)
	return nil
}

func known(role string) bool {
	for _, r := range knownTagRoles {
		if strings.EqualFold(r, role) {
			return true
		}
	}
	return false
}

func deref(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}
