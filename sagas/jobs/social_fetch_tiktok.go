package jobs

import (
	"context"
	"time"

	"github.com/cicero/cicero/commands/account"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/post"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/normalize"
	"github.com/cicero/cicero/internal/rapidapi/tiktok"
)

// fetchTikTok is one client's TikTok run (spec/social.md §2.3): the
// profile (and the secUid, remembered on the client when it was unknown),
// the day's videos, withdrawals, comments.
func (f *SocialFetch) fetchTikTok(ctx context.Context, c FetchClient, r *runState) {
	username := normalize.Handle(c.Tiktok)
	secUID := c.TiktokSecUID
	var info *tiktok.Profile
	read := func() (tiktok.Profile, error) {
		if info != nil {
			return *info, nil
		}
		p, err := f.d.TikTok.UserInfo(ctx, username)
		if err == nil {
			info = &p
		}
		return p, err
	}
	if secUID == "" {
		// The posts endpoint wants the secUid: look it up once and keep it
		// on the client (legacy: clients.tiktok_secuid, filled lazily).
		if p, err := read(); err != nil {
			r.fail("secUid of %s: %v", username, err)
		} else if p.SecUID != "" {
			secUID = p.SecUID
			sec := secUID
			if _, err := f.d.Directory.UpdateClient(ctx, f.meta(), client.UpdateClient{ClientID: c.ID, TiktokSecUID: &sec}); err != nil {
				r.fail("remember secUid of %s: %v", c.ID, err)
			}
		}
	}
	f.observeProfile(ctx, events.PlatformTiktok, username, r, func() (account.ObserveProfile, error) {
		p, err := read()
		return account.ObserveProfile{Platform: events.PlatformTiktok, Username: username, FullName: p.Nickname,
			Followers: int(p.Followers), Following: int(p.Following), Posts: int(p.Videos), AvatarURL: p.AvatarThumb,
			Verified: p.Verified, ExternalID: p.SecUID, ObservedAt: f.d.Now()}, err
	})
	day := f.today()
	res, err := f.d.TikTok.FetchClientPosts(ctx, username, secUID)
	if err != nil {
		r.fail("feed %s: %v", username, err)
		return
	}
	r.ev.Succeeded = true
	r.malformed(res.Malformed, username)
	var posts []fetched
	for _, v := range tiktok.OnJakartaDate(res.Videos, day) {
		posts = append(posts, fetched{cmd: post.IngestPost{Platform: events.PlatformTiktok, PostID: v.ID, ClientID: c.ID,
			Account: username, Caption: v.Desc, PublishedAt: v.CreatedAt, Likes: int(v.LikeCount),
			Comments: int(v.CommentCount), ObservedAt: f.d.Now()}})
	}
	ids := f.recordFeed(ctx, c, events.PlatformTiktok, day, posts, r)
	window := f.d.Now()
	r.ev.Comments = f.engagement(ctx, ids, r,
		func(ctx context.Context, id string) ([]string, error) {
			cs, err := f.d.TikTok.FetchComments(ctx, id)
			return tiktok.Usernames(cs), err
		},
		func(ctx context.Context, id string, names []string, at time.Time) (int, error) {
			_, n, err := f.d.Posts.RecordComments(ctx, f.meta(), post.RecordComments{Platform: events.PlatformTiktok,
				PostID: id, Usernames: names, ObservedAt: at, WindowStart: window.Add(-30 * time.Minute), WindowEnd: at})
			return n, err
		})
}
