package editorial

import (
	"context"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
)

// DeleteEvent is DELETE /api/events/:id: only the creator or an editor
// (SPEC.md §5.13), in any status. History keeps the event.
// Refusals: NotFound, Forbidden.
type DeleteEvent struct {
	EventID int64
	By      string
}

func (cmd DeleteEvent) decide(ctx context.Context, l *commands.Loader, _ time.Time) ([]events.Commit, error) {
	e, v, u, err := loadEventAndActor(ctx, l, cmd.EventID, cmd.By)
	if err != nil {
		return nil, err
	}
	if u.ID != e.CreatedBy && !u.IsEditor() {
		return nil, forbidden(msgDeleteForbidden)
	}
	return []events.Commit{e.commit(v, events.EditorialEventDeleted{EventID: e.ID, By: u.ID})}, nil
}

// LogChange is POST /api/events/:id/logs: a change-log entry by the
// creator, the assignee or an editor (Status and Changes free text;
// LoggedAt defaults to the business time).
// Refusals: NotFound, Forbidden.
type LogChange struct {
	EventID  int64
	Status   string
	Changes  string
	LoggedAt time.Time
	By       string
}

func (cmd LogChange) decide(ctx context.Context, l *commands.Loader, now time.Time) ([]events.Commit, error) {
	e, v, u, err := loadEventAndActor(ctx, l, cmd.EventID, cmd.By)
	if err != nil {
		return nil, err
	}
	if !e.member(u) {
		return nil, forbidden(msgNotMember)
	}
	at := cmd.LoggedAt
	if at.IsZero() {
		at = now
	}
	return []events.Commit{e.commit(v, events.EditorialChangeLogged{EventID: e.ID, Status: cmd.Status,
		Changes: cmd.Changes, LoggedAt: at, By: u.ID})}, nil
}
