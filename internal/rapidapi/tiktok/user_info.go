package tiktok

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"

	"github.com/cicero/cicero/internal/rapidapi"
)

// Profile is an account as api/user/info describes it.
type Profile struct {
	SecUID      string // userInfo.user.secUid: what the posts endpoint wants
	UniqueID    string
	Nickname    string
	AvatarThumb string
	Verified    bool
	Followers   int64 // userInfo.stats.followerCount
	Following   int64
	Hearts      int64 // total likes received (stats.heart)
	Videos      int64
	Raw         json.RawMessage // userInfo as sent
}

// UserInfo reads username's profile (username with or without '@'). An
// answer without userInfo.user is a bad response.
func (c *Client) UserInfo(ctx context.Context, username string) (Profile, error) {
	username = account(username)
	if username == "" {
		return Profile{}, fmt.Errorf("tiktok user info: empty username")
	}
	op := "tiktok user info of " + username
	body, err := c.api.Get(ctx, "api/user/info", url.Values{"uniqueId": {username}})
	if err != nil {
		return Profile{}, fmt.Errorf("%s: %w", op, err)
	}
	info := find(body, isObject, []string{"userInfo"})
	user := rapidapi.Obj(walk(info, "user"))
	if user == nil {
		return Profile{}, rapidapi.Malformed(op, "no userInfo.user")
	}
	stats := walk(info, "stats")
	num := func(k string) int64 { n, _ := rapidapi.Digits(rapidapi.At(stats, k)); return n }
	return Profile{
		SecUID:      rapidapi.Str(user["secUid"]),
		UniqueID:    rapidapi.Str(user["uniqueId"]),
		Nickname:    rapidapi.Str(user["nickname"]),
		AvatarThumb: rapidapi.Str(user["avatarThumb"]),
		Verified:    rapidapi.Bool(user["verified"]),
		Followers:   num("followerCount"),
		Following:   num("followingCount"),
		Hearts:      num("heart"),
		Videos:      num("videoCount"),
		Raw:         rapidapi.Raw(info),
	}, nil
}
