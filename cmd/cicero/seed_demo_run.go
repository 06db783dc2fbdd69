package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/account"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/commands/person"
	postcmd "github.com/cicero/cicero/commands/post"
	"github.com/cicero/cicero/commands/premium"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/demo"
)

// seedActor is the actor of every seeded event.
const seedActor = "system:seed-demo"

// seedStreams are the streams the seed appends to.
var seedStreams = []string{"DIRECTORY", "ACCESS", "PREMIUM", "SOCIAL"}

// seedIDSpace names the seed's command ids (UUIDv5 of the command).
var seedIDSpace = uuid.MustParse("6f1d2c3e-5d0a-4f7e-9b59-7c1e0d5a9e21")

// seedResult is what one seed run did.
type seedResult struct {
	Commands int
	// Events counts the events appended by this run (an outcome replayed
	// from the command log or a duplicate append is not new).
	Events         int
	EventsBy       map[string]int
	NewEngagements int
	// Existing lists what another run (another seed) registered already:
	// refused as a conflict and left as it is.
	Existing []string
	Elapsed  time.Duration
}

// seeder issues a demo plan through the command handlers. Each command's
// id is a hash of its name and content, so the same plan issued again is
// answered from the command log (or found in the aggregate's history) and
// appends nothing; the handlers' own idempotency covers the rest.
type seeder struct {
	plan        *demo.Plan
	store       *events.Store
	concurrency int
	maxBytes    int
	progress    func(n int)
	log         *slog.Logger

	clients  *client.Handlers
	people   *person.Handlers
	posts    *postcmd.Handlers
	accounts *account.Handlers
	dash     *dashuser.Handlers
	premium  *premium.Handlers

	heads map[string]uint64 // stream heads before the run
	mu    sync.Mutex
	res   seedResult
}

func newSeeder(rt *commands.Runtime, plan *demo.Plan, concurrency, maxBytes int, log *slog.Logger) *seeder {
	return &seeder{plan: plan, store: rt.Store(), concurrency: concurrency, maxBytes: maxBytes, progress: func(int) {},
		log: log, clients: client.NewHandlers(rt), people: person.NewHandlers(rt), posts: postcmd.NewHandlers(rt, nil),
		accounts: account.NewHandlers(rt), dash: dashuser.NewHandlers(rt), premium: premium.NewHandlers(rt, nil, plan.SetupAt),
		res: seedResult{EventsBy: map[string]int{}}}
}

// run seeds the directory (clients, their profiles, personnel), the
// dashboard logins, then the posts with their fetch rounds, posts on
// several workers at once (each post's rounds in order).
func (s *seeder) run(ctx context.Context) (seedResult, error) {
	start := time.Now()
	s.heads = map[string]uint64{}
	for _, st := range seedStreams {
		h, err := s.store.StreamHead(ctx, st)
		if err != nil {
			return seedResult{}, err
		}
		s.heads[st] = h
	}
	steps := []func(context.Context) error{
		func(ctx context.Context) error { return s.each(ctx, len(s.plan.Clients), s.client) },
		func(ctx context.Context) error { return s.each(ctx, len(s.plan.People), s.person) },
		func(ctx context.Context) error { return s.each(ctx, len(s.plan.Logins), s.login) },
		func(ctx context.Context) error { return s.each(ctx, len(s.plan.Posts), s.post) },
	}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return s.res, err
		}
	}
	s.res.Elapsed = time.Since(start)
	return s.res, nil
}

// each runs fn for 0..n-1 on the seeder's workers; the first error stops
// the rest.
func (s *seeder) each(ctx context.Context, n int, fn func(context.Context, int) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(s.concurrency, n) {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := fn(ctx, i); err != nil {
					cancel(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	return nil
}

// meta names a command by a hash of its name and content.
func seedMeta(name string, cmd any, at time.Time) commands.Meta {
	raw, err := json.Marshal(cmd)
	if err != nil {
		panic(fmt.Sprintf("seed command %s: %v", name, err)) // plain structs always encode
	}
	id := uuid.NewSHA1(seedIDSpace, append([]byte(name+"\x00"), raw...))
	return commands.Meta{CommandID: id.String(), Actor: seedActor, OccurredAt: at}
}

// done accounts for one command's outcome; it reports whether the
// command appended anything new.
func (s *seeder) done(out commands.Outcome) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.res.Commands++
	fresh := false
	for _, a := range out.Appended {
		if !a.Duplicate && a.Sequence > s.heads[a.Stream] {
			fresh = true
			s.res.Events += len(a.Types)
			s.res.EventsBy[a.Stream] += len(a.Types)
		}
	}
	return fresh
}

// existing treats a conflict (the id is registered already, by another
// seed or by hand) as done, and reports it.
func (s *seeder) existing(what string, out commands.Outcome, err error) error {
	if err == nil {
		s.done(out)
		return nil
	}
	if apperr.CodeOf(err) != apperr.Conflict {
		return fmt.Errorf("%s: %w", what, err)
	}
	s.mu.Lock()
	s.res.Commands++
	s.res.Existing = append(s.res.Existing, what)
	s.mu.Unlock()
	return nil
}

// client registers one client and observes its official profiles.
func (s *seeder) client(ctx context.Context, i int) error {
	c := s.plan.Clients[i]
	on := true
	cmd := client.RegisterClient{ClientID: c.ID, Nama: c.Name, ClientType: c.Type, ClientInsta: c.Insta,
		ClientTiktok: c.Tiktok, InstaStatus: &on, TiktokStatus: &on, AmplifyStatus: &on, RegionalID: "JATIM"}
	out, err := s.clients.RegisterClient(ctx, seedMeta("client.RegisterClient", cmd, s.plan.SetupAt()), cmd)
	if err := s.existing("client "+c.ID, out, err); err != nil {
		return err
	}
	at := s.plan.SetupAt().Add(-2 * time.Hour)
	for _, p := range c.Profiles {
		cmd := account.ObserveProfile{Platform: p.Platform, Username: p.Username, FullName: p.FullName, Bio: p.Bio,
			Followers: p.Followers, Following: p.Following, Posts: p.Posts, Verified: p.Verified, ObservedAt: at}
		out, err := s.accounts.ObserveProfile(ctx, seedMeta("account.ObserveProfile", cmd, at), cmd)
		if err != nil {
			return fmt.Errorf("profile %s/%s: %w", p.Platform, p.Username, err)
		}
		s.done(out)
	}
	s.progress(1)
	return nil
}

func (s *seeder) person(ctx context.Context, i int) error {
	p := s.plan.People[i]
	cmd := person.RegisterPerson{NRP: p.NRP, Nama: p.Name, Title: p.Title, Divisi: p.Divisi, Jabatan: p.Jabatan,
		ClientID: p.ClientID, Insta: p.Insta, Tiktok: p.Tiktok, WhatsApp: p.WhatsApp, Roles: p.Roles, Exception: p.Exception}
	out, err := s.people.RegisterPerson(ctx, seedMeta("person.RegisterPerson", cmd, s.plan.SetupAt()), cmd)
	if err := s.existing("person "+p.NRP, out, err); err != nil {
		return err
	}
	s.progress(1)
	return nil
}

func (s *seeder) login(ctx context.Context, i int) error {
	l := s.plan.Logins[i]
	cmd := dashuser.CreateDashboardUser{Username: l.Username, Password: s.plan.Options.Password, Role: l.Role,
		ClientIDs: l.ClientIDs, ActorRole: dashuser.RoleAdmin, By: seedActor}
	id, out, err := s.dash.CreateDashboardUser(ctx, seedMeta("dashuser.CreateDashboardUser", cmd, s.plan.SetupAt()), cmd)
	if err := s.existing(seedLoginWhat(l.Username), out, err); err != nil {
		return err
	}
	if err == nil {
		// Premium for a year from the plan's day, so the ANEV page and the
		// premium cards have data too.
		exp := s.plan.SetupAt().AddDate(1, 0, 0)
		grant := premium.GrantPremium{DashboardUserID: id, Tier: "tier1", ExpiresAt: &exp,
			By: premium.Actor{ID: seedActor, Role: premium.RoleAdmin}}
		out, err := s.premium.GrantPremium(ctx, seedMeta("premium.GrantPremium", grant, s.plan.SetupAt()), grant)
		if err != nil {
			return fmt.Errorf("premium for %s: %w", l.Username, err)
		}
		s.done(out)
	}
	s.progress(1)
	return nil
}

func seedLoginWhat(username string) string { return "dashboard user " + username }

// post issues one post's fetch rounds in order, as the fetch job would:
// the feed's counts (IngestPost), then who liked or commented.
func (s *seeder) post(ctx context.Context, i int) error {
	p := s.plan.Posts[i]
	for ri, f := range s.plan.Fetches(i, s.maxBytes) {
		cmd := postcmd.IngestPost{Platform: p.Platform, PostID: p.ID, ClientID: p.ClientID, Account: p.Account,
			Caption: p.Caption, Media: events.PostMedia{ImageURL: p.ImageURL, ThumbnailURL: p.ImageURL},
			PublishedAt: p.PublishedAt, Likes: f.Likes, Comments: f.Comments, ObservedAt: f.ObservedAt}
		out, err := s.posts.IngestPost(ctx, seedMeta("postcmd.IngestPost", cmd, f.ObservedAt), cmd)
		if err != nil {
			return fmt.Errorf("post %s/%s: %w", p.Platform, p.ID, err)
		}
		s.done(out)
		if ri == 0 {
			s.progress(1)
		}
		for _, b := range f.Batches {
			if err := s.engagement(ctx, p, f, b); err != nil {
				return err
			}
		}
	}
	return s.postExtras(ctx, p)
}

// postExtras issues what the plan marked on a post after its rounds: the
// second client's feed listing it, its role tags, its withdrawal.
func (s *seeder) postExtras(ctx context.Context, p demo.Post) error {
	last := p.Rounds[len(p.Rounds)-1]
	at := last.ObservedAt.Add(time.Minute)
	if c, ok := s.plan.Client(p.SharedWith); ok {
		account := c.Insta
		if p.Platform == demo.Tiktok {
			account = c.Tiktok
		}
		cmd := postcmd.IngestPost{Platform: p.Platform, PostID: p.ID, ClientID: c.ID, Account: account,
			Caption: p.Caption, Media: events.PostMedia{ImageURL: p.ImageURL, ThumbnailURL: p.ImageURL},
			PublishedAt: p.PublishedAt, Likes: last.Likes, Comments: last.Comments, ObservedAt: at}
		out, err := s.posts.IngestPost(ctx, seedMeta("postcmd.IngestPost", cmd, at), cmd)
		if err != nil {
			return fmt.Errorf("share %s/%s with %s: %w", p.Platform, p.ID, c.ID, err)
		}
		s.done(out)
	}
	for _, role := range p.Roles {
		cmd := postcmd.TagPostForRole{Platform: p.Platform, PostID: p.ID, Role: role, By: seedActor}
		out, err := s.posts.TagPostForRole(ctx, seedMeta("postcmd.TagPostForRole", cmd, at), cmd)
		if err != nil {
			return fmt.Errorf("tag %s/%s for %s: %w", p.Platform, p.ID, role, err)
		}
		s.done(out)
	}
	if p.Withdrawn {
		cmd := postcmd.WithdrawPost{Platform: p.Platform, PostID: p.ID, ClientID: p.ClientID, RunID: "seed-demo"}
		out, err := s.posts.WithdrawPost(ctx, seedMeta("postcmd.WithdrawPost", cmd, at), cmd)
		if err != nil {
			return fmt.Errorf("withdraw %s/%s: %w", p.Platform, p.ID, err)
		}
		s.done(out)
	}
	return nil
}

// engagement records one batch of likers (Instagram) or commenters
// (TikTok).
func (s *seeder) engagement(ctx context.Context, p demo.Post, f demo.Fetch, b demo.Batch) error {
	var (
		out commands.Outcome
		n   int
		err error
	)
	if p.Platform == demo.Instagram {
		cmd := postcmd.RecordLikes{Platform: p.Platform, PostID: p.ID, Usernames: b.Usernames, ObservedAt: f.ObservedAt,
			WindowStart: f.WindowStart, WindowEnd: f.ObservedAt}
		out, n, err = s.posts.RecordLikes(ctx, seedMeta("postcmd.RecordLikes", cmd, f.ObservedAt), cmd)
	} else {
		cmd := postcmd.RecordComments{Platform: p.Platform, PostID: p.ID, Usernames: b.Usernames, ObservedAt: f.ObservedAt,
			WindowStart: f.WindowStart, WindowEnd: f.ObservedAt}
		out, n, err = s.posts.RecordComments(ctx, seedMeta("postcmd.RecordComments", cmd, f.ObservedAt), cmd)
	}
	if err != nil {
		return fmt.Errorf("engagement of %s/%s: %w", p.Platform, p.ID, err)
	}
	if s.done(out) {
		s.mu.Lock()
		s.res.NewEngagements += n
		s.mu.Unlock()
	}
	s.progress(b.New)
	return nil
}
