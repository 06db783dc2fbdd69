package instagram

import (
	"encoding/json"
	"time"

	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/internal/rapidapi"
)

// Post is one Instagram post as the posts and post_info endpoints describe
// it (spec §2.2 "Post item fields consumed").
type Post struct {
	Shortcode string    // code
	TakenAt   time.Time // taken_at (unix seconds), UTC; zero when absent
	// Counts are 0 when the API left them out or sent a non-number; the
	// Has* flags tell a real 0 from a missing count, so a caller need not
	// overwrite a known count with a missing one.
	CommentCount    int64
	HasCommentCount bool
	LikeCount       int64
	HasLikeCount    bool
	ThumbnailURL    string // thumbnail_url || thumbnail_src || display_url || image_versions.items[0].url
	IsVideo         bool
	VideoURL        string   // video_url || video_versions[0].url
	ImageURL        string   // image_versions.items[0].url
	Images          []string // carousel images, else [ImageURL], else nil
	IsCarousel      bool     // more than one carousel_media
	Caption         string   // caption.text, or caption when it is a string
	Raw             json.RawMessage
}

// parsePost reads one item; ok is false when it has no shortcode (nothing
// could key it).
func parsePost(item any) (p Post, ok bool) {
	p.Shortcode = rapidapi.Str(rapidapi.At(item, "code"))
	if p.Shortcode == "" {
		return Post{}, false
	}
	if ts, ok := rapidapi.Num(rapidapi.At(item, "taken_at")); ok && ts > 0 {
		p.TakenAt = time.Unix(ts, 0).UTC()
	}
	p.CommentCount, p.HasCommentCount = rapidapi.Num(rapidapi.At(item, "comment_count"))
	p.LikeCount, p.HasLikeCount = rapidapi.Num(rapidapi.At(item, "like_count"))
	p.ImageURL = rapidapi.FirstString(rapidapi.At(item, "image_versions", "items", 0, "url"))
	p.ThumbnailURL = rapidapi.FirstString(rapidapi.At(item, "thumbnail_url"),
		rapidapi.At(item, "thumbnail_src"), rapidapi.At(item, "display_url"), p.ImageURL)
	p.IsVideo = rapidapi.Bool(rapidapi.At(item, "is_video"))
	p.VideoURL = rapidapi.FirstString(rapidapi.At(item, "video_url"),
		rapidapi.At(item, "video_versions", 0, "url"))
	carousel := rapidapi.Arr(rapidapi.At(item, "carousel_media"))
	p.IsCarousel = len(carousel) > 1
	for _, m := range carousel {
		if u := rapidapi.FirstString(rapidapi.At(m, "image_versions", "items", 0, "url")); u != "" {
			p.Images = append(p.Images, u)
		}
	}
	if len(p.Images) == 0 && p.ImageURL != "" {
		p.Images = []string{p.ImageURL}
	}
	switch c := rapidapi.At(item, "caption").(type) {
	case string:
		p.Caption = c
	case map[string]any:
		p.Caption, _ = c["text"].(string)
	}
	p.Raw = rapidapi.Raw(item)
	return p, true
}

// OnJakartaDate keeps the posts taken on date (YYYY-MM-DD) in Asia/Jakarta,
// the business day of spec §2.4. Posts without taken_at are dropped.
func OnJakartaDate(posts []Post, date string) []Post {
	var out []Post
	for _, p := range posts {
		if !p.TakenAt.IsZero() && jakarta.Date(p.TakenAt) == date {
			out = append(out, p)
		}
	}
	return out
}
