package editorial

import (
	"context"
	"strings"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
)

// CreateEvent is POST /api/events: a new editorial event, always draft.
// Topic (trimmed) and EventDate are required; Status may only be empty or
// draft. CreatedAt and LastUpdate default to the business time. The event
// takes the next integer id of the event counter.
// Refusals: Invalid "event_date dan topic wajib diisi", Conflict "Berita
// baru harus berstatus draft", Forbidden (unknown account).
type CreateEvent struct {
	Fields     events.EditorialFields
	Status     string
	CreatedAt  time.Time
	LastUpdate time.Time
	By         string
}

func (cmd CreateEvent) decide(ctx context.Context, l *commands.Loader, now time.Time) ([]events.Commit, error) {
	f := cmd.Fields
	f.Topic = strings.TrimSpace(f.Topic)
	if f.Topic == "" || f.EventDate.IsZero() {
		return nil, invalid("topic", msgRequired)
	}
	if st, ok := ParseStatus(cmd.Status); strings.TrimSpace(cmd.Status) != "" && (!ok || st != events.EditorialStatusDraft) {
		if !ok {
			return nil, invalid("status", msgStatusInvalid)
		}
		return nil, conflict(msgNewNotDraft)
	}
	c, cv, err := loadCounter(ctx, l, events.EditorialIDKindEvent)
	if err != nil {
		return nil, err
	}
	u, err := loadActor(ctx, l, cmd.By)
	if err != nil {
		return nil, err
	}
	id, take := c.take(cv)
	created, last := cmd.CreatedAt, cmd.LastUpdate
	if created.IsZero() {
		created = now
	}
	if last.IsZero() {
		last = now
	}
	e := Event{ID: id}
	return []events.Commit{take, e.commit(0, events.EditorialEventCreated{EventID: id, EditorialFields: f,
		CreatedAt: created, LastUpdate: last, By: u.ID})}, nil
}
