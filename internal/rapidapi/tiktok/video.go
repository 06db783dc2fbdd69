package tiktok

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/internal/rapidapi"
)

// Video is one TikTok post, normalised from the list and detail item shapes
// (spec §2.3 "Post item normalisation").
type Video struct {
	ID string // id ?? video_id ?? aweme_id
	// CreatedAt is createTime ?? create_time ?? timestamp ?? create_at
	// (seconds, or milliseconds above 1e12; numeric strings allowed), UTC;
	// zero when absent or unreadable.
	CreatedAt time.Time
	Desc      string // desc ?? caption ?? title ?? ""
	// LikeCount is stats.diggCount ?? digg_count ?? like_count ??
	// stats.likeCount ?? statsV2.diggCount; CommentCount is
	// stats.commentCount ?? comment_count ?? stats.comments ??
	// statsV2.commentCount. Strings count by their digits; missing is 0.
	LikeCount    int64
	CommentCount int64
	Raw          json.RawMessage
}

// parseVideo normalises one item; ok is false when it has no id.
func parseVideo(it any) (Video, bool) {
	at := func(p ...any) any { return rapidapi.At(it, p...) }
	v := Video{ID: rapidapi.Str(rapidapi.Coalesce(at("id"), at("video_id"), at("aweme_id")))}
	if v.ID == "" {
		return Video{}, false
	}
	v.CreatedAt = unixTime(rapidapi.Coalesce(at("createTime"), at("create_time"), at("timestamp"), at("create_at")))
	v.Desc = rapidapi.Str(rapidapi.Coalesce(at("desc"), at("caption"), at("title")))
	v.LikeCount, _ = rapidapi.Digits(rapidapi.Coalesce(at("stats", "diggCount"), at("digg_count"),
		at("like_count"), at("stats", "likeCount"), at("statsV2", "diggCount")))
	v.CommentCount, _ = rapidapi.Digits(rapidapi.Coalesce(at("stats", "commentCount"), at("comment_count"),
		at("stats", "comments"), at("statsV2", "commentCount")))
	v.Raw = rapidapi.Raw(it)
	return v, true
}

// unixTime reads seconds or milliseconds (> 1e12) given as a number or a
// numeric string.
func unixTime(x any) time.Time {
	var f float64
	switch t := x.(type) {
	case json.Number:
		var err error
		if f, err = t.Float64(); err != nil {
			return time.Time{}
		}
	case float64:
		f = t
	case string:
		var err error
		if f, err = strconv.ParseFloat(strings.TrimSpace(t), 64); err != nil {
			return time.Time{}
		}
	default:
		return time.Time{}
	}
	if f <= 0 || math.IsInf(f, 0) || math.IsNaN(f) {
		return time.Time{}
	}
	if f > 1e12 {
		return time.UnixMilli(int64(f)).UTC()
	}
	return time.Unix(int64(f), 0).UTC()
}

// OnJakartaDate keeps the videos created on date (YYYY-MM-DD) in
// Asia/Jakarta, the business day of spec §2.4. Videos without a creation
// time are dropped.
func OnJakartaDate(videos []Video, date string) []Video {
	var out []Video
	for _, v := range videos {
		if !v.CreatedAt.IsZero() && jakarta.Date(v.CreatedAt) == date {
			out = append(out, v)
		}
	}
	return out
}
