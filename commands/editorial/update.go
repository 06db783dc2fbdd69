package editorial

import (
	"context"
	"strings"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
)

// UpdateEvent is PUT /api/events/:id: field changes and/or a move to
// Status. Fields equal to the stored ones are no change; changes need the
// creator, the assignee or an editor, and an event in draft or rejected.
// A status other than the current one is a transition of the state
// machine (submitted, approved, rejected, published, draft — see
// transition.go; Note goes with a rejection). LastUpdate defaults to the
// business time of an edit (the legacy PUT kept the old value, quirk 2).
// Refusals: NotFound, Forbidden, Conflict (status), Invalid status.
type UpdateEvent struct {
	EventID    int64
	Changes    events.EditorialChanges
	LastUpdate time.Time
	Status     string
	Note       string
	By         string
}

func (cmd UpdateEvent) decide(ctx context.Context, l *commands.Loader, now time.Time) ([]events.Commit, error) {
	target := ""
	if strings.TrimSpace(cmd.Status) != "" {
		st, ok := ParseStatus(cmd.Status)
		if !ok {
			return nil, invalid("status", msgStatusInvalid)
		}
		target = st
	}
	e, v, u, err := loadEventAndActor(ctx, l, cmd.EventID, cmd.By)
	if err != nil {
		return nil, err
	}
	var evs []events.Payload
	if ch := changed(e.Fields, cmd.Changes); !ch.Empty() {
		if !e.member(u) {
			return nil, forbidden(msgNotMember)
		}
		if !e.editable() {
			return nil, conflict(msgLocked, statusLabel[e.Status])
		}
		last := cmd.LastUpdate
		if last.IsZero() {
			last = now
		}
		evs = append(evs, events.EditorialEventEdited{EventID: e.ID, Changes: ch, LastUpdate: last, By: u.ID})
	}
	more, extra, err := transition(ctx, l, &e, u, target, cmd.Note, now)
	if err != nil {
		return nil, err
	}
	evs = append(evs, more...)
	if len(evs) == 0 {
		return nil, nil
	}
	return append([]events.Commit{e.commit(v, evs...)}, extra...), nil
}

// changed keeps the changes that differ from f.
func changed(f events.EditorialFields, c events.EditorialChanges) events.EditorialChanges {
	if c.EventDate != nil && c.EventDate.Equal(f.EventDate) {
		c.EventDate = nil
	}
	if c.Topic != nil {
		t := strings.TrimSpace(*c.Topic)
		if t == "" || t == f.Topic {
			c.Topic = nil // topic is required: blank keeps it
		} else {
			c.Topic = &t
		}
	}
	for _, p := range []struct {
		v   **string
		cur string
	}{{&c.JudulBerita, f.JudulBerita}, {&c.Assignee, f.Assignee}, {&c.Content, f.Content}, {&c.Summary, f.Summary},
		{&c.ImagePath, f.ImagePath}, {&c.Tag, f.Tag}, {&c.Kategori, f.Kategori}} {
		if *p.v != nil && **p.v == p.cur {
			*p.v = nil
		}
	}
	return c
}
