// Package editorial holds the read models of the EDITORIAL context (the
// Penmas editorial workflow, spec/ops.md §1): editorial_events,
// editorial_press_releases, editorial_approvals and editorial_change_logs,
// built by one projection from the EDITORIAL stream, and their queries
// (queries.go), which the read and write APIs use.
package editorial

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/projections"
	"github.com/cicero/cicero/sagas"
)

// Name is the editorial projection's name.
const Name = "editorial"

// Tables of the projection.
const (
	tEvents    = "editorial_events"
	tReleases  = "editorial_press_releases"
	tApprovals = "editorial_approvals"
	tLogs      = "editorial_change_logs"
)

// Projection builds the editorial read models. Each batch reads the rows
// it touches once, folds its events into them in memory and writes them
// back with one multi-row upsert per table. The change log holds the
// users' own entries and one entry per transition of the state machine
// (with its actor), each keyed by LogID of its event, so a
// redelivered batch writes the same rows.
type Projection struct {
	reg *events.Registry
}

var _ projections.Projection = (*Projection)(nil)

// New builds the projection; reg decodes event bodies.
func New(reg *events.Registry) *Projection { return &Projection{reg: reg} }

// Name implements projections.Projection.
func (*Projection) Name() string { return Name }

// Streams implements projections.Projection.
func (*Projection) Streams() []string { return []string{"EDITORIAL"} }

// Tables implements projections.Projection.
func (*Projection) Tables() []string { return []string{tEvents, tReleases, tApprovals, tLogs} }

// EventTypes implements projections.Projection.
func (*Projection) EventTypes() []string {
	return events.Types(events.EditorialEventCreated{}, events.EditorialEventEdited{}, events.EditorialEventSubmitted{},
		events.ApprovalRequested{}, events.ReleaseApproved{}, events.ReleaseRejected{}, events.ReleasePublished{},
		events.EditorialEventReopened{}, events.EditorialEventDeleted{}, events.EditorialChangeLogged{},
		events.PressReleaseDetailRecorded{}, events.PressReleaseDetailEdited{}, events.EditorialEventImported{})
}

// batch is one Apply's rows, keyed by id.
type batch struct {
	events    map[int64]*eventRow
	releases  map[int64]*releaseRow
	approvals map[int64]*approvalRow
	logs      []logRow
	deleted   []int64
}

type decoded struct {
	env *events.Envelope
	ev  events.Payload
	at  time.Time
}

// Apply implements projections.Projection.
func (p *Projection) Apply(ctx context.Context, tx pgx.Tx, t projections.Tables, envs []events.Envelope) error {
	var evs []decoded
	var eventIDs, requestIDs []int64
	for i := range envs {
		env := &envs[i]
		if strings.HasPrefix(env.Subject, events.EditorialIDsSubjectPrefix+".") {
			continue // counters: not ours, not decoded
		}
		ev, err := p.reg.Decode(env)
		if err != nil {
			return fmt.Errorf("editorial: %w", err)
		}
		at := env.Meta.OccurredAt
		if at.IsZero() {
			at = env.RecordedAt
		}
		evs = append(evs, decoded{env, ev, at})
		switch x := ev.(type) {
		case *events.PressReleaseDetailRecorded, *events.PressReleaseDetailEdited:
			// Details are written whole by each event: nothing to read.
		case *events.ApprovalRequested:
			requestIDs = append(requestIDs, x.RequestID)
		case *events.ReleaseApproved:
			requestIDs = append(requestIDs, x.RequestID)
			eventIDs = append(eventIDs, x.EventID)
		case *events.ReleaseRejected:
			requestIDs = append(requestIDs, x.RequestID)
			eventIDs = append(eventIDs, x.EventID)
		case *events.EditorialEventSubmitted:
			requestIDs = append(requestIDs, x.RequestID)
			eventIDs = append(eventIDs, x.EventID)
		default:
			if id := eventID(ev); id != 0 {
				eventIDs = append(eventIDs, id)
			}
		}
	}
	if len(evs) == 0 {
		return nil
	}
	b, err := load(ctx, tx, t, eventIDs, requestIDs)
	if err != nil {
		return err
	}
	for _, d := range evs {
		b.apply(d)
	}
	return b.write(ctx, tx, t)
}

// eventID names the event an event-subject fact is about.
func eventID(ev events.Payload) int64 {
	switch x := ev.(type) {
	case *events.EditorialEventCreated:
		return x.EventID
	case *events.EditorialEventEdited:
		return x.EventID
	case *events.ReleasePublished:
		return x.EventID
	case *events.EditorialEventReopened:
		return x.EventID
	case *events.EditorialEventDeleted:
		return x.EventID
	case *events.EditorialEventImported:
		return x.EventID
	case *events.EditorialChangeLogged:
		return x.EventID
	}
	return 0
}

// logIDSpan is how many events one message may carry for LogID to stay
// unique (a command appends a handful at most).
const logIDSpan = 100

// LogID is the change-log id of the index-th event of the message at
// stream position: unique, stable across redeliveries and rebuilds, and
// known to the writer from its append (an entry's own log is index 0).
func LogID(position uint64, index int) int64 { return int64(position)*logIDSpan + int64(index) }

// apply folds one event into the batch's rows.
func (b *batch) apply(d decoded) {
	seq := int64(d.env.Position)
	logID := LogID(d.env.Position, d.env.Index)
	switch x := d.ev.(type) {
	case *events.EditorialEventCreated:
		b.events[x.EventID] = &eventRow{ID: x.EventID, Fields: x.EditorialFields, Status: events.EditorialStatusDraft,
			CreatedBy: x.By, UpdatedBy: x.By, CreatedAt: x.CreatedAt, LastUpdate: x.LastUpdate, Version: seq}
		b.log(logID, x.EventID, x.By, events.EditorialStatusDraft, "Berita dibuat", d.at)
	case *events.EditorialEventEdited:
		if r := b.event(x.EventID, x.By, x.LastUpdate, seq); r != nil {
			r.Fields = x.Changes.ApplyTo(r.Fields)
			b.log(logID, x.EventID, x.By, r.Status, "Berita diubah: "+strings.Join(changedNames(x.Changes), ", "), d.at)
		}
	case *events.EditorialEventSubmitted:
		at := d.carried(x.SubmittedAt)
		if r := b.event(x.EventID, x.By, at, seq); r != nil {
			r.Status = events.EditorialStatusSubmitted
		}
		a := b.approval(x.RequestID, x.EventID, x.By, at)
		a.Status, a.UpdatedAt, a.Version = events.ApprovalStatusPending, at, seq
		b.log(logID, x.EventID, x.By, events.EditorialStatusSubmitted, fmt.Sprintf("Diajukan untuk persetujuan (permintaan #%d)", x.RequestID), at)
	case *events.ApprovalRequested:
		a := b.approval(x.RequestID, x.EventID, x.RequestedBy, d.at)
		if a.Version < seq {
			a.Version = seq
		}
	case *events.ReleaseApproved:
		b.decided(x.ReleaseDecision, events.EditorialStatusApproved, events.ApprovalStatusApproved, d.carried(x.DecidedAt), seq, logID,
			"Siaran pers disetujui oleh "+x.ByUsername)
	case *events.ReleaseRejected:
		b.decided(x.ReleaseDecision, events.EditorialStatusRejected, events.ApprovalStatusRejected, d.carried(x.DecidedAt), seq, logID,
			"Siaran pers ditolak oleh "+x.ByUsername)
	case *events.ReleasePublished:
		if r := b.event(x.EventID, x.By, d.at, seq); r != nil {
			r.Status = events.EditorialStatusPublished
			b.log(logID, x.EventID, x.By, r.Status, "Berita diterbitkan", d.at)
		}
	case *events.EditorialEventReopened:
		if r := b.event(x.EventID, x.By, d.at, seq); r != nil {
			r.Status = events.EditorialStatusDraft
			b.log(logID, x.EventID, x.By, r.Status, "Dikembalikan ke draft untuk revisi", d.at)
		}
	case *events.EditorialEventDeleted:
		b.deleted = append(b.deleted, x.EventID)
	case *events.EditorialEventImported:
		// The old row's status, editor and time, as they were (no log:
		// the imported change_log rows tell the story).
		if r := b.event(x.EventID, x.UpdatedBy, x.LastUpdate, seq); r != nil {
			r.Status = x.Status
		}
	case *events.EditorialChangeLogged:
		b.log(logID, x.EventID, x.By, x.Status, x.Changes, x.LoggedAt)
	case *events.PressReleaseDetailRecorded:
		b.releases[x.EventID] = &releaseRow{EventID: x.EventID, Fields: x.PressReleaseFields, UpdatedBy: x.By, Version: seq}
	case *events.PressReleaseDetailEdited:
		b.releases[x.EventID] = &releaseRow{EventID: x.EventID, Fields: x.PressReleaseFields, UpdatedBy: x.By, Version: seq}
	}
}

// event returns the event's row touched by by at at (nil: the model never
// saw it created, which the command side never lets happen).
func (b *batch) event(id int64, by string, at time.Time, seq int64) *eventRow {
	r := b.events[id]
	if r == nil {
		return nil
	}
	r.UpdatedBy, r.LastUpdate, r.Version = by, at, seq
	return r
}

func (b *batch) approval(id, eventID int64, by string, at time.Time) *approvalRow {
	a := b.approvals[id]
	if a == nil {
		a = &approvalRow{ID: id, EventID: eventID, RequestedBy: by, Status: events.ApprovalStatusPending, CreatedAt: at, UpdatedAt: at}
		b.approvals[id] = a
	}
	return a
}

func (b *batch) decided(d events.ReleaseDecision, status, approval string, at time.Time, seq, logID int64, what string) {
	if r := b.event(d.EventID, d.By, at, seq); r != nil {
		r.Status = status
	}
	a := b.approval(d.RequestID, d.EventID, d.RequestedBy, at)
	a.Status, a.Note, a.DecidedBy, a.UpdatedAt, a.Version = approval, d.Note, d.By, at, seq
	if d.Note != "" {
		what += ": " + d.Note
	}
	b.log(logID, d.EventID, d.By, status, what, at)
}

// carried is the time of an imported submission or decision as the event
// carries it (the old row's; one import command brings an event's whole
// history in one message), else the message's time as for every live one.
func (d decoded) carried(t time.Time) time.Time {
	if d.env.Meta.Actor != sagas.ImportActor || t.IsZero() {
		return d.at
	}
	return t
}

func (b *batch) log(id, eventID int64, by, status, changes string, at time.Time) {
	b.logs = append(b.logs, logRow{ID: id, EventID: eventID, UserID: by, Status: status, Changes: changes, LoggedAt: at})
}

// changedNames lists the legacy column names an edit changed.
func changedNames(c events.EditorialChanges) []string {
	var out []string
	for _, f := range []struct {
		set  bool
		name string
	}{{c.EventDate != nil, "event_date"}, {c.Topic != nil, "topic"}, {c.JudulBerita != nil, "judul_berita"},
		{c.Assignee != nil, "assignee"}, {c.Content != nil, "content"}, {c.Summary != nil, "summary"},
		{c.ImagePath != nil, "image_path"}, {c.Tag != nil, "tag"}, {c.Kategori != nil, "kategori"}} {
		if f.set {
			out = append(out, f.name)
		}
	}
	return out
}

// sortedKeys returns m's keys in order (a stable lock order).
func sortedKeys[V any](m map[int64]V) []int64 {
	out := make([]int64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
