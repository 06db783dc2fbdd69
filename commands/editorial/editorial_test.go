package editorial_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/editorial"
	"github.com/cicero/cicero/commands/penmasuser"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/jakarta"
)

// TestIDsAndRetries: ids are the legacy integers, handed out once each
// under concurrency; a command retried with its id answers the first
// outcome (same id, same positions) and appends nothing; a request
// decided once is a 409 the second time, also for another editor.
func TestIDsAndRetries(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	create := editorial.CreateEvent{By: r.accounts["creator"], Fields: events.EditorialFields{EventDate: t0, Topic: "A"}}
	var mu sync.Mutex
	seen := map[int64]bool{}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			id, _, err := r.ed.CreateEvent(ctx, r.meta("creator"), create)
			mu.Lock()
			defer mu.Unlock()
			if err != nil || id <= 0 || seen[id] {
				t.Errorf("concurrent create: id %d (seen %v), %v", id, seen[id], err)
			}
			seen[id] = true
		})
	}
	wg.Wait()
	for i := int64(1); i <= 8; i++ {
		if !seen[i] {
			t.Errorf("ids %v: %d missing (want 1…8)", seen, i)
		}
	}

	meta := r.meta("creator")
	meta.CommandID = "0190a8a0-0000-7000-8000-00000000e001"
	id, first, err := r.ed.CreateEvent(ctx, meta, create)
	if err != nil || id != 9 {
		t.Fatalf("create: %d, %v", id, err)
	}
	again, second, err := r.ed.CreateEvent(ctx, meta, create)
	if err != nil || again != id || second.Appended[0].Sequence != first.Appended[0].Sequence {
		t.Errorf("retry: id %d (want %d), %+v (want %+v), %v", again, id, second.Appended, first.Appended, err)
	}
	if next, _, _ := r.ed.CreateEvent(ctx, r.meta("creator"), create); next != 10 {
		t.Errorf("after the retry the next id is %d, want 10 (the retry took none)", next)
	}

	req, _, err := r.ed.SubmitEvent(ctx, r.meta("creator"), editorial.SubmitEvent{EventID: id, By: r.accounts["creator"]})
	if err != nil || req != 1 {
		t.Fatalf("submit: request %d, %v", req, err)
	}
	approve := editorial.DecideRequest{RequestID: req, Status: "approved", By: r.accounts["editor"]}
	ameta := r.meta("editor")
	ameta.CommandID = "0190a8a0-0000-7000-8000-00000000e002"
	if _, err := r.ed.DecideRequest(ctx, ameta, approve); err != nil {
		t.Fatal(err)
	}
	// The same approval retried is its first answer, not a conflict …
	if o, err := r.ed.DecideRequest(ctx, ameta, approve); err != nil || len(o.Appended) != 1 {
		t.Errorf("retried approval: %+v, %v", o, err)
	}
	// … but approving again is.
	_, err = r.ed.DecideRequest(ctx, r.meta("editor"), approve)
	if apperr.CodeOf(err) != apperr.Conflict || apperr.MessageOf(err) != "Permintaan persetujuan sudah disetujui" {
		t.Errorf("second approval: %v, want 409 Permintaan persetujuan sudah disetujui", err)
	}
	for _, tc := range []struct {
		name string
		cmd  editorial.DecideRequest
		code apperr.Code
	}{
		{"unknown request", editorial.DecideRequest{RequestID: 99, Status: "approved", By: r.accounts["editor"]}, apperr.NotFound},
		{"bad status", editorial.DecideRequest{RequestID: req, Status: "maybe", By: r.accounts["editor"]}, apperr.Invalid},
		{"unknown account", editorial.DecideRequest{RequestID: req, Status: "approved", By: "0190a8a0-0000-7000-8000-0000000000ff"}, apperr.Forbidden},
	} {
		if _, err := r.ed.DecideRequest(ctx, commands.Meta{}, tc.cmd); apperr.CodeOf(err) != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
	}
}

// TestRoleComesFromTheAccount: an editor demoted by an admin can no
// longer decide, whatever the token still says; the requester's WhatsApp
// number at the decision goes into the event.
func TestRoleComesFromTheAccount(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	wa := "0812-3456-7890"
	r.must(r.users.SetProfile(ctx, commands.Meta{}, penmasuser.SetProfile{UserID: r.accounts["creator"], WhatsApp: &wa, By: "admin"}))
	id, req := r.eventIn(events.EditorialStatusSubmitted)
	penulis := "penulis"
	r.must(r.users.SetProfile(ctx, commands.Meta{}, penmasuser.SetProfile{UserID: r.accounts["editor"], Role: &penulis, By: "admin"}))
	_, err := r.ed.DecideRequest(ctx, r.meta("editor"), editorial.DecideRequest{RequestID: req, Status: "rejected", By: r.accounts["editor"]})
	if apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("demoted editor: %v, want 403", err)
	}
	r.must(r.users.SetProfile(ctx, commands.Meta{}, penmasuser.SetProfile{UserID: r.accounts["other"], Role: ptr(" Editor "), By: "admin"}))
	o, err := r.ed.DecideRequest(ctx, r.meta("other"), editorial.DecideRequest{RequestID: req, Status: "ditolak",
		Note: " foto kurang jelas ", By: r.accounts["other"]})
	if err != nil {
		t.Fatal(err)
	}
	envs, _, err := r.n.Store.Load(ctx, events.EditorialEventSubject(id))
	if err != nil {
		t.Fatal(err)
	}
	last := envs[len(envs)-1]
	ev, err := r.n.Store.Registry().Decode(&last)
	rej, ok := ev.(*events.ReleaseRejected)
	if err != nil || !ok || last.Position != o.Appended[0].Sequence {
		t.Fatalf("last event %T, %v", ev, err)
	}
	want := events.ReleaseDecision{EventID: id, RequestID: req, RequestedBy: r.accounts["creator"], By: r.accounts["other"],
		ByUsername: "other", Note: "foto kurang jelas", Title: "Patroli malam", EventDate: t0, RequesterWhatsApp: "6281234567890", DecidedAt: t0}
	if !rej.EventDate.Equal(want.EventDate) || !rej.DecidedAt.Equal(t0) {
		t.Errorf("times %v %v", rej.EventDate, rej.DecidedAt)
	}
	rej.EventDate, rej.DecidedAt = want.EventDate, want.DecidedAt
	if rej.ReleaseDecision != want {
		t.Errorf("decision\n got %+v\nwant %+v", rej.ReleaseDecision, want)
	}
	for _, bad := range []penmasuser.SetProfile{
		{UserID: r.accounts["other"], WhatsApp: ptr("12"), By: "admin"},
		{UserID: r.accounts["other"], Role: ptr("  "), By: "admin"},
		{UserID: r.accounts["other"], By: "admin"},
	} {
		if o, err := r.users.SetProfile(ctx, commands.Meta{}, bad); apperr.CodeOf(err) != apperr.Invalid || len(o.Appended) != 0 {
			t.Errorf("%+v: %v, want 400 and nothing appended", bad, err)
		}
	}
}

func ptr(s string) *string { return &s }

func TestParseTime(t *testing.T) {
	at := func(y int, m time.Month, d, hh, mm int) time.Time {
		return time.Date(y, m, d, hh, mm, 0, 0, jakarta.Location)
	}
	for _, tc := range []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"05/03/2026", at(2026, 3, 5, 0, 0), true},
		{"5-3-2026 08:30", at(2026, 3, 5, 8, 30), true},
		{"2026-03-05", at(2026, 3, 5, 0, 0), true},
		{"2026/03/05T23:59", at(2026, 3, 5, 23, 59), true},
		{"2026-03-05T01:00:00Z", time.Date(2026, 3, 5, 1, 0, 0, 0, time.UTC), true},
		{"31/02/2026", time.Time{}, false},
		{"2026-03-05 24:00", time.Time{}, false},
		{"kemarin", time.Time{}, false},
		{"", time.Time{}, false},
	} {
		got, ok := editorial.ParseTime(tc.in)
		if ok != tc.ok || !got.Equal(tc.want) {
			t.Errorf("ParseTime(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
