package penmasuser

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/password"
)

// Messages of the Penmas-account commands; the legacy API's wording where
// it had one (spec/access.md §2.9).
const (
	msgRequired        = "username dan password wajib diisi"
	msgUsernameInvalid = "username tidak valid"
	msgUsernameLong    = "username maksimal 100 karakter"
	msgUsernameTaken   = "username sudah terpakai"
	msgPasswordLong    = "password maksimal 72 karakter"
	msgRoleInvalid     = "role tidak valid"
	msgIDInvalid       = "user_id tidak valid"
	msgIDTaken         = "user_id sudah terdaftar"
	msgNotFound        = "pengguna penmas tidak ditemukan"
)

const (
	maxUsernameRunes   = 100
	maxRoleRunes       = 50
	defaultLoginSource = "web"
)

// DefaultRole is the role of a registration that names none (legacy
// default). The app's roles are penulis, editor, validator and admin; the
// legacy register accepted any text, and so does this one.
const DefaultRole = "penulis"

// Register is the Penmas self-registration
// (POST /api/auth/penmas-register). username is trimmed and kept as typed,
// unique exactly (case-sensitive); password is required (no minimum, as
// before; at most 72 bytes, which bcrypt reads) and stored as a bcrypt
// hash; role is trimmed and lower-cased, blank → penulis. user_id may be
// given (a UUID); otherwise the handler derives it from the command id, so
// a retried command names the same account.
// Refusals: Invalid (field named), Conflict "username sudah terpakai" /
// "user_id sudah terdaftar".
type Register struct {
	UserID   string `json:"user_id"`
	Username string `json:"username"`
	Password string `json:"password"`
	Role     string `json:"role"`
}

func invalid(field, msg string) error {
	return &apperr.Error{Code: apperr.Invalid, Field: field, Message: msg}
}

// parse validates the command into its event (without the hash).
func (cmd Register) parse() (events.PenmasUserRegistered, error) {
	var ev events.PenmasUserRegistered
	id, err := parseID(cmd.UserID)
	if err != nil {
		return ev, err
	}
	name := events.PenmasUsernameKey(cmd.Username)
	if name == "" || cmd.Password == "" {
		return ev, invalid("username", msgRequired)
	}
	if !printable(name) {
		return ev, invalid("username", msgUsernameInvalid)
	}
	if utf8.RuneCountInString(name) > maxUsernameRunes {
		return ev, invalid("username", msgUsernameLong)
	}
	if password.TooLong(cmd.Password) {
		return ev, invalid("password", msgPasswordLong)
	}
	role := strings.ToLower(strings.TrimSpace(cmd.Role))
	if role == "" {
		role = DefaultRole
	}
	if !printable(role) || utf8.RuneCountInString(role) > maxRoleRunes {
		return ev, invalid("role", msgRoleInvalid)
	}
	// Editors approve releases (SPEC.md §5.13); a self-registration that
	// could name itself editor or admin would make that check meaningless.
	if role == "editor" || role == "admin" {
		return ev, invalid("role", msgRoleInvalid)
	}
	return events.PenmasUserRegistered{UserID: id, Username: name, Role: role}, nil
}

// printable refuses invalid UTF-8 and control characters (a NUL would not
// even reach Postgres).
func printable(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsFunc(s, unicode.IsControl)
}

// decide creates the account and reserves its username in one atomic
// batch, both checked against the versions seen: of two registrations of
// one name, one lands and the other re-decides into "username sudah
// terpakai".
func (cmd Register) decide(ctx context.Context, l *commands.Loader, ev events.PenmasUserRegistered, hasher password.Hasher) ([]events.Commit, error) {
	u, uv, err := Load(ctx, l, ev.UserID)
	if err != nil {
		return nil, err
	}
	if u.Registered {
		if u.Username == ev.Username {
			return nil, nil // this registration landed before: nothing to do
		}
		return nil, &apperr.Error{Code: apperr.Conflict, Field: "user_id", Message: msgIDTaken}
	}
	res, rv, err := loadReservation(ctx, l, ev.Username)
	if err != nil {
		return nil, err
	}
	if res.holder != "" {
		return nil, &apperr.Error{Code: apperr.Conflict, Field: "username", Message: msgUsernameTaken}
	}
	// Hashed last: refusals stay cheap, and bcrypt runs once per decision.
	if ev.PasswordHash, err = hasher.Hash(cmd.Password); err != nil {
		return nil, err
	}
	u.ID = ev.UserID
	return []events.Commit{u.commit(uv, ev), res.reserve(rv, ev.UserID)}, nil
}
