package tiktok

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/cicero/cicero/internal/rapidapi"
)

// ClientPostCount is how many latest videos post ingestion asks for
// (spec §2.3 step 3); DefaultPostCount is the API call's default.
const (
	ClientPostCount  = 35
	DefaultPostCount = 10
)

// listPaths are where a posts answer keeps its list (spec §2.3), in the
// order they are tried; the first array wins.
var listPaths = [][]string{
	{"data", "data", "itemList"},
	{"data", "result", "itemList"},
	{"data", "itemList"},
	{"data", "items"},
	{"data", "result", "videos"},
	{"data", "videos"},
}

// PostsBySecUID reads the latest count videos (≤ 0: DefaultPostCount) of
// the account with secUID: api/user/posts on the primary host, then the
// fallback host's user/videos when the primary failed or listed nothing
// (see hostFallback).
func (c *Client) PostsBySecUID(ctx context.Context, secUID string, count int) ([]Video, error) {
	l, err := c.postsBySecUID(ctx, secUID, count)
	return l.videos, err
}

func (c *Client) postsBySecUID(ctx context.Context, secUID string, count int) (videoList, error) {
	if secUID == "" {
		return videoList{}, fmt.Errorf("tiktok posts: empty secUid")
	}
	q := url.Values{"secUid": {secUID}, "cursor": {"0"}, "count": {countParam(count)}}
	list, err := c.posts(ctx, c.api.Get, "api/user/posts", q)
	list, err = c.hostFallback(ctx, q, list, err)
	if err != nil {
		return videoList{}, fmt.Errorf("tiktok posts by secUid %s: %w", secUID, err)
	}
	return list, nil
}

// PostsByUsername reads the latest count videos of username (with or
// without '@'), sending it both as uniqueId and username as the old code
// did. When the primary answers that params are missing (this API version
// wants a secUid), the secUid is looked up and PostsBySecUID used instead;
// otherwise the host fallback applies as for PostsBySecUID.
func (c *Client) PostsByUsername(ctx context.Context, username string, count int) ([]Video, error) {
	l, err := c.postsByUsername(ctx, username, count)
	return l.videos, err
}

func (c *Client) postsByUsername(ctx context.Context, username string, count int) (videoList, error) {
	username = account(username)
	if username == "" {
		return videoList{}, fmt.Errorf("tiktok posts: empty username")
	}
	q := url.Values{"uniqueId": {username}, "username": {username}, "cursor": {"0"}, "count": {countParam(count)}}
	list, err := c.posts(ctx, c.api.Get, "api/user/posts", q)
	if err != nil && strings.Contains(strings.ToLower(rapidapi.BodyOf(err)), "missing required params") {
		c.log.InfoContext(ctx, "tiktok: posts by username refused, resolving secUid", "username", username)
		p, perr := c.UserInfo(ctx, username)
		if perr == nil && p.SecUID != "" {
			return c.postsBySecUID(ctx, p.SecUID, count)
		}
	}
	list, err = c.hostFallback(ctx, q, list, err)
	if err != nil {
		return videoList{}, fmt.Errorf("tiktok posts by username %s: %w", username, err)
	}
	return list, nil
}

// hostFallback applies spec §2.3's host fallback to a primary result: when
// the primary failed (any error, 401/403 included) or listed nothing and a
// fallback host is configured, the fallback's user/videos is asked with the
// same params; its list is used when non-empty. Otherwise the primary's
// outcome stands: its error, or its empty list.
func (c *Client) hostFallback(ctx context.Context, q url.Values, list videoList, err error) (videoList, error) {
	if (err == nil && len(list.videos) > 0) || !c.api.HasFallback() || ctx.Err() != nil ||
		errors.Is(err, rapidapi.ErrKeyMissing) {
		return list, err
	}
	fb, ferr := c.posts(ctx, c.api.GetFallback, "user/videos", q)
	switch {
	case ferr != nil:
		c.log.WarnContext(ctx, "tiktok: fallback host failed too", "primary_err", err, "err", ferr)
	case len(fb.videos) > 0:
		c.log.InfoContext(ctx, "tiktok: posts from fallback host", "primary_err", err, "videos", len(fb.videos))
		return fb, nil
	}
	return list, err
}

type getter func(ctx context.Context, path string, q url.Values) (any, error)

// videoList is one answer's videos and how many of its items could not be
// read (no id): skipped, but a fetch reports them as failures.
type videoList struct {
	videos    []Video
	malformed int
}

// posts calls one host and reads the list out of its answer. An answer
// with no list at all reads as an empty list, as the old code did.
func (c *Client) posts(ctx context.Context, get getter, path string, q url.Values) (videoList, error) {
	body, err := get(ctx, path, q)
	if err != nil {
		return videoList{}, err
	}
	var out videoList
	for _, it := range rapidapi.Arr(find(body, isArray, listPaths...)) {
		if v, ok := parseVideo(unstring(it)); ok {
			out.videos = append(out.videos, v)
		} else {
			out.malformed++
		}
	}
	return out, nil
}

func countParam(n int) string {
	if n <= 0 {
		n = DefaultPostCount
	}
	return strconv.Itoa(n)
}
