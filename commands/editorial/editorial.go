// Package editorial is the Penmas editorial workflow of the EDITORIAL
// context (spec/ops.md §1, SPEC.md §5.13): editorial events with their
// state machine, press-release details, approval requests and change logs.
//
// Aggregates: the event (editorial.event.<id>: fields, status, approval
// requests), its press-release detail (editorial.release.<event id>), the
// write-once link of an approval request to its event
// (editorial.approval.<request id>) and the counters that hand out the
// legacy integer ids (editorial.ids.<kind>), each id taken in the same
// atomic batch as the aggregate it names. Decisions read these subjects
// and the actor's own Penmas account (commands/penmasuser: its role as it
// stands now, not as the token remembers it), never a read model.
//
// The state machine (transition.go): draft → submitted → approved |
// rejected; approved → published; rejected → draft or submitted again.
// Approve and reject need role editor; delete the creator or an editor;
// edits, submissions, publication, details and logs the creator, the
// assignee or an editor.
package editorial

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/penmasuser"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
)

// Messages of the editorial commands (ours: the legacy module refused
// nothing).
const (
	msgEventNotFound     = "Berita tidak ditemukan"
	msgRequestNotFound   = "Permintaan persetujuan tidak ditemukan"
	msgActorUnknown      = "Akun penmas tidak ditemukan"
	msgEditorOnly        = "Hanya editor yang dapat menyetujui atau menolak siaran pers"
	msgDeleteForbidden   = "Hanya pembuat berita atau editor yang dapat menghapus berita ini"
	msgNotMember         = "Hanya pembuat, penanggung jawab (assignee) atau editor yang dapat mengubah berita ini"
	msgLocked            = "Berita berstatus %s tidak dapat diubah; hanya berita draft atau ditolak yang dapat diubah"
	msgAlreadyPending    = "Berita sudah diajukan dan sedang menunggu persetujuan"
	msgNotSubmittable    = "Berita berstatus %s tidak dapat diajukan untuk persetujuan"
	msgAlreadyApproved   = "Permintaan persetujuan sudah disetujui"
	msgAlreadyRejected   = "Permintaan persetujuan sudah ditolak"
	msgNotPending        = "Berita berstatus %s tidak sedang menunggu persetujuan"
	msgNotPublishable    = "Berita berstatus %s tidak dapat diterbitkan; berita harus disetujui editor terlebih dahulu"
	msgAlreadyPublished  = "Berita sudah diterbitkan"
	msgNotReopenable     = "Berita berstatus %s tidak dapat dikembalikan ke draft; hanya berita yang ditolak"
	msgDetailExists      = "Detail siaran pers untuk berita ini sudah ada"
	msgDetailNotFound    = "Detail siaran pers tidak ditemukan"
	msgStatusInvalid     = "status tidak valid; gunakan draft, submitted, approved, rejected atau published"
	msgEventIDInvalid    = "event_id tidak valid"
	msgRequestIDInvalid  = "request_id tidak valid"
	msgRequired          = "event_date dan topic wajib diisi"
	msgNewNotDraft       = "Berita baru harus berstatus draft"
	msgRequestStatus     = "status harus approved atau rejected"
	msgRequestEventFixed = "event_id permintaan persetujuan tidak dapat diubah"
	msgRequestByFixed    = "requested_by permintaan persetujuan tidak dapat diubah"
)

func invalid(field, msg string) error {
	return &apperr.Error{Code: apperr.Invalid, Field: field, Message: msg}
}

func conflict(format string, args ...any) error {
	return &apperr.Error{Code: apperr.Conflict, Message: fmt.Sprintf(format, args...)}
}

func forbidden(msg string) error { return &apperr.Error{Code: apperr.Forbidden, Message: msg} }

func notFound(field, msg string) error {
	return &apperr.Error{Code: apperr.NotFound, Field: field, Message: msg}
}

// statusLabel is a status as a message shows it.
var statusLabel = map[string]string{
	events.EditorialStatusDraft: "draft", events.EditorialStatusSubmitted: "diajukan",
	events.EditorialStatusApproved: "disetujui", events.EditorialStatusRejected: "ditolak",
	events.EditorialStatusPublished: "terbit",
}

// Request is one approval request as the event knows it.
type Request struct {
	ID          int64
	RequestedBy string
	Status      string // events.ApprovalStatus*
}

// Event is the state of one editorial event, folded from its subject.
type Event struct {
	ID        int64
	Exists    bool
	Deleted   bool
	Fields    events.EditorialFields
	CreatedBy string
	Status    string
	Requests  []Request // oldest first
}

// Apply folds one event into the state.
func (e *Event) Apply(ev events.Payload) {
	switch x := ev.(type) {
	case *events.EditorialEventCreated:
		e.Exists, e.Fields, e.CreatedBy, e.Status = true, x.EditorialFields, x.By, events.EditorialStatusDraft
	case *events.EditorialEventEdited:
		e.Fields = x.Changes.ApplyTo(e.Fields)
	case *events.EditorialEventSubmitted:
		e.Status = events.EditorialStatusSubmitted
		e.Requests = append(e.Requests, Request{ID: x.RequestID, RequestedBy: x.By, Status: events.ApprovalStatusPending})
	case *events.ReleaseApproved:
		e.Status = events.EditorialStatusApproved
		e.setRequest(x.RequestID, events.ApprovalStatusApproved)
	case *events.ReleaseRejected:
		e.Status = events.EditorialStatusRejected
		e.setRequest(x.RequestID, events.ApprovalStatusRejected)
	case *events.ReleasePublished:
		e.Status = events.EditorialStatusPublished
	case *events.EditorialEventReopened:
		e.Status = events.EditorialStatusDraft
	case *events.EditorialEventDeleted:
		e.Deleted = true
	case *events.EditorialEventImported:
		e.Status = x.Status
	}
}

func (e *Event) setRequest(id int64, status string) {
	for i := range e.Requests {
		if e.Requests[i].ID == id {
			e.Requests[i].Status = status
		}
	}
}

// request returns the request with id (nil: not this event's).
func (e *Event) request(id int64) *Request {
	for i := range e.Requests {
		if e.Requests[i].ID == id {
			return &e.Requests[i]
		}
	}
	return nil
}

// openRequest returns the pending request (nil: none).
func (e *Event) openRequest() *Request {
	for i := range e.Requests {
		if e.Requests[i].Status == events.ApprovalStatusPending {
			return &e.Requests[i]
		}
	}
	return nil
}

// live reports an event that exists and is not deleted.
func (e *Event) live() bool { return e.Exists && !e.Deleted }

// member reports whether u may work on the event: its creator, its
// assignee or an editor.
func (e *Event) member(u penmasuser.User) bool {
	return u.IsEditor() || u.ID == e.CreatedBy || (e.Fields.Assignee != "" && u.ID == e.Fields.Assignee)
}

// editable reports whether the event's fields may change in its status.
func (e *Event) editable() bool {
	return e.Status == events.EditorialStatusDraft || e.Status == events.EditorialStatusRejected
}

// loadEvent reads and folds the event with id through the loader.
func loadEvent(ctx context.Context, l *commands.Loader, id int64) (Event, uint64, error) {
	envs, v, err := l.Load(ctx, events.EditorialEventSubject(id))
	if err != nil {
		return Event{}, 0, fmt.Errorf("load editorial event %d: %w", id, err)
	}
	e := Event{ID: id}
	for i := range envs {
		ev, err := l.Registry().Decode(&envs[i])
		if err != nil {
			return Event{}, 0, fmt.Errorf("load editorial event %d: %w", id, err)
		}
		e.Apply(ev)
	}
	return e, v, nil
}

// loadLiveEvent is loadEvent refusing an absent or deleted event.
func loadLiveEvent(ctx context.Context, l *commands.Loader, id int64) (Event, uint64, error) {
	if id <= 0 {
		return Event{}, 0, invalid("event_id", msgEventIDInvalid)
	}
	e, v, err := loadEvent(ctx, l, id)
	if err != nil {
		return Event{}, 0, err
	}
	if !e.live() {
		return Event{}, 0, notFound("event_id", msgEventNotFound)
	}
	return e, v, nil
}

// loadEventAndActor is what most decisions start with: the live event
// (its refusals first) and the acting Penmas user.
func loadEventAndActor(ctx context.Context, l *commands.Loader, eventID int64, by string) (Event, uint64, penmasuser.User, error) {
	e, v, err := loadLiveEvent(ctx, l, eventID)
	if err != nil {
		return Event{}, 0, penmasuser.User{}, err
	}
	u, err := loadActor(ctx, l, by)
	if err != nil {
		return Event{}, 0, penmasuser.User{}, err
	}
	return e, v, u, nil
}

// commit wraps events for the event's own subject at version v.
func (e Event) commit(v uint64, evs ...events.Payload) events.Commit {
	return events.Commit{Subject: events.EditorialEventSubject(e.ID), AggregateID: strconv.FormatInt(e.ID, 10),
		Expected: v, Events: evs}
}

// loadActor reads the acting Penmas user's account: its role decides, as
// it stands now (an admin may have changed it since the token was issued).
// A token whose account is unknown is refused (Forbidden).
func loadActor(ctx context.Context, l *commands.Loader, id string) (penmasuser.User, error) {
	id = strings.TrimSpace(id)
	if id == "" {
		return penmasuser.User{}, forbidden(msgActorUnknown)
	}
	u, _, err := penmasuser.Load(ctx, l, id)
	if err != nil {
		return penmasuser.User{}, err
	}
	if !u.Registered {
		return penmasuser.User{}, forbidden(msgActorUnknown)
	}
	return u, nil
}

// counter is an id counter's state: the last id it handed out.
type counter struct {
	kind string
	last int64
}

// loadCounter folds the counter through commands.Fold: its history grows
// with every id handed out, and a decision applies only what followed the
// state the runtime kept.
func loadCounter(ctx context.Context, l *commands.Loader, kind string) (counter, uint64, error) {
	reg := l.Registry()
	c, v, err := commands.Fold(ctx, l, events.EditorialIDsSubject(kind), func() counter { return counter{kind: kind} },
		func(c *counter, env *events.Envelope) error {
			ev, err := reg.Decode(env)
			if err != nil {
				return err
			}
			if a, ok := ev.(*events.EditorialIDAssigned); ok && a.ID > c.last {
				c.last = a.ID
			}
			return nil
		})
	if err != nil {
		return counter{}, 0, fmt.Errorf("load editorial %s ids: %w", kind, err)
	}
	return c, v, nil
}

// take hands out the next id: the commit to append with the aggregate
// that takes it. Two decisions that take the same id conflict on the
// counter's version, and the loser re-decides with the next one.
func (c counter) take(v uint64) (int64, events.Commit) {
	id := c.last + 1
	return id, events.Commit{Subject: events.EditorialIDsSubject(c.kind), AggregateID: c.kind, Expected: v,
		Events: []events.Payload{events.EditorialIDAssigned{Kind: c.kind, ID: id}}}
}

// IDOf returns the integer id of the first appended commit whose subject
// starts with prefix (0 when none): how a handler learns the id a create
// took, also when a retry answers with the first outcome.
func IDOf(o commands.Outcome, prefix string) int64 {
	for _, a := range o.Appended {
		tok, ok := strings.CutPrefix(a.Subject, prefix+".")
		if !ok {
			continue
		}
		if id, err := strconv.ParseInt(tok, 10, 64); err == nil {
			return id
		}
	}
	return 0
}

// ParseStatus reads a status as clients spell it (the Android app's labels
// included) into its events.EditorialStatus* value; ok false when unknown.
func ParseStatus(s string) (string, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "draft":
		return events.EditorialStatusDraft, true
	case "submitted", "in review", "in_review", "review", "pending", "diajukan":
		return events.EditorialStatusSubmitted, true
	case "approved", "disetujui":
		return events.EditorialStatusApproved, true
	case "rejected", "ditolak":
		return events.EditorialStatusRejected, true
	case "published", "terbit", "diterbitkan":
		return events.EditorialStatusPublished, true
	}
	return "", false
}
