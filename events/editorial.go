package events

import (
	"strconv"
	"time"
)

// The Penmas editorial workflow (stream EDITORIAL, spec/ops.md §1, SPEC.md
// §5.13): editorial events (news items) with a real state machine
//
//	draft → submitted → approved | rejected → (approved) published
//	                     rejected → draft | submitted (revise, resubmit)
//
// their press-release details, approval requests and change logs. Emitted
// by commands/editorial; consumed by the editorial projection
// (projections/editorial) and, for ReleaseApproved / ReleaseRejected, by
// the editorial notice saga (sagas/editorial). Every event names its actor
// (By, a Penmas user id) besides the envelope's actor.
//
// Aggregates: one event `editorial.event.<event_id>` (its fields, status,
// approval requests and change logs), its press-release detail
// `editorial.release.<event_id>`, one write-once link per approval request
// `editorial.approval.<request_id>` (which event it belongs to), and the
// id counters `editorial.ids.<kind>` that hand out the legacy integer ids.

// Subject prefixes of the editorial aggregates.
const (
	EditorialEventSubjectPrefix    = "editorial.event"
	EditorialReleaseSubjectPrefix  = "editorial.release"
	EditorialApprovalSubjectPrefix = "editorial.approval"
	EditorialIDsSubjectPrefix      = "editorial.ids"
)

// Id counters (EditorialIDsSubject).
const (
	EditorialIDKindEvent    = "event"
	EditorialIDKindApproval = "approval"
)

// Editorial event statuses.
const (
	EditorialStatusDraft     = "draft"
	EditorialStatusSubmitted = "submitted"
	EditorialStatusApproved  = "approved"
	EditorialStatusRejected  = "rejected"
	EditorialStatusPublished = "published"
)

// Approval request statuses.
const (
	ApprovalStatusPending  = "pending"
	ApprovalStatusApproved = "approved"
	ApprovalStatusRejected = "rejected"
)

// EditorialEventSubject is the subject of one editorial event.
func EditorialEventSubject(id int64) string {
	return Subject(EditorialEventSubjectPrefix, strconv.FormatInt(id, 10))
}

// EditorialReleaseSubject is the subject of an event's press-release detail.
func EditorialReleaseSubject(eventID int64) string {
	return Subject(EditorialReleaseSubjectPrefix, strconv.FormatInt(eventID, 10))
}

// EditorialApprovalSubject is the subject of one approval request's link.
func EditorialApprovalSubject(id int64) string {
	return Subject(EditorialApprovalSubjectPrefix, strconv.FormatInt(id, 10))
}

// EditorialIDsSubject is the subject of one id counter.
func EditorialIDsSubject(kind string) string { return Subject(EditorialIDsSubjectPrefix, kind) }

// EditorialFields are an editorial event's own fields (legacy table
// editorial_event). EventDate is an instant; the legacy wall times are read
// as Asia/Jakarta.
type EditorialFields struct {
	EventDate   time.Time `json:"event_date"`
	Topic       string    `json:"topic"`
	JudulBerita string    `json:"judul_berita,omitempty"`
	Assignee    string    `json:"assignee,omitempty"`
	Content     string    `json:"content,omitempty"`
	Summary     string    `json:"summary,omitempty"`
	ImagePath   string    `json:"image_path,omitempty"`
	Tag         string    `json:"tag,omitempty"`
	Kategori    string    `json:"kategori,omitempty"`
}

// EditorialChanges are the fields an edit changed (nil: unchanged).
type EditorialChanges struct {
	EventDate   *time.Time `json:"event_date,omitempty"`
	Topic       *string    `json:"topic,omitempty"`
	JudulBerita *string    `json:"judul_berita,omitempty"`
	Assignee    *string    `json:"assignee,omitempty"`
	Content     *string    `json:"content,omitempty"`
	Summary     *string    `json:"summary,omitempty"`
	ImagePath   *string    `json:"image_path,omitempty"`
	Tag         *string    `json:"tag,omitempty"`
	Kategori    *string    `json:"kategori,omitempty"`
}

// Empty reports an edit that changes nothing.
func (c EditorialChanges) Empty() bool { return c == EditorialChanges{} }

// ApplyTo returns f with the changes applied.
func (c EditorialChanges) ApplyTo(f EditorialFields) EditorialFields {
	if c.EventDate != nil {
		f.EventDate = *c.EventDate
	}
	for _, p := range []struct {
		dst *string
		v   *string
	}{{&f.Topic, c.Topic}, {&f.JudulBerita, c.JudulBerita}, {&f.Assignee, c.Assignee}, {&f.Content, c.Content},
		{&f.Summary, c.Summary}, {&f.ImagePath, c.ImagePath}, {&f.Tag, c.Tag}, {&f.Kategori, c.Kategori}} {
		if p.v != nil {
			*p.dst = *p.v
		}
	}
	return f
}

// EditorialIDAssigned: a counter handed out the next legacy integer id of
// its kind, in the same atomic batch as the aggregate that takes it.
type EditorialIDAssigned struct {
	Kind string `json:"kind"`
	ID   int64  `json:"id"`
}

func (EditorialIDAssigned) EventType() string { return "EditorialIDAssigned" }

// EditorialEventCreated: a Penmas user created an editorial event (POST
// /api/events); it starts as draft. CreatedAt and LastUpdate are what the
// client sent (the legacy columns it could override), else the business time.
type EditorialEventCreated struct {
	EventID int64 `json:"event_id"`
	EditorialFields
	CreatedAt  time.Time `json:"created_at"`
	LastUpdate time.Time `json:"last_update"`
	By         string    `json:"by"`
}

func (EditorialEventCreated) EventType() string { return "EditorialEventCreated" }

// EditorialEventEdited: fields of a draft or rejected event changed (PUT
// /api/events/:id).
type EditorialEventEdited struct {
	EventID    int64            `json:"event_id"`
	Changes    EditorialChanges `json:"changes"`
	LastUpdate time.Time        `json:"last_update"`
	By         string           `json:"by"`
}

func (EditorialEventEdited) EventType() string { return "EditorialEventEdited" }

// EditorialEventSubmitted: a draft or rejected event was submitted for
// approval; RequestID names the approval request it opened.
type EditorialEventSubmitted struct {
	EventID     int64     `json:"event_id"`
	RequestID   int64     `json:"request_id"`
	By          string    `json:"by"`
	SubmittedAt time.Time `json:"submitted_at"`
}

func (EditorialEventSubmitted) EventType() string { return "EditorialEventSubmitted" }

// ApprovalRequested is the write-once link of an approval request to its
// event (subject editorial.approval.<request_id>), appended with
// EditorialEventSubmitted: a decision on a request id finds its event here.
type ApprovalRequested struct {
	RequestID   int64  `json:"request_id"`
	EventID     int64  `json:"event_id"`
	RequestedBy string `json:"requested_by"`
}

func (ApprovalRequested) EventType() string { return "ApprovalRequested" }

// ReleaseDecision is what an editor's approval or rejection records.
// RequesterWhatsApp is the requester's number as their Penmas account
// knew it at the decision ("" when none: nobody is notified); Title and
// ByUsername let the notice be written from the event alone.
type ReleaseDecision struct {
	EventID           int64     `json:"event_id"`
	RequestID         int64     `json:"request_id"`
	RequestedBy       string    `json:"requested_by"`
	By                string    `json:"by"`
	ByUsername        string    `json:"by_username"`
	Note              string    `json:"note,omitempty"`
	Title             string    `json:"title"`
	EventDate         time.Time `json:"event_date"`
	RequesterWhatsApp string    `json:"requester_whatsapp,omitempty"`
	DecidedAt         time.Time `json:"decided_at"`
}

// ReleaseApproved: an editor approved the event's open approval request
// (release approved); the event can now be published.
type ReleaseApproved struct{ ReleaseDecision }

func (ReleaseApproved) EventType() string { return "ReleaseApproved" }

// ReleaseRejected: an editor rejected the event's open approval request,
// with a note for the writer.
type ReleaseRejected struct{ ReleaseDecision }

func (ReleaseRejected) EventType() string { return "ReleaseRejected" }

// ReleasePublished: an approved event was published.
type ReleasePublished struct {
	EventID     int64     `json:"event_id"`
	By          string    `json:"by"`
	PublishedAt time.Time `json:"published_at"`
}

func (ReleasePublished) EventType() string { return "ReleasePublished" }

// EditorialEventReopened: a rejected event went back to draft for revision.
type EditorialEventReopened struct {
	EventID int64  `json:"event_id"`
	By      string `json:"by"`
}

func (EditorialEventReopened) EventType() string { return "EditorialEventReopened" }

// EditorialEventDeleted: the creator or an editor deleted the event
// (DELETE /api/events/:id). History stays; the read models drop the event
// with its detail, requests and logs.
type EditorialEventDeleted struct {
	EventID int64  `json:"event_id"`
	By      string `json:"by"`
}

func (EditorialEventDeleted) EventType() string { return "EditorialEventDeleted" }

// EditorialChangeLogged: a user wrote a change-log entry on the event
// (POST /api/events/:id/logs). Status and Changes are free text.
type EditorialChangeLogged struct {
	EventID  int64     `json:"event_id"`
	Status   string    `json:"status"`
	Changes  string    `json:"changes"`
	LoggedAt time.Time `json:"logged_at"`
	By       string    `json:"by"`
}

func (EditorialChangeLogged) EventType() string { return "EditorialChangeLogged" }

// EditorialEventImported closes the history of an event brought over from
// the old system (`cicero import-v2`): the event's status, last editor and
// last update as the old row had them. The legacy module enforced no state
// machine (an event could be approved without any approval request), so
// the status is stated, not derived from the requests imported before it.
type EditorialEventImported struct {
	EventID    int64     `json:"event_id"`
	Status     string    `json:"status"`
	UpdatedBy  string    `json:"updated_by,omitempty"`
	LastUpdate time.Time `json:"last_update"`
}

func (EditorialEventImported) EventType() string { return "EditorialEventImported" }

// PressReleaseFields are a press-release detail's fields (legacy table
// press_release_detail).
type PressReleaseFields struct {
	Judul       string `json:"judul,omitempty"`
	Dasar       string `json:"dasar,omitempty"`
	Tersangka   string `json:"tersangka,omitempty"`
	TKP         string `json:"tkp,omitempty"`
	Kronologi   string `json:"kronologi,omitempty"`
	Modus       string `json:"modus,omitempty"`
	BarangBukti string `json:"barang_bukti,omitempty"`
	Pasal       string `json:"pasal,omitempty"`
	Ancaman     string `json:"ancaman,omitempty"`
	Catatan     string `json:"catatan,omitempty"`
}

// PressReleaseDetailRecorded: the press-release detail of an event was
// written (POST /api/press-release-details), once per event.
type PressReleaseDetailRecorded struct {
	EventID int64 `json:"event_id"`
	PressReleaseFields
	By string `json:"by"`
}

func (PressReleaseDetailRecorded) EventType() string { return "PressReleaseDetailRecorded" }

// PressReleaseDetailEdited: the detail's fields now read Fields (the whole
// detail after the edit: it is small, and a reader needs no fold).
type PressReleaseDetailEdited struct {
	EventID int64 `json:"event_id"`
	PressReleaseFields
	By string `json:"by"`
}

func (PressReleaseDetailEdited) EventType() string { return "PressReleaseDetailEdited" }

func registerEditorial(r *Registry) {
	for _, f := range []func() Payload{
		func() Payload { return &EditorialIDAssigned{} },
		func() Payload { return &EditorialEventCreated{} },
		func() Payload { return &EditorialEventEdited{} },
		func() Payload { return &EditorialEventSubmitted{} },
		func() Payload { return &ApprovalRequested{} },
		func() Payload { return &ReleaseApproved{} },
		func() Payload { return &ReleaseRejected{} },
		func() Payload { return &ReleasePublished{} },
		func() Payload { return &EditorialEventReopened{} },
		func() Payload { return &EditorialEventDeleted{} },
		func() Payload { return &EditorialChangeLogged{} },
		func() Payload { return &PressReleaseDetailRecorded{} },
		func() Payload { return &PressReleaseDetailEdited{} },
		func() Payload { return &EditorialEventImported{} },
	} {
		r.Register(1, f)
	}
}
