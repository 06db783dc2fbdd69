package editorial_test

import (
	"context"
	"testing"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/editorial"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
)

// ImportEvent keeps the old ids and moves the counters past them; an
// imported event in any status works on from there (an imported pending
// request can be decided); a rerun is nothing; an old id taken by an event
// created here is a Conflict, and so is an old request id taken here.
func TestImportEvent(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	m := commands.Meta{Actor: "system:import-v2"}
	old := time.Date(2025, 9, 1, 2, 0, 0, 0, time.UTC)
	approved := editorial.ImportEvent{EventID: 7, Status: "approved", CreatedBy: r.accounts["creator"], UpdatedBy: r.accounts["editor"],
		CreatedAt: old, LastUpdate: old.Add(time.Hour), Fields: events.EditorialFields{EventDate: old, Topic: "Ungkap"},
		Requests: []editorial.ImportedRequest{{ID: 11, RequestedBy: r.accounts["creator"], Status: "approved",
			DecidedBy: r.accounts["editor"], CreatedAt: old, UpdatedAt: old.Add(time.Hour)}},
		Detail: &events.PressReleaseFields{Judul: "Ungkap kasus"}}
	o, err := r.ed.ImportEvent(ctx, m, approved)
	if err != nil || len(o.Appended) != 5 { // counters ×2, event, request link, detail
		t.Fatalf("import: %+v %v", o, err)
	}
	pending := editorial.ImportEvent{EventID: 5, Status: "in review", CreatedBy: r.accounts["creator"], CreatedAt: old,
		Fields:   events.EditorialFields{EventDate: old, Topic: "Baksos"},
		Requests: []editorial.ImportedRequest{{ID: 10, RequestedBy: r.accounts["creator"], Status: "pending", CreatedAt: old}}}
	r.must(r.ed.ImportEvent(ctx, m, pending))
	// Again, even with another command id: nothing.
	m2 := m
	m2.CommandID = "0190a8a0-0000-7000-8000-00000000f001"
	if o, err := r.ed.ImportEvent(ctx, m2, approved); err != nil || len(o.Appended) != 0 {
		t.Fatalf("rerun: %+v %v", o, err)
	}
	id, _, err := r.ed.CreateEvent(ctx, r.meta("creator"), editorial.CreateEvent{By: r.accounts["creator"],
		Fields: events.EditorialFields{EventDate: t0, Topic: "Baru"}})
	if err != nil || id != 8 {
		t.Fatalf("create after import: %d %v, want 8", id, err)
	}
	r.must(r.ed.DecideRequest(ctx, r.meta("editor"), editorial.DecideRequest{RequestID: 10, Status: "rejected", Note: "revisi", By: r.accounts["editor"]}))
	req, _, err := r.ed.SubmitEvent(ctx, r.meta("creator"), editorial.SubmitEvent{EventID: id, By: r.accounts["creator"]})
	if err != nil || req != 12 {
		t.Fatalf("submit after import: %d %v, want 12", req, err)
	}
	// Old id 8 (taken here now) and old request 12 (taken here now).
	for _, c := range []editorial.ImportEvent{
		{EventID: 8, Status: "draft", CreatedBy: r.accounts["other"], Fields: events.EditorialFields{EventDate: old, Topic: "Lain"}},
		{EventID: 20, Status: "submitted", CreatedBy: r.accounts["other"], Fields: events.EditorialFields{EventDate: old, Topic: "Lain"},
			Requests: []editorial.ImportedRequest{{ID: 12, RequestedBy: r.accounts["other"]}}},
	} {
		if _, err := r.ed.ImportEvent(ctx, m, c); apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("import of event %d: %v, want Conflict", c.EventID, err)
		}
	}
}
