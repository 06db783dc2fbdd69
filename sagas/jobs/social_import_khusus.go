package jobs

import (
	"context"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/linkreport"
	"github.com/cicero/cicero/commands/post"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/internal/normalize"
)

// ImportKhusus reads the Instagram post shortcode through the RapidAPI
// adapter and ingests it for clientID with source "khusus": a special
// assignment's post (spec/ops.md §2.3, fetchSinglePostKhusus), which need
// not be on the client's official account. The client must be registered
// and active; an unknown post is Invalid, an unreachable API Unavailable.
// A post not published today (Jakarta) is refused with the legacy
// "not from today" before anything is appended. A post the client
// already has appends nothing.
func (s SocialImport) ImportKhusus(ctx context.Context, meta commands.Meta, shortcode, clientID string) (commands.Outcome, error) {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	c, err := s.Clients.FetchClient(ctx, normalize.ClientID(clientID))
	if err != nil {
		return commands.Outcome{}, err
	}
	p, err := s.Lookup.InstagramPost(ctx, shortcode)
	if err != nil {
		return commands.Outcome{}, lookupError(err, "Instagram")
	}
	if p.TakenAt.IsZero() || p.Shortcode == "" {
		return commands.Outcome{}, apperr.Invalidf("instagram_link", msgImportNotFound, "Instagram")
	}
	if jakarta.Date(p.TakenAt) != jakarta.Date(now()) {
		// Refused before anything is ingested: a khusus task is a post of
		// today (the report's own check would come after the ingest).
		return commands.Outcome{}, apperr.Invalidf("shortcode", "%s", linkreport.MsgKhususNotFound)
	}
	account := c.Insta
	if account == "" {
		account = "khusus"
	}
	return s.Posts.IngestPost(ctx, meta, post.IngestPost{Platform: events.PlatformInstagram, PostID: shortcode, ClientID: c.ID,
		Account: account, Caption: p.Caption, PublishedAt: p.TakenAt, Likes: int(p.LikeCount), Comments: int(p.CommentCount),
		Media: events.PostMedia{ThumbnailURL: p.ThumbnailURL, ImageURL: p.ImageURL, Images: p.Images, VideoURL: p.VideoURL,
			IsVideo: p.IsVideo, IsCarousel: p.IsCarousel},
		Source: "khusus", ObservedAt: now()})
}
