package readapi

import (
	"context"
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/internal/normalize"
	"github.com/cicero/cicero/internal/period"
	"github.com/cicero/cicero/projections/directory"
	"github.com/cicero/cicero/projections/social"
)

// The summary's profile and last fetch.
type (
	summaryProfile struct {
		Username   string `json:"username"`
		FullName   string `json:"full_name"`
		Followers  int    `json:"followers"`
		Following  int    `json:"following"`
		Posts      int    `json:"posts"`
		ObservedAt string `json:"observed_at"`
	}
	summaryFetch struct {
		RunID      string `json:"run_id"`
		FinishedAt string `json:"finished_at"`
		Succeeded  bool   `json:"succeeded"`
		Posts      int    `json:"posts"`
		Failures   int    `json:"failures"`
	}
	// platformSummary is one platform of GET /api/clients/{id}/summary.
	platformSummary struct {
		Account          *string         `json:"account"`
		Posts            int             `json:"posts"`
		WithdrawnPosts   int             `json:"withdrawn_posts"`
		Likes            int             `json:"likes"`
		Comments         int             `json:"comments"`
		LikesRecorded    int             `json:"likes_recorded"`
		CommentsRecorded int             `json:"comments_recorded"`
		Engagers         int             `json:"engagers"`
		FirstPostAt      *string         `json:"first_post_at"`
		LastPostAt       *string         `json:"last_post_at"`
		Profile          *summaryProfile `json:"profile"`
		LastFetch        *summaryFetch   `json:"last_fetch"`
	}
)

// clientSummary is GET /api/clients/{client_id}/summary: the client and,
// per platform, its posts in the period (every post when no date is
// named), the counts the platform last showed on them, the likes and
// comments recorded, the official account's profile and the last fetch.
// The old route's shape is not specified; this one is documented in
// internal/apispec/social_reads.yaml. 403 for a client not the caller's,
// 404 {"message":"Client not found"} for an unknown one.
func (a *socialAPI) clientSummary(w http.ResponseWriter, r *http.Request) {
	p, found := principal(w, r)
	if !found {
		return
	}
	id, err := ownClient(p, chi.URLParam(r, "client_id"))
	var per period.Period
	if err == nil {
		per, err = a.period(r, true)
	}
	var c directory.Client
	if err == nil {
		c, err = a.Directory.Client(r.Context(), id)
		if errors.Is(err, directory.ErrNotFound) {
			err = apperr.New(apperr.NotFound, msgClientNotFound)
		}
	}
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return
	}
	out := map[string]any{"client_id": c.ClientID, "nama": c.Nama, "client_type": c.ClientType,
		"periode": per.Name, "start_date": nullable(per.From), "end_date": nullable(per.To)}
	for platform, account := range map[string]string{events.PlatformInstagram: c.ClientInsta, events.PlatformTiktok: c.ClientTiktok} {
		s, err := a.platformSummary(r.Context(), c.ClientID, platform, normalize.Handle(account), per)
		if err != nil {
			httpx.Error(w, r, a.Logger, err)
			return
		}
		out[platform] = s
	}
	ok(w, out)
}

func (a *socialAPI) platformSummary(ctx context.Context, client, platform, account string, per period.Period) (platformSummary, error) {
	s, err := a.Social.ClientSummary(ctx, client, platform, per.From, per.To)
	if err != nil {
		return platformSummary{}, err
	}
	out := platformSummary{Account: nullable(account), Posts: s.Posts, WithdrawnPosts: s.Withdrawn, Likes: s.Likes,
		Comments: s.Comments, LikesRecorded: s.LikesRecorded, CommentsRecorded: s.CommentsRecorded, Engagers: s.Engagers,
		FirstPostAt: stampPtr(s.FirstPost), LastPostAt: stampPtr(s.LastPost)}
	if account != "" {
		pr, err := a.Social.Profile(ctx, platform, account)
		switch {
		case err == nil:
			out.Profile = &summaryProfile{Username: pr.Username, FullName: pr.FullName, Followers: pr.Followers,
				Following: pr.Following, Posts: pr.Posts, ObservedAt: stamp(pr.ObservedAt)}
		case !errors.Is(err, social.ErrNotFound):
			return out, err
		}
	}
	f, err := a.Social.LatestFetchRun(ctx, client, platform)
	switch {
	case err == nil:
		out.LastFetch = &summaryFetch{RunID: f.RunID, FinishedAt: stamp(f.FinishedAt), Succeeded: f.Succeeded,
			Posts: f.Posts, Failures: f.Failures}
	case !errors.Is(err, social.ErrNotFound):
		return out, err
	}
	return out, nil
}
