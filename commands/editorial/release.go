package editorial

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
)

// release is the state of an event's press-release detail.
type release struct {
	eventID int64
	exists  bool
	fields  events.PressReleaseFields
}

func loadRelease(ctx context.Context, l *commands.Loader, eventID int64) (release, uint64, error) {
	envs, v, err := l.Load(ctx, events.EditorialReleaseSubject(eventID))
	if err != nil {
		return release{}, 0, fmt.Errorf("load press release %d: %w", eventID, err)
	}
	r := release{eventID: eventID}
	for i := range envs {
		ev, err := l.Registry().Decode(&envs[i])
		if err != nil {
			return release{}, 0, fmt.Errorf("load press release %d: %w", eventID, err)
		}
		switch x := ev.(type) {
		case *events.PressReleaseDetailRecorded:
			r.exists, r.fields = true, x.PressReleaseFields
		case *events.PressReleaseDetailEdited:
			r.fields = x.PressReleaseFields
		}
	}
	return r, v, nil
}

func (r release) commit(v uint64, ev events.Payload) events.Commit {
	return events.Commit{Subject: events.EditorialReleaseSubject(r.eventID), AggregateID: strconv.FormatInt(r.eventID, 10),
		Expected: v, Events: []events.Payload{ev}}
}

// DetailChanges are the press-release fields a PUT names (nil: unchanged).
type DetailChanges struct {
	Judul, Dasar, Tersangka, TKP, Kronologi, Modus, BarangBukti, Pasal, Ancaman, Catatan *string
}

func (c DetailChanges) applyTo(f events.PressReleaseFields) events.PressReleaseFields {
	for _, p := range []struct {
		dst *string
		v   *string
	}{{&f.Judul, c.Judul}, {&f.Dasar, c.Dasar}, {&f.Tersangka, c.Tersangka}, {&f.TKP, c.TKP}, {&f.Kronologi, c.Kronologi},
		{&f.Modus, c.Modus}, {&f.BarangBukti, c.BarangBukti}, {&f.Pasal, c.Pasal}, {&f.Ancaman, c.Ancaman}, {&f.Catatan, c.Catatan}} {
		if p.v != nil {
			*p.dst = *p.v
		}
	}
	return f
}

// writableEvent loads the release's event for a change of its detail: it
// must be live, the actor its creator, assignee or an editor, and its
// status draft or rejected (an approved release is what the editor saw).
func writableEvent(ctx context.Context, l *commands.Loader, eventID int64, by string) (string, error) {
	e, _, u, err := loadEventAndActor(ctx, l, eventID, by)
	if err != nil {
		return "", err
	}
	if !e.member(u) {
		return "", forbidden(msgNotMember)
	}
	if !e.editable() {
		return "", conflict(msgLocked, statusLabel[e.Status])
	}
	return u.ID, nil
}

// RecordDetail is POST /api/press-release-details: the event's detail,
// once. Refusals: Invalid event_id, NotFound (event), Forbidden, Conflict
// (exists already, or the event is locked).
type RecordDetail struct {
	EventID int64
	Fields  events.PressReleaseFields
	By      string
}

func (cmd RecordDetail) decide(ctx context.Context, l *commands.Loader, _ time.Time) ([]events.Commit, error) {
	if cmd.EventID <= 0 {
		return nil, invalid("event_id", msgEventIDInvalid)
	}
	r, v, err := loadRelease(ctx, l, cmd.EventID)
	if err != nil {
		return nil, err
	}
	// Who acts is checked before the detail's own state, as everywhere.
	by, err := writableEvent(ctx, l, cmd.EventID, cmd.By)
	if err != nil {
		return nil, err
	}
	if r.exists {
		return nil, conflict(msgDetailExists)
	}
	return []events.Commit{r.commit(v, events.PressReleaseDetailRecorded{EventID: cmd.EventID, PressReleaseFields: cmd.Fields, By: by})}, nil
}

// EditDetail is PUT /api/press-release-details/:id (the event id): the
// named fields change (an empty value clears one). Refusals: NotFound
// (detail or event), Forbidden, Conflict (event locked).
type EditDetail struct {
	EventID int64
	Changes DetailChanges
	By      string
}

func (cmd EditDetail) decide(ctx context.Context, l *commands.Loader, _ time.Time) ([]events.Commit, error) {
	if cmd.EventID <= 0 {
		return nil, notFound("event_id", msgDetailNotFound)
	}
	r, v, err := loadRelease(ctx, l, cmd.EventID)
	if err != nil {
		return nil, err
	}
	if !r.exists {
		return nil, notFound("event_id", msgDetailNotFound)
	}
	f := cmd.Changes.applyTo(r.fields)
	if f == r.fields {
		return nil, nil
	}
	by, err := writableEvent(ctx, l, cmd.EventID, cmd.By)
	if err != nil {
		return nil, err
	}
	return []events.Commit{r.commit(v, events.PressReleaseDetailEdited{EventID: cmd.EventID, PressReleaseFields: f, By: by})}, nil
}
