package penmasuser

import (
	"context"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
)

// ImportUser brings a Penmas account over from the old system
// (`cicero import-v2`, table penmas_user) with its old UUID and its bcrypt
// hash as it is, so people keep their passwords, and its role as it was
// (editor included: unlike a self-registration, it was granted there).
// Like Register it refuses a username held by another account and an id
// registered under another name; an account imported before (same id and
// username) is left as it is.
type ImportUser struct {
	UserID       string
	Username     string
	PasswordHash string
	Role         string
}

// bcryptRE is a bcrypt hash in its modular crypt form ($2a$, $2b$, $2y$).
var bcryptRE = regexp.MustCompile(`^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$`)

const msgHashInvalid = "password_hash bukan hash bcrypt"

// ValidHash reports whether h is a bcrypt hash ImportUser keeps.
func ValidHash(h string) bool { return bcryptRE.MatchString(strings.TrimSpace(h)) }

func (cmd ImportUser) parse() (events.PenmasUserRegistered, error) {
	var ev events.PenmasUserRegistered
	id, err := parseID(cmd.UserID)
	if err != nil {
		return ev, err
	}
	name := events.PenmasUsernameKey(cmd.Username)
	if name == "" {
		return ev, invalid("username", msgRequired)
	}
	if !printable(name) {
		return ev, invalid("username", msgUsernameInvalid)
	}
	if utf8.RuneCountInString(name) > maxUsernameRunes {
		return ev, invalid("username", msgUsernameLong)
	}
	hash := strings.TrimSpace(cmd.PasswordHash)
	if !ValidHash(hash) {
		return ev, invalid("password_hash", msgHashInvalid)
	}
	role := strings.ToLower(strings.TrimSpace(cmd.Role))
	if role == "" {
		role = DefaultRole
	}
	if !printable(role) || utf8.RuneCountInString(role) > maxRoleRunes {
		return ev, invalid("role", msgRoleInvalid)
	}
	return events.PenmasUserRegistered{UserID: id, Username: name, PasswordHash: hash, Role: role}, nil
}

// ImportUser → PenmasUserRegistered (kept hash) and PenmasUsernameReserved,
// nothing when imported before.
func (h *Handlers) ImportUser(ctx context.Context, meta commands.Meta, cmd ImportUser) (commands.Outcome, error) {
	ev, perr := cmd.parse()
	return h.rt.Handle(ctx, "penmasuser.ImportUser", meta, func(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
		if perr != nil {
			return nil, perr
		}
		u, uv, err := Load(ctx, l, ev.UserID)
		if err != nil {
			return nil, err
		}
		if u.Registered {
			if u.Username == ev.Username {
				return nil, nil // imported (or registered) before: as it is
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
		u.ID = ev.UserID
		return []events.Commit{u.commit(uv, ev), res.reserve(rv, ev.UserID)}, nil
	})
}
