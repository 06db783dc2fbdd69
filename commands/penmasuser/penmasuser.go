// Package penmasuser is the Penmas-account aggregate of the ACCESS context:
// one user of the Penmas editorial app, keyed by a UUID (subject
// access.penmas.<id>). Usernames are unique exactly as typed (trimmed,
// case-sensitive, spec/ops.md §1.4) through a second, tiny aggregate per
// username (access.penmasname.<name>) that a registration reserves in the
// same atomic batch. Commands decide from these subjects only, never from
// read models; handlers.go lists them.
package penmasuser

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
)

// User is the state of one Penmas user, folded from its subject's events.
type User struct {
	ID           string
	Registered   bool
	Username     string
	PasswordHash string
	Role         string
	// WhatsApp is the number (digits, 62…) an admin set; "" when none.
	WhatsApp    string
	LastLoginAt time.Time
}

// RoleEditor is the role that approves and rejects releases (SPEC.md §5.13).
const RoleEditor = "editor"

// IsEditor reports an editor.
func (u User) IsEditor() bool { return u.Role == RoleEditor }

// Apply folds one event into the state.
func (u *User) Apply(ev events.Payload) {
	switch e := ev.(type) {
	case *events.PenmasUserRegistered:
		*u = User{ID: e.UserID, Registered: true, Username: e.Username, PasswordHash: e.PasswordHash, Role: e.Role}
	case *events.PenmasUserLoggedIn:
		u.LastLoginAt = e.At
	case *events.PenmasUserRoleChanged:
		u.Role = e.Role
	case *events.PenmasUserWhatsAppChanged:
		u.WhatsApp = e.WhatsApp
	}
}

// Load reads and folds the Penmas user with id through the command's
// loader and returns it with its version.
func Load(ctx context.Context, l *commands.Loader, id string) (User, uint64, error) {
	envs, v, err := l.Load(ctx, events.PenmasUserSubject(id))
	if err != nil {
		return User{}, 0, fmt.Errorf("load penmas user: %w", err)
	}
	u, err := fold(l.Registry(), id, envs)
	return u, v, err
}

func fold(reg *events.Registry, id string, envs []events.Envelope) (User, error) {
	u := User{ID: id}
	for i := range envs {
		ev, err := reg.Decode(&envs[i])
		if err != nil {
			return User{}, fmt.Errorf("load penmas user: %w", err)
		}
		u.Apply(ev)
	}
	return u, nil
}

// commit wraps events for the user's own subject at version v.
func (u User) commit(v uint64, evs ...events.Payload) events.Commit {
	return events.Commit{Subject: events.PenmasUserSubject(u.ID), AggregateID: u.ID, Expected: v, Events: evs}
}

// parseID accepts a UUID in any spelling uuid.Parse knows and returns its
// canonical lower-case form, the one subjects and the read model use.
func parseID(s string) (string, error) {
	id, err := uuid.Parse(strings.TrimSpace(s))
	if err != nil {
		return "", &apperr.Error{Code: apperr.Invalid, Field: "user_id", Message: msgIDInvalid}
	}
	return id.String(), nil
}
