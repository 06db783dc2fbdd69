package linkreport_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/linkreport"
	"github.com/cicero/cicero/commands/post"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/testkit"
)

// now is 10:00 in Jakarta.
var now = time.Date(2026, 12, 3, 3, 0, 0, 0, time.UTC)

type rig struct {
	t     *testing.T
	store *events.Store
	posts *post.Handlers
	h     *linkreport.Handlers
}

func newRig(t *testing.T) *rig {
	t.Helper()
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	rt := commands.NewRuntime(n.Store, commands.NewPGCommandLog(pool), testkit.Logger(t))
	for _, id := range []string{"POLRESA", "POLRESB"} {
		if _, err := client.NewHandlers(rt).RegisterClient(context.Background(), commands.Meta{Actor: "test"},
			client.RegisterClient{ClientID: id, Nama: id}); err != nil {
			t.Fatal(err)
		}
	}
	return &rig{t: t, store: n.Store, posts: post.NewHandlers(rt, func() time.Time { return now }), h: linkreport.NewHandlers(rt)}
}

func (r *rig) ingest(code, clientID string, published time.Time) {
	r.t.Helper()
	if _, err := r.posts.IngestPost(context.Background(), commands.Meta{Actor: "test"}, post.IngestPost{Platform: "instagram",
		PostID: code, ClientID: clientID, Account: "official", PublishedAt: published}); err != nil {
		r.t.Fatal(err)
	}
}

func (r *rig) submit(cmd linkreport.Submit) (commands.Outcome, error) {
	if cmd.At.IsZero() {
		cmd.At = now
	}
	return r.h.Submit(context.Background(), commands.Meta{Actor: "test"}, cmd)
}

func wantInvalid(t *testing.T, err error, msg string) {
	t.Helper()
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Code != apperr.Invalid || ae.Message != msg {
		t.Fatalf("err = %v, want Invalid %q", err, msg)
	}
}

func (r *rig) count(kind, code, nrp string) int {
	r.t.Helper()
	envs, _, err := r.store.Load(context.Background(), events.LinkReportSubject(kind, code, nrp))
	if err != nil {
		r.t.Fatal(err)
	}
	return len(envs)
}

// The regular rules of spec/ops.md §2.3.1: a post of the last two days,
// one report per person and post; a withdrawn report may be made again.
func TestRegularRules(t *testing.T) {
	r := newRig(t)
	r.ingest("FRESH1", "POLRESA", now.Add(-47*time.Hour))
	r.ingest("OLDPOST", "POLRESA", now.Add(-49*time.Hour))
	links := events.Links{Facebook: "https://fb.com/x"}

	_, err := r.submit(linkreport.Submit{Shortcode: "NOPOST", UserID: "1001", Links: links})
	wantInvalid(t, err, linkreport.MsgRegularNotFound)
	_, err = r.submit(linkreport.Submit{Shortcode: "OLDPOST", UserID: "1001", Links: links})
	wantInvalid(t, err, linkreport.MsgRegularNotFound)
	_, err = r.submit(linkreport.Submit{Shortcode: "FRESH1", UserID: "", Links: links})
	wantInvalid(t, err, linkreport.MsgUserID)

	o, err := r.submit(linkreport.Submit{Shortcode: "FRESH1", UserID: "1001", ClientID: "polresb", Links: links})
	if err != nil || len(o.Appended) != 1 {
		t.Fatalf("submit: %+v %v", o, err)
	}
	envs, _, _ := r.store.Load(context.Background(), events.LinkReportSubject("regular", "FRESH1", "1001"))
	p, _ := r.store.Registry().Decode(&envs[0])
	sub := p.(*events.LinkReportSubmitted)
	// POLRESB's feed does not hold the post: the post's client counts.
	if sub.ClientID != "POLRESA" || !sub.SubmittedAt.Equal(now) || !sub.PostPublishedAt.Equal(now.Add(-47*time.Hour)) {
		t.Fatalf("submitted %+v", sub)
	}
	_, err = r.submit(linkreport.Submit{Shortcode: "FRESH1", UserID: "1001", Links: events.Links{Twitter: "https://x.com/y"}})
	wantInvalid(t, err, linkreport.MsgDuplicate)
	// Past the window the same report is "not found or older", as the old
	// insert-select answered.
	_, err = r.submit(linkreport.Submit{Shortcode: "FRESH1", UserID: "1001", Links: links, At: now.Add(2 * time.Hour)})
	wantInvalid(t, err, linkreport.MsgRegularNotFound)
	if n := r.count("regular", "FRESH1", "1001"); n != 1 {
		t.Fatalf("%d events after refusals, want 1", n)
	}
	if _, err := r.h.Delete(context.Background(), commands.Meta{}, linkreport.Delete{Shortcode: "FRESH1", UserID: "1001"}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.submit(linkreport.Submit{Shortcode: "FRESH1", UserID: "1001", Links: links}); err != nil {
		t.Fatalf("submit after delete: %v", err)
	}
	_, err = r.h.Delete(context.Background(), commands.Meta{}, linkreport.Delete{Shortcode: "FRESH1", UserID: "2002"})
	if apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("delete of no report: %v", err)
	}
}

// Khusus: the post must be the client's and published on today's
// Jakarta date; again replaces the links.
func TestKhususRules(t *testing.T) {
	r := newRig(t)
	midnight := time.Date(2026, 12, 2, 17, 0, 0, 0, time.UTC) // 00:00 of Dec 3 in Jakarta
	r.ingest("TODAY1", "POLRESA", midnight)
	r.ingest("YESTER", "POLRESA", midnight.Add(-time.Second))
	ig := events.Links{Instagram: "https://www.instagram.com/p/abc"}

	_, err := r.submit(linkreport.Submit{Kind: "khusus", Shortcode: "TODAY1", UserID: "1001", Links: ig})
	wantInvalid(t, err, linkreport.MsgClientRequired)
	_, err = r.submit(linkreport.Submit{Kind: "khusus", Shortcode: "YESTER", UserID: "1001", ClientID: "POLRESA", Links: ig})
	wantInvalid(t, err, linkreport.MsgKhususNotFound)
	_, err = r.submit(linkreport.Submit{Kind: "khusus", Shortcode: "TODAY1", UserID: "1001", ClientID: "POLRESB", Links: ig})
	wantInvalid(t, err, linkreport.MsgKhususNotFound)
	if o, err := r.submit(linkreport.Submit{Kind: "khusus", Shortcode: "TODAY1", UserID: "1001", ClientID: "POLRESA", Links: ig}); err != nil || len(o.Appended) != 1 {
		t.Fatalf("khusus submit: %+v %v", o, err)
	}
	if o, err := r.submit(linkreport.Submit{Kind: "khusus", Shortcode: "TODAY1", UserID: "1001", ClientID: "POLRESA", Links: ig}); err != nil || len(o.Appended) != 0 {
		t.Fatalf("identical khusus again: %+v %v", o, err)
	}
	ig2 := events.Links{Instagram: "https://www.instagram.com/p/def"}
	o, err := r.submit(linkreport.Submit{Kind: "khusus", Shortcode: "TODAY1", UserID: "1001", ClientID: "POLRESA", Links: ig2})
	if err != nil || len(o.Appended) != 1 || o.Appended[0].Types[0] != "LinkReportUpdated" {
		t.Fatalf("khusus again with another link: %+v %v", o, err)
	}
	_, err = r.h.Update(context.Background(), commands.Meta{}, linkreport.Update{Kind: "khusus", Shortcode: "TODAY1", UserID: "1001",
		Links: events.Links{Facebook: "https://fb.com/x"}, Set: map[string]bool{"facebook": true}})
	wantInvalid(t, err, linkreport.MsgOnlyInstagram)
}

// Two identical submissions at once: exactly one report; the other is
// refused as a duplicate after re-deciding on the first.
func TestConcurrentSubmissionsMakeOneReport(t *testing.T) {
	r := newRig(t)
	r.ingest("RACE1", "POLRESA", now.Add(-time.Hour))
	for round := 0; round < 5; round++ {
		nrp := string(rune('1'+round)) + "0001"
		var wg sync.WaitGroup
		errs := make([]error, 8)
		outs := make([]commands.Outcome, 8)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				outs[i], errs[i] = r.submit(linkreport.Submit{Shortcode: "RACE1", UserID: nrp, Links: events.Links{Instagram: "https://i.com/a"}})
			}()
		}
		wg.Wait()
		ok := 0
		for i, err := range errs {
			switch {
			case err == nil && len(outs[i].Appended) == 1:
				ok++
			case err != nil:
				wantInvalid(t, err, linkreport.MsgDuplicate)
			default:
				t.Fatalf("an answer that appended nothing without a refusal: %+v", outs[i])
			}
		}
		if ok != 1 || r.count("regular", "RACE1", nrp) != 1 {
			t.Fatalf("round %d: %d accepted, %d events; want exactly one", round, ok, r.count("regular", "RACE1", nrp))
		}
	}
}

func TestUpdateMergesLinks(t *testing.T) {
	r := newRig(t)
	r.ingest("UPDATE1", "POLRESA", now.Add(-time.Hour))
	if _, err := r.submit(linkreport.Submit{Shortcode: "UPDATE1", UserID: "1001", Links: events.Links{Facebook: "https://fb/1", Twitter: "https://tw/1"}}); err != nil {
		t.Fatal(err)
	}
	o, err := r.h.Update(context.Background(), commands.Meta{}, linkreport.Update{Shortcode: "UPDATE1", UserID: "1001",
		Links: events.Links{Twitter: "https://tw/2", Youtube: ""}, Set: map[string]bool{"twitter": true}})
	if err != nil || len(o.Appended) != 1 {
		t.Fatalf("update: %+v %v", o, err)
	}
	envs, _, _ := r.store.Load(context.Background(), events.LinkReportSubject("regular", "UPDATE1", "1001"))
	p, _ := r.store.Registry().Decode(&envs[1])
	if got := p.(*events.LinkReportUpdated).Links; got != (events.Links{Facebook: "https://fb/1", Twitter: "https://tw/2"}) {
		t.Fatalf("merged links %+v", got)
	}
	_, err = r.h.Update(context.Background(), commands.Meta{}, linkreport.Update{Shortcode: "UPDATE1", UserID: "9999", Set: map[string]bool{}})
	if apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("update of no report: %v", err)
	}
}

func TestLinkParsing(t *testing.T) {
	for _, tt := range []struct{ in, url string }{
		{"lihat https://fb.com/a?b=1 dan https://x.com", "https://fb.com/a?b=1"},
		{"no url here", ""},
		{"http://t.co/x", "http://t.co/x"},
	} {
		if got := linkreport.FirstURL(tt.in); got != tt.url {
			t.Errorf("FirstURL(%q) = %q, want %q", tt.in, got, tt.url)
		}
	}
	for _, tt := range []struct{ in, code string }{
		{"https://www.instagram.com/p/DAbc_1-x/?igsh=1", "DAbc_1-x"},
		{"https://instagram.com/REEL/Cx9", "Cx9"},
		{"https://www.instagram.com/someone/", ""},
		{"https://example.com/p/abc", ""},
		{"ABC123?x", "ABC123"},
	} {
		if got := linkreport.KhususShortcode(tt.in); got != tt.code {
			t.Errorf("KhususShortcode(%q) = %q, want %q", tt.in, got, tt.code)
		}
	}
}
