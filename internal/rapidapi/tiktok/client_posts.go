package tiktok

import (
	"context"
	"errors"

	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/internal/rapidapi"
)

// Source says which call produced a client's video list.
type Source string

const (
	SourceSecUID           Source = "secuid"            // primary fetch by secUid
	SourceUsername         Source = "username"          // primary fetch by username (no secUid known)
	SourceUsernameFallback Source = "username_fallback" // the in-window fallback by username
)

// ClientPosts is what FetchClientPosts read for one client account.
type ClientPosts struct {
	Videos []Video // all listed videos; filter with OnJakartaDate
	Source Source
	// UsernameFallbackTried reports that the window fallback was called
	// (whether or not its list was used).
	UsernameFallbackTried bool
	// Malformed counts the used list's items that could not be read.
	Malformed int
}

// FetchClientPosts is the post fetch of one client account (spec §2.3
// steps 3–4). It reads ClientPostCount videos by secUID (by the username
// when secUID is ""), each with the host fallback. Then, when that failed,
// listed nothing, or listed no video of today (Asia/Jakarta, by the
// client's clock), and the clock is inside the username fallback window,
// it asks once more by username and uses that list when it is non-empty.
// The username fallback is skipped when the primary fetch already was by
// username: it would be the very same call.
//
// The error is the primary fetch's, returned only when no list could be
// used. Resolving and storing a missing secUid (UserInfo) is the caller's
// step, as it is a command on the client.
func (c *Client) FetchClientPosts(ctx context.Context, accountName, secUID string) (ClientPosts, error) {
	username := account(accountName)
	res := ClientPosts{Source: SourceSecUID}
	var list videoList
	var err error
	if secUID != "" {
		list, err = c.postsBySecUID(ctx, secUID, ClientPostCount)
	} else {
		res.Source = SourceUsername
		list, err = c.postsByUsername(ctx, username, ClientPostCount)
	}
	if ctx.Err() != nil {
		return res, ctx.Err()
	}
	now := c.now()
	needMore := err != nil || len(list.videos) == 0 || len(OnJakartaDate(list.videos, jakarta.Date(now))) == 0
	if needMore && secUID != "" && username != "" && !errors.Is(err, rapidapi.ErrKeyMissing) &&
		UsernameFallbackAllowed(now) {
		res.UsernameFallbackTried = true
		fb, ferr := c.postsByUsername(ctx, username, ClientPostCount)
		if ferr == nil && len(fb.videos) > 0 {
			res.Videos, res.Malformed, res.Source = fb.videos, fb.malformed, SourceUsernameFallback
			return res, nil
		}
		c.log.InfoContext(ctx, "tiktok: username fallback gave nothing", "username", username,
			"primary_err", err, "err", ferr)
	}
	if err != nil {
		return res, err
	}
	res.Videos, res.Malformed = list.videos, list.malformed
	return res, nil
}
