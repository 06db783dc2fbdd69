// Package storetest is the conformance suite of the event store: every
// implementation (the JetStream store, and any in-memory one a test may
// want) must pass Run. Tests that depend on JetStream itself (stream
// configuration, the duplicate window) live next to the store; Replica
// (replica.go) puts a JetStream store in a state those tests and the
// commands' tests need: a replica behind its leader.
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cicero/cicero/events"
)

// Store is the event-store behaviour the suite checks.
type Store interface {
	Append(ctx context.Context, meta events.Meta, c events.Commit) (events.Appended, error)
	AppendAtomic(ctx context.Context, meta events.Meta, commits []events.Commit) ([]events.Appended, error)
	Load(ctx context.Context, subject string) ([]events.Envelope, uint64, error)
	LoadUpTo(ctx context.Context, subject string, upTo uint64) ([]events.Envelope, uint64, error)
	ReadStream(ctx context.Context, stream string, from uint64, filter string, fn func(events.Envelope) error) error
	StreamHead(ctx context.Context, stream string) (uint64, error)
}

// Backend opens stores over one fresh, empty event store (every stream of
// events.Contexts provisioned). Stores opened from one Backend share their
// data and differ only in the registry they encode and decode with.
type Backend func(reg *events.Registry) Store

// Run runs the suite. newBackend is called once per test and must clean up
// after itself with t.Cleanup.
func Run(t *testing.T, newBackend func(t *testing.T) Backend) {
	tests := []struct {
		name string
		fn   func(*testing.T, Backend)
	}{
		{"RoundTripEnvelope", testRoundTripEnvelope},
		{"MultiEventCommit", testMultiEventCommit},
		{"ExpectedVersionConflict", testExpectedVersionConflict},
		{"DuplicateCommand", testDuplicateCommand},
		{"UnknownSubject", testUnknownSubject},
		{"OddIDs", testOddIDs},
		{"InvalidCommit", testInvalidCommit},
		{"LoadUpTo", testLoadUpTo},
		{"ReadStream", testReadStream},
		{"Upcasting", testUpcasting},
		{"AtomicAppend", testAtomicAppend},
		{"RaceSameExpectedVersion", testRaceSameExpectedVersion},
		{"RaceRetryUntilStored", testRaceRetryUntilStored},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newBackend(t)) })
	}
}

func ctxFor(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

// mustAppend appends or fails the test.
func mustAppend(t *testing.T, s Store, meta events.Meta, c events.Commit) events.Appended {
	t.Helper()
	a, err := s.Append(ctxFor(t), meta, c)
	if err != nil {
		t.Fatalf("append %s (expected %d): %v", c.Subject, c.Expected, err)
	}
	return a
}

// mustLoad loads or fails the test.
func mustLoad(t *testing.T, s Store, subject string) ([]events.Envelope, uint64) {
	t.Helper()
	envs, v, err := s.Load(ctxFor(t), subject)
	if err != nil {
		t.Fatalf("load %s: %v", subject, err)
	}
	return envs, v
}

func grant(nrp, role string) events.Payload { return events.PersonRoleGranted{NRP: nrp, Role: role} }

func testRoundTripEnvelope(t *testing.T, b Backend) {
	s := b(events.NewRegistry())
	wib := time.FixedZone("WIB", 7*3600)
	occurred := time.Date(2025, 3, 14, 9, 26, 53, 589793000, wib)
	meta := events.Meta{CommandID: newID(), CorrelationID: newID(), CausationID: newID(), Actor: "user:42", OccurredAt: occurred}
	nrp := "75020001"
	subj := events.PersonSubject(nrp)
	payload := events.PersonRegistered{NRP: nrp, Nama: "BUDI"}
	before := time.Now().Add(-time.Minute)
	a := mustAppend(t, s, meta, events.Commit{Subject: subj, AggregateID: nrp, Events: []events.Payload{payload}})

	wantID := events.EventID(meta.CommandID, subj, 0)
	if a.Subject != subj || a.Stream != "DIRECTORY" || a.Sequence == 0 || a.Duplicate ||
		!reflect.DeepEqual(a.EventIDs, []string{wantID}) || !reflect.DeepEqual(a.Types, []string{"PersonRegistered"}) {
		t.Fatalf("appended = %+v, want subject %s stream DIRECTORY id %s", a, subj, wantID)
	}
	envs, v := mustLoad(t, s, subj)
	if v != a.Sequence || len(envs) != 1 {
		t.Fatalf("load: %d events at version %d, want 1 at %d", len(envs), v, a.Sequence)
	}
	e := envs[0]
	got := []any{e.ID, e.Type, e.Version, e.Stream, e.Subject, e.AggregateID, e.Position, e.Index,
		e.Meta.CommandID, e.Meta.CorrelationID, e.Meta.CausationID, e.Meta.Actor}
	want := []any{wantID, "PersonRegistered", 1, "DIRECTORY", subj, nrp, a.Sequence, 0,
		meta.CommandID, meta.CorrelationID, meta.CausationID, meta.Actor}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("envelope fields\n got %v\nwant %v", got, want)
	}
	if !e.Meta.OccurredAt.Equal(occurred) {
		t.Fatalf("occurred_at = %s, want %s", e.Meta.OccurredAt, occurred)
	}
	if _, off := e.Meta.OccurredAt.Zone(); off != 7*3600 {
		t.Fatalf("occurred_at offset = %d s, want +07:00 kept", off)
	}
	if e.RecordedAt.Before(before) || e.RecordedAt.After(time.Now().Add(time.Minute)) {
		t.Fatalf("recorded_at = %s, want about now", e.RecordedAt)
	}
	p, err := events.NewRegistry().Decode(&e)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	if got, ok := p.(*events.PersonRegistered); !ok || !reflect.DeepEqual(*got, payload) {
		t.Fatalf("payload = %#v, want %#v", p, payload)
	}
	// Without a business time the store stamps one, close to now.
	b2 := mustAppend(t, s, events.Meta{}, events.Commit{Subject: subj, AggregateID: nrp, Expected: v,
		Events: []events.Payload{grant(nrp, "operator")}})
	envs, _ = mustLoad(t, s, subj)
	if len(envs) != 2 || envs[1].Position != b2.Sequence || envs[1].Meta.CommandID == "" ||
		time.Since(envs[1].Meta.OccurredAt) > time.Minute {
		t.Fatalf("second event = %+v, want a generated command id and occurred_at about now", envs[len(envs)-1])
	}
}

func testMultiEventCommit(t *testing.T, b Backend) {
	s := b(events.NewRegistry())
	ctx := ctxFor(t)
	nrp := "1001"
	subj := events.PersonSubject(nrp)
	head0, err := s.StreamHead(ctx, "DIRECTORY")
	if err != nil {
		t.Fatal(err)
	}
	meta := events.Meta{CommandID: newID(), Actor: "system:test"}
	evs := []events.Payload{events.PersonRegistered{NRP: nrp, Nama: "X"}, grant(nrp, "operator"), grant(nrp, "ditbinmas")}
	a := mustAppend(t, s, meta, events.Commit{Subject: subj, AggregateID: nrp, Events: evs})
	head1, err := s.StreamHead(ctx, "DIRECTORY")
	if err != nil {
		t.Fatal(err)
	}
	if head1 != head0+1 || a.Sequence != head1 {
		t.Fatalf("three events took stream sequences %d..%d (ack %d), want one message", head0, head1, a.Sequence)
	}
	envs, v := mustLoad(t, s, subj)
	if v != a.Sequence || len(envs) != 3 {
		t.Fatalf("load: %d events at %d, want 3 at %d", len(envs), v, a.Sequence)
	}
	reg := events.NewRegistry()
	for i, e := range envs {
		if e.Position != a.Sequence || e.Index != i || e.ID != events.EventID(meta.CommandID, subj, i) || e.ID != a.EventIDs[i] ||
			e.Type != evs[i].EventType() || e.Type != a.Types[i] || e.Meta.CommandID != meta.CommandID {
			t.Fatalf("event %d = %+v", i, e)
		}
		p, err := reg.Decode(&e)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(reflect.ValueOf(p).Elem().Interface(), evs[i]) {
			t.Fatalf("event %d payload = %#v, want %#v", i, p, evs[i])
		}
	}
}

func testExpectedVersionConflict(t *testing.T, b Backend) {
	s := b(events.NewRegistry())
	ctx := ctxFor(t)
	nrp := "2002"
	subj := events.PersonSubject(nrp)
	other := events.PersonSubject("2003")
	a1 := mustAppend(t, s, events.Meta{}, events.Commit{Subject: subj, AggregateID: nrp, Events: []events.Payload{grant(nrp, "a")}})
	// Another aggregate moving the stream must not disturb this one's version.
	o := mustAppend(t, s, events.Meta{}, events.Commit{Subject: other, AggregateID: "2003", Events: []events.Payload{grant("2003", "a")}})

	for _, tc := range []struct {
		name     string
		expected uint64
	}{
		{"expects empty subject", 0},
		{"expects the stream head", o.Sequence},
		{"expects a future version", a1.Sequence + 100},
		{"expects a version before the last", a1.Sequence - 1},
	} {
		_, err := s.Append(ctx, events.Meta{}, events.Commit{Subject: subj, AggregateID: nrp, Expected: tc.expected,
			Events: []events.Payload{grant(nrp, "b")}})
		if !errors.Is(err, events.ErrConflict) {
			t.Fatalf("%s: err = %v, want ErrConflict", tc.name, err)
		}
	}
	a2 := mustAppend(t, s, events.Meta{}, events.Commit{Subject: subj, AggregateID: nrp, Expected: a1.Sequence,
		Events: []events.Payload{grant(nrp, "c")}})
	envs, v := mustLoad(t, s, subj)
	if len(envs) != 2 || v != a2.Sequence || envs[0].Position != a1.Sequence || envs[1].Position != a2.Sequence {
		t.Fatalf("history after conflicts: %d events at %d, want 2 at %d", len(envs), v, a2.Sequence)
	}
}

func testDuplicateCommand(t *testing.T, b Backend) {
	s := b(events.NewRegistry())
	nrp := "3003"
	subj := events.PersonSubject(nrp)
	meta := events.Meta{CommandID: newID(), Actor: "user:1"}
	c := events.Commit{Subject: subj, AggregateID: nrp, Events: []events.Payload{grant(nrp, "a"), grant(nrp, "b")}}
	first := mustAppend(t, s, meta, c)
	again := mustAppend(t, s, meta, c)
	if !again.Duplicate || again.Sequence != first.Sequence || !reflect.DeepEqual(again.EventIDs, first.EventIDs) ||
		!reflect.DeepEqual(again.Types, first.Types) {
		t.Fatalf("retried append = %+v, want a duplicate of %+v", again, first)
	}
	// The retry may come after the aggregate moved on: still the first copy.
	later := mustAppend(t, s, events.Meta{}, events.Commit{Subject: subj, AggregateID: nrp, Expected: first.Sequence,
		Events: []events.Payload{grant(nrp, "c")}})
	again = mustAppend(t, s, meta, c)
	if !again.Duplicate || again.Sequence != first.Sequence {
		t.Fatalf("retry after the aggregate moved = %+v, want duplicate of %d", again, first.Sequence)
	}
	envs, v := mustLoad(t, s, subj)
	if len(envs) != 3 || v != later.Sequence {
		t.Fatalf("history: %d events at %d, want 3 at %d", len(envs), v, later.Sequence)
	}
	// Another command with the same expected version is a real conflict.
	if _, err := s.Append(ctxFor(t), events.Meta{CommandID: newID()}, c); !errors.Is(err, events.ErrConflict) {
		t.Fatalf("other command on a stale version: err = %v, want ErrConflict", err)
	}
}

func testUnknownSubject(t *testing.T, b Backend) {
	s := b(events.NewRegistry())
	ctx := ctxFor(t)
	// Something else in the stream, so the empty answer is about the subject.
	mustAppend(t, s, events.Meta{}, events.Commit{Subject: events.PersonSubject("4004"), AggregateID: "4004",
		Events: []events.Payload{grant("4004", "a")}})
	for _, subj := range []string{events.PersonSubject("4005"), events.PersonSubject("400"), "messaging.delivery.1"} {
		envs, v, err := s.Load(ctx, subj)
		if err != nil || envs != nil || v != 0 {
			t.Fatalf("load %s = (%v, %d, %v), want (nil, 0, nil)", subj, envs, v, err)
		}
		envs, v, err = s.LoadUpTo(ctx, subj, 1000)
		if err != nil || envs != nil || v != 0 {
			t.Fatalf("load %s up to 1000 = (%v, %d, %v), want (nil, 0, nil)", subj, envs, v, err)
		}
	}
}

// OddIDs are ids that are not subject-safe as they are.
var OddIDs = []string{
	"budi.ig", "budi", "budi ig", "*", ">", "a.*.>", "..", "~", "~7E", "%2E", "tab\there", "new\nline",
	"ünïcødé", "日本語", "🚀rocket", "Ab_-09", strings.Repeat("x.", 50),
}

func testOddIDs(t *testing.T, b Backend) {
	s := b(events.NewRegistry())
	seqs := map[string]uint64{}
	for _, id := range OddIDs {
		subj := events.Subject(events.PersonSubjectPrefix, id)
		tok := strings.TrimPrefix(subj, events.PersonSubjectPrefix+".")
		if strings.ContainsAny(tok, ".*> \t\r\n") || tok == "" {
			t.Fatalf("id %q: token %q is not one literal token", id, tok)
		}
		back, err := events.DecodeToken(tok)
		if err != nil || back != id {
			t.Fatalf("id %q: token %q decodes to %q, %v", id, tok, back, err)
		}
		aggID := id
		if strings.ContainsAny(id, "\r\n") {
			aggID = events.EncodeToken(id) // a header value cannot hold a line break
		}
		a := mustAppend(t, s, events.Meta{}, events.Commit{Subject: subj, AggregateID: aggID, Events: []events.Payload{grant(id, "r")}})
		seqs[id] = a.Sequence
	}
	// Each id's subject holds its own event and nobody else's, even where
	// the raw id would have been a wildcard or several tokens.
	reg := events.NewRegistry()
	for _, id := range OddIDs {
		subj := events.Subject(events.PersonSubjectPrefix, id)
		envs, v := mustLoad(t, s, subj)
		if len(envs) != 1 || v != seqs[id] || envs[0].Subject != subj {
			t.Fatalf("id %q: %d events at %d, want 1 at %d", id, len(envs), v, seqs[id])
		}
		p, err := reg.Decode(&envs[0])
		if err != nil {
			t.Fatal(err)
		}
		if got := p.(*events.PersonRoleGranted).NRP; got != id {
			t.Fatalf("id %q: payload holds %q", id, got)
		}
		if !strings.ContainsAny(id, "\r\n") && envs[0].AggregateID != id {
			t.Fatalf("id %q: aggregate id %q", id, envs[0].AggregateID)
		}
	}
}

func testInvalidCommit(t *testing.T, b Backend) {
	s := b(events.NewRegistry())
	ctx := ctxFor(t)
	ev := []events.Payload{grant("1", "a")}
	for _, tc := range []struct {
		name string
		meta events.Meta
		c    events.Commit
	}{
		{"no events", events.Meta{}, events.Commit{Subject: events.PersonSubject("1")}},
		{"empty id", events.Meta{}, events.Commit{Subject: events.PersonSubject(""), Events: ev}},
		{"wildcard", events.Meta{}, events.Commit{Subject: "directory.person.*", Events: ev}},
		{"full wildcard", events.Meta{}, events.Commit{Subject: "directory.>", Events: ev}},
		{"space", events.Meta{}, events.Commit{Subject: "directory.person.budi ig", Events: ev}},
		{"stream only", events.Meta{}, events.Commit{Subject: "directory", Events: ev}},
		{"line break in aggregate id", events.Meta{}, events.Commit{Subject: events.PersonSubject("1"), AggregateID: "1\r\nX: y", Events: ev}},
		{"line break in actor", events.Meta{Actor: "a\nb"}, events.Commit{Subject: events.PersonSubject("1"), Events: ev}},
		{"unregistered type", events.Meta{}, events.Commit{Subject: events.PersonSubject("1"), Events: []events.Payload{widgetV1{}}}},
	} {
		if _, err := s.Append(ctx, tc.meta, tc.c); err == nil || errors.Is(err, events.ErrConflict) {
			t.Fatalf("%s: err = %v, want a refusal that is not a conflict", tc.name, err)
		}
	}
	if head, err := s.StreamHead(ctx, "DIRECTORY"); err != nil || head != 0 {
		t.Fatalf("stream head after refusals = %d, %v; want 0", head, err)
	}
}

func testLoadUpTo(t *testing.T, b Backend) {
	s := b(events.NewRegistry())
	ctx := ctxFor(t)
	a, o := events.PersonSubject("5005"), events.PersonSubject("5006")
	var mine []uint64
	var va uint64
	// The other subject starts the stream, so the first sequences are not ours.
	vo := mustAppend(t, s, events.Meta{}, events.Commit{Subject: o, AggregateID: "5006", Events: []events.Payload{grant("5006", "first")}}).Sequence
	for i := 0; i < 4; i++ {
		x := mustAppend(t, s, events.Meta{}, events.Commit{Subject: a, AggregateID: "5005", Expected: va, Events: []events.Payload{grant("5005", fmt.Sprint(i))}})
		va = x.Sequence
		mine = append(mine, va)
		y := mustAppend(t, s, events.Meta{}, events.Commit{Subject: o, AggregateID: "5006", Expected: vo, Events: []events.Payload{grant("5006", fmt.Sprint(i))}})
		vo = y.Sequence
	}
	for _, tc := range []struct {
		upTo        uint64
		wantN       int
		wantVersion uint64
	}{
		{0, 0, 0},
		{mine[0] - 1, 0, 0},
		{mine[0], 1, mine[0]},
		{mine[1] + 1, 2, mine[1]}, // a sequence of the other subject
		{mine[2], 3, mine[2]},
		{mine[3], 4, mine[3]},
		{mine[3] + 1000, 4, mine[3]},
	} {
		envs, v, err := s.LoadUpTo(ctx, a, tc.upTo)
		if err != nil {
			t.Fatal(err)
		}
		if len(envs) != tc.wantN || v != tc.wantVersion {
			t.Fatalf("load up to %d: %d events at %d, want %d at %d", tc.upTo, len(envs), v, tc.wantN, tc.wantVersion)
		}
		for i, e := range envs {
			if e.Position != mine[i] || e.Subject != a {
				t.Fatalf("load up to %d: event %d at %d on %s", tc.upTo, i, e.Position, e.Subject)
			}
		}
	}
}

func testReadStream(t *testing.T, b Backend) {
	s := b(events.NewRegistry())
	ctx := ctxFor(t)
	type row struct {
		subject string
		pos     uint64
		index   int
	}
	var all []row
	add := func(subj, id string, n int) {
		evs := make([]events.Payload, n)
		for i := range evs {
			evs[i] = grant(id, fmt.Sprint(i))
		}
		_, v := mustLoad(t, s, subj)
		x := mustAppend(t, s, events.Meta{}, events.Commit{Subject: subj, AggregateID: id, Expected: v, Events: evs})
		for i := 0; i < n; i++ {
			all = append(all, row{subj, x.Sequence, i})
		}
	}
	for i := 0; i < 3; i++ {
		add(events.PersonSubject(fmt.Sprint(600+i)), fmt.Sprint(600+i), 1)
		add(events.ClientSubject("POLRES"+fmt.Sprint(i)), "POLRES"+fmt.Sprint(i), 2)
	}
	mustAppend(t, s, events.Meta{}, events.Commit{Subject: events.DeliverySubject("test", "1"), AggregateID: "1",
		Events: []events.Payload{events.MessageDelivered{OutboxID: 1}}})
	read := func(from uint64, filter string) []row {
		t.Helper()
		var got []row
		err := s.ReadStream(ctx, "DIRECTORY", from, filter, func(e events.Envelope) error {
			if e.Stream != "DIRECTORY" || e.Type != "PersonRoleGranted" {
				return fmt.Errorf("unexpected event %+v", e)
			}
			got = append(got, row{e.Subject, e.Position, e.Index})
			return nil
		})
		if err != nil {
			t.Fatalf("read from %d filter %q: %v", from, filter, err)
		}
		return got
	}
	want := func(from uint64, prefix string) []row {
		var out []row
		for _, r := range all {
			if r.pos >= from && strings.HasPrefix(r.subject, prefix) {
				out = append(out, r)
			}
		}
		return out
	}
	head, err := s.StreamHead(ctx, "DIRECTORY")
	if err != nil || head != all[len(all)-1].pos {
		t.Fatalf("stream head = %d, %v; want %d", head, err, all[len(all)-1].pos)
	}
	for _, tc := range []struct {
		from   uint64
		filter string
		prefix string
	}{
		{0, "", ""},
		{1, "", ""},
		{4, "", ""},
		{head, "", ""},
		{1, "directory.person.>", "directory.person."},
		{3, "directory.client.>", "directory.client."},
		{1, events.PersonSubject("601"), events.PersonSubject("601")},
	} {
		got := read(tc.from, tc.filter)
		if w := want(max(tc.from, 1), tc.prefix); !reflect.DeepEqual(got, w) {
			t.Fatalf("read from %d filter %q:\n got %v\nwant %v", tc.from, tc.filter, got, w)
		}
	}
	// Nothing to read: past the head, or a filter that matches nothing.
	// Both must answer at once, not after a fetch timeout.
	start := time.Now()
	if got := read(head+1, ""); len(got) != 0 {
		t.Fatalf("read past head: %v", got)
	}
	if got := read(1, "directory.nothing.>"); len(got) != 0 {
		t.Fatalf("read with an unmatched filter: %v", got)
	}
	if got := read(all[1].pos, events.PersonSubject("600")); len(got) != 0 {
		t.Fatalf("read with a filter matching only before from: %v", got)
	}
	if d := time.Since(start); d > 900*time.Millisecond {
		t.Fatalf("empty reads took %s", d)
	}
	// An error from fn ends the read and comes back as is.
	stop := errors.New("stop")
	n := 0
	err = s.ReadStream(ctx, "DIRECTORY", 1, "", func(events.Envelope) error {
		n++
		if n == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 2 {
		t.Fatalf("read with a stopping fn: err %v after %d events", err, n)
	}
	// Events appended during a read are not part of it.
	var positions []uint64
	err = s.ReadStream(ctx, "DIRECTORY", head, "", func(e events.Envelope) error {
		positions = append(positions, e.Position)
		_, err := s.Append(ctx, events.Meta{}, events.Commit{Subject: events.PersonSubject(fmt.Sprint(700 + len(positions))), AggregateID: "7",
			Events: []events.Payload{grant("7", "x")}})
		return err
	})
	if err != nil || !reflect.DeepEqual(positions, []uint64{head, head}) { // the last commit carried two events
		t.Fatalf("read while appending: positions %v, %v; want [%d %d]", positions, err, head, head)
	}
}

// widgetV1 and widgetV2 are two schema versions of one test-only event
// type: v2 split the name into first and last.
type widgetV1 struct {
	Name string `json:"name"`
}

func (widgetV1) EventType() string { return "TestWidgetNamed" }

type widgetV2 struct {
	First string `json:"first"`
	Last  string `json:"last"`
}

func (widgetV2) EventType() string { return "TestWidgetNamed" }

func upcastWidget(raw json.RawMessage) (json.RawMessage, error) {
	var v1 widgetV1
	if err := json.Unmarshal(raw, &v1); err != nil {
		return nil, err
	}
	first, last, _ := strings.Cut(v1.Name, " ")
	return json.Marshal(widgetV2{First: first, Last: last})
}

func testUpcasting(t *testing.T, b Backend) {
	ctx := ctxFor(t)
	regV1 := events.NewRegistry()
	regV1.Register(1, func() events.Payload { return &widgetV1{} })
	regV2 := events.NewRegistry()
	regV2.Register(2, func() events.Payload { return &widgetV2{} })
	regV2.RegisterUpcaster("TestWidgetNamed", 1, upcastWidget)
	old, cur, plain := b(regV1), b(regV2), b(events.NewRegistry())

	subj := "directory.widget.w1"
	a1 := mustAppend(t, old, events.Meta{}, events.Commit{Subject: subj, AggregateID: "w1", Events: []events.Payload{widgetV1{Name: "Budi Santoso"}}})
	a2 := mustAppend(t, cur, events.Meta{}, events.Commit{Subject: subj, AggregateID: "w1", Expected: a1.Sequence,
		Events: []events.Payload{widgetV2{First: "Siti", Last: "Aminah"}, grant("w1", "x")}})

	check := func(envs []events.Envelope) {
		t.Helper()
		if len(envs) != 3 {
			t.Fatalf("%d events, want 3", len(envs))
		}
		want := []widgetV2{{"Budi", "Santoso"}, {"Siti", "Aminah"}}
		for i, w := range want {
			e := envs[i]
			if e.Version != 2 {
				t.Fatalf("event %d at version %d, want 2", i, e.Version)
			}
			p, err := regV2.Decode(&e)
			if err != nil {
				t.Fatal(err)
			}
			if got := *p.(*widgetV2); got != w {
				t.Fatalf("event %d = %+v, want %+v", i, got, w)
			}
		}
	}
	envs, v := mustLoad(t, cur, subj)
	if v != a2.Sequence {
		t.Fatalf("version %d, want %d", v, a2.Sequence)
	}
	check(envs)
	envs = nil
	if err := cur.ReadStream(ctx, "DIRECTORY", 1, subj, func(e events.Envelope) error { envs = append(envs, e); return nil }); err != nil {
		t.Fatal(err)
	}
	check(envs)
	// An older binary refuses a version it does not know; a registry
	// without the type refuses the type.
	if _, _, err := old.Load(ctx, subj); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("v1 reader on a v2 event: err = %v", err)
	}
	if _, _, err := plain.Load(ctx, subj); !errors.Is(err, events.ErrUnknownEventType) {
		t.Fatalf("reader without the type: err = %v, want ErrUnknownEventType", err)
	}
}

func testAtomicAppend(t *testing.T, b Backend) {
	s := b(events.NewRegistry())
	ctx := ctxFor(t)
	oldS, newS := events.PersonSubject("8008"), events.PersonSubject("9009")
	a := mustAppend(t, s, events.Meta{}, events.Commit{Subject: oldS, AggregateID: "8008", Events: []events.Payload{events.PersonRegistered{NRP: "8008"}}})
	move := events.PersonRenumbered{OldNRP: "8008", NewNRP: "9009"}
	commits := func(expOld, expNew uint64) []events.Commit {
		return []events.Commit{
			{Subject: oldS, AggregateID: "8008", Expected: expOld, Events: []events.Payload{move}},
			{Subject: newS, AggregateID: "9009", Expected: expNew, Events: []events.Payload{move}},
		}
	}
	head0, _ := s.StreamHead(ctx, "DIRECTORY")
	for _, tc := range []struct {
		name           string
		expOld, expNew uint64
	}{{"stale first", 0, 0}, {"stale second", a.Sequence, a.Sequence}} {
		if _, err := s.AppendAtomic(ctx, events.Meta{}, commits(tc.expOld, tc.expNew)); !errors.Is(err, events.ErrConflict) {
			t.Fatalf("%s: err = %v, want ErrConflict", tc.name, err)
		}
		if head, _ := s.StreamHead(ctx, "DIRECTORY"); head != head0 {
			t.Fatalf("%s: a refused batch moved the head from %d to %d", tc.name, head0, head)
		}
	}
	meta := events.Meta{CommandID: newID()}
	res, err := s.AppendAtomic(ctx, meta, commits(a.Sequence, 0))
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || res[0].Sequence != head0+1 || res[1].Sequence != head0+2 || res[0].Subject != oldS || res[1].Subject != newS ||
		res[0].EventIDs[0] != events.EventID(meta.CommandID, oldS, 0) || res[1].EventIDs[0] != events.EventID(meta.CommandID, newS, 0) {
		t.Fatalf("atomic append = %+v", res)
	}
	again, err := s.AppendAtomic(ctx, meta, commits(a.Sequence, 0))
	if err != nil {
		t.Fatalf("retried atomic append: %v", err)
	}
	for i := range again {
		if !again[i].Duplicate || again[i].Sequence != res[i].Sequence {
			t.Fatalf("retried atomic append = %+v, want duplicates of %+v", again, res)
		}
	}
	for i, subj := range []string{oldS, newS} {
		envs, v := mustLoad(t, s, subj)
		if v != res[i].Sequence || envs[len(envs)-1].Type != "PersonRenumbered" {
			t.Fatalf("%s at %d, want %d", subj, v, res[i].Sequence)
		}
	}
	if _, err := s.AppendAtomic(ctx, events.Meta{}, []events.Commit{
		{Subject: newS, Expected: res[1].Sequence, Events: []events.Payload{move}},
		{Subject: "messaging.delivery.9", Events: []events.Payload{events.MessageDelivered{}}},
	}); err == nil {
		t.Fatal("atomic append across streams succeeded")
	}
}

// raceN is how many writers race for one aggregate.
const raceN = 16

func testRaceSameExpectedVersion(t *testing.T, b Backend) {
	s := b(events.NewRegistry())
	ctx := ctxFor(t)
	subj := events.PersonSubject("race")
	seed := mustAppend(t, s, events.Meta{}, events.Commit{Subject: subj, AggregateID: "race", Events: []events.Payload{grant("race", "seed")}})
	var wg sync.WaitGroup
	start := make(chan struct{})
	res := make([]events.Appended, raceN)
	errs := make([]error, raceN)
	for i := 0; i < raceN; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			res[i], errs[i] = s.Append(ctx, events.Meta{CommandID: newID()}, events.Commit{Subject: subj, AggregateID: "race",
				Expected: seed.Sequence, Events: []events.Payload{grant("race", fmt.Sprint(i))}})
		}()
	}
	close(start)
	wg.Wait()
	winner := -1
	for i, err := range errs {
		switch {
		case err == nil && winner >= 0:
			t.Fatalf("writers %d and %d both won", winner, i)
		case err == nil:
			winner = i
		case !errors.Is(err, events.ErrConflict):
			t.Fatalf("writer %d: %v, want ErrConflict", i, err)
		}
	}
	if winner < 0 {
		t.Fatal("no writer won")
	}
	envs, v := mustLoad(t, s, subj)
	if len(envs) != 2 || v != res[winner].Sequence || envs[1].ID != res[winner].EventIDs[0] {
		t.Fatalf("history: %d events at %d, want seed + winner %d at %d", len(envs), v, winner, res[winner].Sequence)
	}
}

// testRaceRetryUntilStored has every writer reload and retry until its
// event is stored: the history must hold each once, in stream order.
func testRaceRetryUntilStored(t *testing.T, b Backend) {
	s := b(events.NewRegistry())
	ctx := ctxFor(t)
	subj := events.PersonSubject("race2")
	var wg sync.WaitGroup
	start := make(chan struct{})
	ids := make([]string, raceN)
	errs := make([]error, raceN)
	for i := 0; i < raceN; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			meta := events.Meta{CommandID: newID()}
			for attempt := 0; attempt < 10*raceN; attempt++ {
				_, v, err := s.Load(ctx, subj)
				if err != nil {
					errs[i] = err
					return
				}
				a, err := s.Append(ctx, meta, events.Commit{Subject: subj, AggregateID: "race2", Expected: v,
					Events: []events.Payload{grant("race2", fmt.Sprint(i))}})
				if errors.Is(err, events.ErrConflict) {
					continue
				}
				if err == nil {
					ids[i] = a.EventIDs[0]
				}
				errs[i] = err
				return
			}
			errs[i] = errors.New("never stored")
		}()
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("writer %d: %v", i, err)
		}
	}
	envs, _ := mustLoad(t, s, subj)
	if len(envs) != raceN {
		t.Fatalf("history holds %d events, want %d", len(envs), raceN)
	}
	seen := map[string]bool{}
	for i, e := range envs {
		if i > 0 && e.Position <= envs[i-1].Position {
			t.Fatalf("positions out of order: %d after %d", e.Position, envs[i-1].Position)
		}
		seen[e.ID] = true
	}
	for i, id := range ids {
		if !seen[id] {
			t.Fatalf("writer %d's event %s is missing", i, id)
		}
	}
}
