package events

import "time"

// Personnel premium (stream PREMIUM): the legacy premium of personnel of
// the mobile app (spec access.md §3.8, table premium_request and the
// premium_status / premium_end_date columns of "user"). Emitted by
// commands/personnelpremium; consumed by the personnel_premium projection
// (tables personnel_premium_requests and personnel_premium) and by the
// premium notice sagas (sagas/premium: the screenshot notice to admins,
// grant and denial to the person). The dashboard premium projection reads
// the same stream and skips these types.
//
// One aggregate per person, subject premium.personnel.<NRP>, holds the
// person's requests and their premium state: approving a request grants
// the premium, so both live on one version. Requests are told apart by
// request_id (a UUID derived from the creating command's id). The subject
// has three tokens while a dashboard user's (premium.<uuid>) has two, so
// the two kinds of aggregate never share a subject.
//
// Personal data (payer name and account) sits in PersonnelPremiumRequested
// and PersonnelPremiumRequestUpdated on the person's own subject.

// PersonnelPremiumSubjectPrefix is the subject prefix of the personnel
// premium aggregates.
const PersonnelPremiumSubjectPrefix = "premium.personnel"

// PersonnelPremiumSubject is the subject of one person's premium aggregate.
func PersonnelPremiumSubject(nrp string) string {
	return Subject(PersonnelPremiumSubjectPrefix, nrp)
}

// Statuses of a personnel premium request (legacy premium_request.status;
// legacy "expired" was never written and is not either).
const (
	PersonnelRequestPending  = "pending"
	PersonnelRequestApproved = "approved"
	PersonnelRequestRejected = "rejected"
)

// PersonnelPremiumRequested: a person asked for premium and described the
// payment (POST /api/premium-requests). The request is pending.
type PersonnelPremiumRequested struct {
	UserID        string `json:"user_id"`
	RequestID     string `json:"request_id"`
	SenderName    string `json:"sender_name"`
	AccountNumber string `json:"account_number"`
	BankName      string `json:"bank_name"`
	ScreenshotURL string `json:"screenshot_url,omitempty"`
}

func (PersonnelPremiumRequested) EventType() string { return "PersonnelPremiumRequested" }

// PersonnelPremiumRequestUpdated: the requester changed a pending request
// (PUT /api/premium-requests/:id); only the changed fields are present.
type PersonnelPremiumRequestUpdated struct {
	UserID        string  `json:"user_id"`
	RequestID     string  `json:"request_id"`
	SenderName    *string `json:"sender_name,omitempty"`
	AccountNumber *string `json:"account_number,omitempty"`
	BankName      *string `json:"bank_name,omitempty"`
	ScreenshotURL *string `json:"screenshot_url,omitempty"`
}

func (PersonnelPremiumRequestUpdated) EventType() string { return "PersonnelPremiumRequestUpdated" }

// PersonnelPremiumGranted: an admin approved the request (WhatsApp
// grantsub#<id>, POST /api/premium-requests/:id/approve); the person has
// premium until ExpiresAt.
type PersonnelPremiumGranted struct {
	UserID    string    `json:"user_id"`
	RequestID string    `json:"request_id"`
	ExpiresAt time.Time `json:"expires_at"`
	By        string    `json:"by"`
}

func (PersonnelPremiumGranted) EventType() string { return "PersonnelPremiumGranted" }

// PersonnelPremiumRequestRejected: an admin denied the request (WhatsApp
// denysub#<id>, POST /api/premium-requests/:id/deny).
type PersonnelPremiumRequestRejected struct {
	UserID    string `json:"user_id"`
	RequestID string `json:"request_id"`
	By        string `json:"by"`
	Note      string `json:"note,omitempty"`
}

func (PersonnelPremiumRequestRejected) EventType() string { return "PersonnelPremiumRequestRejected" }

// PersonnelPremiumExpired: the expiry job (legacy cronPremiumExpiry) found
// the person's premium past its end and closed it at ExpiredAt.
type PersonnelPremiumExpired struct {
	UserID    string    `json:"user_id"`
	ExpiredAt time.Time `json:"expired_at"`
}

func (PersonnelPremiumExpired) EventType() string { return "PersonnelPremiumExpired" }

func registerPersonnelPremium(r *Registry) {
	for _, f := range []func() Payload{
		func() Payload { return &PersonnelPremiumRequested{} },
		func() Payload { return &PersonnelPremiumRequestUpdated{} },
		func() Payload { return &PersonnelPremiumGranted{} },
		func() Payload { return &PersonnelPremiumRequestRejected{} },
		func() Payload { return &PersonnelPremiumExpired{} },
	} {
		r.Register(1, f)
	}
}
