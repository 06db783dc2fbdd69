// Package dashuser is the dashboard-user aggregate of the ACCESS context:
// one account of the web dashboard, keyed by a UUID (subject
// access.dashuser.<id>). Usernames are unique case-insensitively through a
// second, tiny aggregate per lower-cased username (access.username.<name>)
// that a registration reserves in the same atomic batch. Commands (one file
// each) decide from these subjects and the client aggregates only, never
// from read models; handlers.go lists them.
package dashuser

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/password"
)

// User is the state of one dashboard user, folded from its subject's events.
type User struct {
	ID           string
	Registered   bool
	Username     string // as typed at registration (trimmed)
	PasswordHash string
	Role         string
	WhatsApp     string
	Email        string
	ClientIDs    []string // sorted, upper-case
	Status       string   // events.DashboardStatus*
	LastLoginAt  time.Time

	// The pending password-reset tokens (SHA-256, hex, with their expiry),
	// newest last: each request adds one and leaves the earlier ones valid
	// until they expire, as the legacy table of reset rows did, so a
	// repeated request (a mail that seemed slow) does not cancel the link
	// already sent. A password change spends them all. At most
	// maxPendingResets are kept (the login throttle bounds requests well
	// below that within a token's lifetime).
	resets []pendingReset
}

type pendingReset struct {
	hash    string
	expires time.Time
}

const maxPendingResets = 10

// Apply folds one event into the state.
func (u *User) Apply(ev events.Payload) {
	switch e := ev.(type) {
	case *events.DashboardUserRegistered:
		*u = User{ID: e.DashboardUserID, Registered: true, Username: e.Username, PasswordHash: e.PasswordHash,
			Role: e.Role, WhatsApp: e.WhatsApp, Email: e.Email, ClientIDs: slices.Clone(e.ClientIDs), Status: e.Status}
	case *events.DashboardUserApproved:
		u.Status = events.DashboardStatusApproved
	case *events.DashboardUserRejected:
		u.Status = events.DashboardStatusRejected
	case *events.DashboardUserClientsAssigned:
		u.ClientIDs = slices.Clone(e.ClientIDs)
	case *events.DashboardPasswordResetRequested:
		u.resets = append(u.resets, pendingReset{hash: e.TokenHash, expires: e.ExpiresAt})
		if n := len(u.resets); n > maxPendingResets {
			u.resets = slices.Clone(u.resets[n-maxPendingResets:])
		}
	case *events.DashboardPasswordChanged:
		u.PasswordHash = e.PasswordHash
		u.resets = nil
	case *events.DashboardUserDetailsChanged:
		u.Role, u.WhatsApp, u.Email = e.Role, e.WhatsApp, e.Email
	case *events.DashboardUserLoggedIn:
		u.LastLoginAt = e.At
	}
}

// Approved reports whether the user may log in.
func (u User) Approved() bool { return u.Status == events.DashboardStatusApproved }

// VerifyPassword reports whether pw is the user's password. The login
// endpoint checks the hash of the read model with password.Verify, the
// same function.
func VerifyPassword(u User, pw string) bool { return password.Verify(u.PasswordHash, pw) }

// Load reads and folds the dashboard user with id through the command's
// loader and returns it with its version.
func Load(ctx context.Context, l *commands.Loader, id string) (User, uint64, error) {
	envs, v, err := l.Load(ctx, events.DashboardUserSubject(id))
	if err != nil {
		return User{}, 0, fmt.Errorf("load dashboard user: %w", err)
	}
	u, err := fold(l.Registry(), id, envs)
	return u, v, err
}

func fold(reg *events.Registry, id string, envs []events.Envelope) (User, error) {
	u := User{ID: id}
	for i := range envs {
		ev, err := reg.Decode(&envs[i])
		if err != nil {
			return User{}, fmt.Errorf("load dashboard user: %w", err)
		}
		u.Apply(ev)
	}
	return u, nil
}

// commit wraps events for the user's own subject at version v.
func (u User) commit(v uint64, evs ...events.Payload) events.Commit {
	return events.Commit{Subject: events.DashboardUserSubject(u.ID), AggregateID: u.ID, Expected: v, Events: evs}
}

// loadExisting parses the id, loads the user and refuses if absent: the
// start of every command but the two that create an account.
func loadExisting(ctx context.Context, l *commands.Loader, rawID string) (User, uint64, error) {
	id, err := parseID(rawID)
	if err != nil {
		return User{}, 0, err
	}
	u, v, err := Load(ctx, l, id)
	if err != nil {
		return User{}, 0, err
	}
	if !u.Registered {
		return User{}, 0, &apperr.Error{Code: apperr.NotFound, Field: "dashboard_user_id", Message: msgNotFound}
	}
	return u, v, nil
}

// one wraps a single commit as a decision.
func one(c events.Commit) []events.Commit { return []events.Commit{c} }
