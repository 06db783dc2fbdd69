package editorial_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/editorial"
	"github.com/cicero/cicero/commands/penmasuser"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/testkit"
)

// rig is one real JetStream and Postgres command log, the editorial and
// Penmas account handlers, and four accounts: the creator and assignee of
// every event (penulis), an outsider (penulis) and an editor (made by an
// admin's SetProfile, as registration refuses editor).
type rig struct {
	t        *testing.T
	n        *testkit.NATS
	ed       *editorial.Handlers
	users    *penmasuser.Handlers
	accounts map[string]string // role in the table → user id
}

var t0 = time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC)

func newRig(t *testing.T) *rig {
	t.Helper()
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	rt := commands.NewRuntime(n.Store, commands.NewPGCommandLog(pool), testkit.Logger(t))
	r := &rig{t: t, n: n, ed: editorial.NewHandlers(rt, func() time.Time { return t0 }),
		users: penmasuser.NewHandlers(rt, penmasuser.WithHashCost(bcrypt.MinCost)), accounts: map[string]string{}}
	for _, who := range []string{"creator", "assignee", "other", "editor"} {
		id, _, err := r.users.Register(context.Background(), commands.Meta{}, penmasuser.Register{Username: who, Password: "x"})
		if err != nil {
			t.Fatal(err)
		}
		r.accounts[who] = id
	}
	editor := "editor"
	if _, err := r.users.SetProfile(context.Background(), commands.Meta{Actor: "admin"},
		penmasuser.SetProfile{UserID: r.accounts["editor"], Role: &editor, By: "admin"}); err != nil {
		t.Fatal(err)
	}
	return r
}

func (r *rig) meta(who string) commands.Meta {
	return commands.Meta{Actor: "penmas:" + r.accounts[who]}
}

// must fails the test on err.
func (r *rig) must(_ commands.Outcome, err error) {
	r.t.Helper()
	if err != nil {
		r.t.Fatal(err)
	}
}

// eventIn creates an event (by creator, assigned to assignee) and walks it
// to status through the workflow; it returns the event and its latest
// approval request (0: none).
func (r *rig) eventIn(status string) (int64, int64) {
	r.t.Helper()
	ctx := context.Background()
	id, _, err := r.ed.CreateEvent(ctx, r.meta("creator"), editorial.CreateEvent{By: r.accounts["creator"],
		Fields: events.EditorialFields{EventDate: t0, Topic: "Patroli", JudulBerita: "Patroli malam", Assignee: r.accounts["assignee"]}})
	if err != nil {
		r.t.Fatal(err)
	}
	if status == events.EditorialStatusDraft {
		return id, 0
	}
	req, _, err := r.ed.SubmitEvent(ctx, r.meta("creator"), editorial.SubmitEvent{EventID: id, By: r.accounts["creator"]})
	if err != nil {
		r.t.Fatal(err)
	}
	switch status {
	case events.EditorialStatusApproved, events.EditorialStatusPublished:
		r.must(r.ed.DecideRequest(ctx, r.meta("editor"), editorial.DecideRequest{RequestID: req, Status: "approved", By: r.accounts["editor"]}))
	case events.EditorialStatusRejected:
		r.must(r.ed.DecideRequest(ctx, r.meta("editor"), editorial.DecideRequest{RequestID: req, Status: "rejected",
			Note: "lengkapi kronologi", By: r.accounts["editor"]}))
	}
	if status == events.EditorialStatusPublished {
		r.must(r.ed.UpdateEvent(ctx, r.meta("creator"), editorial.UpdateEvent{EventID: id, Status: "published", By: r.accounts["creator"]}))
	}
	return id, req
}

// action runs one action of the table on event id (latest request req) as who.
type action func(r *rig, id, req int64, who string) (commands.Outcome, error)

func decide(status string) action {
	return func(r *rig, id, req int64, who string) (commands.Outcome, error) {
		if req == 0 { // a draft has no request: the app's PUT of the status
			return r.ed.UpdateEvent(context.Background(), r.meta(who), editorial.UpdateEvent{EventID: id, Status: status,
				Note: "catatan", By: r.accounts[who]})
		}
		return r.ed.DecideRequest(context.Background(), r.meta(who), editorial.DecideRequest{RequestID: req, Status: status,
			Note: "catatan", By: r.accounts[who]})
	}
}

func move(status string) action {
	return func(r *rig, id, _ int64, who string) (commands.Outcome, error) {
		return r.ed.UpdateEvent(context.Background(), r.meta(who), editorial.UpdateEvent{EventID: id, Status: status, By: r.accounts[who]})
	}
}

var actions = map[string]action{
	"edit": func(r *rig, id, _ int64, who string) (commands.Outcome, error) {
		topic := "Patroli " + who
		return r.ed.UpdateEvent(context.Background(), r.meta(who), editorial.UpdateEvent{EventID: id,
			Changes: events.EditorialChanges{Topic: &topic}, By: r.accounts[who]})
	},
	"submit": func(r *rig, id, _ int64, who string) (commands.Outcome, error) {
		_, o, err := r.ed.SubmitEvent(context.Background(), r.meta(who), editorial.SubmitEvent{EventID: id, By: r.accounts[who]})
		return o, err
	},
	"approve": decide("approved"),
	"reject":  decide("rejected"),
	"publish": move("published"),
	"reopen":  move("draft"),
	"delete": func(r *rig, id, _ int64, who string) (commands.Outcome, error) {
		return r.ed.DeleteEvent(context.Background(), r.meta(who), editorial.DeleteEvent{EventID: id, By: r.accounts[who]})
	},
	"log": func(r *rig, id, _ int64, who string) (commands.Outcome, error) {
		return r.ed.LogChange(context.Background(), r.meta(who), editorial.LogChange{EventID: id, Status: "catatan",
			Changes: "foto ditambah", By: r.accounts[who]})
	},
	"detail": func(r *rig, id, _ int64, who string) (commands.Outcome, error) {
		return r.ed.RecordDetail(context.Background(), r.meta(who), editorial.RecordDetail{EventID: id,
			Fields: events.PressReleaseFields{Judul: "Rilis"}, By: r.accounts[who]})
	},
}

// TestStateMachine is every action × starting status × actor. A cell is
// "ok" (appends, recording the actor), "-" (nothing to do: the event is
// there already), 403 or 409; columns are creator, assignee, other,
// editor. The table is the rule written out, not computed.
func TestStateMachine(t *testing.T) {
	r := newRig(t)
	table := map[string]map[string][4]string{
		"edit": {
			"draft": {"ok", "ok", "403", "ok"}, "submitted": {"409", "409", "403", "409"}, "approved": {"409", "409", "403", "409"},
			"rejected": {"ok", "ok", "403", "ok"}, "published": {"409", "409", "403", "409"}},
		"submit": {
			"draft": {"ok", "ok", "403", "ok"}, "submitted": {"409", "409", "403", "409"}, "approved": {"409", "409", "403", "409"},
			"rejected": {"ok", "ok", "403", "ok"}, "published": {"409", "409", "403", "409"}},
		"approve": {
			"draft": {"403", "403", "403", "409"}, "submitted": {"403", "403", "403", "ok"}, "approved": {"403", "403", "403", "409"},
			"rejected": {"403", "403", "403", "409"}, "published": {"403", "403", "403", "409"}},
		"reject": {
			"draft": {"403", "403", "403", "409"}, "submitted": {"403", "403", "403", "ok"}, "approved": {"403", "403", "403", "409"},
			"rejected": {"403", "403", "403", "409"}, "published": {"403", "403", "403", "409"}},
		"publish": {
			"draft": {"409", "409", "403", "409"}, "submitted": {"409", "409", "403", "409"}, "approved": {"ok", "ok", "403", "ok"},
			"rejected": {"409", "409", "403", "409"}, "published": {"-", "-", "-", "-"}},
		"reopen": {
			"draft": {"-", "-", "-", "-"}, "submitted": {"409", "409", "403", "409"}, "approved": {"409", "409", "403", "409"},
			"rejected": {"ok", "ok", "403", "ok"}, "published": {"409", "409", "403", "409"}},
		"delete": {
			"draft": {"ok", "403", "403", "ok"}, "submitted": {"ok", "403", "403", "ok"}, "approved": {"ok", "403", "403", "ok"},
			"rejected": {"ok", "403", "403", "ok"}, "published": {"ok", "403", "403", "ok"}},
		"log": {
			"draft": {"ok", "ok", "403", "ok"}, "submitted": {"ok", "ok", "403", "ok"}, "approved": {"ok", "ok", "403", "ok"},
			"rejected": {"ok", "ok", "403", "ok"}, "published": {"ok", "ok", "403", "ok"}},
		"detail": {
			"draft": {"ok", "ok", "403", "ok"}, "submitted": {"409", "409", "403", "409"}, "approved": {"409", "409", "403", "409"},
			"rejected": {"ok", "ok", "403", "ok"}, "published": {"409", "409", "403", "409"}},
	}
	whos := [4]string{"creator", "assignee", "other", "editor"}
	for name, byStatus := range table {
		for status, want := range byStatus {
			for i, who := range whos {
				t.Run(fmt.Sprintf("%s/%s/%s", name, status, who), func(t *testing.T) {
					r.t = t
					id, req := r.eventIn(status)
					before := r.version(id)
					o, err := actions[name](r, id, req, who)
					got := outcome(o, err)
					if got != want[i] {
						t.Fatalf("got %s (%v), want %s", got, err, want[i])
					}
					if want[i] != "ok" {
						if after := r.version(id); after != before {
							t.Errorf("a refused %s appended to the event (version %d → %d)", name, before, after)
						}
						return
					}
					r.checkActor(o, who)
				})
			}
		}
	}
}

func outcome(o commands.Outcome, err error) string {
	switch {
	case err == nil && len(o.Appended) > 0:
		return "ok"
	case err == nil:
		return "-"
	case apperr.CodeOf(err) == apperr.Forbidden:
		return "403"
	case apperr.CodeOf(err) == apperr.Conflict:
		return "409"
	}
	return err.Error()
}

func (r *rig) version(id int64) uint64 {
	r.t.Helper()
	_, v, err := r.n.Store.Load(context.Background(), events.EditorialEventSubject(id))
	if err != nil {
		r.t.Fatal(err)
	}
	return v
}

// checkActor: every event the command appended names who as its actor,
// in the envelope and in the event's own By.
func (r *rig) checkActor(o commands.Outcome, who string) {
	r.t.Helper()
	for _, a := range o.Appended {
		if strings.HasPrefix(a.Subject, events.EditorialIDsSubjectPrefix+".") {
			continue
		}
		envs, _, err := r.n.Store.Load(context.Background(), a.Subject)
		if err != nil {
			r.t.Fatal(err)
		}
		for i := range envs {
			env := &envs[i]
			if env.Position != a.Sequence {
				continue
			}
			if env.Meta.Actor != "penmas:"+r.accounts[who] {
				r.t.Errorf("%s: envelope actor %q, want penmas:%s", env.Type, env.Meta.Actor, r.accounts[who])
			}
			ev, err := r.n.Store.Registry().Decode(env)
			if err != nil {
				r.t.Fatal(err)
			}
			if by := byOf(ev); by != r.accounts[who] {
				r.t.Errorf("%s records actor %q, want %s's %q", env.Type, by, who, r.accounts[who])
			}
		}
	}
}

func byOf(ev events.Payload) string {
	switch x := ev.(type) {
	case *events.EditorialEventEdited:
		return x.By
	case *events.EditorialEventSubmitted:
		return x.By
	case *events.ApprovalRequested:
		return x.RequestedBy
	case *events.ReleaseApproved:
		return x.By
	case *events.ReleaseRejected:
		return x.By
	case *events.ReleasePublished:
		return x.By
	case *events.EditorialEventReopened:
		return x.By
	case *events.EditorialEventDeleted:
		return x.By
	case *events.EditorialChangeLogged:
		return x.By
	case *events.PressReleaseDetailRecorded:
		return x.By
	}
	return fmt.Sprintf("(%T has no actor field)", ev)
}
