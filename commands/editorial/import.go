package editorial

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/penmasuser"
	"github.com/cicero/cicero/events"
)

// Refusals of an imported event.
const (
	msgImportIDTaken      = "event_id sudah dipakai berita lain di sini"
	msgImportRequestTaken = "request_id sudah dipakai permintaan lain di sini"
)

// ImportedRequest is an old approval_request row of the event.
type ImportedRequest struct {
	ID          int64
	RequestedBy string
	// Status is pending, approved or rejected (as ParseRequestStatus reads
	// the old free text).
	Status string
	// DecidedBy is who approved or rejected it ("" = not known: the old
	// table did not record it).
	DecidedBy            string
	CreatedAt, UpdatedAt time.Time
}

// ImportedLog is an old change_log row of the event.
type ImportedLog struct {
	Status, Changes, By string
	LoggedAt            time.Time
}

// ImportEvent records an editorial event of the old Penmas module
// (`cicero import-v2`) as history, in one atomic batch: the event under its
// old integer id (the counter moved past it), its approval requests under
// their old ids with their decisions, its press-release detail, its change
// logs, and EditorialEventImported stating its status, last editor and last
// update as the old row had them. None of the workflow's rules apply (the
// old module enforced none). An event whose id has history already is left
// as it is when it is this one (same creator and topic), refused
// otherwise (Conflict: the id was taken here); a request id taken here is
// refused likewise.
type ImportEvent struct {
	EventID    int64
	Fields     events.EditorialFields
	Status     string // an events.EditorialStatus*
	CreatedAt  time.Time
	LastUpdate time.Time
	CreatedBy  string
	UpdatedBy  string
	Requests   []ImportedRequest
	Detail     *events.PressReleaseFields
	Logs       []ImportedLog
}

// ParseRequestStatus reads an old approval_request status: pending,
// approved or rejected (and their Indonesian labels); ok false otherwise.
func ParseRequestStatus(s string) (string, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "pending", "menunggu":
		return events.ApprovalStatusPending, true
	case "approved", "disetujui":
		return events.ApprovalStatusApproved, true
	case "rejected", "ditolak":
		return events.ApprovalStatusRejected, true
	}
	return "", false
}

func (cmd ImportEvent) decide(ctx context.Context, l *commands.Loader, _ time.Time) ([]events.Commit, error) {
	if cmd.EventID <= 0 {
		return nil, invalid("event_id", msgEventIDInvalid)
	}
	f := cmd.Fields
	f.Topic = strings.TrimSpace(f.Topic)
	status, ok := ParseStatus(cmd.Status)
	if !ok {
		return nil, invalid("status", msgStatusInvalid)
	}
	e, v, err := loadEvent(ctx, l, cmd.EventID)
	if err != nil {
		return nil, err
	}
	if v > 0 {
		if e.Exists && e.CreatedBy == cmd.CreatedBy && e.Fields.Topic == f.Topic {
			return nil, nil // imported before: history is not rewritten
		}
		return nil, conflict(msgImportIDTaken)
	}
	var out []events.Commit
	c, cv, err := loadCounter(ctx, l, events.EditorialIDKindEvent)
	if err != nil {
		return nil, err
	}
	if cmd.EventID > c.last {
		out = append(out, assign(events.EditorialIDKindEvent, cmd.EventID, cv))
	}
	evs := []events.Payload{events.EditorialEventCreated{EventID: cmd.EventID, EditorialFields: f,
		CreatedAt: cmd.CreatedAt, LastUpdate: cmd.LastUpdate, By: cmd.CreatedBy}}
	e.Fields = f
	reqs := slices.Clone(cmd.Requests)
	slices.SortFunc(reqs, func(a, b ImportedRequest) int { return int(a.ID - b.ID) })
	var links []events.Commit
	ac, acv, err := loadCounter(ctx, l, events.EditorialIDKindApproval)
	if err != nil {
		return nil, err
	}
	var lastReq int64
	for _, r := range reqs {
		if r.ID <= 0 {
			return nil, invalid("request_id", msgRequestIDInvalid)
		}
		if _, lv, err := l.Load(ctx, events.EditorialApprovalSubject(r.ID)); err != nil {
			return nil, err
		} else if lv > 0 {
			return nil, conflict(msgImportRequestTaken)
		}
		evs = append(evs, events.EditorialEventSubmitted{EventID: cmd.EventID, RequestID: r.ID, By: r.RequestedBy, SubmittedAt: r.CreatedAt})
		links = append(links, events.Commit{Subject: events.EditorialApprovalSubject(r.ID), AggregateID: itoa(r.ID),
			Expected: 0, Events: []events.Payload{events.ApprovalRequested{RequestID: r.ID, EventID: cmd.EventID, RequestedBy: r.RequestedBy}}})
		if r.ID > ac.last && r.ID > lastReq {
			lastReq = r.ID
		}
		if r.Status != events.ApprovalStatusApproved && r.Status != events.ApprovalStatusRejected {
			continue
		}
		d := events.ReleaseDecision{EventID: cmd.EventID, RequestID: r.ID, RequestedBy: r.RequestedBy, By: r.DecidedBy,
			Title: e.title(), EventDate: f.EventDate, DecidedAt: r.UpdatedAt}
		if r.DecidedBy != "" {
			u, _, err := penmasuser.Load(ctx, l, r.DecidedBy)
			if err != nil {
				return nil, err
			}
			d.ByUsername = u.Username
		}
		if r.Status == events.ApprovalStatusApproved {
			evs = append(evs, events.ReleaseApproved{ReleaseDecision: d})
		} else {
			evs = append(evs, events.ReleaseRejected{ReleaseDecision: d})
		}
	}
	if lastReq > 0 {
		// One assignment of the highest id moves the counter past them all.
		out = append(out, assign(events.EditorialIDKindApproval, lastReq, acv))
	}
	for _, lg := range cmd.Logs {
		evs = append(evs, events.EditorialChangeLogged{EventID: cmd.EventID, Status: lg.Status, Changes: lg.Changes,
			LoggedAt: lg.LoggedAt, By: lg.By})
	}
	evs = append(evs, events.EditorialEventImported{EventID: cmd.EventID, Status: status, UpdatedBy: cmd.UpdatedBy,
		LastUpdate: cmd.LastUpdate})
	out = append(out, e.commit(0, evs...))
	out = append(out, links...)
	if cmd.Detail != nil {
		r, rv, err := loadRelease(ctx, l, cmd.EventID)
		if err != nil {
			return nil, err
		}
		if !r.exists {
			by := cmd.UpdatedBy
			if by == "" {
				by = cmd.CreatedBy
			}
			out = append(out, r.commit(rv, events.PressReleaseDetailRecorded{EventID: cmd.EventID, PressReleaseFields: *cmd.Detail, By: by}))
		}
	}
	return out, nil
}

// assign is the counter commit recording that id of kind was handed out.
func assign(kind string, id int64, v uint64) events.Commit {
	return events.Commit{Subject: events.EditorialIDsSubject(kind), AggregateID: kind, Expected: v,
		Events: []events.Payload{events.EditorialIDAssigned{Kind: kind, ID: id}}}
}

// ImportEvent → the event's history as described on ImportEvent, nothing
// when imported before.
func (h *Handlers) ImportEvent(ctx context.Context, meta commands.Meta, cmd ImportEvent) (commands.Outcome, error) {
	return h.handle(ctx, "ImportEvent", meta, cmd)
}
