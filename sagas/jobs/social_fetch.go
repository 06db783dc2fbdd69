package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/account"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/fetchrun"
	"github.com/cicero/cicero/commands/post"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/internal/rapidapi"
	"github.com/cicero/cicero/internal/rapidapi/instagram"
	"github.com/cicero/cicero/internal/rapidapi/tiktok"
	"github.com/cicero/cicero/internal/schedule"
)

// Name and schedule of the social fetch (spec/social.md §6
// cronDirRequestFetchSosmed): every 30 minutes 06:00–21:30 and at 22:00,
// Asia/Jakarta.
const (
	SocialFetchJob  = "fetch-sosmed"
	SocialFetchCron = "0,30 6-21 * * *"
	SocialFetchLate = "0 22 * * *"
)

// FetchClient is what the fetch needs to know of a client.
type FetchClient struct {
	ID           string
	Insta        string // official Instagram username
	Tiktok       string // official TikTok username
	TiktokSecUID string
	// InstaOn: fetch Instagram (client_insta_status or
	// client_amplify_status); TiktokOn: fetch TikTok (client_tiktok_status).
	InstaOn, TiktokOn bool
}

// FetchClients lists the active clients with a feed to fetch (the
// directory read model, through the social context's wiring).
type FetchClients interface {
	FetchClients(ctx context.Context) ([]FetchClient, error)
}

// FeedPosts lists the posts the read model holds in a client's feed on a
// Jakarta day (projections/social.Queries satisfies it).
type FeedPosts interface {
	ClientPostsOn(ctx context.Context, clientID, platform, day string) ([]string, error)
}

// InstagramAPI is the Instagram adapter the fetch uses.
type InstagramAPI interface {
	Profile(ctx context.Context, username string) (instagram.Profile, error)
	FetchFeed(ctx context.Context, username string, limit int) (instagram.Feed, error)
	FetchLikes(ctx context.Context, shortcode string) ([]string, error)
}

// TikTokAPI is the TikTok adapter the fetch uses.
type TikTokAPI interface {
	UserInfo(ctx context.Context, username string) (tiktok.Profile, error)
	FetchClientPosts(ctx context.Context, account, secUID string) (tiktok.ClientPosts, error)
	FetchComments(ctx context.Context, videoID string) ([]tiktok.Comment, error)
}

// SocialFetchDeps is everything the fetch uses.
type SocialFetchDeps struct {
	Clients   FetchClients
	Feed      FeedPosts
	Instagram InstagramAPI
	TikTok    TikTokAPI
	Posts     *post.Handlers
	Accounts  *account.Handlers
	Runs      *fetchrun.Handlers
	Directory *client.Handlers // to remember a resolved TikTok secUid
	// Broadcast, when set, posts each fetched client's task board once
	// its units are done (spec/ops.md §5.5 step 5).
	Broadcast Broadcaster
	// Now is the clock (nil: time.Now); Parallel bounds clients fetched at
	// once (0: 3); Engagement bounds posts whose likes or comments are
	// read at once (0: rapidapi.InstagramLikesConcurrency).
	Now        func() time.Time
	Parallel   int
	Engagement int
	// ProfileEvery bounds how often an account's profile is asked for
	// (0: one hour): profiles change slowly and each call costs quota.
	ProfileEvery time.Duration
	Logger       *slog.Logger
}

// Broadcaster posts a client's task board after its fetch
// (*TaskBroadcast).
type Broadcaster interface {
	Broadcast(ctx context.Context, clientID string) error
}

// SocialFetch is the fetch of every client's official Instagram and
// TikTok feeds of the day, with their likes and comments, recorded as
// commands: posts new to a client are ingested, counts that moved are
// observed, posts gone from a client's feed are withdrawn (only after that
// client's own fetch succeeded with at least one post of the day), and the
// usernames new since the last fetch are recorded once each. Each client
// and platform ends in one FetchRunCompleted saying what happened. A
// repeated or crashed run records nothing twice: every command is
// idempotent on the aggregate's state.
type SocialFetch struct {
	d SocialFetchDeps

	mu          sync.Mutex
	profileSeen map[string]time.Time
}

// NewSocialFetch returns the job over d.
func NewSocialFetch(d SocialFetchDeps) *SocialFetch {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Parallel <= 0 {
		d.Parallel = 3
	}
	if d.Engagement <= 0 {
		d.Engagement = rapidapi.InstagramLikesConcurrency
	}
	if d.ProfileEvery <= 0 {
		d.ProfileEvery = time.Hour
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	return &SocialFetch{d: d, profileSeen: map[string]time.Time{}}
}

// Job returns the job on its schedule, for schedule.Register.
func (f *SocialFetch) Job() schedule.Job {
	return schedule.Job{Name: SocialFetchJob, Legacy: legacy("cronDirRequestFetchSosmed"), Cron: SocialFetchCron, Also: []string{SocialFetchLate}, Run: f.Run}
}

// unit is one client's platform to fetch.
type unit struct {
	client   FetchClient
	platform string
}

// Run fetches every eligible client's feeds (args.ClientID narrows to one
// client, args.Platform to "ig"/"instagram" or "tiktok"), reporting
// progress per client and platform and a summary line for each. It fails
// only when nothing could be listed or a run could not be recorded; a
// client whose API calls failed is a failure inside its FetchRunCompleted.
func (f *SocialFetch) Run(ctx context.Context, args schedule.Args) error {
	units, err := f.units(ctx, args)
	if err != nil {
		return fmt.Errorf("%s: %w", SocialFetchJob, err)
	}
	var (
		mu   sync.Mutex
		done int
		errs []error
		// left counts each client's units still to fetch: its board is
		// posted when its last one ends (the old fetch told each group as
		// it reached the client, so the 17:15 cut-off is per client).
		left = map[string]int{}
	)
	for _, u := range units {
		left[u.client.ID]++
	}
	if args.Progress != nil {
		args.Progress(0, len(units))
	}
	work := make(chan unit)
	var wg sync.WaitGroup
	for range min(f.d.Parallel, max(len(units), 1)) {
		wg.Go(func() {
			for u := range work {
				run, err := f.fetch(ctx, u)
				mu.Lock()
				done++
				if err != nil {
					errs = append(errs, err)
				}
				if args.Progress != nil {
					args.Progress(done, len(units))
				}
				if args.Report != nil {
					args.Report(summary(run))
				}
				left[u.client.ID]--
				last := left[u.client.ID] == 0
				mu.Unlock()
				if last && f.d.Broadcast != nil && ctx.Err() == nil {
					if err := f.d.Broadcast.Broadcast(ctx, u.client.ID); err != nil {
						mu.Lock()
						errs = append(errs, err)
						mu.Unlock()
					}
				}
			}
		})
	}
	for _, u := range units {
		select {
		case work <- u:
		case <-ctx.Done():
		}
	}
	close(work)
	wg.Wait()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return errors.Join(errs...)
}

func summary(r events.FetchRunCompleted) string {
	state := "ok"
	if !r.Succeeded {
		state = "FEED FAILED"
	}
	line := fmt.Sprintf("%-20s %-9s %-12s posts %3d  new %3d  withdrawn %2d  likes +%-5d comments +%-5d failures %d  %s  %s",
		r.ClientID, r.Platform, state, r.Posts, r.Ingested, r.Withdrawn, r.Likes, r.Comments, r.Failures,
		r.FinishedAt.Sub(r.StartedAt).Round(time.Millisecond), r.HostUsed)
	if len(r.Errors) > 0 {
		line += "\n    " + strings.Join(r.Errors, "\n    ")
	}
	return line
}

// units lists the (client, platform) pairs this run fetches.
func (f *SocialFetch) units(ctx context.Context, args schedule.Args) ([]unit, error) {
	want := strings.ToLower(strings.TrimSpace(args.Platform))
	switch want {
	case "", "ig", events.PlatformInstagram, "tt", events.PlatformTiktok:
	default:
		return nil, fmt.Errorf("platform %q: want ig or tiktok", args.Platform)
	}
	clients, err := f.d.Clients.FetchClients(ctx)
	if err != nil {
		return nil, err
	}
	only := strings.ToUpper(strings.TrimSpace(args.ClientID))
	var out []unit
	found := only == ""
	for _, c := range clients {
		if only != "" && c.ID != only {
			continue
		}
		found = true
		if c.InstaOn && c.Insta != "" && (want == "" || want == "ig" || want == events.PlatformInstagram) {
			out = append(out, unit{c, events.PlatformInstagram})
		}
		if c.TiktokOn && c.Tiktok != "" && (want == "" || want == "tt" || want == events.PlatformTiktok) {
			out = append(out, unit{c, events.PlatformTiktok})
		}
	}
	if !found {
		return nil, fmt.Errorf("Client ID %s tidak ditemukan atau tidak aktif", only)
	}
	return out, nil
}

// runState accumulates one unit's outcome.
type runState struct {
	ev events.FetchRunCompleted
	// unreadable: the feed listed items that could not be read; one of
	// them may be a post already recorded, so nothing is withdrawn.
	unreadable bool
	hosts      *rapidapi.Hosts
	mu         sync.Mutex
}

// malformed counts items a feed listed but the adapter could not read:
// each is a failure of the run, and none of it is recorded.
func (r *runState) malformed(n int, feed string) {
	if n > 0 {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.unreadable = true
		r.ev.Failures += n
		r.ev.Errors = append(r.ev.Errors, fmt.Sprintf("feed %s: %d item(s) unreadable (no id), skipped", feed, n))
	}
}

func (r *runState) fail(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ev.Failures++
	r.ev.Errors = append(r.ev.Errors, fmt.Sprintf(format, args...))
}

// fetch runs one unit and records its FetchRunCompleted.
func (f *SocialFetch) fetch(ctx context.Context, u unit) (events.FetchRunCompleted, error) {
	r := &runState{hosts: &rapidapi.Hosts{}, ev: events.FetchRunCompleted{RunID: uuid.Must(uuid.NewV7()).String(),
		ClientID: u.client.ID, Platform: u.platform, StartedAt: f.d.Now()}}
	cctx := rapidapi.WithHosts(ctx, r.hosts)
	if u.platform == events.PlatformInstagram {
		f.fetchInstagram(cctx, u.client, r)
	} else {
		f.fetchTikTok(cctx, u.client, r)
	}
	r.ev.HostUsed = strings.Join(r.hosts.List(), ",")
	r.ev.FinishedAt = f.d.Now()
	if r.ev.FinishedAt.Before(r.ev.StartedAt) {
		r.ev.FinishedAt = r.ev.StartedAt
	}
	// Recorded even when the fetch was cut short: auditors see the run.
	_, err := f.d.Runs.CompleteFetchRun(context.WithoutCancel(ctx), f.meta(), fetchrun.CompleteFetchRun{Run: r.ev})
	if err != nil {
		err = fmt.Errorf("record fetch run of %s %s: %w", u.client.ID, u.platform, err)
		f.d.Logger.Error("fetch run not recorded", "client", u.client.ID, "platform", u.platform, "err", err)
	}
	return r.ev, err
}

func (f *SocialFetch) meta() commands.Meta {
	return commands.Meta{Actor: "system:" + SocialFetchJob}
}

// fetched is one post of the day as a feed listed it.
type fetched struct {
	cmd post.IngestPost
}

// recordFeed ingests the day's posts of a feed that was read successfully
// and withdraws, for this client only, the posts of the day the read model
// holds that the feed no longer lists — unless the feed listed none of the
// day (an outage looks like that too) or listed items it could not read. It returns the posts whose
// engagement to read: the day's posts now in the client's feed.
func (f *SocialFetch) recordFeed(ctx context.Context, c FetchClient, platform, day string, posts []fetched, r *runState) []string {
	r.ev.Posts = len(posts)
	var ids []string
	listed := map[string]bool{}
	for _, p := range posts {
		out, err := f.d.Posts.IngestPost(ctx, f.meta(), p.cmd)
		if err != nil {
			// A malformed item is a failure, never half-recorded: the
			// command appends whole or not at all.
			r.fail("post %s: %v", p.cmd.PostID, err)
			continue
		}
		listed[p.cmd.PostID] = true
		ids = append(ids, p.cmd.PostID)
		for _, a := range out.Appended {
			for _, t := range a.Types {
				if t == "PostIngested" {
					r.ev.Ingested++
				}
			}
		}
	}
	if len(posts) == 0 || r.unreadable {
		return ids
	}
	known, err := f.d.Feed.ClientPostsOn(ctx, c.ID, platform, day)
	if err != nil {
		r.fail("read the day's posts: %v", err)
		return ids
	}
	for _, id := range known {
		if listed[id] {
			continue
		}
		out, err := f.d.Posts.WithdrawPost(ctx, f.meta(), post.WithdrawPost{Platform: platform, PostID: id,
			ClientID: c.ID, RunID: r.ev.RunID})
		if err != nil {
			r.fail("withdraw %s: %v", id, err)
			continue
		}
		if len(out.Appended) > 0 {
			r.ev.Withdrawn++
		}
	}
	return ids
}

// observeProfile records an account's profile at most every ProfileEvery
// per process.
func (f *SocialFetch) observeProfile(ctx context.Context, platform, username string, r *runState,
	read func() (account.ObserveProfile, error)) {
	key := platform + "/" + username
	f.mu.Lock()
	last, seen := f.profileSeen[key]
	due := !seen || f.d.Now().Sub(last) >= f.d.ProfileEvery
	f.mu.Unlock()
	if !due {
		return
	}
	cmd, err := read()
	if err != nil {
		r.fail("profile %s: %v", username, err)
		return
	}
	if _, err := f.d.Accounts.ObserveProfile(ctx, f.meta(), cmd); err != nil {
		r.fail("profile %s: %v", username, err)
		return
	}
	f.mu.Lock()
	f.profileSeen[key] = f.d.Now()
	f.mu.Unlock()
}

// engagement reads and records the engagers of each post, at most
// Engagement posts at once. read returns the raw usernames; record
// issues the command and reports how many were new.
func (f *SocialFetch) engagement(ctx context.Context, ids []string, r *runState,
	read func(ctx context.Context, id string) ([]string, error),
	record func(ctx context.Context, id string, names []string, at time.Time) (int, error)) int {
	lim := rapidapi.NewLimiter(f.d.Engagement)
	var mu sync.Mutex
	total := 0
	var wg sync.WaitGroup
	for _, id := range ids {
		if err := lim.Acquire(ctx); err != nil {
			break
		}
		wg.Go(func() {
			defer lim.Release()
			names, err := read(ctx, id)
			if err != nil && len(names) == 0 {
				r.fail("engagement %s: %v", id, err)
				return
			}
			if err != nil {
				// Pages read before the failure are facts all the same.
				r.fail("engagement %s (partly read): %v", id, err)
			}
			n, err := record(ctx, id, names, f.d.Now())
			if err != nil {
				r.fail("record engagement %s: %v", id, err)
				return
			}
			mu.Lock()
			total += n
			mu.Unlock()
		})
	}
	wg.Wait()
	return total
}

// today is the Jakarta business day of the fetch.
func (f *SocialFetch) today() string { return jakarta.Date(f.d.Now()) }
