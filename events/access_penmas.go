package events

import (
	"strings"
	"time"
)

// Penmas accounts (stream ACCESS): the users of the Penmas editorial app
// (spec/access.md §2.9, spec/ops.md §1.4). Emitted by commands/penmasuser;
// consumed by the penmas_users projection; logins also by the admins'
// login notice saga (sagas/access). Unlike dashboard usernames,
// Penmas usernames are unique and matched exactly (case-sensitive, as the
// legacy `username = $1` did), so the reservation subject keeps the case.
// Personal data (the username) sits in the user's own subject and in the
// reservation's subject name; events of the reservation carry only the id.

// Subject prefixes of the Penmas account aggregates.
const (
	PenmasUserSubjectPrefix     = "access.penmas"
	PenmasUsernameSubjectPrefix = "access.penmasname"
)

// PenmasUserSubject is the subject of one Penmas user (by its UUID).
func PenmasUserSubject(id string) string { return Subject(PenmasUserSubjectPrefix, id) }

// PenmasUsernameKey is the form under which Penmas usernames are unique:
// trimmed, case kept.
func PenmasUsernameKey(username string) string { return strings.TrimSpace(username) }

// PenmasUsernameSubject is the subject of the reservation of a Penmas
// username; "Budi" and "budi" are different names.
func PenmasUsernameSubject(username string) string {
	return Subject(PenmasUsernameSubjectPrefix, PenmasUsernameKey(username))
}

// PenmasUserRegistered: someone registered for the Penmas app
// (POST /api/auth/penmas-register). PasswordHash is bcrypt; Role is free
// text (penulis by default).
type PenmasUserRegistered struct {
	UserID       string `json:"user_id"`
	Username     string `json:"username"`
	PasswordHash string `json:"password_hash"`
	Role         string `json:"role"`
}

func (PenmasUserRegistered) EventType() string { return "PenmasUserRegistered" }

// PenmasUsernameReserved is appended to the username's reservation subject
// in the same atomic batch as PenmasUserRegistered, checked against an
// empty subject: of two registrations of one name, one lands.
type PenmasUsernameReserved struct {
	UserID string `json:"user_id"`
}

func (PenmasUsernameReserved) EventType() string { return "PenmasUsernameReserved" }

// PenmasUserLoggedIn is the audit record of a successful Penmas login (the
// legacy login_log row).
type PenmasUserLoggedIn struct {
	UserID string    `json:"user_id"`
	At     time.Time `json:"at"`
	Source string    `json:"source"`
}

func (PenmasUserLoggedIn) EventType() string { return "PenmasUserLoggedIn" }

// PenmasUserRoleChanged: an admin changed a Penmas user's role (the only
// way to become an editor: self-registration refuses editor and admin).
type PenmasUserRoleChanged struct {
	UserID string `json:"user_id"`
	Role   string `json:"role"`
	By     string `json:"by"`
}

func (PenmasUserRoleChanged) EventType() string { return "PenmasUserRoleChanged" }

// PenmasUserWhatsAppChanged: an admin set (or cleared: "") a Penmas user's
// WhatsApp number (normalised digits, 62…), where the editorial notices go.
type PenmasUserWhatsAppChanged struct {
	UserID   string `json:"user_id"`
	WhatsApp string `json:"whatsapp"`
	By       string `json:"by"`
}

func (PenmasUserWhatsAppChanged) EventType() string { return "PenmasUserWhatsAppChanged" }

func registerPenmas(r *Registry) {
	for _, f := range []func() Payload{
		func() Payload { return &PenmasUserRegistered{} },
		func() Payload { return &PenmasUsernameReserved{} },
		func() Payload { return &PenmasUserLoggedIn{} },
		func() Payload { return &PenmasUserRoleChanged{} },
		func() Payload { return &PenmasUserWhatsAppChanged{} },
	} {
		r.Register(1, f)
	}
}
