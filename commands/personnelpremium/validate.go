package personnelpremium

import (
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/normalize"
)

// Messages of the personnel premium commands: the legacy wording (spec
// access.md §3.8) where it had one.
const (
	msgUserInvalid     = "User tidak valid"
	msgUserIDInvalid   = "user_id tidak valid"
	msgRequired        = "%s wajib diisi"
	msgTooLong         = "%s maksimal %d karakter"
	msgTextInvalid     = "%s tidak valid"
	msgURLInvalid      = "screenshot_url harus berupa URL http(s)"
	msgNotFound        = "not found"
	msgRequestStatus   = "Request sudah memiliki status %s"
	msgRequestInvalid  = "Request %s tidak valid."
	msgRequestIDUnused = "request_id tidak valid"
	msgForbidden       = "Forbidden"
	msgDaysInvalid     = "days harus lebih dari 0"
	msgDaysTooLarge    = "days maksimal %d"
)

// Length bounds of the free-text fields, in characters.
const (
	maxText = 200
	maxURL  = 2000
	maxNote = 500
)

// DefaultGrantDays is the length of a grant whose admin names no number of
// days (legacy grantsub#: now + 30 days); MaxGrantDays bounds a named one.
const (
	DefaultGrantDays = 30
	MaxGrantDays     = 3650
)

// RoleAdmin is the role an Actor needs to approve or reject.
const RoleAdmin = "admin"

// Actor is who decides on a request. The caller establishes it: the write
// API from the session (dashboard role admin), a WhatsApp handler from
// ADMIN_WHATSAPP (Role "admin"). ID empty → the command's Meta.Actor.
type Actor struct {
	ID   string `json:"id"`
	Role string `json:"role"`
}

// admin checks the actor may decide and returns its id.
func (a Actor) admin(metaActor string) (string, error) {
	id := strings.TrimSpace(a.ID)
	if id == "" {
		id = metaActor
	}
	if id == "" || normalize.Role(a.Role) != RoleAdmin {
		return "", &apperr.Error{Code: apperr.Forbidden, Message: msgForbidden}
	}
	return id, nil
}

func invalid(field, msg string) error {
	return &apperr.Error{Code: apperr.Invalid, Field: field, Message: msg}
}

// parseNRP keeps the digits of an NRP and checks the directory's 6–18
// digit bound; bad is the refusal otherwise.
func parseNRP(s string, bad error) (string, error) {
	n := normalize.NRP(s)
	if len(n) < normalize.MinNRPDigits || len(n) > normalize.MaxNRPDigits {
		return "", bad
	}
	return n, nil
}

// parseID returns the canonical form of a request id; ok is false for
// anything but a UUID.
func parseID(s string) (string, bool) {
	id, err := uuid.Parse(strings.TrimSpace(s))
	if err != nil {
		return "", false
	}
	return id.String(), true
}

// text trims a free-text field and bounds its length; NUL and invalid
// UTF-8 (which Postgres text cannot hold) are refused.
func text(field, s string, limit int) (string, error) {
	s = strings.TrimSpace(s)
	if strings.ContainsRune(s, 0) || !utf8.ValidString(s) {
		return "", invalid(field, fmt.Sprintf(msgTextInvalid, field))
	}
	if utf8.RuneCountInString(s) > limit {
		return "", invalid(field, fmt.Sprintf(msgTooLong, field, limit))
	}
	return s, nil
}

// screenshot checks a proof-of-transfer link: an absolute http(s) URL,
// since admins open it from a notice. "" stays "".
func screenshot(s string) (string, error) {
	s, err := text("screenshot_url", s, maxURL)
	if err != nil || s == "" {
		return s, err
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", invalid("screenshot_url", msgURLInvalid)
	}
	return s, nil
}
