package readapi

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/internal/schedule"
	"github.com/cicero/cicero/projections/directory"
	"github.com/cicero/cicero/projections/social"
)

// SocialReadModel is what the post and profile reads read
// (social.Queries satisfies it).
type SocialReadModel interface {
	Posts(ctx context.Context, q social.PostQuery) ([]social.FeedPost, error)
	Profile(ctx context.Context, platform, username string) (social.Profile, error)
	ClientSummary(ctx context.Context, clientID, platform, from, to string) (social.PlatformSummary, error)
	LatestFetchRun(ctx context.Context, clientID, platform string) (social.FetchRun, error)
}

// SocialDirectory is the directory the social reads resolve clients in
// (directory.Queries satisfies it).
type SocialDirectory interface {
	Client(ctx context.Context, clientID string) (directory.Client, error)
	Clients(ctx context.Context, f directory.ClientFilter) ([]directory.Client, error)
}

// ProfileObserver reads an account's profile from the platform's API and
// records it through the social context's command (account.ObserveProfile,
// wired in cmd/cicero; jobs.ProfileObserve), returning the positions it
// appended. The reads call it only for a username nothing was ever
// observed of.
type ProfileObserver interface {
	ObserveProfile(ctx context.Context, actor, platform, username string) ([]events.Position, error)
}

// JobLauncher starts a job in the background (schedule.Scheduler
// satisfies it).
type JobLauncher interface {
	Launch(ctx context.Context, name string, args schedule.Args, done func(error)) error
}

// SocialReadsDeps is everything the social post and profile reads use.
type SocialReadsDeps struct {
	Social    SocialReadModel
	Directory SocialDirectory
	// Observer makes the one live observation of an unknown account; nil:
	// never (an unknown account is 404).
	Observer ProfileObserver
	// WaitForAccounts blocks until social_profiles has applied positions.
	WaitForAccounts func(ctx context.Context, positions []events.Position) error
	// Jobs, RefreshJob and Background: POST /aggregator/refresh launches
	// RefreshJob (the social fetch) in Background; nil Jobs: it launches
	// nothing and says so.
	Jobs       JobLauncher
	RefreshJob string
	Background context.Context
	Now        func() time.Time // nil: time.Now
	Logger     *slog.Logger     // nil: discard
}

type socialAPI struct {
	SocialReadsDeps
	flight singleflight.Group // one live observation per account at a time
}

// MountSocialReads adds the dashboard's post and profile reads to r, the
// /api router (spec/social.md §4.5, §4.6; SPEC.md §4 item 7):
//   - GET /insta/posts, /instagram/posts, /tiktok/posts (social_posts.go);
//   - GET /aggregator, /social/aggregator, POST /aggregator/refresh
//     (social_aggregator.go);
//   - GET /insta/rapid-profile, /insta/rapid-posts, /tiktok/rapid-profile,
//     /tiktok/rapid-posts (social_profiles.go);
//   - GET /clients/{client_id}/summary (social_client_summary.go).
//
// Every answer comes from the read models and is scoped to the caller's
// clients. It panics without Social or Directory.
func MountSocialReads(r *auth.Router, d SocialReadsDeps) {
	if d.Social == nil || d.Directory == nil {
		panic("readapi.MountSocialReads: Social and Directory are required")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.Background == nil {
		d.Background = context.Background()
	}
	a := &socialAPI{SocialReadsDeps: d}
	r = r.With(refuseNUL)
	r.Get("/insta/posts", auth.Staff, a.instaPostsToday)
	r.Get("/instagram/posts", auth.Staff, a.posts(events.PlatformInstagram))
	r.Get("/tiktok/posts", auth.Staff|auth.ClientOperators, a.posts(events.PlatformTiktok))
	r.Get("/aggregator", auth.OperatorList, a.aggregator)
	r.Get("/social/aggregator", auth.OperatorList, a.aggregator)
	r.Post("/aggregator/refresh", auth.Staff, a.refresh)
	r.Get("/insta/rapid-profile", auth.OperatorList, a.rapidProfile(events.PlatformInstagram))
	r.Get("/insta/rapid-posts", auth.Staff, a.rapidPosts(events.PlatformInstagram))
	r.Get("/tiktok/rapid-profile", auth.Staff|auth.ClientOperators, a.rapidProfile(events.PlatformTiktok))
	r.Get("/tiktok/rapid-posts", auth.Staff|auth.ClientOperators, a.rapidPosts(events.PlatformTiktok))
	r.Get("/clients/{client_id}/summary", auth.Staff, a.clientSummary)
}

// stamp is an instant as the dashboard gets it: RFC 3339 in Asia/Jakarta
// (+07:00), the real offset (the old IG timestamps came out 7 hours off).
func stamp(t time.Time) string { return jakarta.Format(t) }

// stampPtr is stamp for an optional instant.
func stampPtr(t *time.Time) *string {
	if t == nil || t.IsZero() {
		return nil
	}
	s := stamp(*t)
	return &s
}

// nullable is s, or nil (JSON null) when empty, as the old columns were.
func nullable(s string) *string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return &s
}

// msgNUL refuses a parameter holding NUL.
const msgNUL = "%s tidak valid: mengandung karakter NUL"

// refuseNUL answers 400 for a request whose path or query holds NUL:
// Postgres text cannot hold it, and the read would fail as a 500.
func refuseNUL(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := ""
		if strings.ContainsRune(r.URL.Path, 0) {
			name = "client_id"
		}
		for k, vs := range r.URL.Query() {
			for _, v := range vs {
				if strings.ContainsRune(v, 0) && name == "" {
					name = k
				}
			}
		}
		if name != "" {
			httpx.JSON(w, http.StatusBadRequest, httpx.ErrorBody{Message: fmt.Sprintf(msgNUL, name)})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// requestedClient is the client a request names: ?client_id=, else the
// x-client-id header (legacy), trimmed; "" when neither.
func requestedClient(r *http.Request) string {
	if c := strings.TrimSpace(r.URL.Query().Get("client_id")); c != "" {
		return c
	}
	return strings.TrimSpace(r.Header.Get("X-Client-Id"))
}
