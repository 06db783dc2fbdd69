package post_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/post"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/testkit"
)

var (
	t0        = time.Date(2026, 3, 2, 1, 30, 0, 0, time.UTC) // 08:30 in Jakarta
	published = time.Date(2026, 3, 2, 0, 5, 0, 0, time.UTC)
)

type harness struct {
	t *testing.T
	n *testkit.NATS
	h *post.Handlers
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	rt := commands.NewRuntime(n.Store, commands.NewPGCommandLog(pool), testkit.Logger(t))
	clients := client.NewHandlers(rt)
	for _, id := range []string{"POLRES_A", "POLRES_B"} {
		if _, err := clients.RegisterClient(ctx(t), commands.Meta{Actor: "test"}, client.RegisterClient{ClientID: id, Nama: id}); err != nil {
			t.Fatal(err)
		}
	}
	return &harness{t: t, n: n, h: post.NewHandlers(rt, func() time.Time { return t0 })}
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

func (h *harness) events(platform, id string) []events.Payload {
	h.t.Helper()
	envs, _, err := h.n.Store.Load(ctx(h.t), events.PostSubject(platform, id))
	if err != nil {
		h.t.Fatal(err)
	}
	out := []events.Payload{}
	for i := range envs {
		p, err := h.n.Store.Registry().Decode(&envs[i])
		if err != nil {
			h.t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

// step is one command and what it must do: append these events, append
// nothing (want empty, code ""), or be refused with code.
type step struct {
	name string
	run  func(h *harness) (commands.Outcome, error)
	code apperr.Code
	want []events.Payload
}

func (h *harness) play(platform, id string, steps []step) {
	h.t.Helper()
	var all []events.Payload
	for _, s := range steps {
		out, err := s.run(h)
		switch {
		case s.code != "":
			if apperr.CodeOf(err) != s.code || len(out.Appended) != 0 {
				h.t.Fatalf("%s: %v (appended %d), want refusal %s", s.name, err, len(out.Appended), s.code)
			}
		case err != nil:
			h.t.Fatalf("%s: %v", s.name, err)
		case len(s.want) == 0 && len(out.Appended) != 0:
			h.t.Fatalf("%s: appended %+v, want nothing", s.name, out.Appended)
		}
		all = append(all, s.want...)
	}
	if all == nil {
		all = []events.Payload{}
	}
	if d := cmp.Diff(all, h.events(platform, id)); d != "" {
		h.t.Fatalf("events of %s (-want +got):\n%s", id, d)
	}
}

func ingest(client string, likes, comments int) func(h *harness) (commands.Outcome, error) {
	return func(h *harness) (commands.Outcome, error) {
		return h.h.IngestPost(ctx(h.t), commands.Meta{Actor: "system:test"}, post.IngestPost{Platform: "instagram",
			PostID: "DAbc123xyz", ClientID: client, Account: "@Polres_A ", Caption: " Apel pagi ",
			Media: events.PostMedia{ImageURL: "https://img/1.jpg"}, PublishedAt: published, Likes: likes, Comments: comments})
	}
}

func TestIngestAndWithdraw(t *testing.T) {
	h := newHarness(t)
	ingested := func(client string, likes, comments int) *events.PostIngested {
		return &events.PostIngested{Platform: "instagram", PostID: "DAbc123xyz", ClientID: client, Account: "polres_a",
			Caption: "Apel pagi", Media: events.PostMedia{ImageURL: "https://img/1.jpg"}, PublishedAt: published,
			Likes: likes, Comments: comments, Source: "fetch"}
	}
	withdraw := func(client string) func(h *harness) (commands.Outcome, error) {
		return func(h *harness) (commands.Outcome, error) {
			return h.h.WithdrawPost(ctx(h.t), commands.Meta{}, post.WithdrawPost{Platform: "ig", PostID: "DAbc123xyz", ClientID: client, RunID: "run-1"})
		}
	}
	h.play("instagram", "DAbc123xyz", []step{
		{name: "withdraw before ingest: nothing", run: withdraw("POLRES_A")},
		{name: "first ingest", run: ingest("polres_a", 10, 2), want: []events.Payload{ingested("POLRES_A", 10, 2)}},
		{name: "same counts again: nothing", run: ingest("POLRES_A", 10, 2)},
		{name: "counts changed", run: ingest("POLRES_A", 12, 2),
			want: []events.Payload{&events.PostStatsObserved{Platform: "instagram", PostID: "DAbc123xyz", Likes: 12, Comments: 2, ObservedAt: t0}}},
		{name: "shared by a second client: belongs to both", run: ingest("POLRES_B", 12, 2), want: []events.Payload{ingested("POLRES_B", 12, 2)}},
		{name: "unknown client", run: ingest("POLRES_X", 12, 2), code: apperr.NotFound},
		{name: "withdrawn for A", run: withdraw("POLRES_A"),
			want: []events.Payload{&events.PostWithdrawn{Platform: "instagram", PostID: "DAbc123xyz", ClientID: "POLRES_A", RunID: "run-1"}}},
		{name: "withdrawn again: nothing", run: withdraw("POLRES_A")},
		{name: "B still has it: its stats update", run: ingest("POLRES_B", 13, 2),
			want: []events.Payload{&events.PostStatsObserved{Platform: "instagram", PostID: "DAbc123xyz", Likes: 13, Comments: 2, ObservedAt: t0}}},
		{name: "back in A's feed: ingested again", run: ingest("POLRES_A", 13, 2), want: []events.Payload{ingested("POLRES_A", 13, 2)}},
	})
}

func TestIngestRefusals(t *testing.T) {
	h := newHarness(t)
	for _, c := range []struct {
		name string
		cmd  post.IngestPost
	}{
		{"platform", post.IngestPost{Platform: "facebook", PostID: "DAbc123xyz", ClientID: "POLRES_A", PublishedAt: published}},
		{"no id", post.IngestPost{Platform: "instagram", ClientID: "POLRES_A", PublishedAt: published}},
		{"bad shortcode", post.IngestPost{Platform: "instagram", PostID: "a b/c", ClientID: "POLRES_A", PublishedAt: published}},
		{"bad video id", post.IngestPost{Platform: "tiktok", PostID: "abc", ClientID: "POLRES_A", PublishedAt: published}},
		{"no client", post.IngestPost{Platform: "instagram", PostID: "DAbc123xyz", PublishedAt: published}},
		{"no time", post.IngestPost{Platform: "instagram", PostID: "DAbc123xyz", ClientID: "POLRES_A"}},
		{"negative", post.IngestPost{Platform: "instagram", PostID: "DAbc123xyz", ClientID: "POLRES_A", PublishedAt: published, Likes: -1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := h.h.IngestPost(ctx(t), commands.Meta{}, c.cmd)
			if apperr.CodeOf(err) != apperr.Invalid || len(out.Appended) != 0 {
				t.Fatalf("%v %+v, want Invalid and nothing appended", err, out.Appended)
			}
		})
	}
}

func TestTags(t *testing.T) {
	h := newHarness(t)
	tag := func(role string, on bool) func(h *harness) (commands.Outcome, error) {
		return func(h *harness) (commands.Outcome, error) {
			if on {
				return h.h.TagPostForRole(ctx(h.t), commands.Meta{}, post.TagPostForRole{Platform: "instagram", PostID: "DAbc123xyz", Role: role, By: "dashboard:admin"})
			}
			return h.h.UntagPostForRole(ctx(h.t), commands.Meta{}, post.UntagPostForRole{Platform: "instagram", PostID: "DAbc123xyz", Role: role, By: "dashboard:admin"})
		}
	}
	h.play("instagram", "DAbc123xyz", []step{
		{name: "tag before ingest", run: tag("ditbinmas", true), code: apperr.NotFound},
		{name: "ingest", run: ingest("POLRES_A", 1, 0), want: []events.Payload{&events.PostIngested{Platform: "instagram", PostID: "DAbc123xyz",
			ClientID: "POLRES_A", Account: "polres_a", Caption: "Apel pagi", Media: events.PostMedia{ImageURL: "https://img/1.jpg"},
			PublishedAt: published, Likes: 1, Source: "fetch"}}},
		{name: "unknown role", run: tag("polresb", true), code: apperr.Invalid},
		{name: "tag", run: tag(" DITBINMAS ", true), want: []events.Payload{&events.PostTaggedForRole{Platform: "instagram", PostID: "DAbc123xyz", Role: "ditbinmas", By: "dashboard:admin"}}},
		{name: "tag again: nothing", run: tag("ditbinmas", true)},
		{name: "untag other: nothing", run: tag("ditlantas", false)},
		{name: "untag", run: tag("ditbinmas", false), want: []events.Payload{&events.PostUntaggedForRole{Platform: "instagram", PostID: "DAbc123xyz", Role: "ditbinmas", By: "dashboard:admin"}}},
	})
}

func TestRecordLikesAndComments(t *testing.T) {
	h := newHarness(t)
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	likes := func(m int, names ...string) func(h *harness) (commands.Outcome, error) {
		return func(h *harness) (commands.Outcome, error) {
			o, _, err := h.h.RecordLikes(ctx(h.t), commands.Meta{}, post.RecordLikes{Platform: "tiktok", PostID: "7330000000000000001",
				Usernames: names, ObservedAt: at(m), WindowStart: at(m - 30), WindowEnd: at(m)})
			return o, err
		}
	}
	comments := func(m int, names ...string) func(h *harness) (commands.Outcome, error) {
		return func(h *harness) (commands.Outcome, error) {
			o, _, err := h.h.RecordComments(ctx(h.t), commands.Meta{}, post.RecordComments{Platform: "tiktok", PostID: "7330000000000000001",
				Usernames: names, ObservedAt: at(m)})
			return o, err
		}
	}
	ingestTT := func(h *harness) (commands.Outcome, error) {
		return h.h.IngestPost(ctx(h.t), commands.Meta{}, post.IngestPost{Platform: "tiktok", PostID: "7330000000000000001",
			ClientID: "POLRES_A", Account: "polres_a_tt", PublishedAt: published})
	}
	h.play("tiktok", "7330000000000000001", []step{
		{name: "likes before ingest", run: likes(0, "budi"), code: apperr.NotFound},
		{name: "ingest", run: ingestTT, want: []events.Payload{&events.PostIngested{Platform: "tiktok", PostID: "7330000000000000001",
			ClientID: "POLRES_A", Account: "polres_a_tt", PublishedAt: published, Source: "fetch"}}},
		{name: "first likes, normalised and deduplicated", run: likes(30, " @Budi.IG ", "budi.ig", "SITI", "", "@"),
			want: []events.Payload{&events.LikesRecorded{Platform: "tiktok", PostID: "7330000000000000001", Usernames: []string{"budi.ig", "siti"},
				ObservedAt: at(30), WindowStart: at(0), WindowEnd: at(30)}}},
		{name: "the same fetch again: nothing", run: likes(60, "budi.ig", "siti")},
		{name: "one new liker only", run: likes(90, "siti", "@andi"),
			want: []events.Payload{&events.LikesRecorded{Platform: "tiktok", PostID: "7330000000000000001", Usernames: []string{"andi"},
				ObservedAt: at(90), WindowStart: at(60), WindowEnd: at(90)}}},
		{name: "comments are their own set", run: comments(95, "andi", "@Rudi"),
			want: []events.Payload{&events.CommentsRecorded{Platform: "tiktok", PostID: "7330000000000000001", Usernames: []string{"andi", "rudi"},
				ObservedAt: at(95), WindowStart: at(95), WindowEnd: at(95)}}},
		{name: "comments again: nothing", run: comments(100, "rudi", "ANDI")},
	})
}

// TestRecordLikesRetry: a fetch step retried under the same command id
// (a crash between the append and the job's bookkeeping) records nothing
// twice, and its answer is the first one.
func TestRecordLikesRetry(t *testing.T) {
	h := newHarness(t)
	if _, err := ingest("POLRES_A", 0, 0)(h); err != nil {
		t.Fatal(err)
	}
	meta := commands.Meta{CommandID: "0195b1a2-0000-7000-8000-0000000000aa"}
	cmd := post.RecordLikes{Platform: "instagram", PostID: "DAbc123xyz", Usernames: []string{"budi", "siti"}, ObservedAt: t0}
	first, n, err := h.h.RecordLikes(ctx(t), meta, cmd)
	if err != nil || len(first.Appended) != 1 || n != 2 {
		t.Fatalf("first: %+v %d %v", first, n, err)
	}
	again, n, err := h.h.RecordLikes(ctx(t), meta, cmd)
	if err != nil || len(again.Appended) != 1 || again.Appended[0].Sequence != first.Appended[0].Sequence || n != 0 {
		t.Fatalf("retry: %+v %d %v, want the first outcome and nothing new", again, n, err)
	}
	if n := len(h.events("instagram", "DAbc123xyz")); n != 2 {
		t.Fatalf("%d events, want ingest + one LikesRecorded", n)
	}
}
