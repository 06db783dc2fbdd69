package editorial

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
)

// SubmitEvent is POST /api/approvals {event_id}: the creator, the assignee
// or an editor submits a draft or rejected event, opening an approval
// request (pending) with the next request id.
// Refusals: NotFound, Forbidden, Conflict (already pending, or a status
// that cannot be submitted).
type SubmitEvent struct {
	EventID int64
	By      string
}

func (cmd SubmitEvent) decide(ctx context.Context, l *commands.Loader, now time.Time) ([]events.Commit, error) {
	e, v, u, err := loadEventAndActor(ctx, l, cmd.EventID, cmd.By)
	if err != nil {
		return nil, err
	}
	ev, extra, err := submit(ctx, l, &e, u, now)
	if err != nil {
		return nil, err
	}
	return append([]events.Commit{e.commit(v, ev)}, extra...), nil
}

// DecideRequest is PUT /api/approvals/:id {status, note?}: approved or
// rejected by an editor → ReleaseApproved / ReleaseRejected on the
// request's event. pending changes nothing while the request is pending.
// Refusals: Invalid status, NotFound (request, or its event deleted),
// Forbidden (not an editor), Conflict (decided already). EventID and
// RequestedBy, when the caller sends them (the app sends the whole row
// back), must be the request's own: Invalid otherwise.
type DecideRequest struct {
	RequestID   int64
	Status      string
	Note        string
	EventID     string
	RequestedBy string
	By          string
}

func (cmd DecideRequest) decide(ctx context.Context, l *commands.Loader, now time.Time) ([]events.Commit, error) {
	status := strings.ToLower(strings.TrimSpace(cmd.Status))
	switch status {
	case events.ApprovalStatusApproved, events.ApprovalStatusRejected, events.ApprovalStatusPending:
	case "disetujui":
		status = events.ApprovalStatusApproved
	case "ditolak":
		status = events.ApprovalStatusRejected
	default:
		return nil, invalid("status", msgRequestStatus)
	}
	if cmd.RequestID <= 0 {
		return nil, notFound("request_id", msgRequestNotFound)
	}
	eventID, err := requestEvent(ctx, l, cmd.RequestID)
	if err != nil {
		return nil, err
	}
	e, v, err := loadEvent(ctx, l, eventID)
	if err != nil {
		return nil, err
	}
	r := e.request(cmd.RequestID)
	if !e.live() || r == nil {
		return nil, notFound("request_id", msgRequestNotFound)
	}
	if ev := strings.TrimSpace(cmd.EventID); ev != "" && ev != itoa(eventID) {
		return nil, invalid("event_id", msgRequestEventFixed)
	}
	if by := strings.TrimSpace(cmd.RequestedBy); by != "" && by != r.RequestedBy {
		return nil, invalid("requested_by", msgRequestByFixed)
	}
	u, err := loadActor(ctx, l, cmd.By)
	if err != nil {
		return nil, err
	}
	if status == events.ApprovalStatusPending {
		if !u.IsEditor() {
			return nil, forbidden(msgEditorOnly)
		}
		switch r.Status {
		case events.ApprovalStatusApproved:
			return nil, conflict(msgAlreadyApproved)
		case events.ApprovalStatusRejected:
			return nil, conflict(msgAlreadyRejected)
		}
		return nil, nil
	}
	ev, err := decideRelease(ctx, l, &e, u, cmd.RequestID, status == events.ApprovalStatusApproved, cmd.Note, now)
	if err != nil {
		return nil, err
	}
	return []events.Commit{e.commit(v, ev)}, nil
}

// requestEvent reads which event a request belongs to from its link.
func requestEvent(ctx context.Context, l *commands.Loader, requestID int64) (int64, error) {
	envs, _, err := l.Load(ctx, events.EditorialApprovalSubject(requestID))
	if err != nil {
		return 0, fmt.Errorf("load approval request %d: %w", requestID, err)
	}
	for i := range envs {
		ev, err := l.Registry().Decode(&envs[i])
		if err != nil {
			return 0, fmt.Errorf("load approval request %d: %w", requestID, err)
		}
		if a, ok := ev.(*events.ApprovalRequested); ok {
			return a.EventID, nil
		}
	}
	return 0, notFound("request_id", msgRequestNotFound)
}
