package instagram_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/cicero/cicero/internal/rapidapi/instagram"
	"github.com/cicero/cicero/internal/rapidapi/rapidapitest"
)

// TestPostFieldVariants reads each item shape social-api4 has been seen to
// send through v1/post_info and checks the typed Post.
func TestPostFieldVariants(t *testing.T) {
	tests := []struct {
		name string
		item string
		want instagram.Post
	}{
		{
			name: "photo with object caption and counts",
			item: `{"code":"C1abcDEF","taken_at":1718000000,"comment_count":4,"like_count":120,
				"caption":{"text":"Apel pagi #polri"},"thumbnail_url":"https://t/1.jpg",
				"image_versions":{"items":[{"url":"https://i/1.jpg"},{"url":"https://i/1s.jpg"}]}}`,
			want: instagram.Post{Shortcode: "C1abcDEF", TakenAt: time.Unix(1718000000, 0).UTC(),
				CommentCount: 4, HasCommentCount: true, LikeCount: 120, HasLikeCount: true,
				ThumbnailURL: "https://t/1.jpg", ImageURL: "https://i/1.jpg", Images: []string{"https://i/1.jpg"},
				Caption: "Apel pagi #polri"},
		},
		{
			name: "string caption, counts missing, thumbnail from thumbnail_src",
			item: `{"code":"C2","taken_at":1718000001,"caption":"hanya teks","thumbnail_src":"https://t/src.jpg",
				"display_url":"https://d/2.jpg"}`,
			want: instagram.Post{Shortcode: "C2", TakenAt: time.Unix(1718000001, 0).UTC(),
				ThumbnailURL: "https://t/src.jpg", Caption: "hanya teks"},
		},
		{
			name: "null caption, non-number counts, thumbnail from display_url",
			item: `{"code":"C3","caption":null,"comment_count":"7","like_count":null,"thumbnail_url":"",
				"display_url":"https://d/3.jpg"}`,
			want: instagram.Post{Shortcode: "C3", ThumbnailURL: "https://d/3.jpg"},
		},
		{
			name: "zero counts are present",
			item: `{"code":"C3z","comment_count":0,"like_count":0}`,
			want: instagram.Post{Shortcode: "C3z", HasCommentCount: true, HasLikeCount: true},
		},
		{
			name: "video: url from video_versions, thumbnail from image_versions",
			item: `{"code":"C4","is_video":true,"video_versions":[{"url":"https://v/4.mp4"}],
				"image_versions":{"items":[{"url":"https://i/4.jpg"}]},"caption":{"text":""}}`,
			want: instagram.Post{Shortcode: "C4", IsVideo: true, VideoURL: "https://v/4.mp4",
				ThumbnailURL: "https://i/4.jpg", ImageURL: "https://i/4.jpg", Images: []string{"https://i/4.jpg"}},
		},
		{
			name: "video_url wins over video_versions",
			item: `{"code":"C5","is_video":true,"video_url":"https://v/direct.mp4","video_versions":[{"url":"https://v/5.mp4"}]}`,
			want: instagram.Post{Shortcode: "C5", IsVideo: true, VideoURL: "https://v/direct.mp4"},
		},
		{
			name: "carousel",
			item: `{"code":"C6","image_versions":{"items":[{"url":"https://i/cover.jpg"}]},
				"carousel_media":[{"image_versions":{"items":[{"url":"https://i/a.jpg"}]}},
				{"image_versions":{"items":[]}},{"image_versions":{"items":[{"url":"https://i/c.jpg"}]}}]}`,
			want: instagram.Post{Shortcode: "C6", ThumbnailURL: "https://i/cover.jpg", ImageURL: "https://i/cover.jpg",
				Images: []string{"https://i/a.jpg", "https://i/c.jpg"}, IsCarousel: true},
		},
		{
			name: "carousel of one is no carousel",
			item: `{"code":"C7","carousel_media":[{"image_versions":{"items":[{"url":"https://i/only.jpg"}]}}]}`,
			want: instagram.Post{Shortcode: "C7", Images: []string{"https://i/only.jpg"}},
		},
		{
			name: "carousel without images falls back to image_url",
			item: `{"code":"C8","image_versions":{"items":[{"url":"https://i/8.jpg"}]},"carousel_media":[{},{}]}`,
			want: instagram.Post{Shortcode: "C8", ThumbnailURL: "https://i/8.jpg", ImageURL: "https://i/8.jpg",
				Images: []string{"https://i/8.jpg"}, IsCarousel: true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			r.primary.Handle("v1/post_info", rapidapitest.OK(`{"data":`+tt.item+`}`))
			got, err := r.c.PostInfo(context.Background(), tt.want.Shortcode)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Raw) == 0 {
				t.Error("Raw is empty")
			}
			if d := cmp.Diff(tt.want, got, cmpopts.IgnoreFields(instagram.Post{}, "Raw")); d != "" {
				t.Errorf("post (-want +got):\n%s", d)
			}
			if q := queries(r.primary, "v1/post_info", "code_or_id_or_url"); len(q) != 1 || q[0] != tt.want.Shortcode {
				t.Errorf("code_or_id_or_url = %q", q)
			}
		})
	}
}

func TestPostInfoWithoutCode(t *testing.T) {
	r := newRig(t)
	r.primary.Handle("v1/post_info", rapidapitest.OK(`{"data":{}}`))
	if _, err := r.c.PostInfo(context.Background(), "X"); err == nil {
		t.Fatal("no error for an item without code")
	}
}

func TestOnJakartaDate(t *testing.T) {
	// 2024-06-10 17:00 UTC is 2024-06-11 00:00 in Jakarta.
	posts := []instagram.Post{
		{Shortcode: "late-utc", TakenAt: time.Date(2024, 6, 10, 17, 0, 0, 0, time.UTC)},
		{Shortcode: "before", TakenAt: time.Date(2024, 6, 10, 16, 59, 59, 0, time.UTC)},
		{Shortcode: "no-time"},
	}
	got := instagram.OnJakartaDate(posts, "2024-06-11")
	if len(got) != 1 || got[0].Shortcode != "late-utc" {
		t.Errorf("OnJakartaDate = %+v", got)
	}
}
