package access

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/projections"
)

// PenmasUser is one row of the penmas_users read model. The password hash
// never goes out as JSON.
type PenmasUser struct {
	UserID       string     `json:"user_id"`
	Username     string     `json:"username"`
	PasswordHash string     `json:"-"`
	Role         string     `json:"role"`
	WhatsApp     string     `json:"whatsapp"`
	LastLoginAt  *time.Time `json:"last_login_at"`
	Version      uint64     `json:"version"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
}

// PenmasUserQueries reads the penmas_users read model.
type PenmasUserQueries struct {
	db projections.Querier
}

// NewPenmasUserQueries reads through db.
func NewPenmasUserQueries(db projections.Querier) *PenmasUserQueries {
	return &PenmasUserQueries{db: db}
}

const penmasUserSelect = `SELECT user_id, username, password_hash, role, whatsapp, last_login_at, version, created_at, updated_at
	FROM penmas_users`

func onePenmasUser(row pgx.Row, what string) (PenmasUser, error) {
	var u PenmasUser
	var v int64
	err := row.Scan(&u.UserID, &u.Username, &u.PasswordHash, &u.Role, &u.WhatsApp, &u.LastLoginAt, &v, &u.CreatedAt, &u.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return PenmasUser{}, fmt.Errorf("%s: %w", what, ErrNotFound)
	}
	if err != nil {
		return PenmasUser{}, fmt.Errorf("%s: %w", what, err)
	}
	u.Version = uint64(v)
	return u, nil
}

// ByUsername returns the account whose username is exactly username
// (trimmed; case-sensitive, spec/ops.md §1.4); ErrNotFound when there is
// none.
func (q *PenmasUserQueries) ByUsername(ctx context.Context, username string) (PenmasUser, error) {
	key := events.PenmasUsernameKey(username)
	if key == "" || strings.ContainsRune(key, 0) {
		return PenmasUser{}, fmt.Errorf("penmas user by username: %w", ErrNotFound)
	}
	return onePenmasUser(q.db.QueryRow(ctx, penmasUserSelect+` WHERE username = $1`, key), "penmas user by username")
}

// ByID returns the account with user_id id; ErrNotFound when there is none.
func (q *PenmasUserQueries) ByID(ctx context.Context, id string) (PenmasUser, error) {
	if strings.ContainsRune(id, 0) {
		return PenmasUser{}, fmt.Errorf("penmas user by id: %w", ErrNotFound)
	}
	return onePenmasUser(q.db.QueryRow(ctx, penmasUserSelect+` WHERE user_id = $1`, strings.TrimSpace(id)), "penmas user by id")
}
