package jobs_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/taskboard"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/internal/rapidapi/rapidapitest"
	"github.com/cicero/cicero/internal/schedule"
	"github.com/cicero/cicero/projections/recap"
	"github.com/cicero/cicero/sagas"
	"github.com/cicero/cicero/sagas/jobs"
	"github.com/cicero/cicero/sagas/sagatest"
	socialsaga "github.com/cicero/cicero/sagas/social"
)

const groupA = "120363000000000001@g.us"

// broadcastJob builds a fetch job that posts task boards, as a fresh
// process would (nothing carried over from an earlier one).
func (r *fetchRig) broadcastJob() *jobs.SocialFetch {
	d := r.deps
	d.Broadcast = &jobs.TaskBroadcast{Read: recap.New(r.pool), Boards: taskboard.NewHandlers(r.rt), Now: r.clk.now,
		CatchUp: func(ctx context.Context) error {
			var ps []events.Position
			for _, name := range []string{"DIRECTORY", "SOCIAL"} {
				s, err := r.n.Store.JetStream().Stream(ctx, name)
				if err != nil {
					return err
				}
				ps = append(ps, events.Position{Stream: name, Sequence: s.CachedInfo().State.LastSeq})
			}
			return r.m.WaitForAll(ctx, ps, 20*time.Second)
		}}
	return jobs.NewSocialFetch(d)
}

// boards returns the client's recorded boards of the fetch day.
func (r *fetchRig) boards(clientID string) []events.TaskBoardChanged {
	r.t.Helper()
	envs, _, err := r.n.Store.Load(bg(r.t), events.TaskBoardSubject(clientID, jakarta.Date(fetchDay)))
	if err != nil {
		r.t.Fatal(err)
	}
	var out []events.TaskBoardChanged
	for i := range envs {
		p, err := r.n.Store.Registry().Decode(&envs[i])
		if err != nil {
			r.t.Fatal(err)
		}
		out = append(out, *p.(*events.TaskBoardChanged))
	}
	return out
}

// broadcasts runs the saga over MESSAGING and returns its outbox rows as
// (recipient, text).
func (r *fetchRig) broadcasts() [][2]string {
	r.t.Helper()
	s, err := r.n.Store.JetStream().Stream(bg(r.t), "MESSAGING")
	if err != nil {
		r.t.Fatal(err)
	}
	head := events.Position{Stream: "MESSAGING", Sequence: s.CachedInfo().State.LastSeq}
	sagatest.RunTo(r.t, r.pool, r.n.Store, socialsaga.TaskBroadcast(), nil, head)
	var out [][2]string
	for _, row := range sagatest.Rows(r.t, r.pool, socialsaga.TaskBroadcastName) {
		if row.Channel != sagas.ChannelWhatsApp || row.Content.Session != "" {
			r.t.Errorf("row %d on %s session %q, want whatsapp through the fallback chain", row.ID, row.Channel, row.Content.Session)
		}
		out = append(out, [2]string{row.Recipient, row.Content.Text})
	}
	return out
}

// taskText is the broadcast of spec/social.md §5.1, written out here from
// the platform's truth: ig and tt are "id|HH:MM|count|new" lines.
func taskText(name, ttUser string, ig, tt []string) string {
	lines := func(items []string, link func(string) string, unit func(int) string) (string, int) {
		if len(items) == 0 {
			return "-", 0
		}
		var out []string
		total := 0
		for i, it := range items {
			f := strings.Split(it, "|")
			var n int
			fmt.Sscan(f[2], &n)
			total += n
			mark := ""
			if f[3] == "new" {
				mark = "[BARU] "
			}
			out = append(out, fmt.Sprintf("%d. %s%s (upload %s WIB) : %d %s", i+1, mark, link(f[0]), f[1], n, unit(n)))
		}
		return strings.Join(out, "\n"), total
	}
	igLines, likes := lines(ig, func(id string) string { return "https://www.instagram.com/p/" + id }, func(n int) string {
		if n == 1 {
			return "like"
		}
		return "likes"
	})
	ttLines, comments := lines(tt, func(id string) string { return "https://www.tiktok.com/@" + ttUser + "/video/" + id },
		func(int) string { return "komentar" })
	return "Mohon Ijin Komandan, Senior, Rekan Operator dan Personil pelaksana Tugas Likes dan komentar Sosial Media " + name + ".\n\n" +
		"Tugas Likes dan Komentar Konten Instagram dan Tiktok \n" + name + "\n" +
		fmt.Sprintf("Jumlah konten Instagram hari ini: %d \nTotal likes semua konten: %d \n\nRincian:\n%s\n\n", len(ig), likes, igLines) +
		fmt.Sprintf("Jumlah konten Tiktok hari ini: %d \nTotal komentar semua konten: %d\n\nRincian:\n%s\n\n", len(tt), comments, ttLines) +
		"Silahkan Melaksanakan Likes, Komentar dan Share."
}

// A fetch that changes a client's posts of the day tells its group once:
// the first board marks every post [BARU]; a fetch that changes nothing,
// also in a restarted process and with the saga replayed, sends nothing;
// a new post sends a new board where only it is [BARU]; at 17:15 WIB the
// board is still recorded, with the reason, and nothing is sent. A client
// without a valid group is recorded as such and never sent to.
func TestTaskBroadcastAfterFetch(t *testing.T) {
	r := newFetchRig(t)
	r.world()
	group := " https://chat.whatsapp.com/120363000000000001 ; 999"
	out, err := r.clients.UpdateClient(bg(t), commands.Meta{Actor: "test"}, client.UpdateClient{ClientID: "POLRESA", ClientGroup: &group})
	r.settle(out, err)

	run := func(job *jobs.SocialFetch) {
		t.Helper()
		r.clk.advance(time.Minute)
		if err := job.Run(bg(t), schedule.Args{}); err != nil {
			t.Fatal(err)
		}
		r.caughtUp()
	}
	count := func(code string) string { return fmt.Sprint(len(truth(r.platform.Likers(code)))) }
	comments := fmt.Sprint(len(truth(r.platform.Commenters("7400000000000000001"))))
	first := taskText("POLRES POLRESA", "polres_a_tt",
		[]string{"A_early|00:01|" + count("A_early") + "|new", "COLLAB|08:00|" + count("COLLAB") + "|new",
			"A_late|09:30|" + count("A_late") + "|new"},
		[]string{"7400000000000000001|07:15|" + comments + "|new"})

	run(r.broadcastJob())
	want := [][2]string{{groupA, first}}
	if d := cmp.Diff(want, r.broadcasts()); d != "" {
		t.Fatalf("first broadcast (-want +got):\n%s", d)
	}
	if b := r.boards("POLRESB"); len(b) != 1 || b[0].Suppressed != taskboard.SuppressedNoGroup || b[0].Recipient != "" {
		t.Fatalf("POLRESB boards = %+v, want one suppressed for its missing group", b)
	}

	// Nothing changed: the same process, then a new one, then the saga
	// replayed from the start.
	run(r.broadcastJob())
	run(r.broadcastJob())
	sagatest.Rewind(t, r.pool, socialsaga.TaskBroadcastName)
	if d := cmp.Diff(want, r.broadcasts()); d != "" {
		t.Fatalf("an unchanged fetch or a replay sent again (-want +got):\n%s", d)
	}
	if n := len(r.boards("POLRESA")); n != 1 {
		t.Fatalf("POLRESA has %d boards after unchanged fetches, want 1", n)
	}

	// A new post: a new board, only it marked.
	a, _ := r.platform.Instagram("polres_a")
	a.Posts = append(a.Posts, rapidapitest.IGPost{Shortcode: "A_new", Caption: "baru", TakenAt: at(10, 1), Likes: 0})
	r.platform.SetInstagram(a)
	r.platform.Like("A_new", "budi.s")
	run(r.broadcastJob())
	second := taskText("POLRES POLRESA", "polres_a_tt",
		[]string{"A_early|00:01|" + count("A_early") + "|", "COLLAB|08:00|" + count("COLLAB") + "|",
			"A_late|09:30|" + count("A_late") + "|", "A_new|10:01|1|new"},
		[]string{"7400000000000000001|07:15|" + comments + "|"})
	want = append(want, [2]string{groupA, second})
	if d := cmp.Diff(want, r.broadcasts()); d != "" {
		t.Fatalf("after a new post (-want +got):\n%s", d)
	}

	// 17:15 WIB: recorded, not sent.
	r.clk.advance(at(17, 15).Sub(r.clk.now()) - time.Minute)
	a.Posts = append(a.Posts, rapidapitest.IGPost{Shortcode: "A_sore", Caption: "sore", TakenAt: at(17, 0)})
	r.platform.SetInstagram(a)
	run(r.broadcastJob())
	boards := r.boards("POLRESA")
	if last := boards[len(boards)-1]; len(boards) != 3 || last.Suppressed != taskboard.SuppressedLate || len(last.Instagram) != 5 {
		t.Fatalf("POLRESA boards = %d, last %+v; want a third, suppressed after 17:15 with 5 posts", len(boards), last)
	}
	if d := cmp.Diff(want, r.broadcasts()); d != "" {
		t.Fatalf("sent after 17:15 (-want +got):\n%s", d)
	}
}

// The old fetch told the groups of the clients it worked for: active, with
// Instagram or TikTok on (spec/ops.md §5.5). A client fetched only because
// amplification is on (both statuses off) gets its board recorded, with
// the reason, and its group is not told.
func TestTaskBroadcastNotForAClientWithInstagramAndTiktokOff(t *testing.T) {
	r := newFetchRig(t)
	r.world()
	groupAField, groupB := "120363000000000001", "120363000000000002"
	out, err := r.clients.UpdateClient(bg(t), commands.Meta{Actor: "test"}, client.UpdateClient{ClientID: "POLRESA",
		ClientGroup: &groupAField})
	r.settle(out, err)
	out, err = r.clients.UpdateClient(bg(t), commands.Meta{Actor: "test"}, client.UpdateClient{ClientID: "POLRESB",
		ClientGroup: &groupB, InstaStatus: on(false), TiktokStatus: on(false), AmplifyStatus: on(true)})
	r.settle(out, err)

	r.clk.advance(time.Minute)
	if err := r.broadcastJob().Run(bg(t), schedule.Args{}); err != nil {
		t.Fatal(err)
	}
	r.caughtUp()
	if runs := r.runs("POLRESB"); len(runs) != 1 || runs[0].Platform != events.PlatformInstagram {
		t.Fatalf("POLRESB runs = %+v, want its Instagram fetched (amplification on)", runs)
	}
	b := r.boards("POLRESB")
	if len(b) != 1 || len(b[0].Instagram) != 1 || b[0].Suppressed != taskboard.SuppressedInactive || b[0].Recipient != "" {
		t.Fatalf("POLRESB boards = %+v, want one listing COLLAB, suppressed as not tasked", b)
	}
	got := r.broadcasts()
	if len(got) != 1 || got[0][0] != groupA {
		t.Fatalf("broadcasts = %v, want only POLRESA's group told", got)
	}
}

// broadcastLog records the order of a run's progress and broadcasts.
type broadcastLog struct {
	mu  sync.Mutex
	log []string
}

func (b *broadcastLog) add(s string) { b.mu.Lock(); b.log = append(b.log, s); b.mu.Unlock() }

func (b *broadcastLog) Broadcast(_ context.Context, clientID string) error {
	b.add("broadcast " + clientID)
	return nil
}

// A client's board is posted as soon as its own feeds are fetched, not
// when the whole run ends: the old fetch told each group when it reached
// the client, so the 17:15 cut-off is judged per client, and a run that
// starts at 17:00 and ends after 17:15 still tells the groups it reached
// before.
func TestTaskBoardPostedWhenTheClientsFetchEnds(t *testing.T) {
	r := newFetchRig(t)
	r.world()
	rec := &broadcastLog{}
	d := r.deps
	d.Parallel, d.Broadcast = 1, rec
	err := jobs.NewSocialFetch(d).Run(bg(t), schedule.Args{Progress: func(done, _ int) { rec.add(fmt.Sprint("fetched ", done)) }})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"fetched 0", "fetched 1", "fetched 2", "broadcast POLRESA", "fetched 3", "broadcast POLRESB"}
	if d := cmp.Diff(want, rec.log); d != "" {
		t.Fatalf("order (-want +got):\n%s", d)
	}
}
