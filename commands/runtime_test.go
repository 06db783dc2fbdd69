package commands_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/internal/testkit"
)

// env is a runtime over a fresh JetStream and a fresh Postgres database.
type env struct {
	nats *testkit.NATS
	pool *pgxpool.Pool
	rt   *commands.Runtime
}

func newEnv(t *testing.T) *env {
	t.Helper()
	n := testkit.StartNATS(t)
	pool, _ := testkit.NewDatabase(t)
	return &env{nats: n, pool: pool, rt: commands.NewRuntime(n.Store, commands.NewPGCommandLog(pool), testkit.Logger(t))}
}

func ctxFor(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

// grant is a decide that grants role to the person nrp, whatever it holds.
func grant(nrp, role string) commands.Decide {
	return func(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
		subj := events.PersonSubject(nrp)
		_, v, err := l.Load(ctx, subj)
		if err != nil {
			return nil, err
		}
		return []events.Commit{{Subject: subj, AggregateID: nrp, Expected: v,
			Events: []events.Payload{events.PersonRoleGranted{NRP: nrp, Role: role}}}}, nil
	}
}

func (e *env) history(t *testing.T, nrp string) []events.Envelope {
	t.Helper()
	envs, _, err := e.nats.Store.Load(ctxFor(t), events.PersonSubject(nrp))
	if err != nil {
		t.Fatal(err)
	}
	return envs
}

func (e *env) head(t *testing.T) uint64 {
	t.Helper()
	h, err := e.nats.Store.StreamHead(ctxFor(t), "DIRECTORY")
	if err != nil {
		t.Fatal(err)
	}
	return h
}

const raceN = 16

// System commands (no expected version) that race for one aggregate all
// land: the losers re-load and re-decide.
func TestRuntimeRaceSystemCommands(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := ctxFor(t)
	var wg sync.WaitGroup
	start := make(chan struct{})
	outs := make([]commands.Outcome, raceN)
	errs := make([]error, raceN)
	for i := 0; i < raceN; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			outs[i], errs[i] = e.rt.Handle(ctx, "test.Grant", commands.Meta{CommandID: newID(), Actor: "system:test"}, grant("race", fmt.Sprint("role", i)))
		}()
	}
	close(start)
	wg.Wait()
	byID := map[string]int{}
	for i, err := range errs {
		if err != nil {
			t.Fatalf("command %d: %v", i, err)
		}
		if len(outs[i].Appended) != 1 || outs[i].Appended[0].Duplicate {
			t.Fatalf("command %d outcome %+v", i, outs[i])
		}
		byID[outs[i].Appended[0].EventIDs[0]] = i
	}
	hist := e.history(t, "race")
	if len(hist) != raceN {
		t.Fatalf("history holds %d events, want %d", len(hist), raceN)
	}
	for i, ev := range hist {
		if i > 0 && ev.Position <= hist[i-1].Position {
			t.Fatalf("history out of order at %d: %d after %d", i, ev.Position, hist[i-1].Position)
		}
		who, ok := byID[ev.ID]
		if !ok {
			t.Fatalf("event %s belongs to no outcome", ev.ID)
		}
		if outs[who].Appended[0].Sequence != ev.Position {
			t.Fatalf("command %d reported %d, stored at %d", who, outs[who].Appended[0].Sequence, ev.Position)
		}
		delete(byID, ev.ID)
	}
	if len(byID) != 0 {
		t.Fatalf("acknowledged events missing from history: %v", byID)
	}
}

// User commands naming the same expected version: one wins, the others
// get a 409 and nothing of theirs is stored.
func TestRuntimeRaceExpectedVersion(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := ctxFor(t)
	seed, err := e.rt.Handle(ctx, "test.Grant", commands.Meta{}, grant("race", "seed"))
	if err != nil {
		t.Fatal(err)
	}
	v0 := seed.Appended[0].Sequence
	var wg sync.WaitGroup
	start := make(chan struct{})
	outs := make([]commands.Outcome, raceN)
	errs := make([]error, raceN)
	for i := 0; i < raceN; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			outs[i], errs[i] = e.rt.Handle(ctx, "test.Grant", commands.Meta{CommandID: newID(), ExpectedVersion: &v0}, grant("race", fmt.Sprint("role", i)))
		}()
	}
	close(start)
	wg.Wait()
	winner := -1
	for i, err := range errs {
		switch {
		case err == nil && winner >= 0:
			t.Fatalf("commands %d and %d both won", winner, i)
		case err == nil:
			winner = i
		case !errors.Is(err, commands.ErrConflict) || apperr.CodeOf(err) != apperr.Conflict:
			t.Fatalf("command %d: %v, want commands.ErrConflict", i, err)
		}
	}
	if winner < 0 {
		t.Fatal("no command won")
	}
	hist := e.history(t, "race")
	if len(hist) != 2 || hist[1].ID != outs[winner].Appended[0].EventIDs[0] {
		t.Fatalf("history holds %d events, want seed and the winner's", len(hist))
	}
}

func TestRuntimeExpectedVersion(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := ctxFor(t)
	first, err := e.rt.Handle(ctx, "test.Grant", commands.Meta{}, grant("7", "a"))
	if err != nil {
		t.Fatal(err)
	}
	v := first.Appended[0].Sequence
	for _, stale := range []uint64{0, v - 1, v + 1} {
		if _, err := e.rt.Handle(ctx, "test.Grant", commands.Meta{ExpectedVersion: &stale}, grant("7", "b")); !errors.Is(err, commands.ErrConflict) {
			t.Fatalf("expected version %d (current %d): err = %v, want ErrConflict", stale, v, err)
		}
	}
	if _, err := e.rt.Handle(ctx, "test.Grant", commands.Meta{ExpectedVersion: &v}, grant("7", "c")); err != nil {
		t.Fatalf("current expected version: %v", err)
	}
	if n := len(e.history(t, "7")); n != 2 {
		t.Fatalf("history holds %d events, want 2", n)
	}
}

// shortDuplicateWindow shrinks JetStream's duplicate window of every
// stream. Call it before the first append: the server's purge timer keeps
// the window it was started with.
func shortDuplicateWindow(t *testing.T, n *testkit.NATS) {
	t.Helper()
	if err := events.Provision(ctxFor(t), n.Store.JetStream(), events.StreamOptions{DuplicateWindow: 100 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
}

// waitDuplicateWindow waits until the server has forgotten message ids
// stored before the call.
func waitDuplicateWindow(t *testing.T, n *testkit.NATS) {
	t.Helper()
	ctx := ctxFor(t)
	js := n.Store.JetStream()
	probeID := newID()
	probe := func() (*jetstream.PubAck, error) {
		m := nats.NewMsg("directory.probe.window")
		m.Header.Set(jetstream.MsgIDHeader, probeID)
		return js.PublishMsg(ctx, m)
	}
	if _, err := probe(); err != nil {
		t.Fatal(err)
	}
	testkit.Eventually(t, 10*time.Second, func() error {
		ack, err := probe()
		if err != nil {
			return err
		}
		if ack.Duplicate {
			return errors.New("duplicate window still open")
		}
		return nil
	})
}

// A command id seen before returns its first outcome and appends nothing,
// whatever the decision would be now, inside JetStream's duplicate window
// and after it, and from another runtime on the same command log.
func TestRuntimeRepeatedCommand(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	shortDuplicateWindow(t, e.nats)
	ctx := ctxFor(t)
	refuse := func(context.Context, *commands.Loader) ([]events.Commit, error) {
		return nil, apperr.Invalidf("role", "Peran tidak dikenal")
	}
	okID, refusedID := newID(), newID()
	first, err := e.rt.Handle(ctx, "test.Grant", commands.Meta{CommandID: okID}, grant("9", "a"))
	if err != nil {
		t.Fatal(err)
	}
	refused, rerr := e.rt.Handle(ctx, "test.Grant", commands.Meta{CommandID: refusedID}, refuse)
	if apperr.CodeOf(rerr) != apperr.Invalid || refused.Rejected == nil {
		t.Fatalf("refusal: %+v, %v", refused, rerr)
	}
	check := func(rt *commands.Runtime, when string) {
		t.Helper()
		head := e.head(t)
		again, err := rt.Handle(ctx, "test.Grant", commands.Meta{CommandID: okID}, grant("9", "other"))
		if err != nil || !reflect.DeepEqual(again, first) {
			t.Fatalf("%s: repeated command = %+v, %v; want %+v", when, again, err, first)
		}
		againRefused, err := rt.Handle(ctx, "test.Grant", commands.Meta{CommandID: refusedID}, grant("9", "now-fine"))
		if !reflect.DeepEqual(againRefused, refused) || apperr.CodeOf(err) != apperr.Invalid || apperr.MessageOf(err) != "Peran tidak dikenal" {
			t.Fatalf("%s: repeated refusal = %+v, %v; want %+v", when, againRefused, err, refused)
		}
		if h := e.head(t); h != head {
			t.Fatalf("%s: repeated commands appended (head %d → %d)", when, head, h)
		}
	}
	check(e.rt, "at once")
	waitDuplicateWindow(t, e.nats)
	check(e.rt, "after the window")
	other := commands.NewRuntime(e.nats.Store, commands.NewPGCommandLog(e.pool), testkit.Logger(t))
	check(other, "another runtime")
	if n := len(e.history(t, "9")); n != 1 {
		t.Fatalf("history holds %d events, want 1", n)
	}
}

// A failure that is not a business refusal is not recorded: the same
// command id may be tried again.
func TestRuntimeInternalErrorNotRecorded(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := ctxFor(t)
	id := newID()
	boom := errors.New("boom")
	_, err := e.rt.Handle(ctx, "test.Grant", commands.Meta{CommandID: id}, func(context.Context, *commands.Loader) ([]events.Commit, error) {
		return nil, boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	out, err := e.rt.Handle(ctx, "test.Grant", commands.Meta{CommandID: id}, grant("11", "a"))
	if err != nil || len(out.Appended) != 1 {
		t.Fatalf("retry after an internal error: %+v, %v", out, err)
	}
}

func TestRuntimeNothingToAppend(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := ctxFor(t)
	id := newID()
	none := func(context.Context, *commands.Loader) ([]events.Commit, error) { return nil, nil }
	out, err := e.rt.Handle(ctx, "test.Noop", commands.Meta{CommandID: id}, none)
	if err != nil || out.CommandID != id || len(out.Appended) != 0 || out.Rejected != nil {
		t.Fatalf("outcome %+v, %v", out, err)
	}
	// Recorded: a later run of the same id does not append.
	out, err = e.rt.Handle(ctx, "test.Noop", commands.Meta{CommandID: id}, grant("12", "a"))
	if err != nil || len(out.Appended) != 0 || e.head(t) != 0 {
		t.Fatalf("repeat: %+v, %v, head %d", out, err, e.head(t))
	}
}

// A command that changes two aggregates appends both atomically.
func TestRuntimeTwoAggregates(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := ctxFor(t)
	if _, err := e.rt.Handle(ctx, "test.Grant", commands.Meta{}, grant("100", "a")); err != nil {
		t.Fatal(err)
	}
	move := func(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
		_, vOld, err := l.Load(ctx, events.PersonSubject("100"))
		if err != nil {
			return nil, err
		}
		_, vNew, err := l.Load(ctx, events.PersonSubject("200"))
		if err != nil {
			return nil, err
		}
		ev := events.PersonRenumbered{OldNRP: "100", NewNRP: "200"}
		return []events.Commit{
			{Subject: events.PersonSubject("100"), AggregateID: "100", Expected: vOld, Events: []events.Payload{ev}},
			{Subject: events.PersonSubject("200"), AggregateID: "200", Expected: vNew, Events: []events.Payload{ev}},
		}, nil
	}
	out, err := e.rt.Handle(ctx, "test.Renumber", commands.Meta{}, move)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Appended) != 2 || out.Appended[1].Sequence != out.Appended[0].Sequence+1 {
		t.Fatalf("outcome %+v", out)
	}
	if pos := out.Positions(); len(pos) != 2 || pos[1].Stream != "DIRECTORY" || pos[1].Sequence != out.Appended[1].Sequence {
		t.Fatalf("positions %+v", pos)
	}
	if len(e.history(t, "100")) != 2 || len(e.history(t, "200")) != 1 {
		t.Fatal("renumber did not land on both aggregates")
	}
}

// A system command that keeps losing gives up with a retryable 503
// (commands.ErrUnavailable), not a 409: no caller named a stale version, so
// the same command may land in a moment. Nothing is recorded, so a retry
// with the same command id decides again.
func TestRuntimeConflictRetriesEnd(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := ctxFor(t)
	tries := 0
	stale := func(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
		tries++
		_, v, err := l.Load(ctx, events.PersonSubject("13"))
		if err != nil {
			return nil, err
		}
		return []events.Commit{{Subject: events.PersonSubject("13"), Expected: v + 1000,
			Events: []events.Payload{events.PersonRoleGranted{NRP: "13"}}}}, nil
	}
	id := newID()
	_, err := e.rt.Handle(ctx, "test.Stale", commands.Meta{CommandID: id}, stale)
	if !errors.Is(err, commands.ErrUnavailable) || apperr.CodeOf(err) != apperr.Unavailable ||
		errors.Is(err, commands.ErrConflict) || !errors.Is(err, events.ErrConflict) {
		t.Fatalf("err = %v, want commands.ErrUnavailable wrapping the last conflict", err)
	}
	if got := httpx.StatusOf(apperr.CodeOf(err)); got != http.StatusServiceUnavailable {
		t.Fatalf("HTTP status %d, want 503", got)
	}
	if tries < 2 {
		t.Fatalf("decided %d times, want re-decisions", tries)
	}
	if e.head(t) != 0 {
		t.Fatal("a refused command appended")
	}
	if _, seen, err := commands.NewPGCommandLog(e.pool).Get(ctx, id); err != nil || seen {
		t.Fatalf("an unavailable answer was recorded as the outcome (seen=%v, err=%v)", seen, err)
	}
	out, err := e.rt.Handle(ctx, "test.Grant", commands.Meta{CommandID: id}, grant("13", "a"))
	if err != nil || len(out.Appended) != 1 {
		t.Fatalf("retry of the same id: %+v, %v; want it decided afresh", out, err)
	}
}

func TestPGCommandLog(t *testing.T) {
	t.Parallel()
	pool, _ := testkit.NewDatabase(t)
	ctx := ctxFor(t)
	log := commands.NewPGCommandLog(pool)
	id := newID()
	if _, ok, err := log.Get(ctx, id); err != nil || ok {
		t.Fatalf("unknown id: ok=%v err=%v", ok, err)
	}
	first := commands.Outcome{CommandID: id, Appended: []events.Appended{{Subject: "directory.person.1", Stream: "DIRECTORY",
		Sequence: 4, EventIDs: []string{"e1"}, Types: []string{"PersonRoleGranted"}}}}
	if err := log.Put(ctx, id, "test.Grant", first); err != nil {
		t.Fatal(err)
	}
	second := commands.Outcome{CommandID: id, Appended: []events.Appended{}, Rejected: &commands.Rejection{Code: apperr.Invalid, Message: "x"}}
	if err := log.Put(ctx, id, "test.Grant", second); err != nil {
		t.Fatal(err)
	}
	got, ok, err := log.Get(ctx, id)
	if err != nil || !ok || !reflect.DeepEqual(got, first) {
		t.Fatalf("get = %+v, %v, %v; want the first outcome %+v", got, ok, err, first)
	}
}
