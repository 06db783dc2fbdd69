package social_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/account"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/fetchrun"
	"github.com/cicero/cicero/commands/post"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/projections"
	pt "github.com/cicero/cicero/projections/projectiontest"
	"github.com/cicero/cicero/projections/social"
)

// Jakarta is UTC+7: 16:59 UTC is 23:59 the same day, 17:01 UTC is 00:01
// the next day there.
var (
	lateEvening = time.Date(2026, 3, 2, 16, 59, 0, 0, time.UTC) // 2026-03-02 23:59 WIB
	justAfter   = time.Date(2026, 3, 2, 17, 1, 0, 0, time.UTC)  // 2026-03-03 00:01 WIB
	fetchTime   = time.Date(2026, 3, 3, 1, 0, 0, 0, time.UTC)
)

// story appends what the fetch jobs and an editor would for two clients:
// posts around midnight Jakarta, a post shared by both, stats changes, a
// withdrawal and a re-ingest, role tags, likes and comments over several
// fetches, profiles and fetch runs. It returns the SOCIAL head.
func story(t *testing.T, n *testkit.NATS) uint64 {
	t.Helper()
	ctx := context.Background()
	pool, _ := testkit.NewDatabase(t) // the command log's own database
	rt := commands.NewRuntime(n.Store, commands.NewPGCommandLog(pool), testkit.Logger(t))
	cl := client.NewHandlers(rt)
	for _, id := range []string{"POLRES_A", "POLRES_B"} {
		if _, err := cl.RegisterClient(ctx, commands.Meta{}, client.RegisterClient{ClientID: id, Nama: id}); err != nil {
			t.Fatal(err)
		}
	}
	posts := post.NewHandlers(rt, func() time.Time { return fetchTime })
	must := func(o commands.Outcome, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	ing := func(platform, id, client string, at time.Time, likes, comments int) {
		must(posts.IngestPost(ctx, commands.Meta{}, post.IngestPost{Platform: platform, PostID: id, ClientID: client,
			Account: "official_" + client, Caption: "konten " + id, PublishedAt: at, Likes: likes, Comments: comments,
			Media: events.PostMedia{ImageURL: "https://img/" + id, Images: []string{"https://img/" + id}}}))
	}
	ing("instagram", "IGlate0001", "POLRES_A", lateEvening, 5, 1)
	ing("instagram", "IGnext0001", "POLRES_A", justAfter, 0, 0)
	ing("instagram", "IGnext0001", "POLRES_B", justAfter, 3, 0)   // shared: belongs to both
	ing("instagram", "IGlate0001", "POLRES_A", lateEvening, 9, 1) // stats changed
	ing("tiktok", "7330000000000000001", "POLRES_B", justAfter, 20, 4)
	must(posts.WithdrawPost(ctx, commands.Meta{}, post.WithdrawPost{Platform: "instagram", PostID: "IGnext0001", ClientID: "POLRES_A", RunID: "r1"}))
	must(posts.TagPostForRole(ctx, commands.Meta{}, post.TagPostForRole{Platform: "instagram", PostID: "IGlate0001", Role: "ditbinmas", By: "admin"}))
	must(posts.TagPostForRole(ctx, commands.Meta{}, post.TagPostForRole{Platform: "instagram", PostID: "IGlate0001", Role: "ditlantas", By: "admin"}))
	must(posts.UntagPostForRole(ctx, commands.Meta{}, post.UntagPostForRole{Platform: "instagram", PostID: "IGlate0001", Role: "ditlantas", By: "admin"}))
	for i, names := range [][]string{{"@Budi", "siti"}, {"budi", "andi"}, {"SITI", "rudi", "andi"}} {
		at := fetchTime.Add(time.Duration(i*30) * time.Minute)
		o, _, err := posts.RecordLikes(ctx, commands.Meta{}, post.RecordLikes{Platform: "instagram", PostID: "IGlate0001", Usernames: names, ObservedAt: at})
		must(o, err)
		o, _, err = posts.RecordComments(ctx, commands.Meta{}, post.RecordComments{Platform: "tiktok", PostID: "7330000000000000001", Usernames: names, ObservedAt: at})
		must(o, err)
	}
	ing("instagram", "IGnext0001", "POLRES_A", justAfter, 3, 0) // back in A's feed
	acc := account.NewHandlers(rt)
	for i, f := range []int{100, 100, 120} {
		must(acc.ObserveProfile(ctx, commands.Meta{}, account.ObserveProfile{Platform: "instagram", Username: "official_polres_a",
			FullName: "POLRES A", Followers: f, Posts: 10, ObservedAt: fetchTime.Add(time.Duration(i) * time.Hour)}))
	}
	runs := fetchrun.NewHandlers(rt)
	must(runs.CompleteFetchRun(ctx, commands.Meta{}, fetchrun.CompleteFetchRun{Run: events.FetchRunCompleted{RunID: "r1",
		ClientID: "POLRES_A", Platform: "instagram", HostUsed: "social-api4.p.rapidapi.com", Posts: 1, Withdrawn: 1, Likes: 2,
		Failures: 1, Errors: []string{"likes IGx: 429"}, StartedAt: fetchTime, FinishedAt: fetchTime.Add(3 * time.Second), Succeeded: true}}))
	head, err := n.Store.StreamHead(ctx, "SOCIAL")
	if err != nil {
		t.Fatal(err)
	}
	return head
}

var tables = []string{"social_posts", "social_post_clients", "social_post_roles", "social_engagements", "social_profiles", "social_fetch_runs"}

func TestSocialReadModels(t *testing.T) {
	n := testkit.StartNATS(t, testkit.FastSync())
	head := story(t, n)
	var first map[string][]string
	for _, batch := range []int{1, 3, 5000} {
		t.Run(fmt.Sprintf("batch=%d", batch), func(t *testing.T) {
			pool, _ := testkit.NewDatabase(t)
			opts := pt.QuietOpts(t)
			opts.BatchSize = batch
			reg := n.Store.Registry()
			for _, p := range []projections.Projection{social.NewPosts(reg), social.NewEngagements(reg), social.NewAccounts(reg)} {
				pt.StartRunner(t, projections.NewRunner(pool, n.Store, p, opts))
				pt.WaitProjection(t, pool, p.Name(), "SOCIAL", head)
			}
			q := social.NewQueries(pool)
			ctx := context.Background()

			late, err := q.Post(ctx, "instagram", "IGlate0001")
			if err != nil {
				t.Fatal(err)
			}
			if late.JakartaDate != "2026-03-02" || late.Likes != 9 || late.Comments != 1 ||
				fmt.Sprint(late.Clients, late.Withdrawn, late.Roles) != "[POLRES_A] [] [ditbinmas]" || late.Media.ImageURL != "https://img/IGlate0001" {
				t.Errorf("23:59 WIB post: %+v", late)
			}
			next, err := q.Post(ctx, "instagram", "IGnext0001")
			if err != nil {
				t.Fatal(err)
			}
			if next.JakartaDate != "2026-03-03" || fmt.Sprint(next.Clients, next.Withdrawn) != "[POLRES_A POLRES_B] []" {
				t.Errorf("00:01 WIB post, shared, withdrawn then back: %+v", next)
			}
			for _, c := range []struct {
				client, platform, day string
				want                  []string
			}{
				{"POLRES_A", "instagram", "2026-03-02", []string{"IGlate0001"}},
				{"POLRES_A", "instagram", "2026-03-03", []string{"IGnext0001"}},
				{"POLRES_B", "instagram", "2026-03-03", []string{"IGnext0001"}},
				{"POLRES_B", "instagram", "2026-03-02", nil},
				{"POLRES_B", "tiktok", "2026-03-03", []string{"7330000000000000001"}},
			} {
				got, err := q.ClientPostsOn(ctx, c.client, c.platform, c.day)
				if err != nil {
					t.Fatal(err)
				}
				if d := cmp.Diff(c.want, got); d != "" && !(len(c.want) == 0 && len(got) == 0) {
					t.Errorf("%s %s %s (-want +got):\n%s", c.client, c.platform, c.day, d)
				}
			}
			likers, err := q.Engagers(ctx, "instagram", "IGlate0001", social.KindLike)
			if err != nil || fmt.Sprint(likers) != "[budi siti andi rudi]" {
				t.Errorf("likers %v %v", likers, err)
			}
			commenters, err := q.Engagers(ctx, "tiktok", "7330000000000000001", social.KindComment)
			if err != nil || fmt.Sprint(commenters) != "[budi siti andi rudi]" {
				t.Errorf("commenters %v %v", commenters, err)
			}
			prof, err := q.Profile(ctx, "instagram", "official_polres_a")
			if err != nil || prof.Followers != 120 {
				t.Errorf("profile %+v %v", prof, err)
			}
			runs, err := q.FetchRuns(ctx, "POLRES_A", 5)
			if err != nil || len(runs) != 1 || runs[0].Withdrawn != 1 || fmt.Sprint(runs[0].Errors) != "[likes IGx: 429]" {
				t.Errorf("fetch runs %+v %v", runs, err)
			}

			d := pt.Dump(t, pool, tables...)
			if first == nil {
				first = d
			} else if diff := cmp.Diff(first, d); diff != "" {
				t.Errorf("read model depends on batch size (-batch 1 +this):\n%s", diff)
			}
			if batch == 5000 {
				for _, p := range []projections.Projection{social.NewPosts(reg), social.NewEngagements(reg), social.NewAccounts(reg)} {
					if err := projections.Rebuild(ctx, pool, n.Store, p, nil); err != nil {
						t.Fatal(err)
					}
				}
				if diff := cmp.Diff(d, pt.Dump(t, pool, tables...)); diff != "" {
					t.Errorf("rebuild changed the read model (-live +rebuilt):\n%s", diff)
				}
			}
		})
	}
}
