package editorial_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/crypto/bcrypt"

	"github.com/cicero/cicero/commands"
	edcmd "github.com/cicero/cicero/commands/editorial"
	"github.com/cicero/cicero/commands/penmasuser"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/projections"
	"github.com/cicero/cicero/projections/access"
	"github.com/cicero/cicero/projections/editorial"
	pt "github.com/cicero/cicero/projections/projectiontest"
)

// TestReadModels runs a workflow through the real commands — two events,
// edits, a detail and its edit, a rejection with a note, a resubmission,
// an approval, publication, a user's log entry, and a third event deleted
// with its detail and request — and projects it with batches of 1 and of
// everything, and once more by rebuild: the rows are the same each time,
// and say what happened.
func TestReadModels(t *testing.T) {
	n := testkit.StartNATS(t, testkit.FastSync())
	logPool, _ := testkit.NewDatabase(t)
	rt := commands.NewRuntime(n.Store, commands.NewPGCommandLog(logPool), testkit.Logger(t))
	ctx := context.Background()
	ed := edcmd.NewHandlers(rt, func() time.Time { return pt.T0 })
	users := penmasuser.NewHandlers(rt, penmasuser.WithHashCost(bcrypt.MinCost))
	writer, _, err := users.Register(ctx, commands.Meta{}, penmasuser.Register{Username: "siti", Password: "x"})
	if err != nil {
		t.Fatal(err)
	}
	editor, _, err := users.Register(ctx, commands.Meta{}, penmasuser.Register{Username: "red", Password: "x"})
	if err != nil {
		t.Fatal(err)
	}
	role := "editor"
	must := func(_ commands.Outcome, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	prof, err := users.SetProfile(ctx, commands.Meta{}, penmasuser.SetProfile{UserID: editor, Role: &role})
	if err != nil {
		t.Fatal(err)
	}
	accessHead := prof.Appended[0].Sequence
	create := func(topic string) int64 {
		id, _, err := ed.CreateEvent(ctx, commands.Meta{}, edcmd.CreateEvent{By: writer,
			Fields: events.EditorialFields{EventDate: pt.T0, Topic: topic, Tag: "polres"}})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	submit := func(id int64) int64 {
		req, _, err := ed.SubmitEvent(ctx, commands.Meta{}, edcmd.SubmitEvent{EventID: id, By: writer})
		if err != nil {
			t.Fatal(err)
		}
		return req
	}
	e1, e2, e3 := create("Satu"), create("Dua"), create("Tiga")
	judul, empty := "Judul satu", ""
	must(ed.RecordDetail(ctx, commands.Meta{}, edcmd.RecordDetail{EventID: e1, By: writer, Fields: events.PressReleaseFields{Judul: "R", Pasal: "1"}}))
	pasal := "363"
	must(ed.EditDetail(ctx, commands.Meta{}, edcmd.EditDetail{EventID: e1, By: writer, Changes: edcmd.DetailChanges{Pasal: &pasal}}))
	// An edit and the submission in one PUT: one message, two log entries.
	sub, err := ed.UpdateEvent(ctx, commands.Meta{}, edcmd.UpdateEvent{EventID: e1, By: writer, Status: "submitted",
		Changes: events.EditorialChanges{JudulBerita: &judul, Tag: &empty}})
	if err != nil {
		t.Fatal(err)
	}
	r1 := edcmd.IDOf(sub, events.EditorialApprovalSubjectPrefix)
	must(ed.DecideRequest(ctx, commands.Meta{}, edcmd.DecideRequest{RequestID: r1, Status: "rejected", Note: "kurang foto", By: editor}))
	r2 := submit(e1)
	must(ed.DecideRequest(ctx, commands.Meta{}, edcmd.DecideRequest{RequestID: r2, Status: "approved", By: editor}))
	must(ed.UpdateEvent(ctx, commands.Meta{}, edcmd.UpdateEvent{EventID: e1, Status: "published", By: writer}))
	must(ed.LogChange(ctx, commands.Meta{}, edcmd.LogChange{EventID: e2, Status: "catatan", Changes: "menunggu foto", By: writer}))
	must(ed.RecordDetail(ctx, commands.Meta{}, edcmd.RecordDetail{EventID: e3, By: writer}))
	submit(e3)
	last, err := ed.DeleteEvent(ctx, commands.Meta{}, edcmd.DeleteEvent{EventID: e3, By: editor})
	if err != nil {
		t.Fatal(err)
	}
	head := last.Appended[0].Sequence

	tables := []string{"editorial_events", "editorial_press_releases", "editorial_approvals", "editorial_change_logs"}
	var first map[string][]string
	for _, batch := range []int{1, 5000} {
		t.Run(fmt.Sprintf("batch=%d", batch), func(t *testing.T) {
			pool, _ := testkit.NewDatabase(t)
			opts := pt.QuietOpts(t)
			opts.BatchSize = batch
			pt.StartRunner(t, projections.NewRunner(pool, n.Store, editorial.New(n.Store.Registry()), opts))
			pt.WaitProjection(t, pool, editorial.Name, "EDITORIAL", head)
			// The usernames come from the accounts' read model.
			pt.StartRunner(t, projections.NewRunner(pool, n.Store, access.NewPenmasUsers(n.Store.Registry()), pt.QuietOpts(t)))
			pt.WaitProjection(t, pool, access.PenmasUsersName, "ACCESS", accessHead)
			q := editorial.NewQueries(pool)
			evs, err := q.EventsOf(ctx, writer)
			if err != nil || len(evs) != 2 || evs[0].EventID != e1 || evs[1].EventID != e2 {
				t.Fatalf("events %+v, %v", evs, err)
			}
			if e := evs[0]; e.Status != "published" || deref(e.JudulBerita) != "Judul satu" || e.Tag != nil || e.UpdatedBy != writer {
				t.Errorf("e1 %+v", e)
			}
			if rel, err := q.Release(ctx, e1); err != nil || deref(rel.Pasal) != "363" || deref(rel.Judul) != "R" {
				t.Errorf("detail %+v, %v", rel, err)
			}
			if _, err := q.Release(ctx, e3); err == nil {
				t.Error("the deleted event's detail is still there")
			}
			aps, err := q.Approvals(ctx, editor, true)
			if err != nil || len(aps) != 2 || aps[0].Status != "approved" || aps[1].Status != "rejected" ||
				deref(aps[1].Note) != "kurang foto" || deref(aps[1].DecidedBy) != editor {
				t.Errorf("approvals %+v, %v", aps, err)
			}
			logs, err := q.Logs(ctx, e1)
			var trail []string
			for _, l := range logs {
				trail = append(trail, deref(l.Status)+"/"+deref(l.Username))
			}
			want := "[draft/siti draft/siti submitted/siti rejected/red submitted/siti approved/red published/siti]"
			if err != nil || fmt.Sprint(trail) != want {
				t.Errorf("log trail %v (%v), want %s", trail, err, want)
			}
			d := pt.Dump(t, pool, tables...)
			if first == nil {
				first = d
			} else if diff := cmp.Diff(first, d); diff != "" {
				t.Errorf("read model depends on batch size (-batch 1 +this):\n%s", diff)
			}
			if batch != 5000 {
				return
			}
			if err := projections.Rebuild(ctx, pool, n.Store, editorial.New(n.Store.Registry()), nil); err != nil {
				t.Fatalf("rebuild: %v", err)
			}
			if diff := cmp.Diff(d, pt.Dump(t, pool, tables...)); diff != "" {
				t.Errorf("rebuilt read model differs (-live +rebuilt):\n%s", diff)
			}
		})
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
