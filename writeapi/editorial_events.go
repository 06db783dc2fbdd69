package writeapi

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/cicero/cicero/commands/editorial"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	editorialview "github.com/cicero/cicero/projections/editorial"
)

// eventFieldKeys are the text fields of an editorial event.
var eventFieldKeys = []string{"topic", "judul_berita", "assignee", "content", "summary", "image_path", "tag", "kategori"}

// eventBody is an event's body as read: fields present (nil: absent).
type eventBody struct {
	texts      map[string]*string
	eventDate  time.Time
	createdAt  time.Time
	lastUpdate time.Time
	status     string
	note       string
}

func readEventBody(b rawBody) (eventBody, error) {
	eb := eventBody{texts: map[string]*string{}}
	var err error
	for _, k := range eventFieldKeys {
		if eb.texts[k], err = b.text(k); err != nil {
			return eb, err
		}
	}
	for _, f := range []struct {
		key string
		dst *time.Time
	}{{"event_date", &eb.eventDate}, {"created_at", &eb.createdAt}, {"last_update", &eb.lastUpdate}} {
		if *f.dst, err = b.timeField(f.key); err != nil {
			return eb, err
		}
	}
	var status, note, catatan *string
	if status, err = b.text("status"); err != nil {
		return eb, err
	}
	if note, err = b.text("note"); err != nil {
		return eb, err
	}
	if catatan, err = b.text("catatan"); err != nil {
		return eb, err
	}
	eb.status, eb.note = strOr(status), strOr(note)
	if strings.TrimSpace(eb.note) == "" {
		eb.note = strOr(catatan)
	}
	if strings.TrimSpace(eb.status) != "" {
		if _, ok := editorial.ParseStatus(eb.status); !ok {
			return eb, apperr.Invalidf("status", "status tidak valid; gunakan draft, submitted, approved, rejected atau published")
		}
	}
	return eb, nil
}

func (eb eventBody) fields() events.EditorialFields {
	t := func(k string) string { return strings.TrimSpace(strOr(eb.texts[k])) }
	return events.EditorialFields{EventDate: eb.eventDate, Topic: t("topic"), JudulBerita: t("judul_berita"),
		Assignee: t("assignee"), Content: strOr(eb.texts["content"]), Summary: strOr(eb.texts["summary"]),
		ImagePath: t("image_path"), Tag: t("tag"), Kategori: t("kategori")}
}

func (eb eventBody) changes() events.EditorialChanges {
	trimmed := func(k string) *string {
		v := eb.texts[k]
		if v == nil {
			return nil
		}
		s := strings.TrimSpace(*v)
		return &s
	}
	c := events.EditorialChanges{Topic: trimmed("topic"), JudulBerita: trimmed("judul_berita"), Assignee: trimmed("assignee"),
		Content: eb.texts["content"], Summary: eb.texts["summary"], ImagePath: trimmed("image_path"), Tag: trimmed("tag"),
		Kategori: trimmed("kategori")}
	if !eb.eventDate.IsZero() {
		d := eb.eventDate
		c.EventDate = &d
	}
	return c
}

func (a *editorialAPI) readEvent(id int64) func(ctx context.Context) (any, error) {
	return func(ctx context.Context) (any, error) { return a.Read.Event(ctx, id) }
}

// createEvent is POST /api/events: 201 with the new row (event_date as an
// instant, as the legacy create answered it).
func (a *editorialAPI) createEvent(w http.ResponseWriter, r *http.Request) {
	p, ok := a.penmas(w, r)
	if !ok {
		return
	}
	b, err := decodeBody(w, r)
	var eb eventBody
	if err == nil {
		eb, err = readEventBody(b)
	}
	if err == nil && (eb.eventDate.IsZero() || strings.TrimSpace(strOr(eb.texts["topic"])) == "") {
		err = apperr.Invalidf("event_date", "event_date dan topic wajib diisi")
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	id, o, err := a.Editorial.CreateEvent(r.Context(), writeMeta(r, p), editorial.CreateEvent{Fields: eb.fields(),
		Status: eb.status, CreatedAt: eb.createdAt, LastUpdate: eb.lastUpdate, By: p.ID})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.reply(w, r, http.StatusCreated, o.Positions(), a.readEvent(id))
}

// updateEvent is PUT /api/events/{id}: field changes and/or a status move
// (the state machine), optionally checked against If-Match /
// expected_version (the event's version).
func (a *editorialAPI) updateEvent(w http.ResponseWriter, r *http.Request) {
	p, ok := a.penmas(w, r)
	if !ok {
		return
	}
	id, err := pathID(r)
	var b rawBody
	if err == nil {
		b, err = decodeBody(w, r)
	}
	var eb eventBody
	if err == nil {
		eb, err = readEventBody(b)
	}
	meta := writeMeta(r, p)
	if err == nil {
		meta.ExpectedVersion, err = requestVersion(r, b)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	o, err := a.Editorial.UpdateEvent(r.Context(), meta, editorial.UpdateEvent{EventID: id, Changes: eb.changes(),
		LastUpdate: eb.lastUpdate, Status: eb.status, Note: eb.note, By: p.ID})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.reply(w, r, http.StatusOK, o.Positions(), a.readEvent(id))
}

// deleteEvent is DELETE /api/events/{id} (the creator or an editor): 200
// with the row as it was.
func (a *editorialAPI) deleteEvent(w http.ResponseWriter, r *http.Request) {
	p, ok := a.penmas(w, r)
	if !ok {
		return
	}
	id, err := pathID(r)
	if err == nil {
		_, err = decodeBody(w, r)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	before, rerr := a.Read.Event(r.Context(), id)
	if rerr != nil && !errors.Is(rerr, editorialview.ErrNotFound) {
		a.fail(w, r, rerr)
		return
	}
	o, err := a.Editorial.DeleteEvent(r.Context(), writeMeta(r, p), editorial.DeleteEvent{EventID: id, By: p.ID})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	var data any
	if rerr == nil {
		data = before
	}
	a.done(w, r, written{status: http.StatusOK, ps: o.Positions(), fields: map[string]any{"data": data}})
}

// logChange is POST /api/events/{id}/logs {status, changes, logged_at?}:
// 201 with the entry.
func (a *editorialAPI) logChange(w http.ResponseWriter, r *http.Request) {
	p, ok := a.penmas(w, r)
	if !ok {
		return
	}
	id, err := pathID(r)
	var b rawBody
	if err == nil {
		b, err = decodeBody(w, r)
	}
	var status, changes *string
	var at time.Time
	if err == nil {
		status, err = b.text("status")
	}
	if err == nil {
		changes, err = b.text("changes")
	}
	if err == nil {
		at, err = b.timeField("logged_at")
	}
	if err == nil && strings.TrimSpace(strOr(status)) == "" && strings.TrimSpace(strOr(changes)) == "" {
		err = apperr.Invalidf("changes", "status atau changes wajib diisi")
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	o, err := a.Editorial.LogChange(r.Context(), writeMeta(r, p), editorial.LogChange{EventID: id,
		Status: strings.TrimSpace(strOr(status)), Changes: strOr(changes), LoggedAt: at, By: p.ID})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	// The entry's id derives from its event's place in the stream.
	var logID int64
	for _, ap := range o.Appended {
		if ap.Subject == events.EditorialEventSubject(id) {
			logID = editorialview.LogID(ap.Sequence, 0)
		}
	}
	a.reply(w, r, http.StatusCreated, o.Positions(), func(ctx context.Context) (any, error) {
		l, err := a.Read.Log(ctx, logID)
		l.Username = nil // the legacy create answered the bare row
		return l, err
	})
}
