package editorial

import (
	"context"
	"strings"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/penmasuser"
	"github.com/cicero/cicero/events"
)

// The state machine. Each step checks who acts first (403), then whether
// the event's status allows it (409), and returns what to append to the
// event's subject plus, for a submission, the commits of the request id
// and the request's link.

// submit opens an approval request on a draft or rejected event.
func submit(ctx context.Context, l *commands.Loader, e *Event, u penmasuser.User, now time.Time) (events.Payload, []events.Commit, error) {
	if !e.member(u) {
		return nil, nil, forbidden(msgNotMember)
	}
	switch e.Status {
	case events.EditorialStatusDraft, events.EditorialStatusRejected:
	case events.EditorialStatusSubmitted:
		return nil, nil, conflict(msgAlreadyPending)
	default:
		return nil, nil, conflict(msgNotSubmittable, statusLabel[e.Status])
	}
	c, cv, err := loadCounter(ctx, l, events.EditorialIDKindApproval)
	if err != nil {
		return nil, nil, err
	}
	id, take := c.take(cv)
	link := events.Commit{Subject: events.EditorialApprovalSubject(id), AggregateID: itoa(id), Expected: 0,
		Events: []events.Payload{events.ApprovalRequested{RequestID: id, EventID: e.ID, RequestedBy: u.ID}}}
	return events.EditorialEventSubmitted{EventID: e.ID, RequestID: id, By: u.ID, SubmittedAt: now}, []events.Commit{take, link}, nil
}

// decideRelease approves or rejects the request with requestID (0: the
// open one). Only editors decide; a request decided already is a conflict
// ("approving twice is a 409"). The requester's WhatsApp number is read
// from their account now, so the notice saga decides from the event alone.
func decideRelease(ctx context.Context, l *commands.Loader, e *Event, u penmasuser.User, requestID int64,
	approve bool, note string, now time.Time) (events.Payload, error) {
	if !u.IsEditor() {
		return nil, forbidden(msgEditorOnly)
	}
	var r *Request
	if requestID != 0 {
		if r = e.request(requestID); r == nil {
			return nil, notFound("request_id", msgRequestNotFound)
		}
	} else if r = e.openRequest(); r == nil {
		if e.Status == events.EditorialStatusApproved && approve {
			return nil, conflict(msgAlreadyApproved)
		}
		return nil, conflict(msgNotPending, statusLabel[e.Status])
	}
	switch r.Status {
	case events.ApprovalStatusApproved:
		return nil, conflict(msgAlreadyApproved)
	case events.ApprovalStatusRejected:
		return nil, conflict(msgAlreadyRejected)
	}
	d := events.ReleaseDecision{EventID: e.ID, RequestID: r.ID, RequestedBy: r.RequestedBy, By: u.ID,
		ByUsername: u.Username, Note: strings.TrimSpace(note), Title: e.title(), EventDate: e.Fields.EventDate, DecidedAt: now}
	if r.RequestedBy != "" {
		req, _, err := penmasuser.Load(ctx, l, r.RequestedBy)
		if err != nil {
			return nil, err
		}
		d.RequesterWhatsApp = req.WhatsApp
	}
	if approve {
		return events.ReleaseApproved{ReleaseDecision: d}, nil
	}
	return events.ReleaseRejected{ReleaseDecision: d}, nil
}

// publish publishes an approved event.
func publish(e *Event, u penmasuser.User, now time.Time) (events.Payload, error) {
	if !e.member(u) {
		return nil, forbidden(msgNotMember)
	}
	switch e.Status {
	case events.EditorialStatusApproved:
		return events.ReleasePublished{EventID: e.ID, By: u.ID, PublishedAt: now}, nil
	case events.EditorialStatusPublished:
		return nil, conflict(msgAlreadyPublished)
	}
	return nil, conflict(msgNotPublishable, statusLabel[e.Status])
}

// reopen sends a rejected event back to draft.
func reopen(e *Event, u penmasuser.User) (events.Payload, error) {
	if !e.member(u) {
		return nil, forbidden(msgNotMember)
	}
	if e.Status != events.EditorialStatusRejected {
		return nil, conflict(msgNotReopenable, statusLabel[e.Status])
	}
	return events.EditorialEventReopened{EventID: e.ID, By: u.ID}, nil
}

// transition moves e to target (an events.EditorialStatus*) on behalf of u:
// what to append to e's subject, and other commits. Moving to the status
// the event has is nothing (a client sending its whole row back).
func transition(ctx context.Context, l *commands.Loader, e *Event, u penmasuser.User, target, note string,
	now time.Time) ([]events.Payload, []events.Commit, error) {
	if target == "" || target == e.Status {
		return nil, nil, nil
	}
	var (
		ev    events.Payload
		extra []events.Commit
		err   error
	)
	switch target {
	case events.EditorialStatusSubmitted:
		ev, extra, err = submit(ctx, l, e, u, now)
	case events.EditorialStatusApproved, events.EditorialStatusRejected:
		ev, err = decideRelease(ctx, l, e, u, 0, target == events.EditorialStatusApproved, note, now)
	case events.EditorialStatusPublished:
		ev, err = publish(e, u, now)
	case events.EditorialStatusDraft:
		ev, err = reopen(e, u)
	default:
		err = invalid("status", msgStatusInvalid)
	}
	if err != nil {
		return nil, nil, err
	}
	return []events.Payload{ev}, extra, nil
}

// title is how a notice names the event: its headline, else its topic.
func (e *Event) title() string {
	if t := strings.TrimSpace(e.Fields.JudulBerita); t != "" {
		return t
	}
	return e.Fields.Topic
}
