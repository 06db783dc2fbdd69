package premium

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/cicero/cicero/internal/premiumguard"
	"github.com/cicero/cicero/projections"
)

// Request is one row of premium_requests with the legacy JSON names
// (dashboard_premium_request). TransferAmount is the NUMERIC as text, as
// the legacy API sent it.
type Request struct {
	RequestID             int64          `json:"request_id"`
	RequestToken          string         `json:"request_token"`
	DashboardUserID       string         `json:"dashboard_user_id"`
	ClientID              *string        `json:"client_id"`
	Username              string         `json:"username"`
	WhatsApp              *string        `json:"whatsapp"`
	BankName              string         `json:"bank_name"`
	AccountNumber         string         `json:"account_number"`
	SenderName            string         `json:"sender_name"`
	TransferAmount        *string        `json:"transfer_amount"`
	PremiumTier           *string        `json:"premium_tier"`
	ProofURL              *string        `json:"proof_url"`
	SubscriptionExpiresAt *time.Time     `json:"subscription_expires_at"`
	Status                string         `json:"status"`
	ExpiredAt             *time.Time     `json:"expired_at"`
	RespondedAt           *time.Time     `json:"responded_at"`
	RespondedBy           *string        `json:"responded_by"`
	AdminWhatsApp         *string        `json:"admin_whatsapp"`
	Metadata              map[string]any `json:"metadata"`
	Version               uint64         `json:"version"`
	CreatedAt             time.Time      `json:"created_at"`
	UpdatedAt             time.Time      `json:"updated_at"`
}

// Subscription is one row of premium_subscriptions.
type Subscription struct {
	SubscriptionID  string         `json:"subscription_id"`
	DashboardUserID string         `json:"dashboard_user_id"`
	Tier            string         `json:"tier"`
	Status          string         `json:"status"`
	StartedAt       time.Time      `json:"started_at"`
	ExpiresAt       time.Time      `json:"expires_at"`
	CanceledAt      *time.Time     `json:"canceled_at"`
	EndedAt         *time.Time     `json:"ended_at"`
	RequestToken    *string        `json:"request_token"`
	GrantedBy       string         `json:"granted_by"`
	Metadata        map[string]any `json:"metadata"`
	Version         uint64         `json:"version"`
	CreatedAt       time.Time      `json:"created_at"`
	UpdatedAt       time.Time      `json:"updated_at"`
}

// AuditEntry is one row of premium_request_audit.
type AuditEntry struct {
	EventID         string         `json:"event_id"`
	Position        uint64         `json:"position"`
	RequestID       int64          `json:"request_id"`
	RequestToken    string         `json:"request_token"`
	DashboardUserID string         `json:"dashboard_user_id"`
	Action          string         `json:"action"`
	Actor           string         `json:"actor"`
	Note            *string        `json:"note"`
	StatusFrom      *string        `json:"status_from"`
	StatusTo        string         `json:"status_to"`
	AdminWhatsApp   *string        `json:"admin_whatsapp"`
	Metadata        map[string]any `json:"metadata"`
	CreatedAt       time.Time      `json:"created_at"`
}

// DueSubscription is an active subscription past its expiry: work for the
// expiry job (ExpirePremium per user).
type DueSubscription struct {
	DashboardUserID string
	SubscriptionID  string
	Tier            string
	ExpiresAt       time.Time
}

// DueRequest is an open request past its deadline: work for the request
// expiry job (ExpireRequest per user and token).
type DueRequest struct {
	DashboardUserID string
	RequestToken    string
	ExpiredAt       time.Time
}

// Queries reads the premium read model. Queries name the live
// tables, so a rebuild's table swap is invisible to them. The clock is
// passed in: "active" and "open" depend on it.
type Queries struct {
	db projections.Querier
}

// NewQueries reads through db.
func NewQueries(db projections.Querier) *Queries { return &Queries{db: db} }

// canonicalUUID returns the canonical text of a UUID, false for anything
// else (so a bad token is "not found", never a database cast error).
func canonicalUUID(s string) (string, bool) {
	u, err := uuid.Parse(strings.TrimSpace(s))
	if err != nil {
		return "", false
	}
	return u.String(), true
}

func scanPremiumRequest(row pgx.Row) (Request, error) {
	r, err := scanPremiumRequestRow(row)
	if err != nil {
		return Request{}, err
	}
	return Request{RequestID: r.RequestID, RequestToken: r.Token, DashboardUserID: r.UserID, ClientID: r.ClientID,
		Username: r.Username, WhatsApp: r.WhatsApp, BankName: r.BankName, AccountNumber: r.AccountNumber,
		SenderName: r.Sender, TransferAmount: r.TransferAmount, PremiumTier: r.Tier, ProofURL: r.ProofURL,
		SubscriptionExpiresAt: r.SubscriptionExpiresAt, Status: r.Status, ExpiredAt: r.ExpiredAt,
		RespondedAt: r.RespondedAt, RespondedBy: r.RespondedBy, AdminWhatsApp: r.AdminWhatsApp,
		Metadata: r.Metadata, Version: uint64(r.Version), CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}, nil
}

func (q *Queries) oneRequest(ctx context.Context, what, where string, args ...any) (Request, error) {
	r, err := scanPremiumRequest(q.db.QueryRow(ctx, `SELECT `+premiumRequestCols+` FROM premium_requests `+where, args...))
	if errors.Is(err, pgx.ErrNoRows) {
		return Request{}, fmt.Errorf("%s: %w", what, ErrNotFound)
	}
	if err != nil {
		return Request{}, fmt.Errorf("%s: %w", what, err)
	}
	return r, nil
}

// RequestByToken returns the request with token; ErrNotFound when there
// is none (also for a token that is not a UUID).
func (q *Queries) RequestByToken(ctx context.Context, token string) (Request, error) {
	tok, ok := canonicalUUID(token)
	if !ok {
		return Request{}, fmt.Errorf("premium request: %w", ErrNotFound)
	}
	return q.oneRequest(ctx, "premium request", `WHERE request_token = $1::uuid`, tok)
}

// LatestRequest returns the user's newest request whatever its status;
// ErrNotFound when the user never asked.
func (q *Queries) LatestRequest(ctx context.Context, dashboardUserID string) (Request, error) {
	id, ok := canonicalUUID(dashboardUserID)
	if !ok {
		return Request{}, fmt.Errorf("latest premium request: %w", ErrNotFound)
	}
	return q.oneRequest(ctx, "latest premium request",
		`WHERE dashboard_user_id = $1::uuid ORDER BY request_id DESC LIMIT 1`, id)
}

// OpenRequest returns the user's request still waiting for an admin at
// now (pending or confirmed, deadline unset or after now) — legacy
// GET /api/premium/request/latest; ErrNotFound when there is none.
func (q *Queries) OpenRequest(ctx context.Context, dashboardUserID string, now time.Time) (Request, error) {
	id, ok := canonicalUUID(dashboardUserID)
	if !ok {
		return Request{}, fmt.Errorf("open premium request: %w", ErrNotFound)
	}
	return q.oneRequest(ctx, "open premium request", `WHERE dashboard_user_id = $1::uuid
		AND status IN ('pending', 'confirmed') AND (expired_at IS NULL OR expired_at > $2)
		ORDER BY request_id DESC LIMIT 1`, id, now)
}

// RequestAudit lists what happened to a request, oldest first.
func (q *Queries) RequestAudit(ctx context.Context, requestID int64) ([]AuditEntry, error) {
	rows, err := q.db.Query(ctx, `SELECT event_id::text, position, request_id, request_token::text,
			dashboard_user_id::text, action, actor, note, status_from, status_to, admin_whatsapp, metadata, created_at
		FROM premium_request_audit WHERE request_id = $1 ORDER BY position, event_index`, requestID)
	if err != nil {
		return nil, fmt.Errorf("premium request audit: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (AuditEntry, error) {
		var a AuditEntry
		var pos int64
		err := r.Scan(&a.EventID, &pos, &a.RequestID, &a.RequestToken, &a.DashboardUserID, &a.Action, &a.Actor,
			&a.Note, &a.StatusFrom, &a.StatusTo, &a.AdminWhatsApp, &a.Metadata, &a.CreatedAt)
		a.Position = uint64(pos)
		return a, err
	})
	if err != nil {
		return nil, fmt.Errorf("premium request audit: %w", err)
	}
	return out, nil
}

func scanPremiumSubscription(row pgx.Row) (Subscription, error) {
	s, err := scanPremiumSubRow(row)
	if err != nil {
		return Subscription{}, err
	}
	return Subscription{SubscriptionID: s.ID, DashboardUserID: s.UserID, Tier: s.Tier, Status: s.Status,
		StartedAt: s.StartedAt, ExpiresAt: s.ExpiresAt, CanceledAt: s.CanceledAt, EndedAt: s.EndedAt,
		RequestToken: s.RequestToken, GrantedBy: s.GrantedBy, Metadata: s.Metadata, Version: uint64(s.Version),
		CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt}, nil
}

// Subscriptions lists the user's subscriptions, newest grant first.
func (q *Queries) Subscriptions(ctx context.Context, dashboardUserID string) ([]Subscription, error) {
	id, ok := canonicalUUID(dashboardUserID)
	if !ok {
		return []Subscription{}, nil
	}
	rows, err := q.db.Query(ctx, `SELECT `+premiumSubCols+` FROM premium_subscriptions
		WHERE dashboard_user_id = $1::uuid ORDER BY started_at DESC, subscription_id DESC`, id)
	if err != nil {
		return nil, fmt.Errorf("premium subscriptions: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Subscription, error) { return scanPremiumSubscription(r) })
	if err != nil {
		return nil, fmt.Errorf("premium subscriptions: %w", err)
	}
	return out, nil
}

// ActiveSubscription returns the user's subscription active at now (legacy
// rule: status active, expires_at after now, not canceled by now), the one
// ending last; ErrNotFound when there is none.
func (q *Queries) ActiveSubscription(ctx context.Context, dashboardUserID string, now time.Time) (Subscription, error) {
	id, ok := canonicalUUID(dashboardUserID)
	if !ok {
		return Subscription{}, fmt.Errorf("active subscription: %w", ErrNotFound)
	}
	s, err := scanPremiumSubscription(q.db.QueryRow(ctx, `SELECT `+premiumSubCols+` FROM premium_subscriptions
		WHERE dashboard_user_id = $1::uuid AND status = 'active' AND expires_at > $2
		  AND (canceled_at IS NULL OR canceled_at > $2)
		ORDER BY expires_at DESC, started_at DESC, subscription_id DESC LIMIT 1`, id, now))
	if errors.Is(err, pgx.ErrNoRows) {
		return Subscription{}, fmt.Errorf("active subscription: %w", ErrNotFound)
	}
	if err != nil {
		return Subscription{}, fmt.Errorf("active subscription: %w", err)
	}
	return s, nil
}

// Snapshot is what the premium guard decides on (legacy
// getPremiumSnapshot): the subscription active at now, else the one still
// active by status (its expiry job has not run yet: the guard refuses its
// past expiry) ending last, else no premium.
func (q *Queries) Snapshot(ctx context.Context, dashboardUserID string, now time.Time) (premiumguard.Snapshot, error) {
	s, err := q.ActiveSubscription(ctx, dashboardUserID, now)
	if err == nil {
		return premiumguard.Snapshot{Status: true, Tier: &s.Tier, ExpiresAt: &s.ExpiresAt}, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return premiumguard.Snapshot{}, fmt.Errorf("premium snapshot: %w", err)
	}
	id, ok := canonicalUUID(dashboardUserID)
	if !ok {
		return premiumguard.Snapshot{}, nil
	}
	var snap premiumguard.Snapshot
	err = q.db.QueryRow(ctx, `SELECT tier, expires_at FROM premium_subscriptions
		WHERE dashboard_user_id = $1::uuid AND status = 'active'
		ORDER BY expires_at DESC, started_at DESC, subscription_id DESC LIMIT 1`, id).Scan(&snap.Tier, &snap.ExpiresAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return premiumguard.Snapshot{}, nil
	}
	if err != nil {
		return premiumguard.Snapshot{}, fmt.Errorf("premium snapshot: %w", err)
	}
	snap.Status = true
	return snap, nil
}

// DueSubscriptions lists up to limit active subscriptions whose expires_at
// is at or before now, the longest overdue first.
func (q *Queries) DueSubscriptions(ctx context.Context, now time.Time, limit int) ([]DueSubscription, error) {
	rows, err := q.db.Query(ctx, `SELECT dashboard_user_id::text, subscription_id::text, tier, expires_at
		FROM premium_subscriptions WHERE status = 'active' AND expires_at <= $1
		ORDER BY expires_at, subscription_id LIMIT $2`, now, limit)
	if err != nil {
		return nil, fmt.Errorf("due subscriptions: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (DueSubscription, error) {
		var d DueSubscription
		err := r.Scan(&d.DashboardUserID, &d.SubscriptionID, &d.Tier, &d.ExpiresAt)
		return d, err
	})
	if err != nil {
		return nil, fmt.Errorf("due subscriptions: %w", err)
	}
	return out, nil
}

// DueRequests lists up to limit requests still pending or confirmed whose
// deadline is at or before now, the longest overdue first.
func (q *Queries) DueRequests(ctx context.Context, now time.Time, limit int) ([]DueRequest, error) {
	rows, err := q.db.Query(ctx, `SELECT dashboard_user_id::text, request_token::text, expired_at
		FROM premium_requests WHERE status IN ('pending', 'confirmed') AND expired_at <= $1
		ORDER BY expired_at, request_id LIMIT $2`, now, limit)
	if err != nil {
		return nil, fmt.Errorf("due requests: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (DueRequest, error) {
		var d DueRequest
		err := r.Scan(&d.DashboardUserID, &d.RequestToken, &d.ExpiredAt)
		return d, err
	})
	if err != nil {
		return nil, fmt.Errorf("due requests: %w", err)
	}
	return out, nil
}
