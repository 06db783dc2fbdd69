package jobs

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/post"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/normalize"
	"github.com/cicero/cicero/internal/rapidapi"
	"github.com/cicero/cicero/internal/rapidapi/instagram"
	"github.com/cicero/cicero/internal/rapidapi/tiktok"
)

// Refusals of a manual import.
const (
	msgImportNotFound = "Konten tidak ditemukan di %s. Periksa kembali link atau ID-nya."
	msgImportPlatform = "platform harus instagram atau tiktok"
	msgImportNoFeed   = "Client %s tidak memiliki akun %s resmi."
)

// PostLookup reads one post from the platforms' APIs.
type PostLookup interface {
	InstagramPost(ctx context.Context, shortcode string) (instagram.Post, error)
	TikTokPost(ctx context.Context, videoID string) (tiktok.Video, error)
}

// ImportClients resolves the client an import is for (the directory read
// model, through the social context's wiring): its official accounts.
type ImportClients interface {
	FetchClient(ctx context.Context, clientID string) (FetchClient, error)
}

// SocialImport imports one post by hand (an editor's link or id), through
// the HTTP route and `cicero admin post import`.
type SocialImport struct {
	Lookup  PostLookup
	Clients ImportClients
	Posts   *post.Handlers
	Now     func() time.Time
}

// ImportPost reads the post named by input — an Instagram shortcode or
// post/reel link, a TikTok video id or link (spec/social.md §2.3) — and
// ingests it for clientID with source "import". Malformed input and a post
// the API does not know are Invalid (400) with a clear message, and nothing
// is appended; an API that cannot be reached is Unavailable (503).
//
// It returns the post's platform and id with the outcome (an import of a
// post the client has already appends nothing).
func (s SocialImport) ImportPost(ctx context.Context, meta commands.Meta, platform, input, clientID string) (string, string, commands.Outcome, error) {
	cmd, err := s.read(ctx, platform, input, clientID)
	if err != nil {
		return "", "", commands.Outcome{}, err
	}
	o, err := s.Posts.IngestPost(ctx, meta, cmd)
	return cmd.Platform, cmd.PostID, o, err
}

// read resolves the client and reads the post into the command to issue.
func (s SocialImport) read(ctx context.Context, platform, input, clientID string) (post.IngestPost, error) {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	c, err := s.Clients.FetchClient(ctx, normalize.ClientID(clientID))
	if err != nil {
		return post.IngestPost{}, err
	}
	cmd := post.IngestPost{ClientID: c.ID, Source: "import", ObservedAt: now()}
	switch strings.ToLower(strings.TrimSpace(platform)) {
	case "ig", events.PlatformInstagram:
		code, err := instagram.ParseShortcode(input)
		if err != nil {
			return post.IngestPost{}, err
		}
		if c.Insta == "" {
			return post.IngestPost{}, apperr.Invalidf("client_id", msgImportNoFeed, c.ID, "Instagram")
		}
		p, err := s.Lookup.InstagramPost(ctx, code)
		if err != nil {
			return post.IngestPost{}, lookupError(err, "Instagram")
		}
		cmd.Platform, cmd.PostID, cmd.Account, cmd.Caption, cmd.PublishedAt = events.PlatformInstagram, p.Shortcode, c.Insta, p.Caption, p.TakenAt
		cmd.Likes, cmd.Comments = int(p.LikeCount), int(p.CommentCount)
		cmd.Media = events.PostMedia{ThumbnailURL: p.ThumbnailURL, ImageURL: p.ImageURL, Images: p.Images,
			VideoURL: p.VideoURL, IsVideo: p.IsVideo, IsCarousel: p.IsCarousel}
	case "tt", events.PlatformTiktok:
		id, err := tiktok.ParseVideoID(input)
		if err != nil {
			return post.IngestPost{}, err
		}
		if c.Tiktok == "" {
			return post.IngestPost{}, apperr.Invalidf("client_id", msgImportNoFeed, c.ID, "TikTok")
		}
		v, err := s.Lookup.TikTokPost(ctx, id)
		if err != nil {
			return post.IngestPost{}, lookupError(err, "TikTok")
		}
		cmd.Platform, cmd.PostID, cmd.Account, cmd.Caption, cmd.PublishedAt = events.PlatformTiktok, v.ID, c.Tiktok, v.Desc, v.CreatedAt
		cmd.Likes, cmd.Comments = int(v.LikeCount), int(v.CommentCount)
	default:
		return post.IngestPost{}, apperr.Invalidf("platform", "%s", msgImportPlatform)
	}
	if cmd.PublishedAt.IsZero() {
		return post.IngestPost{}, apperr.Invalidf("link", msgImportNotFound, platformName(cmd.Platform))
	}
	return cmd, nil
}

// lookupError maps what the API answered to the route's vocabulary: a
// post it does not know (404, 400, no item) is the caller's mistake; an
// API that cannot be reached now is a 503.
func lookupError(err error, platform string) error {
	if errors.Is(err, rapidapi.ErrRetryable) || errors.Is(err, rapidapi.ErrKeyMissing) || errors.Is(err, context.DeadlineExceeded) {
		return &apperr.Error{Code: apperr.Unavailable, Message: fmt.Sprintf("Layanan %s tidak dapat dihubungi. Coba beberapa saat lagi.", platform)}
	}
	return apperr.Invalidf("link", msgImportNotFound, platform)
}

func platformName(p string) string {
	if p == events.PlatformTiktok {
		return "TikTok"
	}
	return "Instagram"
}
