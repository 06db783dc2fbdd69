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
	"github.com/cicero/cicero/internal/period"
	"github.com/cicero/cicero/projections/directory"
	"github.com/cicero/cicero/projections/social"
)

// Messages of the aggregator (spec/social.md §4.6).
const (
	msgAggClientRequired = "client_id atau header x-client-id wajib diisi (atau gunakan token dengan satu client_id)"
	msgAggClientNotFound = "client not found"
	msgAggNotDirectorate = "Client tidak memenuhi kriteria direktorat aktif dengan sosmed"
	msgAggRefreshed      = "Aggregator refreshed"
	aggDefaultLimit      = 10
	aggMaxLimit          = 100
)

// igProfileRow is the old insta_profile row.
type igProfileRow struct {
	Username       string `json:"username"`
	FullName       string `json:"full_name"`
	Biography      string `json:"biography"`
	FollowerCount  int    `json:"follower_count"`
	FollowingCount int    `json:"following_count"`
	PostCount      int    `json:"post_count"`
	ProfilePicURL  string `json:"profile_pic_url"`
	UpdatedAt      string `json:"updated_at"`
}

// tiktokProfileRow is the aggregator's TikTok profile. like_count (the
// account's total hearts) is not recorded by ProfileObserved: always 0.
type tiktokProfileRow struct {
	Username       string `json:"username"`
	SecUID         string `json:"secUid"`
	Nickname       string `json:"nickname"`
	FollowerCount  int    `json:"follower_count"`
	FollowingCount int    `json:"following_count"`
	LikeCount      int    `json:"like_count"`
	VideoCount     int    `json:"video_count"`
	AvatarURL      string `json:"avatar_url"`
	Verified       bool   `json:"verified"`
}

func igProfileOf(p social.Profile) *igProfileRow {
	return &igProfileRow{Username: p.Username, FullName: p.FullName, Biography: p.Bio, FollowerCount: p.Followers,
		FollowingCount: p.Following, PostCount: p.Posts, ProfilePicURL: p.AvatarURL, UpdatedAt: stamp(p.ObservedAt)}
}

func tiktokProfileOf(p social.Profile) *tiktokProfileRow {
	return &tiktokProfileRow{Username: p.Username, SecUID: p.ExternalID, Nickname: p.FullName, FollowerCount: p.Followers,
		FollowingCount: p.Following, VideoCount: p.Posts, AvatarURL: p.AvatarURL, Verified: p.Verified}
}

// aggPayload is one client's aggregator payload.
type aggPayload struct {
	ClientID      string            `json:"client_id,omitempty"`
	IGProfile     *igProfileRow     `json:"igProfile"`
	IGPosts       []instaPostRow    `json:"igPosts"`
	TiktokProfile *tiktokProfileRow `json:"tiktokProfile"`
	TiktokPosts   []tiktokPostRow   `json:"tiktokPosts"`
}

// aggParams are the aggregator's parameters, from the query (GET) or the
// body and query (refresh).
type aggParams struct {
	client, regional, periode string
	limit                     int
	skipPosts                 bool
}

// aggLimit reads limit: default 10, anything not a positive number is 10
// (legacy), at most 100.
func aggLimit(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n <= 0 {
		return aggDefaultLimit
	}
	return min(n, aggMaxLimit)
}

// aggPeriod: periode empty is every post (legacy: only harian narrowed
// the posts); the other periods read the period vocabulary.
func (a *socialAPI) aggPeriod(periode string) (period.Period, error) {
	if strings.TrimSpace(periode) == "" {
		return period.Period{Name: period.Semua, All: true}, nil
	}
	return period.Of(periode, "", a.Now())
}

// aggregator is GET /api/aggregator and /api/social/aggregator (the
// dashboard tries the latter first): the resolved client's Instagram and
// TikTok profiles and latest posts, all from the read models (the TikTok
// profile too: the old route called RapidAPI on every load).
func (a *socialAPI) aggregator(w http.ResponseWriter, r *http.Request) {
	p, found := principal(w, r)
	if !found {
		return
	}
	q := r.URL.Query()
	prm := aggParams{client: requestedClient(r), regional: q.Get("regional_id"), periode: q.Get("periode"),
		limit: aggLimit(q.Get("limit"))}
	per, err := a.aggPeriod(prm.periode)
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return
	}
	c, err := a.aggregatorClient(r.Context(), p, prm.client, prm.regional)
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return
	}
	out, err := a.aggPayloadOf(r.Context(), c, per, prm.limit)
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return
	}
	out.ClientID = ""
	ok(w, out)
}

// aggregatorClient resolves the client of spec/social.md §4.6: the named
// one (query, x-client-id, else the token's single client), which must be
// the caller's (operators get the old operator message), must exist and,
// with regional_id, be of that region with its parent in it too. A
// DITSAMAPTA request of a bidhumas user reads BIDHUMAS when that is an org
// client; otherwise a caller whose role names a directorate client reads
// that directorate.
func (a *socialAPI) aggregatorClient(ctx context.Context, p *auth.Principal, requested, regional string) (directory.Client, error) {
	if requested == "" {
		requested = p.ClientID
	}
	switch {
	case requested == "":
		return directory.Client{}, invalid(msgAggClientRequired)
	case p.IsOperator() && !mayReadClient(p, requested):
		return directory.Client{}, forbidden(msgProfileNotOperators)
	case !mayReadClient(p, requested):
		return directory.Client{}, forbidden(msgClientNotAllowed)
	}
	notFound := apperr.New(apperr.NotFound, msgAggClientNotFound)
	if strings.EqualFold(requested, "DITSAMAPTA") && p.Role == "bidhumas" {
		if b, err := a.Directory.Client(ctx, "BIDHUMAS"); err == nil && strings.EqualFold(b.ClientType, scopeOrg) {
			requested = b.ClientID
		}
	}
	c, err := a.Directory.Client(ctx, requested)
	switch {
	case errors.Is(err, directory.ErrNotFound):
		return c, notFound
	case err != nil:
		return c, err
	}
	if regional = strings.TrimSpace(regional); regional != "" {
		if !inRegion(c, regional) {
			return c, notFound
		}
		if c.ParentClientID != nil && *c.ParentClientID != "" {
			parent, err := a.Directory.Client(ctx, *c.ParentClientID)
			if err != nil || !inRegion(parent, regional) {
				return c, notFound
			}
		}
	}
	if auth.IsDirectorateRole(p.Role) && !strings.EqualFold(c.ClientID, p.Role) {
		if d, err := a.Directory.Client(ctx, p.Role); err == nil && strings.EqualFold(d.ClientType, scopeDirektor) {
			return d, nil
		}
	}
	return c, nil
}

func inRegion(c directory.Client, regional string) bool {
	return c.RegionalID != nil && strings.EqualFold(*c.RegionalID, regional)
}

// aggPayloadOf reads the client's profiles and its latest posts (newest
// first, at most limit per platform) in the period.
func (a *socialAPI) aggPayloadOf(ctx context.Context, c directory.Client, per period.Period, limit int) (aggPayload, error) {
	out := aggPayload{ClientID: c.ClientID, IGPosts: []instaPostRow{}, TiktokPosts: []tiktokPostRow{}}
	if u := normalize.Handle(c.ClientInsta); u != "" {
		pr, err := a.Social.Profile(ctx, events.PlatformInstagram, u)
		switch {
		case err == nil:
			out.IGProfile = igProfileOf(pr)
		case !errors.Is(err, social.ErrNotFound):
			return out, err
		}
	}
	if u := normalize.Handle(c.ClientTiktok); u != "" {
		pr, err := a.Social.Profile(ctx, events.PlatformTiktok, u)
		switch {
		case err == nil:
			out.TiktokProfile = tiktokProfileOf(pr)
		case !errors.Is(err, social.ErrNotFound):
			return out, err
		}
	}
	for _, platform := range []string{events.PlatformInstagram, events.PlatformTiktok} {
		posts, err := a.Social.Posts(ctx, social.PostQuery{Platform: platform, Clients: []string{c.ClientID},
			From: per.From, To: per.To, NewestFirst: true, Limit: limit})
		if err != nil {
			return out, err
		}
		for _, p := range posts {
			if platform == events.PlatformTiktok {
				out.TiktokPosts = append(out.TiktokPosts, tiktokRow(p))
			} else {
				out.IGPosts = append(out.IGPosts, instaRow(p))
			}
		}
	}
	return out, nil
}
