package tiktok

import (
	"context"
	"errors"
	"fmt"
	"net/url"
)

// ErrNoItemStruct is returned when a detail answer holds no item; its text
// is the old system's message.
var ErrNoItemStruct = errors.New("Response detail TikTok tidak memiliki itemStruct.")

// detailPaths are where api/post/detail keeps the item (spec §2.3).
var detailPaths = [][]string{
	{"itemInfo", "itemStruct"},
	{"data", "itemInfo", "itemStruct"},
	{"itemStruct"},
	{"itemInfo", "item"},
}

// PostDetail reads one video (manual import). An answer without an item,
// or whose item has no id, fails with ErrNoItemStruct.
func (c *Client) PostDetail(ctx context.Context, videoID string) (Video, error) {
	if videoID == "" {
		return Video{}, fmt.Errorf("tiktok post detail: empty video id")
	}
	body, err := c.api.Get(ctx, "api/post/detail", url.Values{"videoId": {videoID}})
	if err != nil {
		return Video{}, fmt.Errorf("tiktok post detail of %s: %w", videoID, err)
	}
	v, ok := parseVideo(find(body, isObject, detailPaths...))
	if !ok {
		return Video{}, fmt.Errorf("tiktok post detail of %s: %w", videoID, ErrNoItemStruct)
	}
	return v, nil
}
