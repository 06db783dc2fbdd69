package readapi

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/internal/normalize"
	"github.com/cicero/cicero/projections/directory"
	"github.com/cicero/cicero/projections/social"
)

// Messages of the rapid reads (spec/social.md §4.5).
const (
	msgUsernameRequired = "username wajib diisi"
	msgTiktokUsername   = "Format username TikTok tidak valid. Gunakan tautan profil atau username seperti tiktok.com/@username atau @username."
	msgInstaUsername    = "Format username Instagram tidak valid. Gunakan tautan profil atau username seperti instagram.com/username atau @username."
	msgProfileNotFound  = "Profil akun belum pernah diamati"
	rapidDefaultLimit   = 10
	rapidMaxLimit       = 100
)

// rapidPostRow is a post as /rapid-posts answers it.
type rapidPostRow struct {
	ID           string  `json:"id"`
	CreatedAt    string  `json:"created_at"`
	Type         string  `json:"type"`
	Caption      string  `json:"caption"`
	LikeCount    int     `json:"like_count"`
	CommentCount int     `json:"comment_count"`
	ShareCount   int     `json:"share_count"` // not recorded: 0
	ViewCount    int     `json:"view_count"`  // not recorded: 0
	Thumbnail    *string `json:"thumbnail"`
}

// rapidIGProfile is the Instagram profile as /insta/rapid-profile answers
// it: the old insta_profile columns plus the API's names for the counts.
type rapidIGProfile struct {
	igProfileRow
	ID            string `json:"id"`
	FollowersAlt  int    `json:"followers_count"`
	MediaCount    int    `json:"media_count"`
	IsVerified    bool   `json:"is_verified"`
	ObservedAtAlt string `json:"observed_at"`
}

// rapidUsername reads ?username= (a username, @username or profile link):
// 400 when missing or not a username of the platform.
func rapidUsername(platform string, r *http.Request) (string, error) {
	raw := strings.TrimSpace(r.URL.Query().Get("username"))
	if raw == "" {
		return "", invalid(msgUsernameRequired)
	}
	if platform == events.PlatformTiktok {
		u, valid := normalize.TiktokHandle(raw)
		if !valid {
			return "", invalid(msgTiktokUsername)
		}
		return u, nil
	}
	u, valid := normalize.InstagramHandle(raw)
	if !valid {
		return "", invalid(msgInstaUsername)
	}
	return u, nil
}

// mayReadAccount: admins any account; everyone else the official accounts
// of their clients (and of their directorate).
func (a *socialAPI) mayReadAccount(ctx context.Context, p *auth.Principal, platform, username string) (bool, error) {
	if p.IsAdmin() {
		return true, nil
	}
	ids := append([]string{}, callerClients(p)...)
	if auth.IsDirectorateRole(p.Role) {
		ids = append(ids, strings.ToUpper(p.Role))
	}
	for _, id := range ids {
		c, err := a.Directory.Client(ctx, id)
		if errors.Is(err, directory.ErrNotFound) {
			continue
		}
		if err != nil {
			return false, err
		}
		official := c.ClientInsta
		if platform == events.PlatformTiktok {
			official = c.ClientTiktok
		}
		if normalize.Handle(official) == username {
			return true, nil
		}
	}
	return false, nil
}

// observed returns the account's profile as last observed. When nothing
// was ever observed of it (and hasPosts is false), it is observed once,
// live, through the command (concurrent loads share the call), and read
// back from the read model: later loads make no API call.
func (a *socialAPI) observed(ctx context.Context, actor, platform, username string, hasPosts bool) (*social.Profile, error) {
	pr, err := a.Social.Profile(ctx, platform, username)
	switch {
	case err == nil:
		return &pr, nil
	case !errors.Is(err, social.ErrNotFound):
		return nil, err
	case hasPosts:
		return nil, nil
	case a.Observer == nil:
		return nil, apperr.New(apperr.NotFound, msgProfileNotFound)
	}
	_, err, _ = a.flight.Do(platform+"/"+username, func() (any, error) {
		ps, err := a.Observer.ObserveProfile(ctx, actor, platform, username)
		if err == nil && len(ps) > 0 && a.WaitForAccounts != nil {
			err = a.WaitForAccounts(ctx, ps)
		}
		return nil, err
	})
	if err != nil {
		return nil, err
	}
	pr, err = a.Social.Profile(ctx, platform, username)
	if err != nil {
		return nil, err
	}
	return &pr, nil
}

// account resolves the username of a rapid read and checks the caller may
// read it.
func (a *socialAPI) account(w http.ResponseWriter, r *http.Request, platform string) (*auth.Principal, string, bool) {
	p, found := principal(w, r)
	if !found {
		return nil, "", false
	}
	username, err := rapidUsername(platform, r)
	if err == nil {
		var mine bool
		if mine, err = a.mayReadAccount(r.Context(), p, platform, username); err == nil && !mine {
			err = forbidden(msgClientNotAllowed)
		}
	}
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return nil, "", false
	}
	return p, username, true
}

// rapidProfile is GET /api/insta/rapid-profile and
// /api/tiktok/rapid-profile?username=: the account's profile as last
// observed (no API call on a page load; the first load of an account never
// observed makes the one call).
func (a *socialAPI) rapidProfile(platform string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, username, found := a.account(w, r, platform)
		if !found {
			return
		}
		pr, err := a.observed(r.Context(), p.Actor(), platform, username, false)
		if err != nil {
			httpx.Error(w, r, a.Logger, err)
			return
		}
		if platform == events.PlatformTiktok {
			ok(w, tiktokProfileOf(*pr))
			return
		}
		ok(w, rapidIGProfile{igProfileRow: *igProfileOf(*pr), ID: pr.ExternalID, FollowersAlt: pr.Followers,
			MediaCount: pr.Posts, IsVerified: pr.Verified, ObservedAtAlt: stamp(pr.ObservedAt)})
	}
}

// rapidPosts is GET /api/insta/rapid-posts and /api/tiktok/rapid-posts
// ?username=&limit=: the account's latest posts the read model holds
// (limit default 10, at most 100), newest first. Posts are recorded by the
// fetch for clients' official accounts; an account of which nothing was
// ever observed has its profile observed once so the next load is served
// from the read models.
func (a *socialAPI) rapidPosts(platform string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, username, found := a.account(w, r, platform)
		if !found {
			return
		}
		limit := rapidDefaultLimit
		if n, err := strconv.Atoi(strings.TrimSpace(r.URL.Query().Get("limit"))); err == nil && n > 0 {
			limit = min(n, rapidMaxLimit)
		}
		posts, err := a.Social.Posts(r.Context(), social.PostQuery{Platform: platform, Account: username, NewestFirst: true, Limit: limit})
		if err == nil {
			_, err = a.observed(r.Context(), p.Actor(), platform, username, len(posts) > 0)
		}
		if err != nil {
			httpx.Error(w, r, a.Logger, err)
			return
		}
		out := make([]rapidPostRow, 0, len(posts))
		for _, x := range posts {
			row := rapidPostRow{ID: x.PostID, CreatedAt: stamp(x.PublishedAt), Type: postType(platform, x), Caption: x.Caption,
				LikeCount: x.Likes, CommentCount: x.Comments, Thumbnail: nullable(x.Media.ThumbnailURL)}
			if row.Thumbnail == nil {
				row.Thumbnail = nullable(x.Media.ImageURL)
			}
			out = append(out, row)
		}
		ok(w, out)
	}
}

func postType(platform string, p social.FeedPost) string {
	switch {
	case platform == events.PlatformTiktok || p.Media.IsVideo:
		return "video"
	case p.Media.IsCarousel:
		return "carousel"
	}
	return "image"
}
