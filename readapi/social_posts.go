package readapi

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/internal/period"
	"github.com/cicero/cicero/projections/directory"
	"github.com/cicero/cicero/projections/social"
)

// instaPostRow is a post in the old insta_post row's shape (spec/social.md
// §1.3), the fields the dashboard reads.
type instaPostRow struct {
	Shortcode    string   `json:"shortcode"`
	ClientID     string   `json:"client_id"`
	Caption      *string  `json:"caption"`
	CommentCount int      `json:"comment_count"`
	LikeCount    int      `json:"like_count"`
	ThumbnailURL *string  `json:"thumbnail_url"`
	IsVideo      bool     `json:"is_video"`
	VideoURL     *string  `json:"video_url"`
	ImageURL     *string  `json:"image_url"`
	ImagesURL    []string `json:"images_url"` // null when the post has no image
	IsCarousel   bool     `json:"is_carousel"`
	CreatedAt    string   `json:"created_at"`
}

// tiktokPostRow is a post in the old tiktok_post row's shape (§1.4).
type tiktokPostRow struct {
	VideoID      string  `json:"video_id"`
	ClientID     string  `json:"client_id"`
	Caption      *string `json:"caption"`
	LikeCount    int     `json:"like_count"`
	CommentCount int     `json:"comment_count"`
	CreatedAt    string  `json:"created_at"`
}

func instaRow(p social.FeedPost) instaPostRow {
	m := p.Media
	images := m.Images
	if len(images) == 0 && m.ImageURL != "" {
		images = []string{m.ImageURL}
	}
	return instaPostRow{Shortcode: p.PostID, ClientID: p.ClientID, Caption: nullable(p.Caption),
		CommentCount: p.Comments, LikeCount: p.Likes, ThumbnailURL: nullable(m.ThumbnailURL), IsVideo: m.IsVideo,
		VideoURL: nullable(m.VideoURL), ImageURL: nullable(m.ImageURL), ImagesURL: images, IsCarousel: m.IsCarousel,
		CreatedAt: stamp(p.PublishedAt)}
}

func tiktokRow(p social.FeedPost) tiktokPostRow {
	return tiktokPostRow{VideoID: p.PostID, ClientID: p.ClientID, Caption: nullable(p.Caption), LikeCount: p.Likes,
		CommentCount: p.Comments, CreatedAt: stamp(p.PublishedAt)}
}

// postRows shapes posts as the platform's legacy rows.
func postRows(platform string, posts []social.FeedPost) any {
	if platform == events.PlatformTiktok {
		out := make([]tiktokPostRow, 0, len(posts))
		for _, p := range posts {
			out = append(out, tiktokRow(p))
		}
		return out
	}
	out := make([]instaPostRow, 0, len(posts))
	for _, p := range posts {
		out = append(out, instaRow(p))
	}
	return out
}

// instaPostsToday is GET /api/insta/posts?client_id=: the client's
// Instagram posts of today in Asia/Jakarta, oldest first.
func (a *socialAPI) instaPostsToday(w http.ResponseWriter, r *http.Request) {
	p, found := principal(w, r)
	if !found {
		return
	}
	client, err := ownClient(p, requestedClient(r))
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return
	}
	today := jakarta.Date(a.Now())
	posts, err := a.Social.Posts(r.Context(), social.PostQuery{Platform: events.PlatformInstagram,
		Clients: []string{client}, From: today, To: today})
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return
	}
	ok(w, postRows(events.PlatformInstagram, posts))
}

// posts is GET /api/instagram/posts (oldest first) and /api/tiktok/posts
// (newest first): the posts of the scope of spec/social.md §4.5 in the
// period (internal/period; Instagram defaults to today, TikTok to every
// post when no date is named — and honours the dates when one is, which
// the old route ignored, SPEC.md §5), optionally only of clients of
// regional_id.
func (a *socialAPI) posts(platform string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, found := principal(w, r)
		if !found {
			return
		}
		sc, err := a.postScopeOf(r.Context(), p, r)
		if err != nil {
			httpx.Error(w, r, a.Logger, err)
			return
		}
		per, err := a.period(r, platform == events.PlatformTiktok)
		if err != nil {
			httpx.Error(w, r, a.Logger, err)
			return
		}
		posts, err := a.Social.Posts(r.Context(), social.PostQuery{Platform: platform, Clients: sc.clients, Role: sc.role,
			From: per.From, To: per.To, NewestFirst: platform == events.PlatformTiktok})
		if err == nil {
			posts, err = a.inRegion(r.Context(), posts, r.URL.Query().Get("regional_id"))
		}
		if err != nil {
			httpx.Error(w, r, a.Logger, err)
			return
		}
		ok(w, postRows(platform, posts))
	}
}

// period reads the request's period; allByDefault: no date parameter
// means every post (semua) rather than today.
func (a *socialAPI) period(r *http.Request, allByDefault bool) (period.Period, error) {
	q := r.URL.Query()
	if allByDefault && !slices.ContainsFunc([]string{"periode", "tanggal", "start_date", "end_date", "tanggal_mulai",
		"tanggal_selesai", "startDate", "endDate"}, func(k string) bool { return strings.TrimSpace(q.Get(k)) != "" }) {
		return period.Period{Name: period.Semua, All: true}, nil
	}
	return period.FromQuery(q, a.Now())
}

// inRegion keeps the posts listed for a client of regional (all when
// regional is empty).
func (a *socialAPI) inRegion(ctx context.Context, posts []social.FeedPost, regional string) ([]social.FeedPost, error) {
	regional = strings.TrimSpace(regional)
	if regional == "" || len(posts) == 0 {
		return posts, nil
	}
	cs, err := a.Directory.Clients(ctx, directory.ClientFilter{RegionalID: regional})
	if err != nil {
		return nil, err
	}
	in := map[string]bool{}
	for _, c := range cs {
		in[strings.ToLower(c.ClientID)] = true
	}
	return slices.DeleteFunc(posts, func(p social.FeedPost) bool { return !in[strings.ToLower(p.ClientID)] }), nil
}
