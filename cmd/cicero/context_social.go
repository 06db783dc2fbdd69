package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/cicero/cicero/commands/account"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/complaint"
	"github.com/cicero/cicero/commands/fetchrun"
	postcmd "github.com/cicero/cicero/commands/post"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/premiumguard"
	"github.com/cicero/cicero/internal/rapidapi/instagram"
	"github.com/cicero/cicero/internal/rapidapi/tiktok"
	"github.com/cicero/cicero/internal/schedule"
	"github.com/cicero/cicero/projections"
	"github.com/cicero/cicero/projections/access"
	"github.com/cicero/cicero/projections/directory"
	premiumview "github.com/cicero/cicero/projections/premium"
	"github.com/cicero/cicero/projections/social"
	"github.com/cicero/cicero/readapi"
	"github.com/cicero/cicero/sagas"
	"github.com/cicero/cicero/sagas/jobs"
	socialsaga "github.com/cicero/cicero/sagas/social"
	"github.com/cicero/cicero/writeapi"
)

// socialContext is SOCIAL: the clients' official posts, who liked and
// commented on them, the accounts' profiles and the fetch runs
// (spec/social.md §1–2, §6).
func socialContext() boundedContext {
	return boundedContext{
		name: "social",
		readModels: func(reg *events.Registry) []projections.Projection {
			return []projections.Projection{social.NewPosts(reg), social.NewEngagements(reg), social.NewAccounts(reg)}
		},
		jobs: func(w *wiring) ([]schedule.Job, error) {
			f, err := newSocialFetch(w)
			if err != nil {
				return nil, err
			}
			return []schedule.Job{f.Job()}, nil
		},
		sagas: func(*wiring) ([]sagas.Saga, error) {
			return []sagas.Saga{socialsaga.ComplaintNotice(), socialsaga.TaskBroadcast()}, nil
		},
		mount: func(w *wiring, api *auth.Router) error {
			imp, err := newSocialImport(w)
			if err != nil {
				return err
			}
			guard := premiumguard.Middleware(premiumview.NewQueries(w.pool), premiumguard.ParseTiers(w.cfg.PremiumAllowedTiers), nil, w.log)
			readapi.MountAnev(api, readapi.AnevDeps{Social: social.NewQueries(w.pool), Logger: w.log, Guard: guard})
			readapi.MountSocialInsight(api, readapi.SocialInsightDeps{Directory: directory.NewQueries(w.pool),
				Attendance: social.NewQueries(w.pool), Guard: guard, Logger: w.log})
			writeapi.MountSocialCommands(api, writeapi.SocialCommandDeps{Importer: imp, Posts: postcmd.NewHandlers(w.runtime, nil),
				Read: social.NewQueries(w.pool), WaitForPosts: w.waiter(social.PostsName), Logger: w.log})
			writeapi.MountKomplain(api, writeapi.KomplainDeps{People: directory.NewQueries(w.pool), Social: social.NewQueries(w.pool),
				Dashboard: komplainDashboard{access.NewDashboardUserQueries(w.pool)}, Complaints: complaint.NewHandlers(w.runtime),
				Logger: w.log})
			readapi.MountSocialRecap(api, readapi.SocialRecapDeps{Directory: directory.NewQueries(w.pool),
				Attendance: social.NewQueries(w.pool), Logger: w.log})
			return mountSocialReads(w, api)
		},
	}
}

// komplainDashboard reads the answering dashboard user's WhatsApp number.
type komplainDashboard struct{ q *access.DashboardUserQueries }

func (d komplainDashboard) DashboardWhatsApp(ctx context.Context, id string) (string, error) {
	u, err := d.q.ByID(ctx, id)
	if errors.Is(err, access.ErrNotFound) {
		return "", nil
	}
	return u.WhatsApp, err
}

// mountSocialReads adds the dashboard's post, aggregator and profile
// reads: the one live profile observation goes through account.ObserveProfile,
// the aggregator's refresh launches the social fetch job.
func mountSocialReads(w *wiring, api *auth.Router) error {
	ig, tt, err := rapidAPI(w)
	if err != nil {
		return err
	}
	readapi.MountSocialReads(api, readapi.SocialReadsDeps{Social: social.NewQueries(w.pool), Directory: directory.NewQueries(w.pool),
		Observer:        jobs.ProfileObserve{Instagram: ig, TikTok: tt, Accounts: account.NewHandlers(w.runtime)},
		WaitForAccounts: w.waiter(social.AccountsName), Jobs: w.jobs, RefreshJob: jobs.SocialFetchJob,
		Background: w.background, Logger: w.log})
	return nil
}

// rapidAPI builds the Instagram and TikTok adapters of the configuration.
func rapidAPI(w *wiring) (*instagram.Client, *tiktok.Client, error) {
	hc := &http.Client{Timeout: 30 * time.Second}
	ig, err := instagram.New(w.cfg.RapidAPI, hc, w.log)
	if err != nil {
		return nil, nil, fmt.Errorf("instagram adapter: %w", err)
	}
	tt, err := tiktok.New(w.cfg.RapidAPI, hc, w.log)
	if err != nil {
		return nil, nil, fmt.Errorf("tiktok adapter: %w", err)
	}
	return ig, tt, nil
}

func newSocialFetch(w *wiring) (*jobs.SocialFetch, error) {
	ig, tt, err := rapidAPI(w)
	if err != nil {
		return nil, err
	}
	return jobs.NewSocialFetch(jobs.SocialFetchDeps{Clients: socialClients{directory.NewQueries(w.pool)},
		Feed: social.NewQueries(w.pool), Instagram: ig, TikTok: tt, Posts: postcmd.NewHandlers(w.runtime, nil),
		Accounts: account.NewHandlers(w.runtime), Runs: fetchrun.NewHandlers(w.runtime),
		Directory: client.NewHandlers(w.runtime), Broadcast: newTaskBroadcast(w), Logger: w.log}), nil
}

func newSocialImport(w *wiring) (jobs.SocialImport, error) {
	ig, tt, err := rapidAPI(w)
	if err != nil {
		return jobs.SocialImport{}, err
	}
	return jobs.SocialImport{Lookup: postLookup{ig, tt}, Clients: socialClients{directory.NewQueries(w.pool)},
		Posts: postcmd.NewHandlers(w.runtime, nil)}, nil
}

// socialClients lists the clients the fetch and imports work for, from the
// directory read model.
type socialClients struct{ q *directory.Queries }

func fetchClientOf(c directory.Client) jobs.FetchClient {
	return jobs.FetchClient{ID: c.ClientID, Insta: c.ClientInsta, Tiktok: c.ClientTiktok, TiktokSecUID: c.TiktokSecUID,
		InstaOn: c.ClientInstaStatus || c.ClientAmplifyStatus, TiktokOn: c.ClientTiktokStatus}
}

func (s socialClients) FetchClients(ctx context.Context) ([]jobs.FetchClient, error) {
	cs, err := s.q.Clients(ctx, directory.ClientFilter{ActiveOnly: true})
	if err != nil {
		return nil, err
	}
	out := make([]jobs.FetchClient, 0, len(cs))
	for _, c := range cs {
		out = append(out, fetchClientOf(c))
	}
	return out, nil
}

func (s socialClients) FetchClient(ctx context.Context, id string) (jobs.FetchClient, error) {
	c, err := s.q.Client(ctx, id)
	if errors.Is(err, directory.ErrNotFound) || (err == nil && !c.ClientStatus) {
		return jobs.FetchClient{}, &apperr.Error{Code: apperr.NotFound, Field: "client_id", Message: "Client tidak ditemukan atau tidak aktif"}
	}
	if err != nil {
		return jobs.FetchClient{}, err
	}
	return fetchClientOf(c), nil
}

// postLookup reads one post for a manual import.
type postLookup struct {
	ig *instagram.Client
	tt *tiktok.Client
}

func (p postLookup) InstagramPost(ctx context.Context, shortcode string) (instagram.Post, error) {
	return p.ig.PostInfo(ctx, shortcode)
}

func (p postLookup) TikTokPost(ctx context.Context, videoID string) (tiktok.Video, error) {
	return p.tt.PostDetail(ctx, videoID)
}
