package events

import (
	"strings"
	"time"
)

// Access context (stream ACCESS): dashboard users and the reservations that
// keep their usernames unique. Emitted by commands/dashuser; consumed by the
// dashboard_users projection (table dashboard_users), by the audit index and
// by the notice sagas of sagas/access (registration, approval, login and
// password-reset messages).
// Personal data (username, whatsapp, email) sits in the user's own subject;
// a reservation subject names the lower-cased username and carries only the
// user's id.

// Subject prefixes of the access aggregates.
const (
	DashboardUserSubjectPrefix = "access.dashuser"
	UsernameSubjectPrefix      = "access.username"
)

// Approval states of a dashboard user.
const (
	DashboardStatusPending  = "pending"
	DashboardStatusApproved = "approved"
	DashboardStatusRejected = "rejected"
)

// DashboardUserSubject is the subject of one dashboard user (by its UUID).
func DashboardUserSubject(id string) string { return Subject(DashboardUserSubjectPrefix, id) }

// UsernameKey is the form under which usernames are unique and looked up:
// trimmed and lower-cased (logins match usernames case-insensitively).
func UsernameKey(username string) string { return strings.ToLower(strings.TrimSpace(username)) }

// UsernameSubject is the subject of the reservation of a username; two
// spellings that differ only in case share it.
func UsernameSubject(username string) string {
	return Subject(UsernameSubjectPrefix, UsernameKey(username))
}

// DashboardUserRegistered: someone registered for the dashboard (or an
// admin created an account, then DashboardUserApproved follows in the same
// message). Status is always pending here. PasswordHash is bcrypt; the
// password itself is never stored.
type DashboardUserRegistered struct {
	DashboardUserID string   `json:"dashboard_user_id"`
	Username        string   `json:"username"`
	PasswordHash    string   `json:"password_hash"`
	Role            string   `json:"role"`
	WhatsApp        string   `json:"whatsapp,omitempty"`
	Email           string   `json:"email,omitempty"`
	ClientIDs       []string `json:"client_ids"`
	Status          string   `json:"status"`
}

func (DashboardUserRegistered) EventType() string { return "DashboardUserRegistered" }

// DashboardUsernameReserved is appended to the username's reservation
// subject in the same atomic batch as DashboardUserRegistered, checked
// against an empty subject: of two registrations of one name, one lands.
type DashboardUsernameReserved struct {
	DashboardUserID string `json:"dashboard_user_id"`
}

func (DashboardUsernameReserved) EventType() string { return "DashboardUsernameReserved" }

// DashboardUserApproved: an admin (or the system, for accounts created by
// `cicero admin`) let the user in.
type DashboardUserApproved struct {
	DashboardUserID string `json:"dashboard_user_id"`
	By              string `json:"by"`
}

func (DashboardUserApproved) EventType() string { return "DashboardUserApproved" }

// DashboardUserRejected: an admin refused the registration, or withdrew an
// approval. The account stays (and keeps its username).
type DashboardUserRejected struct {
	DashboardUserID string `json:"dashboard_user_id"`
	By              string `json:"by"`
	Note            string `json:"note,omitempty"`
}

func (DashboardUserRejected) EventType() string { return "DashboardUserRejected" }

// DashboardUserClientsAssigned replaces the set of clients the user may see.
type DashboardUserClientsAssigned struct {
	DashboardUserID string   `json:"dashboard_user_id"`
	ClientIDs       []string `json:"client_ids"`
}

func (DashboardUserClientsAssigned) EventType() string { return "DashboardUserClientsAssigned" }

// DashboardPasswordResetRequested: a reset token was issued, to be sent to
// Email when the user asked by e-mail, else to the account's WhatsApp. The
// token itself is stored only as its SHA-256 (what the confirm checks) and
// sealed (SealedToken, internal/seal): the password-reset saga hands the
// sealed text to the outbox and only the dispatcher opens it to send. A
// later request supersedes the token. Events recorded before delivery went
// through the outbox carry neither contact nor sealed token; the saga sends
// nothing for them.
type DashboardPasswordResetRequested struct {
	DashboardUserID string    `json:"dashboard_user_id"`
	TokenHash       string    `json:"token_hash"`
	ExpiresAt       time.Time `json:"expires_at"`
	Username        string    `json:"username,omitempty"`
	Email           string    `json:"email,omitempty"`
	WhatsApp        string    `json:"whatsapp,omitempty"`
	SealedToken     string    `json:"sealed_token,omitempty"`
}

func (DashboardPasswordResetRequested) EventType() string { return "DashboardPasswordResetRequested" }

// DashboardPasswordChanged: a new bcrypt hash, set by the user (Reset
// false) or through a reset token or an admin (Reset true). A reset also
// spends the pending reset token.
type DashboardPasswordChanged struct {
	DashboardUserID string `json:"dashboard_user_id"`
	PasswordHash    string `json:"password_hash"`
	Reset           bool   `json:"reset"`
}

func (DashboardPasswordChanged) EventType() string { return "DashboardPasswordChanged" }

// DashboardUserDetailsChanged: the account's role, WhatsApp or e-mail
// changed; the fields hold all three as they are now. Today only a rerun of
// `cicero import-v2` appends it, following the old system's row during a
// cut-over (the dashboard has no route that edits them).
type DashboardUserDetailsChanged struct {
	DashboardUserID string `json:"dashboard_user_id"`
	Role            string `json:"role"`
	WhatsApp        string `json:"whatsapp,omitempty"`
	Email           string `json:"email,omitempty"`
}

func (DashboardUserDetailsChanged) EventType() string { return "DashboardUserDetailsChanged" }

// DashboardUserLoggedIn is the audit record of a successful login.
type DashboardUserLoggedIn struct {
	DashboardUserID string    `json:"dashboard_user_id"`
	At              time.Time `json:"at"`
	Source          string    `json:"source"`
}

func (DashboardUserLoggedIn) EventType() string { return "DashboardUserLoggedIn" }

func registerAccess(r *Registry) {
	for _, f := range []func() Payload{
		func() Payload { return &DashboardUserRegistered{} },
		func() Payload { return &DashboardUsernameReserved{} },
		func() Payload { return &DashboardUserApproved{} },
		func() Payload { return &DashboardUserRejected{} },
		func() Payload { return &DashboardUserClientsAssigned{} },
		func() Payload { return &DashboardPasswordResetRequested{} },
		func() Payload { return &DashboardPasswordChanged{} },
		func() Payload { return &DashboardUserLoggedIn{} },
		func() Payload { return &DashboardUserDetailsChanged{} },
	} {
		r.Register(1, f)
	}
}
