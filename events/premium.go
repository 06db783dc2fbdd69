package events

import (
	"encoding/json"
	"time"
)

// Premium context (stream PREMIUM): dashboard premium requests and
// subscriptions. Emitted by commands/premium; consumed by the premium
// projection (tables premium_requests, premium_request_audit,
// premium_subscriptions and the premium snapshot columns of
// dashboard_users), by the premium notice sagas (sagas/premium) and by the
// audit index.
//
// One aggregate per dashboard user, subject premium.<dashboard_user_id>,
// holds both the user's requests and their subscriptions: the rules that
// matter ("one open request at a time", "approving a request grants a
// subscription") span both, and a user has few of either, so one subject
// keeps every decision on one version. Requests are told apart by their
// request_token (a UUID, the public handle used in URLs and WhatsApp
// commands), subscriptions by their subscription_id.
//
// Personal data (username, whatsapp, payer name and account) sits in
// PremiumRequested and PremiumRequestConfirmed on the user's own subject.

// PremiumSubjectPrefix is the subject prefix of the premium aggregates.
const PremiumSubjectPrefix = "premium"

// PremiumSubject is the subject of one dashboard user's premium aggregate.
func PremiumSubject(dashboardUserID string) string {
	return Subject(PremiumSubjectPrefix, dashboardUserID)
}

// Statuses of a premium request (legacy dashboard_premium_request.status).
const (
	PremiumStatusPending   = "pending"
	PremiumStatusConfirmed = "confirmed"
	PremiumStatusApproved  = "approved"
	PremiumStatusDenied    = "denied"
	PremiumStatusExpired   = "expired"
)

// Statuses of a premium subscription.
const (
	SubscriptionActive   = "active"
	SubscriptionExpired  = "expired"
	SubscriptionCanceled = "canceled"
)

// PremiumRequested: a dashboard user asked for premium and described the
// payment. Status is confirmed when a proof of transfer came with it, else
// pending; ExpiredAt is the deadline for an admin to act. TransferAmount is
// a decimal number in text ("150000", "150000.50") or empty.
type PremiumRequested struct {
	DashboardUserID       string          `json:"dashboard_user_id"`
	RequestToken          string          `json:"request_token"`
	ClientID              string          `json:"client_id"`
	Username              string          `json:"username"`
	WhatsApp              string          `json:"whatsapp,omitempty"`
	BankName              string          `json:"bank_name"`
	AccountNumber         string          `json:"account_number"`
	SenderName            string          `json:"sender_name"`
	TransferAmount        string          `json:"transfer_amount,omitempty"`
	PremiumTier           string          `json:"premium_tier,omitempty"`
	ProofURL              string          `json:"proof_url,omitempty"`
	SubscriptionExpiresAt *time.Time      `json:"subscription_expires_at,omitempty"`
	Status                string          `json:"status"`
	ExpiredAt             time.Time       `json:"expired_at"`
	Metadata              json.RawMessage `json:"metadata,omitempty"`
}

func (PremiumRequested) EventType() string { return "PremiumRequested" }

// PremiumRequestChanges are the request fields a confirmation may change;
// nil means "not changed".
type PremiumRequestChanges struct {
	TransferAmount        *string    `json:"transfer_amount,omitempty"`
	BankName              *string    `json:"bank_name,omitempty"`
	AccountNumber         *string    `json:"account_number,omitempty"`
	SenderName            *string    `json:"sender_name,omitempty"`
	PremiumTier           *string    `json:"premium_tier,omitempty"`
	SubscriptionExpiresAt *time.Time `json:"subscription_expires_at,omitempty"`
}

// PremiumRequestConfirmed: the requester uploaded (or replaced) the proof
// of transfer; the request is confirmed and ExpiredAt is its deadline.
// Metadata, when present, is merged into the request's metadata.
type PremiumRequestConfirmed struct {
	DashboardUserID string                `json:"dashboard_user_id"`
	RequestToken    string                `json:"request_token"`
	ProofURL        string                `json:"proof_url"`
	Changes         PremiumRequestChanges `json:"changes"`
	ExpiredAt       time.Time             `json:"expired_at"`
	Metadata        json.RawMessage       `json:"metadata,omitempty"`
}

func (PremiumRequestConfirmed) EventType() string { return "PremiumRequestConfirmed" }

// PremiumGranted (**premium granted**): an admin gave the user a
// subscription of Tier from StartsAt until ExpiresAt, approving the request
// RequestToken when one is named (ClientID and TransferAmount then come
// from it). Tier is always one the premium guard accepted at the time.
type PremiumGranted struct {
	DashboardUserID string    `json:"dashboard_user_id"`
	SubscriptionID  string    `json:"subscription_id"`
	Tier            string    `json:"tier"`
	StartsAt        time.Time `json:"starts_at"`
	ExpiresAt       time.Time `json:"expires_at"`
	RequestToken    string    `json:"request_token,omitempty"`
	ClientID        string    `json:"client_id,omitempty"`
	TransferAmount  string    `json:"transfer_amount,omitempty"`
	By              string    `json:"by"`
	AdminWhatsApp   string    `json:"admin_whatsapp,omitempty"`
}

func (PremiumGranted) EventType() string { return "PremiumGranted" }

// PremiumRequestRejected: an admin denied an open request.
type PremiumRequestRejected struct {
	DashboardUserID string `json:"dashboard_user_id"`
	RequestToken    string `json:"request_token"`
	Note            string `json:"note,omitempty"`
	By              string `json:"by"`
	AdminWhatsApp   string `json:"admin_whatsapp,omitempty"`
}

func (PremiumRequestRejected) EventType() string { return "PremiumRequestRejected" }

// PremiumRevoked: an admin ended the user's active subscriptions early
// (they become canceled at At).
type PremiumRevoked struct {
	DashboardUserID string    `json:"dashboard_user_id"`
	SubscriptionIDs []string  `json:"subscription_ids"`
	Note            string    `json:"note,omitempty"`
	By              string    `json:"by"`
	At              time.Time `json:"at"`
}

func (PremiumRevoked) EventType() string { return "PremiumRevoked" }

// PremiumExpired: the expiry job found these active subscriptions past
// their expires_at (which they keep) and closed them at At.
type PremiumExpired struct {
	DashboardUserID string    `json:"dashboard_user_id"`
	SubscriptionIDs []string  `json:"subscription_ids"`
	At              time.Time `json:"at"`
}

func (PremiumExpired) EventType() string { return "PremiumExpired" }

// PremiumRequestExpired: an open request passed its deadline without an
// admin's answer (found by the request expiry job, or by a new request of
// the same user, which closes the stale one in the same message).
type PremiumRequestExpired struct {
	DashboardUserID string    `json:"dashboard_user_id"`
	RequestToken    string    `json:"request_token"`
	At              time.Time `json:"at"`
}

func (PremiumRequestExpired) EventType() string { return "PremiumRequestExpired" }

func registerPremium(r *Registry) {
	for _, f := range []func() Payload{
		func() Payload { return &PremiumRequested{} },
		func() Payload { return &PremiumRequestConfirmed{} },
		func() Payload { return &PremiumGranted{} },
		func() Payload { return &PremiumRequestRejected{} },
		func() Payload { return &PremiumRevoked{} },
		func() Payload { return &PremiumExpired{} },
		func() Payload { return &PremiumRequestExpired{} },
	} {
		r.Register(1, f)
	}
}
