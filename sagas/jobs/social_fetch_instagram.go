package jobs

import (
	"context"
	"time"

	"github.com/cicero/cicero/commands/account"
	"github.com/cicero/cicero/commands/post"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/normalize"
	"github.com/cicero/cicero/internal/rapidapi/instagram"
)

// instagramPostLimit is how many of the latest posts a fetch reads (spec
// §2.2: limit 50).
const instagramPostLimit = 50

// fetchInstagram is one client's Instagram run (spec/social.md §2.2): the
// profile, the day's posts from the official feed, withdrawals, likes.
func (f *SocialFetch) fetchInstagram(ctx context.Context, c FetchClient, r *runState) {
	username := normalize.Handle(c.Insta)
	f.observeProfile(ctx, events.PlatformInstagram, username, r, func() (account.ObserveProfile, error) {
		p, err := f.d.Instagram.Profile(ctx, username)
		return account.ObserveProfile{Platform: events.PlatformInstagram, Username: username, FullName: p.FullName,
			Bio: p.Biography, Followers: int(p.Followers), Following: int(p.Following), Posts: int(p.MediaCount),
			AvatarURL: p.ProfilePicURL, Verified: p.IsVerified, ExternalID: p.ID, ObservedAt: f.d.Now()}, err
	})
	day := f.today()
	feed, err := f.d.Instagram.FetchFeed(ctx, username, instagramPostLimit)
	if err != nil {
		// Nothing read, nothing withdrawn (an outage must not empty the day).
		r.fail("feed %s: %v", username, err)
		return
	}
	r.ev.Succeeded = true
	r.malformed(feed.Malformed, username)
	var posts []fetched
	for _, p := range instagram.OnJakartaDate(feed.Posts, day) {
		posts = append(posts, fetched{cmd: post.IngestPost{Platform: events.PlatformInstagram, PostID: p.Shortcode,
			ClientID: c.ID, Account: username, Caption: p.Caption, PublishedAt: p.TakenAt,
			Likes: int(p.LikeCount), Comments: int(p.CommentCount), ObservedAt: f.d.Now(),
			Media: events.PostMedia{ThumbnailURL: p.ThumbnailURL, ImageURL: p.ImageURL, Images: p.Images,
				VideoURL: p.VideoURL, IsVideo: p.IsVideo, IsCarousel: p.IsCarousel}}})
	}
	ids := f.recordFeed(ctx, c, events.PlatformInstagram, day, posts, r)
	window := f.d.Now()
	r.ev.Likes = f.engagement(ctx, ids, r,
		func(ctx context.Context, id string) ([]string, error) { return f.d.Instagram.FetchLikes(ctx, id) },
		func(ctx context.Context, id string, names []string, at time.Time) (int, error) {
			_, n, err := f.d.Posts.RecordLikes(ctx, f.meta(), post.RecordLikes{Platform: events.PlatformInstagram,
				PostID: id, Usernames: names, ObservedAt: at, WindowStart: window.Add(-30 * time.Minute), WindowEnd: at})
			return n, err
		})
}
