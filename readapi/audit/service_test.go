package audit_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/commands/post"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/projections"
	auditidx "github.com/cicero/cicero/projections/audit"
	pt "github.com/cicero/cicero/projections/projectiontest"
	"github.com/cicero/cicero/projections/social"
	"github.com/cicero/cicero/readapi/audit"
)

var (
	day      = "2026-05-05"
	morning  = time.Date(2026, 5, 5, 1, 0, 0, 0, time.UTC)  // 08:00 WIB
	evening  = time.Date(2026, 5, 5, 12, 0, 0, 0, time.UTC) // 19:00 WIB
	nextDay  = time.Date(2026, 5, 5, 18, 0, 0, 0, time.UTC) // 2026-05-06 01:00 WIB
	personID = "81010001"
)

// world: a client, a person whose Instagram handle an admin changes over
// HTTP after the CLI registered it, three posts (two on the day, one the
// next) and likes that name the old and the new handle.
type world struct {
	svc       *audit.Service
	regPos    uint64 // the person's registration
	handlePos uint64 // the handle change
	heads     map[string]uint64
}

func newWorld(t *testing.T) world {
	t.Helper()
	ctx := context.Background()
	n := testkit.StartNATS(t)
	pool, _ := testkit.NewDatabase(t)
	rt := commands.NewRuntime(n.Store, commands.NewPGCommandLog(pool), testkit.Logger(t))
	cli := commands.Meta{Actor: "cli:ops", Channel: commands.ChannelCLI}
	must := func(o commands.Outcome, err error) commands.Outcome {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	must(client.NewHandlers(rt).RegisterClient(ctx, cli, client.RegisterClient{ClientID: "POLRES_A", Nama: "POLRES A", ClientType: "org"}))
	must(client.NewHandlers(rt).RegisterClient(ctx, cli, client.RegisterClient{ClientID: "POLRES_B", Nama: "POLRES B", ClientType: "org"}))
	ph := person.NewHandlers(rt)
	w := world{}
	w.regPos = must(ph.RegisterPerson(ctx, cli, person.RegisterPerson{NRP: personID, Nama: "BUDI", ClientID: "POLRES_A", Insta: "budi.lama"})).Appended[0].Sequence
	posts := post.NewHandlers(rt, func() time.Time { return nextDay.Add(time.Hour) })
	job := commands.WithChannel(ctx, commands.ChannelSchedule)
	sys := commands.Meta{Actor: "system:social-fetch"}
	for _, p := range []struct {
		id     string
		at     time.Time
		client string
	}{{"IGDAY01", morning, "POLRES_A"}, {"IGDAY02", evening, "POLRES_A"}, {"IGNEXT1", nextDay, "POLRES_A"}, {"IGB0001", morning, "POLRES_B"}} {
		must(posts.IngestPost(job, sys, post.IngestPost{Platform: "instagram", PostID: p.id, ClientID: p.client, Account: "official", PublishedAt: p.at}))
	}
	// The old handle likes the first post; then an admin changes the
	// handle over HTTP, and the new one likes the second post (and the
	// next day's, which is not the day asked about).
	if _, _, err := posts.RecordLikes(job, commands.Meta{Actor: sys.Actor, OccurredAt: morning.Add(time.Hour)}, post.RecordLikes{Platform: "instagram", PostID: "IGDAY01",
		Usernames: []string{"someone", "@Budi.Lama"}, ObservedAt: morning.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	http := commands.WithChannel(ctx, commands.ChannelHTTP)
	w.handlePos = must(ph.SetHandle(http, commands.Meta{Actor: "dashboard:admin-7"},
		person.SetHandle{NRP: personID, Platform: events.PlatformInstagram, Handle: "budi.baru"})).Appended[0].Sequence
	for _, id := range []string{"IGDAY02", "IGNEXT1", "IGB0001"} {
		if _, _, err := posts.RecordLikes(job, commands.Meta{Actor: sys.Actor, OccurredAt: nextDay.Add(2 * time.Hour)}, post.RecordLikes{Platform: "instagram", PostID: id,
			Usernames: []string{"BUDI.BARU"}, ObservedAt: nextDay.Add(2 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	w.heads = map[string]uint64{}
	for _, s := range []string{"DIRECTORY", "SOCIAL"} {
		h, err := n.Store.StreamHead(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		w.heads[s] = h
	}
	reg := n.Store.Registry()
	for _, p := range []projections.Projection{auditidx.Index{}, social.NewPosts(reg), social.NewEngagements(reg)} {
		pt.StartRunner(t, projections.NewRunner(pool, n.Store, p, pt.QuietOpts(t)))
		for s, h := range w.heads {
			if slicesContains(p.Streams(), s) {
				pt.WaitProjection(t, pool, p.Name(), s, h)
			}
		}
	}
	w.svc = &audit.Service{Store: n.Store, Pool: pool, Person: func(nrp string, evs []events.Payload) audit.Person {
		p := person.Person{NRP: nrp}
		for _, ev := range evs {
			p.Apply(ev)
		}
		return audit.Person{ClientID: p.ClientID, Insta: p.Insta, Tiktok: p.Tiktok, Exception: p.Exception}
	}, Kinds: []audit.Kind{{Name: "person", Prefix: events.PersonSubjectPrefix,
		Fold: audit.FoldWith(func(id string) person.Person { return person.Person{NRP: id} })}}}
	return w
}

func slicesContains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// TestWhoChangedTheHandle: the history of the person names who changed the
// Instagram handle, when, and through which channel.
func TestWhoChangedTheHandle(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	subject, evs, err := w.svc.History(ctx, "person", personID)
	if err != nil {
		t.Fatal(err)
	}
	if subject != events.PersonSubject(personID) || len(evs) != 2 {
		t.Fatalf("history of %s = %d events: %+v", subject, len(evs), evs)
	}
	reg, change := evs[0], evs[1]
	if reg.Type != "PersonRegistered" || reg.Actor != "cli:ops" || reg.Channel != "cli" || reg.Sequence != w.regPos {
		t.Errorf("registration envelope = %+v", reg)
	}
	if change.Type != "PersonHandleChanged" || change.Actor != "dashboard:admin-7" || change.Channel != "http" ||
		change.Sequence != w.handlePos || change.CommandID == "" || change.OccurredAt == "" || change.RecordedAt == "" ||
		string(change.Payload) != `{"handle":"budi.baru","platform":"instagram","user_id":"`+personID+`"}` {
		t.Errorf("handle change envelope = %+v payload %s", change, change.Payload)
	}
	// The same question across streams: by type and client, and by actor.
	page, err := w.svc.Events(ctx, auditidx.Filter{Types: []string{"PersonHandleChanged"}, Client: "polres_a"})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Events) != 1 || page.Events[0].ID != change.ID || page.NextCursor != nil {
		t.Fatalf("events by type and client = %+v", page)
	}
	page, err = w.svc.Events(ctx, auditidx.Filter{Actor: "dashboard:admin-7", Channel: "http"})
	if err != nil || len(page.Events) != 1 || page.Events[0].ID != change.ID {
		t.Fatalf("events by actor and channel = %+v %v", page, err)
	}
	if page, err = w.svc.Events(ctx, auditidx.Filter{Types: []string{"PersonHandleChanged"}, Client: "POLRES_B"}); err != nil || len(page.Events) != 0 {
		t.Fatalf("another client's events = %+v %v", page, err)
	}
}

// TestEventsPageThroughEverything: pages of two walk every event of both
// streams once, in record order, and the window filter cuts by business
// time.
func TestEventsPageThroughEverything(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	seen := map[string]bool{}
	var cursor *auditidx.Cursor
	var last string
	pages := 0
	for {
		page, err := w.svc.Events(ctx, auditidx.Filter{Limit: 2, After: cursor})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, e := range page.Events {
			key := fmt.Sprintf("%s/%d/%d", e.Stream, e.Sequence, e.Index)
			if seen[key] {
				t.Fatalf("event %s listed twice", key)
			}
			seen[key] = true
			if e.RecordedAt < last {
				t.Fatalf("out of record order: %s after %s", e.RecordedAt, last)
			}
			last = e.RecordedAt
		}
		if page.NextCursor == nil {
			break
		}
		c, err := auditidx.ParseCursor(*page.NextCursor)
		if err != nil {
			t.Fatal(err)
		}
		cursor = &c
	}
	if want := int(w.heads["DIRECTORY"] + w.heads["SOCIAL"]); len(seen) != want {
		t.Fatalf("paged %d events in %d pages, the streams hold %d", len(seen), pages, want)
	}
	// The likes of the next day's fetch (occurred 2026-05-06 WIB) are
	// outside a window that ends with the day.
	until, _ := audit.ParseInstant(day, true)
	page, err := w.svc.Events(ctx, auditidx.Filter{Types: []string{"LikesRecorded"}, Until: until})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Events) != 1 || page.Events[0].Subject != events.PostSubject("instagram", "IGDAY01") {
		t.Fatalf("likes up to %s = %+v", day, page.Events)
	}
}

// TestStateAsOfAndDiff: the person folded up to the registration has the
// old handle, now the new one, and the diff names exactly that field.
func TestStateAsOfAndDiff(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	then, err := w.svc.StateAt(ctx, "person", personID, audit.AsOf{Position: w.handlePos - 1})
	if err != nil {
		t.Fatal(err)
	}
	if then.State["Insta"] != "budi.lama" || then.Version != w.regPos || then.Events != 1 {
		t.Fatalf("state before the change = %+v", then)
	}
	d, err := w.svc.DiffAgainstNow(ctx, "person", personID, audit.AsOf{Position: w.regPos})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Changes) != 1 || d.Changes[0].Field != "Insta" || d.Changes[0].Then != "budi.lama" || d.Changes[0].Now != "budi.baru" {
		t.Fatalf("diff = %+v", d.Changes)
	}
	// As of an instant before anything was recorded: nothing applied.
	early, err := w.svc.StateAt(ctx, "person", personID, audit.AsOf{At: time.Now().Add(-time.Hour)})
	if err != nil || early.Events != 0 || early.State["Registered"] != false {
		t.Fatalf("state an hour ago = %+v %v", early, err)
	}
	if _, err := w.svc.StateAt(ctx, "person", "99999999", audit.AsOf{}); err == nil {
		t.Fatal("an unknown person has a state")
	}
}

// TestWhyThisNumber: the day's task posts of the person's client and the
// like events behind the figure, which equals the read model's.
func TestWhyThisNumber(t *testing.T) {
	w := newWorld(t)
	wy, err := w.svc.Why(context.Background(), personID, day, "instagram")
	if err != nil {
		t.Fatal(err)
	}
	if wy.ClientID != "POLRES_A" || len(wy.HandleHistory) != 2 || len(wy.Platforms) != 1 {
		t.Fatalf("why = %+v", wy)
	}
	ig := wy.Platforms[0]
	// The read model counts the person's current handle: the old handle's
	// like on IGDAY01 no longer counts, the new one's on IGDAY02 does.
	if ig.Handle != "budi.baru" || ig.TaskPosts != 2 || ig.Done != 1 || ig.ReadModelDone != 1 {
		t.Fatalf("instagram = handle %q, %d task posts, done %d, read model %d", ig.Handle, ig.TaskPosts, ig.Done, ig.ReadModelDone)
	}
	byID := map[string]audit.WhyPost{}
	for _, p := range ig.Posts {
		byID[p.PostID] = p
	}
	if p := byID["IGDAY02"]; !p.Counted || len(p.Engagement) != 1 || p.Engagement[0].HandleUsed != "budi.baru" ||
		p.Engagement[0].Type != "LikesRecorded" || p.Engagement[0].Channel != "schedule" || len(p.Feed) != 1 {
		t.Fatalf("IGDAY02 = %+v", p)
	}
	if len(ig.Posts) != 2 {
		t.Fatalf("instagram posts = %+v, want IGDAY01 and IGDAY02", ig.Posts)
	}
	if p, ok := byID["IGDAY01"]; !ok || p.Counted || len(p.Engagement) != 0 {
		t.Fatalf("IGDAY01 counts a like of the old handle: %+v", p)
	}
	if _, ok := byID["IGNEXT1"]; ok {
		t.Fatal("the next day's post is among the day's tasks")
	}
}
