package access

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/projections"
)

// DashboardUser is one row of the dashboard_users read model. JSON keeps
// the legacy names: "status" is the legacy boolean (true = approved) and
// "approval_status" the state (pending, approved, rejected). The password
// hash never goes out as JSON.
type DashboardUser struct {
	DashboardUserID  string     `json:"dashboard_user_id"`
	Username         string     `json:"username"`
	PasswordHash     string     `json:"-"`
	Role             string     `json:"role"`
	Status           string     `json:"approval_status"`
	Approved         bool       `json:"status"`
	WhatsApp         string     `json:"whatsapp"`
	Email            string     `json:"email"`
	ClientIDs        []string   `json:"client_ids"`
	PremiumStatus    bool       `json:"premium_status"`
	PremiumTier      *string    `json:"premium_tier"`
	PremiumExpiresAt *time.Time `json:"premium_expires_at"`
	LastLoginAt      *time.Time `json:"last_login_at"`
	Version          uint64     `json:"version"`
	CreatedAt        time.Time  `json:"created_at"`
	UpdatedAt        time.Time  `json:"updated_at"`
}

// DashboardUserQueries reads the dashboard_users read model.
type DashboardUserQueries struct {
	db projections.Querier
}

// NewDashboardUserQueries reads through db.
func NewDashboardUserQueries(db projections.Querier) *DashboardUserQueries {
	return &DashboardUserQueries{db: db}
}

// dashUserSelect reads an account with its premium snapshot: the active
// subscription (by status: the expiry job's PremiumExpired ends it, not the
// clock) ending last, from the PREMIUM context's read model. Reading it
// here, instead of copying it into dashboard_users, keeps each projection
// writing only its own tables.
const dashUserSelect = `SELECT d.dashboard_user_id::text, d.username, d.password_hash, d.role, d.status, d.approved,
	d.whatsapp, d.email, d.client_ids, ps.tier IS NOT NULL, ps.tier, ps.expires_at, d.last_login_at,
	d.version, d.created_at, d.updated_at
	FROM dashboard_users d
	LEFT JOIN LATERAL (
		SELECT s.tier, s.expires_at FROM premium_subscriptions s
		WHERE s.dashboard_user_id = d.dashboard_user_id AND s.status = 'active'
		ORDER BY s.expires_at DESC, s.started_at DESC, s.subscription_id DESC LIMIT 1
	) ps ON true`

func scanDashUser(row pgx.Row) (DashboardUser, error) {
	var u DashboardUser
	var v int64
	err := row.Scan(&u.DashboardUserID, &u.Username, &u.PasswordHash, &u.Role, &u.Status, &u.Approved,
		&u.WhatsApp, &u.Email, &u.ClientIDs, &u.PremiumStatus, &u.PremiumTier, &u.PremiumExpiresAt, &u.LastLoginAt,
		&v, &u.CreatedAt, &u.UpdatedAt)
	u.Version = uint64(v)
	return u, err
}

func oneDashUser(row pgx.Row, what string) (DashboardUser, error) {
	u, err := scanDashUser(row)
	if errors.Is(err, pgx.ErrNoRows) {
		return DashboardUser{}, fmt.Errorf("%s: %w", what, ErrNotFound)
	}
	if err != nil {
		return DashboardUser{}, fmt.Errorf("%s: %w", what, err)
	}
	return u, nil
}

// ByUsername returns the account whose username matches,
// compared case-insensitively (and trimmed) as logins do; ErrNotFound when
// there is none.
func (q *DashboardUserQueries) ByUsername(ctx context.Context, username string) (DashboardUser, error) {
	key := events.UsernameKey(username)
	if key == "" {
		return DashboardUser{}, fmt.Errorf("dashboard user by username: %w", ErrNotFound)
	}
	return oneDashUser(q.db.QueryRow(ctx, dashUserSelect+` WHERE d.username_lower = $1`, key), "dashboard user by username")
}

// ByID returns one account by id; ErrNotFound when there is none
// (or the id is not a UUID).
func (q *DashboardUserQueries) ByID(ctx context.Context, id string) (DashboardUser, error) {
	u, err := uuid.Parse(id)
	if err != nil {
		return DashboardUser{}, fmt.Errorf("dashboard user: %w", ErrNotFound)
	}
	return oneDashUser(q.db.QueryRow(ctx, dashUserSelect+` WHERE d.dashboard_user_id = $1::text::uuid`, u.String()), "dashboard user")
}

// Pending lists the accounts waiting for approval, oldest first.
func (q *DashboardUserQueries) Pending(ctx context.Context) ([]DashboardUser, error) {
	rows, err := q.db.Query(ctx, dashUserSelect+` WHERE d.status = 'pending'
		ORDER BY d.created_at, d.dashboard_user_id`)
	if err != nil {
		return nil, fmt.Errorf("pending dashboard users: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (DashboardUser, error) { return scanDashUser(r) })
	if err != nil {
		return nil, fmt.Errorf("pending dashboard users: %w", err)
	}
	return out, nil
}

// List returns the accounts with the given approval status ("" for all),
// newest first, at most limit of them after offset (the admin's account
// page). total counts every match.
func (q *DashboardUserQueries) List(ctx context.Context, status string, limit, offset int) (rows []DashboardUser, total int, err error) {
	where := ` WHERE ($1 = '' OR d.status = $1)`
	if err := q.db.QueryRow(ctx, `SELECT count(*) FROM dashboard_users d`+where, status).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count dashboard users: %w", err)
	}
	r, err := q.db.Query(ctx, dashUserSelect+where+` ORDER BY d.created_at DESC, d.dashboard_user_id LIMIT $2 OFFSET $3`,
		status, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("list dashboard users: %w", err)
	}
	rows, err = pgx.CollectRows(r, func(r pgx.CollectableRow) (DashboardUser, error) { return scanDashUser(r) })
	if err != nil {
		return nil, 0, fmt.Errorf("list dashboard users: %w", err)
	}
	return rows, total, nil
}
