package demo

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/internal/normalize"
)

func small(seed uint64) Options {
	return Options{Seed: seed, Clients: 3, Personnel: 300, Days: 3, EndDate: "2026-03-02", Posts: 60,
		Engagements: 20_000, Password: "rahasia123"}
}

func mustPlan(t *testing.T, o Options) *Plan {
	t.Helper()
	p, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// everything is what a plan issues: its items and every post's fetches.
func everything(p *Plan, maxBytes int) map[string]any {
	var fetches [][]Fetch
	for i := range p.Posts {
		fetches = append(fetches, p.Fetches(i, maxBytes))
	}
	return map[string]any{"clients": p.Clients, "people": p.People, "logins": p.Logins, "posts": p.Posts, "fetches": fetches}
}

func TestPlanIsDeterministic(t *testing.T) {
	a, b := everything(mustPlan(t, small(1)), 1<<20), everything(mustPlan(t, small(1)), 1<<20)
	if d := cmp.Diff(a, b); d != "" {
		t.Fatalf("same options, different plans (-first +second):\n%s", d)
	}
	c := everything(mustPlan(t, small(2)), 1<<20)
	if cmp.Equal(a["people"], c["people"]) || cmp.Equal(a["posts"], c["posts"]) {
		t.Fatal("seeds 1 and 2 planned the same people or posts")
	}
	o := small(1)
	o.EndDate = "2026-03-03"
	other := mustPlan(t, o)
	if other.Posts[0].ID == mustPlan(t, small(1)).Posts[0].ID {
		t.Fatal("another end date reuses the post ids")
	}
}

func TestPlanCounts(t *testing.T) {
	p := mustPlan(t, small(3))
	if len(p.Clients) != 4 || p.Clients[3].ID != DirectorateID || p.Clients[3].Type != "direktorat" {
		t.Fatalf("clients %+v, want 3 Polres and the directorate", p.Clients)
	}
	if len(p.People) != 300 || len(p.Posts) != 60 || p.Engagements() != 20_000 {
		t.Fatalf("%d people, %d posts, %d engagements", len(p.People), len(p.Posts), p.Engagements())
	}
	nrp := map[string]bool{}
	for _, x := range p.People {
		if nrp[x.NRP] || len(x.NRP) != 10 {
			t.Fatalf("NRP %q repeated or not 10 digits", x.NRP)
		}
		nrp[x.NRP] = true
	}
	ids := map[string]bool{}
	platforms := map[string]int{}
	for _, x := range p.Posts {
		if ids[x.ID] {
			t.Fatalf("post id %s twice", x.ID)
		}
		ids[x.ID] = true
		platforms[x.ClientID+"|"+x.Platform]++
	}
	for _, c := range p.Clients {
		if platforms[c.ID+"|"+Instagram] == 0 || platforms[c.ID+"|"+Tiktok] == 0 {
			t.Fatalf("client %s lacks a platform: %v", c.ID, platforms)
		}
	}
}

// TestPostsSpanTheJakartaDay: posts fall on the plan's days in Jakarta,
// some in the first and last five minutes of a day.
func TestPostsSpanTheJakartaDay(t *testing.T) {
	p := mustPlan(t, small(4))
	days := map[string]bool{"2026-02-28": true, "2026-03-01": true, "2026-03-02": true}
	var early, late int
	for _, x := range p.Posts {
		if !days[jakarta.Date(x.PublishedAt)] {
			t.Fatalf("post %s on %s", x.ID, jakarta.Date(x.PublishedAt))
		}
		h, m, _ := x.PublishedAt.In(jakarta.Location).Clock()
		early += b(h == 0 && m < 5)
		late += b(h == 23 && m >= 55)
		for i, r := range x.Rounds {
			if !r.ObservedAt.After(x.PublishedAt) || (i > 0 && !r.ObservedAt.After(x.Rounds[i-1].ObservedAt)) {
				t.Fatalf("post %s round %d observed at %s", x.ID, i, r.ObservedAt)
			}
		}
	}
	if early == 0 || late == 0 {
		t.Fatalf("%d posts near 00:00 and %d near 23:59 Jakarta, want some of each", early, late)
	}
}

func b(v bool) int {
	if v {
		return 1
	}
	return 0
}

// TestPeopleTypeHandlesAnyWay: the typed handles normalise to the stored
// ones, and every variant the normaliser must handle occurs.
func TestPeopleTypeHandlesAnyWay(t *testing.T) {
	p := mustPlan(t, small(5))
	seen := map[string]int{}
	for _, x := range p.People {
		ig, ok1 := normalize.InstagramHandle(x.Insta)
		tt, ok2 := normalize.TiktokHandle(x.Tiktok)
		if !ok1 || !ok2 || ig != x.InstaNorm || tt != x.TiktokNorm {
			t.Fatalf("%q/%q normalise to %q/%q, want %q/%q", x.Insta, x.Tiktok, ig, tt, x.InstaNorm, x.TiktokNorm)
		}
		switch {
		case x.Insta == "":
			seen["missing"]++
		case strings.HasPrefix(x.Insta, "@"):
			seen["at"]++
		case strings.Contains(x.Insta, "://"):
			seen["link"]++
		case strings.TrimSpace(x.Insta) != x.Insta:
			seen["spaces"]++
		case x.Insta == strings.ToUpper(x.Insta):
			seen["upper"]++
		case x.Insta != x.InstaNorm:
			seen["mixed"]++
		}
		seen["exempt"] += b(x.Exception)
		for _, r := range x.Roles {
			seen["role "+normalize.Role(r)]++
		}
	}
	for _, k := range []string{"missing", "at", "link", "spaces", "upper", "mixed", "exempt", "role operator", "role ditbinmas"} {
		if seen[k] == 0 {
			t.Errorf("no person with %s (saw %v)", k, seen)
		}
	}
}

// TestFetchesRecordEveryEngagerOnce replays the fetches the way the post
// aggregate decides them: normalised, known names dropped. Each batch's
// New names are exactly the fresh ones, each event fits maxBytes, and
// after the last round the post has exactly its engagers.
func TestFetchesRecordEveryEngagerOnce(t *testing.T) {
	for _, maxBytes := range []int{1 << 20, 300} {
		p := mustPlan(t, small(6))
		batches, respelled := 0, 0
		for i, post := range p.Posts {
			known := map[string]bool{}
			for _, f := range p.Fetches(i, maxBytes) {
				for _, bt := range f.Batches {
					batches++
					var fresh []string
					for _, raw := range bt.Usernames {
						u := normalize.Handle(raw)
						respelled += b(u != raw)
						if !known[u] {
							known[u] = true
							fresh = append(fresh, u)
						}
					}
					if len(fresh) != bt.New {
						t.Fatalf("post %d: %d fresh names, batch says %d", i, len(fresh), bt.New)
					}
					if raw, _ := json.Marshal(fresh); len(raw) > maxBytes+2 && len(fresh) > 1 {
						t.Fatalf("post %d: event of %d bytes over %d", i, len(raw), maxBytes)
					}
				}
				if len(known) != f.Seen {
					t.Fatalf("post %d: %d known after a round, want %d", i, len(known), f.Seen)
				}
			}
			if len(known) != post.Engagers {
				t.Fatalf("post %d: %d engagers recorded, want %d", i, len(known), post.Engagers)
			}
		}
		if respelled == 0 || (maxBytes == 300 && batches < 3*len(p.Posts)) {
			t.Fatalf("maxBytes %d: %d batches, %d respelled names", maxBytes, batches, respelled)
		}
	}
}

// TestEngagersMixPersonnelAndOthers: posts are engaged by the client's
// own (non-exempt) personnel, directorate posts by the directorate role's
// holders, and by accounts that are not personnel.
func TestEngagersMixPersonnelAndOthers(t *testing.T) {
	p := mustPlan(t, small(7))
	owner := map[string]Person{}
	for _, x := range p.People {
		owner[x.InstaNorm] = x
		owner[x.TiktokNorm] = x
	}
	var personnel, others int
	for i, post := range p.Posts {
		for _, u := range p.Engagers(i) {
			x, ok := owner[u]
			if !ok {
				others++
				continue
			}
			personnel++
			if x.Exception {
				t.Fatalf("exempt %s engaged", x.NRP)
			}
			if x.ClientID != post.ClientID && post.ClientID != DirectorateID {
				t.Fatalf("%s of %s engaged with a post of %s", x.NRP, x.ClientID, post.ClientID)
			}
		}
	}
	if personnel == 0 || others == 0 {
		t.Fatalf("%d personnel and %d other engagements", personnel, others)
	}
}

func TestValidate(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(*Options)
		want string
	}{
		{"clients", func(o *Options) { o.Clients = 0 }, "--clients must be between 1 and 40"},
		{"personnel", func(o *Options) { o.Personnel = 10_001 }, "--personnel must be between 0 and 10000"},
		{"days", func(o *Options) { o.Days = 0 }, "--days"},
		{"posts", func(o *Options) { o.Posts = 3001 }, "--posts must be between 1 and 3000"},
		{"engagements", func(o *Options) { o.Engagements = 3_000_001 }, "--engagements must be between 0 and 3000000"},
		{"per post", func(o *Options) { o.Posts, o.Engagements = 2, 200_001 }, "raise --posts"},
		{"date", func(o *Options) { o.EndDate = "02-03-2026" }, "--end-date"},
		{"password", func(o *Options) { o.Password = "short" }, "--password"},
	} {
		o := small(1)
		c.edit(&o)
		if err := o.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	if err := small(1).Validate(); err != nil {
		t.Fatal(err)
	}
}

// TestPlanMarksTheRecapCases: shared, tagged and withdrawn posts occur in
// a small plan, on Polres posts only; a shared post goes to another Polres.
func TestPlanMarksTheRecapCases(t *testing.T) {
	p := mustPlan(t, small(3))
	seen := map[string]int{}
	for _, x := range p.Posts {
		if x.SharedWith != "" {
			seen["shared"]++
			if x.SharedWith == x.ClientID || x.SharedWith == DirectorateID {
				t.Errorf("post %s shared with %s (owner %s)", x.ID, x.SharedWith, x.ClientID)
			}
			if x.Withdrawn {
				t.Errorf("post %s both shared and withdrawn", x.ID)
			}
		}
		if x.Withdrawn {
			seen["withdrawn"]++
		}
		for _, r := range x.Roles {
			seen["tag "+r]++
		}
		if x.ClientID == DirectorateID && (x.SharedWith != "" || x.Withdrawn || len(x.Roles) > 0) {
			t.Errorf("directorate post %s marked: %+v", x.ID, x)
		}
	}
	for _, k := range []string{"shared", "withdrawn", "tag ditbinmas", "tag ditlantas"} {
		if seen[k] == 0 {
			t.Errorf("no %s post in a plan of %d posts: %v", k, len(p.Posts), seen)
		}
	}
}
