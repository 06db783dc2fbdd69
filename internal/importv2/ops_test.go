package importv2_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/editorial"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/importv2"
	"github.com/cicero/cicero/internal/importv2/v2fixture"
	"github.com/cicero/cicero/internal/jakarta"
)

// streamEvents decodes every event of stream st with its actor.
func streamEvents(t *testing.T, s *events.Store, st string) []struct {
	Subject string
	Actor   string
	Payload events.Payload
} {
	t.Helper()
	reg := events.NewRegistry()
	var out []struct {
		Subject string
		Actor   string
		Payload events.Payload
	}
	if err := s.ReadStream(context.Background(), st, 1, "", func(e events.Envelope) error {
		p, err := reg.Decode(&e)
		if err != nil {
			return err
		}
		out = append(out, struct {
			Subject string
			Actor   string
			Payload events.Payload
		}{e.Subject, e.Meta.Actor, p})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// Link reports and Penmas come over as history: reports with their old
// time (ten days before "today", outside the live 2-day window) and khusus
// reports of an old post; Penmas accounts, events in every status under
// their old ids with their approvals (the approved one with its editor),
// detail and logs. Rows naming what never existed are skipped with the
// reason. The id counters move past the old ids: the next event created
// here takes 13, the next request 13 (the old 13 was an orphan, left out), and an imported pending request can
// be decided.
func TestImportLinkReportsAndPenmas(t *testing.T) {
	oldURL := oldDB(t)
	tg := newTarget(t)
	rep, err := run(t, context.Background(), tg, oldURL, importv2.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	rep.Print(&b)
	for _, want := range []string{
		"skipped link_report: 1 × the person was not imported (skipped or missing) (e.g. IGAMP/99999999)",
		"skipped link_report: 1 × the post was not imported (skipped or missing) (e.g. IGGONE/75020001)",
		"skipped penmas_user: 1 × password_hash is not a bcrypt hash (e.g. " + v2fixture.PenmasBadHashID + ")",
		"left out of editorial_event: 1 × status is not a workflow status",
		"left out of editorial_event: 1 × row of an event not in the old database: left out (e.g. approval_request/13)",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, b.String())
		}
	}

	reports := map[string]*events.LinkReportSubmitted{}
	for _, e := range streamEvents(t, tg.store, "AMPLIFY") {
		r := e.Payload.(*events.LinkReportSubmitted)
		if e.Actor != importv2.Actor {
			t.Errorf("%s: actor %q", e.Subject, e.Actor)
		}
		reports[r.Kind+"/"+r.Shortcode+"/"+r.UserID] = r
	}
	if len(reports) != 3 {
		t.Fatalf("%d reports imported, want 3: %v", len(reports), reports)
	}
	budi := reports["regular/IGAMP/75020001"]
	tenDaysAgo := time.Date(2026, 11, 23, 10, 0, 0, 0, jakarta.Location)
	if budi == nil || !budi.SubmittedAt.Equal(tenDaysAgo) || !budi.PostPublishedAt.Equal(tenDaysAgo) ||
		budi.ClientID != "POLRES_A" || budi.Links.Count() != 2 || budi.Links.Facebook != "https://facebook.com/budi/posts/1" {
		t.Errorf("Budi's report: %+v", budi)
	}
	k := reports["khusus/IGKHUSUS/75020005"]
	if k == nil || k.ClientID != "POLRES_B" || jakarta.Date(k.PostPublishedAt) != "2026-11-22" || k.Links.Instagram == "" {
		t.Errorf("khusus report: %+v", k)
	}

	status := map[int64]string{}
	var approved *events.ReleaseApproved
	created := map[int64]bool{}
	for _, e := range streamEvents(t, tg.store, "EDITORIAL") {
		switch x := e.Payload.(type) {
		case *events.EditorialEventCreated:
			created[x.EventID] = true
		case *events.EditorialEventImported:
			status[x.EventID] = x.Status
		case *events.ReleaseApproved:
			approved = x
		}
	}
	wantStatus := map[int64]string{3: "draft", 5: "submitted", 7: "approved", 8: "rejected", 9: "published", 12: "draft"}
	if len(status) != len(wantStatus) || len(created) != len(wantStatus) {
		t.Errorf("events %v, statuses %v; want %v", created, status, wantStatus)
	}
	for id, st := range wantStatus {
		if status[id] != st {
			t.Errorf("event %d: status %q, want %q", id, status[id], st)
		}
	}
	if approved == nil || approved.EventID != 7 || approved.RequestID != 11 || approved.By != v2fixture.PenmasEditorID ||
		approved.ByUsername != v2fixture.PenmasEditorName || !approved.DecidedAt.Equal(time.Date(2025, 9, 2, 15, 0, 0, 0, jakarta.Location)) {
		t.Errorf("approval of event 7: %+v", approved)
	}

	ed := editorial.NewHandlers(tg.rt, nil)
	ctx := context.Background()
	id, _, err := ed.CreateEvent(ctx, commands.Meta{}, editorial.CreateEvent{By: v2fixture.PenmasWriterID,
		Fields: events.EditorialFields{Topic: "baru", EventDate: time.Now()}})
	if err != nil || id != 13 {
		t.Fatalf("new event after the import: id %d, %v; want 13", id, err)
	}
	req, _, err := ed.SubmitEvent(ctx, commands.Meta{}, editorial.SubmitEvent{EventID: id, By: v2fixture.PenmasWriterID})
	if err != nil || req != 13 {
		t.Fatalf("new request after the import: id %d, %v; want 13 (the orphan request 13 was not imported)", req, err)
	}
	if _, err := ed.DecideRequest(ctx, commands.Meta{}, editorial.DecideRequest{RequestID: 10, Status: "approved", By: v2fixture.PenmasEditorID}); err != nil {
		t.Fatalf("deciding the imported pending request: %v", err)
	}
	raw, _ := json.Marshal(rep.Tables)
	t.Logf("report: %s", raw)
}
