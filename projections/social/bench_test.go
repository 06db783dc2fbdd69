package social_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/projections"
	"github.com/cicero/cicero/projections/social"
)

// What the social benchmarks share: a history of engagements shaped like
// the fetch jobs' (posts ingested, then each fetch round records every
// post's new likers and commenters), appended to SOCIAL, and the same
// engagements as the rows of social_engagements for a raw COPY baseline.

// benchEngagements is how many engagements (likes and comments) the social
// benchmarks record (CICERO_BENCH_ENGAGEMENTS, default 200,000; `make
// bench-full` runs 3,000,000).
func benchEngagements(b *testing.B) int {
	if v := os.Getenv("CICERO_BENCH_ENGAGEMENTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 10000 {
			b.Fatalf("CICERO_BENCH_ENGAGEMENTS=%q: want a number ≥ 10000", v)
		}
		return n
	}
	return 200_000
}

const (
	perPost      = 1000   // engagements per post: 3,000,000 over 3,000 posts
	fetchRounds  = 10     // fetches that find each post's engagers
	benchClients = 30     // clients whose accounts publish the posts
	accountPool  = 50_000 // distinct accounts that like and comment
)

var benchT0 = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

// fetchRound is what one fetch recorded on one post.
type fetchRound struct {
	at              time.Time
	likes, comments []string
}

// engagementPlan is the generated history: posts, each with its rounds.
type engagementPlan struct {
	posts    []string
	rounds   [][]fetchRound // by post
	accounts []string
	total    int
}

// newPlan spreads total engagements over total/perPost posts: ~85% likes,
// the first fetch finding the most, each post's engagers drawn without
// repeats from one pool of accounts (so the by-user index sees each
// account on many posts).
func newPlan(total int) *engagementPlan {
	p := &engagementPlan{accounts: make([]string, accountPool)}
	for i := range p.accounts {
		p.accounts[i] = fmt.Sprintf("pers.%05d", i)
	}
	nposts := max(total/perPost, 1)
	for i := range nposts {
		id := fmt.Sprintf("B%05dbench", i)
		rng := rand.New(rand.NewPCG(uint64(i), 7))
		n := total / nposts
		if i < total%nposts {
			n++
		}
		likes := n * 85 / 100
		off := rng.IntN(accountPool)
		names := func(from, k int) []string {
			out := make([]string, k)
			for j := range out {
				out[j] = p.accounts[(off+from+j)%accountPool]
			}
			return out
		}
		var rounds []fetchRound
		lk, cm := 0, 0
		for f := range fetchRounds {
			// Half of what is left, the last round taking the rest.
			nl, nc := (likes-lk+1)/2, (n-likes-cm+1)/2
			if f == fetchRounds-1 {
				nl, nc = likes-lk, n-likes-cm
			}
			// Commenters come from further along the pool than likers.
			rounds = append(rounds, fetchRound{at: benchT0.Add(time.Duration(f+1) * time.Hour),
				likes: names(lk, nl), comments: names(accountPool/2+cm, nc)})
			lk, cm = lk+nl, cm+nc
		}
		p.posts = append(p.posts, id)
		p.rounds = append(p.rounds, rounds)
		p.total += n
	}
	return p
}

// seed appends the plan to SOCIAL as the commands would (one message per
// event, optimistic concurrency on each post): posts ingested, then round
// by round every post's likes and comments, plus each client's profile and
// fetch run per round. Workers own disjoint posts. It returns the head.
func (p *engagementPlan) seed(b *testing.B, store *events.Store) uint64 {
	ctx := context.Background()
	start := time.Now()
	const workers = 8
	var wg sync.WaitGroup
	errs := make(chan error, workers+1)
	for w := range workers {
		wg.Go(func() {
			if err := p.seedPosts(ctx, store, w, workers); err != nil {
				errs <- err
			}
		})
	}
	wg.Go(func() {
		if err := p.seedAccounts(ctx, store); err != nil {
			errs <- err
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	head, err := store.StreamHead(ctx, "SOCIAL")
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d engagements on %d posts: %d messages in %s", p.total, len(p.posts), head, time.Since(start).Round(time.Millisecond))
	return head
}

func (p *engagementPlan) seedPosts(ctx context.Context, store *events.Store, w, workers int) error {
	version := map[string]uint64{}
	add := func(id string, at time.Time, ev events.Payload) error {
		s := events.PostSubject("instagram", id)
		a, err := store.Append(ctx, events.Meta{Actor: "system:bench", OccurredAt: at},
			events.Commit{Subject: s, AggregateID: id, Expected: version[s], Events: []events.Payload{ev}})
		version[s] = a.Sequence
		return err
	}
	for i := w; i < len(p.posts); i += workers {
		id := p.posts[i]
		client := fmt.Sprintf("POLRES_%02d", i%benchClients)
		if err := add(id, benchT0, events.PostIngested{Platform: "instagram", PostID: id, ClientID: client,
			Account: strings.ToLower(client), Caption: "konten " + id, PublishedAt: benchT0, Source: "fetch"}); err != nil {
			return err
		}
	}
	for f := range fetchRounds {
		for i := w; i < len(p.posts); i += workers {
			id, r := p.posts[i], p.rounds[i][f]
			if len(r.likes) > 0 {
				if err := add(id, r.at, events.LikesRecorded{Platform: "instagram", PostID: id, Usernames: r.likes,
					ObservedAt: r.at, WindowStart: r.at.Add(-time.Hour), WindowEnd: r.at}); err != nil {
					return err
				}
			}
			if len(r.comments) > 0 {
				if err := add(id, r.at, events.CommentsRecorded{Platform: "instagram", PostID: id, Usernames: r.comments,
					ObservedAt: r.at, WindowStart: r.at.Add(-time.Hour), WindowEnd: r.at}); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (p *engagementPlan) seedAccounts(ctx context.Context, store *events.Store) error {
	version := map[string]uint64{}
	add := func(subject, agg string, at time.Time, ev events.Payload) error {
		a, err := store.Append(ctx, events.Meta{Actor: "system:bench", OccurredAt: at},
			events.Commit{Subject: subject, AggregateID: agg, Expected: version[subject], Events: []events.Payload{ev}})
		version[subject] = a.Sequence
		return err
	}
	for f := range fetchRounds {
		at := benchT0.Add(time.Duration(f+1) * time.Hour)
		for c := range benchClients {
			client := fmt.Sprintf("POLRES_%02d", c)
			account := strings.ToLower(client)
			if err := add(events.AccountSubject("instagram", account), account, at, events.ProfileObserved{Platform: "instagram",
				Username: account, FullName: client, Followers: 1000 + f, Posts: 10 * f, ObservedAt: at}); err != nil {
				return err
			}
			run := fmt.Sprintf("run-%d-%s", f, client)
			if err := add(events.FetchRunSubject(run), run, at, events.FetchRunCompleted{RunID: run, ClientID: client,
				Platform: "instagram", HostUsed: "bench", Posts: len(p.posts) / benchClients, StartedAt: at.Add(-time.Minute),
				FinishedAt: at, Succeeded: true}); err != nil {
				return err
			}
		}
	}
	return nil
}

// rows is the plan as social_engagements rows, in the stream's order.
func (p *engagementPlan) rows() [][]any {
	out := make([][]any, 0, p.total)
	for f := range fetchRounds {
		for i, id := range p.posts {
			r := p.rounds[i][f]
			for _, u := range r.likes {
				out = append(out, []any{"instagram", id, social.KindLike, u, r.at})
			}
			for _, u := range r.comments {
				out = append(out, []any{"instagram", id, social.KindComment, u, r.at})
			}
		}
	}
	return out
}

// copyRate is the baseline: the rows written with one pgx COPY into
// social_engagements of a fresh database (the migrated table, its primary
// key and by-user index), in one transaction. It returns rows/s.
func copyRate(b *testing.B, rows [][]any) float64 {
	pool, _ := testkit.NewDatabase(b)
	ctx := context.Background()
	start := time.Now()
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		n, err := tx.CopyFrom(ctx, pgx.Identifier{"social_engagements"},
			[]string{"platform", "post_id", "kind", "username", "first_seen"}, pgx.CopyFromRows(rows))
		if err == nil && int(n) != len(rows) {
			err = fmt.Errorf("copied %d of %d rows", n, len(rows))
		}
		return err
	})
	el := time.Since(start)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("raw COPY: %d rows in %s", len(rows), el.Round(time.Millisecond))
	return float64(len(rows)) / el.Seconds()
}

// countRows fails the benchmark unless table holds want rows.
func countRows(b *testing.B, pool *pgxpool.Pool, table string, want int) {
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM `+projections.Ident(table)).Scan(&n); err != nil {
		b.Fatal(err)
	}
	if n != want {
		b.Fatalf("%s holds %d rows, want %d", table, n, want)
	}
}
