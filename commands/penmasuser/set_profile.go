package penmasuser

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/normalize"
)

const msgWhatsAppInvalid = "whatsapp tidak valid"

// SetProfile is an admin's change of a Penmas user's role and/or WhatsApp
// number (the admin route PUT /api/penmas-users/{id} and `cicero admin
// penmas-user set`): the only way to make an editor, since
// self-registration refuses editor and admin. Role is trimmed and
// lower-cased (any printable text up to 50 characters, as at
// registration, including editor and admin); WhatsApp is normalised to
// 62… (at least 8 digits) and "" clears it. Nil fields stay as they are;
// values equal to the current ones append nothing. By is the admin
// (recorded on the events).
// Refusals: Invalid user_id / role / whatsapp ("role atau whatsapp wajib
// diisi" when both are nil), NotFound.
type SetProfile struct {
	UserID   string  `json:"user_id"`
	Role     *string `json:"role,omitempty"`
	WhatsApp *string `json:"whatsapp,omitempty"`
	By       string  `json:"by"`
}

func (cmd SetProfile) parse() (id, role, wa string, err error) {
	if id, err = parseID(cmd.UserID); err != nil {
		return "", "", "", err
	}
	if cmd.Role == nil && cmd.WhatsApp == nil {
		return "", "", "", invalid("role", "role atau whatsapp wajib diisi")
	}
	if cmd.Role != nil {
		role = strings.ToLower(strings.TrimSpace(*cmd.Role))
		if role == "" || !printable(role) || utf8.RuneCountInString(role) > maxRoleRunes {
			return "", "", "", invalid("role", msgRoleInvalid)
		}
	}
	if cmd.WhatsApp != nil && strings.TrimSpace(*cmd.WhatsApp) != "" {
		wa = normalize.WhatsApp(*cmd.WhatsApp)
		if !normalize.ValidWhatsApp(wa) || strings.Trim(wa, "0123456789") != "" {
			return "", "", "", invalid("whatsapp", msgWhatsAppInvalid)
		}
	}
	return id, role, wa, nil
}

func (cmd SetProfile) decide(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
	id, role, wa, err := cmd.parse()
	if err != nil {
		return nil, err
	}
	u, v, err := Load(ctx, l, id)
	if err != nil {
		return nil, err
	}
	if !u.Registered {
		return nil, &apperr.Error{Code: apperr.NotFound, Field: "user_id", Message: msgNotFound}
	}
	var evs []events.Payload
	if cmd.Role != nil && role != u.Role {
		evs = append(evs, events.PenmasUserRoleChanged{UserID: id, Role: role, By: cmd.By})
	}
	if cmd.WhatsApp != nil && wa != u.WhatsApp {
		evs = append(evs, events.PenmasUserWhatsAppChanged{UserID: id, WhatsApp: wa, By: cmd.By})
	}
	if len(evs) == 0 {
		return nil, nil
	}
	return []events.Commit{u.commit(v, evs...)}, nil
}

// SetProfile → PenmasUserRoleChanged and/or PenmasUserWhatsAppChanged (one
// commit; nothing when nothing changes).
func (h *Handlers) SetProfile(ctx context.Context, meta commands.Meta, cmd SetProfile) (commands.Outcome, error) {
	return h.rt.Handle(ctx, "penmasuser.SetProfile", meta, cmd.decide)
}

// ByID returns the current state of the account with id, read from the
// event store (NotFound when there is none).
func (h *Handlers) ByID(ctx context.Context, id string) (User, error) {
	id, err := parseID(id)
	if err != nil {
		return User{}, err
	}
	store := h.rt.Store()
	envs, _, err := store.Load(ctx, events.PenmasUserSubject(id))
	if err != nil {
		return User{}, err
	}
	u, err := fold(store.Registry(), id, envs)
	if err != nil {
		return User{}, err
	}
	if !u.Registered {
		return User{}, &apperr.Error{Code: apperr.NotFound, Field: "user_id", Message: msgNotFound}
	}
	return u, nil
}
