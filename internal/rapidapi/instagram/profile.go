package instagram

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"

	"github.com/cicero/cicero/internal/rapidapi"
)

// Profile is an account as v1/info describes it (spec §2.2 "profile"),
// with the business fields the old instagram_user table kept.
type Profile struct {
	ID            string // pk ?? id ?? user_id
	Username      string
	FullName      string
	Biography     string
	Followers     int64 // followers_count ?? follower_count
	Following     int64 // following_count
	MediaCount    int64 // media_count ?? posts_count
	ProfilePicURL string

	Category        string // category_name || category
	CategoryID      string
	AccountType     int64
	IsPrivate       bool
	IsVerified      bool
	IsBusiness      bool
	PublicEmail     string
	ExternalURL     string
	ProfilePicURLHD string
	TotalIGTVVideos int64
	LatestReelMedia int64 // unix seconds of the latest story, 0 when none

	Raw json.RawMessage // the data object as sent
}

// Profile reads username's profile. An answer without a data object is a
// bad response.
func (c *Client) Profile(ctx context.Context, username string) (Profile, error) {
	username = account(username)
	if username == "" {
		return Profile{}, fmt.Errorf("instagram profile: empty username")
	}
	v, err := c.get(ctx, "v1/info", url.Values{"username_or_id_or_url": {username}})
	if err != nil {
		return Profile{}, fmt.Errorf("instagram profile of %s: %w", username, err)
	}
	d := rapidapi.Obj(rapidapi.At(v, "data"))
	if d == nil {
		return Profile{}, rapidapi.Malformed("instagram profile of "+username, "no data object")
	}
	return parseProfile(d), nil
}

func parseProfile(d map[string]any) Profile {
	num := func(vs ...any) int64 { n, _ := rapidapi.Num(rapidapi.Coalesce(vs...)); return n }
	str := func(k string) string { return rapidapi.Str(d[k]) }
	return Profile{
		ID:              rapidapi.Str(rapidapi.Coalesce(d["pk"], d["id"], d["user_id"])),
		Username:        str("username"),
		FullName:        str("full_name"),
		Biography:       str("biography"),
		Followers:       num(d["followers_count"], d["follower_count"]),
		Following:       num(d["following_count"]),
		MediaCount:      num(d["media_count"], d["posts_count"]),
		ProfilePicURL:   str("profile_pic_url"),
		Category:        rapidapi.FirstString(d["category_name"], d["category"]),
		CategoryID:      str("category_id"),
		AccountType:     num(d["account_type"]),
		IsPrivate:       rapidapi.Bool(d["is_private"]),
		IsVerified:      rapidapi.Bool(d["is_verified"]),
		IsBusiness:      rapidapi.Bool(d["is_business"]),
		PublicEmail:     str("public_email"),
		ExternalURL:     str("external_url"),
		ProfilePicURLHD: str("profile_pic_url_hd"),
		TotalIGTVVideos: num(d["total_igtv_videos"]),
		LatestReelMedia: num(d["latest_reel_media"]),
		Raw:             rapidapi.Raw(d),
	}
}
