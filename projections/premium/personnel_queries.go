package premium

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cicero/cicero/projections"
	"github.com/jackc/pgx/v5"
)

// PersonnelRequest is one row of personnel_premium_requests with the
// legacy JSON names (premium_request) plus the decision's details.
type PersonnelRequest struct {
	RequestID     string     `json:"request_id"`
	UserID        string     `json:"user_id"`
	SenderName    string     `json:"sender_name"`
	AccountNumber string     `json:"account_number"`
	BankName      string     `json:"bank_name"`
	ScreenshotURL *string    `json:"screenshot_url"`
	Status        string     `json:"status"`
	RespondedAt   *time.Time `json:"responded_at"`
	DecidedBy     *string    `json:"decided_by"`
	Note          *string    `json:"note"`
	Version       uint64     `json:"version"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
}

// PersonnelState is a person's premium (legacy "user".premium_status
// and premium_end_date).
type PersonnelState struct {
	UserID         string     `json:"user_id"`
	PremiumStatus  bool       `json:"premium_status"`
	PremiumEndDate *time.Time `json:"premium_end_date"`
}

// PersonnelFilter narrows a request list; zero fields do not filter.
type PersonnelFilter struct {
	UserID string
	Status string
	Limit  int // 0: 100; at most 1000
}

// DuePersonnel is an active premium past its end: work for the
// expiry job (ExpirePremium per person).
type DuePersonnel struct {
	UserID  string
	EndDate time.Time
}

// PersonnelQueries reads the personnel premium read model. Queries
// name the live tables, so a rebuild's table swap is invisible to them.
type PersonnelQueries struct {
	db projections.Querier
}

// NewPersonnelQueries reads through db.
func NewPersonnelQueries(db projections.Querier) *PersonnelQueries {
	return &PersonnelQueries{db: db}
}

func scanPersonnelPremiumRequest(row pgx.Row) (PersonnelRequest, error) {
	r, err := scanPPRequestRow(row)
	if err != nil {
		return PersonnelRequest{}, err
	}
	return PersonnelRequest{RequestID: r.ID, UserID: r.UserID, SenderName: r.Sender, AccountNumber: r.Account,
		BankName: r.Bank, ScreenshotURL: r.Screenshot, Status: r.Status, RespondedAt: r.RespondedAt, DecidedBy: r.DecidedBy,
		Note: r.Note, Version: uint64(r.Version), CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}, nil
}

// RequestByID returns the request with id; ErrNotFound when there is none
// (also for an id that is not a UUID).
func (q *PersonnelQueries) RequestByID(ctx context.Context, id string) (PersonnelRequest, error) {
	canon, ok := canonicalUUID(id)
	if !ok {
		return PersonnelRequest{}, fmt.Errorf("personnel premium request: %w", ErrNotFound)
	}
	r, err := scanPersonnelPremiumRequest(q.db.QueryRow(ctx, `SELECT `+ppRequestCols+`
		FROM personnel_premium_requests WHERE request_id = $1::uuid`, canon))
	if errors.Is(err, pgx.ErrNoRows) {
		return PersonnelRequest{}, fmt.Errorf("personnel premium request: %w", ErrNotFound)
	}
	if err != nil {
		return PersonnelRequest{}, fmt.Errorf("personnel premium request: %w", err)
	}
	return r, nil
}

// Requests lists requests matching f, newest first.
func (q *PersonnelQueries) Requests(ctx context.Context, f PersonnelFilter) ([]PersonnelRequest, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 1000)
	rows, err := q.db.Query(ctx, `SELECT `+ppRequestCols+` FROM personnel_premium_requests
		WHERE ($1 = '' OR user_id = $1) AND ($2 = '' OR status = $2)
		ORDER BY created_position DESC LIMIT $3`, f.UserID, f.Status, limit)
	if err != nil {
		return nil, fmt.Errorf("personnel premium requests: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (PersonnelRequest, error) {
		return scanPersonnelPremiumRequest(r)
	})
	if err != nil {
		return nil, fmt.Errorf("personnel premium requests: %w", err)
	}
	return out, nil
}

// Premium returns a person's premium; a person never granted any has
// none (status false, no end date).
func (q *PersonnelQueries) Premium(ctx context.Context, userID string) (PersonnelState, error) {
	s := PersonnelState{UserID: userID}
	err := q.db.QueryRow(ctx, `SELECT premium_status, premium_end_date FROM personnel_premium WHERE user_id = $1`,
		userID).Scan(&s.PremiumStatus, &s.PremiumEndDate)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return s, fmt.Errorf("personnel premium: %w", err)
	}
	return s, nil
}

// Due lists up to limit persons whose premium is active and ends at or
// before now, the longest overdue first.
func (q *PersonnelQueries) Due(ctx context.Context, now time.Time, limit int) ([]DuePersonnel, error) {
	return q.DueAfter(ctx, now, limit, nil)
}

// DueAfter is Due from after a row of an earlier page on (keyset order
// premium_end_date, user_id): a job pages through every due person
// without seeing one twice, whatever the read model applied meanwhile.
func (q *PersonnelQueries) DueAfter(ctx context.Context, now time.Time, limit int, after *DuePersonnel) ([]DuePersonnel, error) {
	var afterEnd *time.Time
	var afterUser string
	if after != nil {
		afterEnd, afterUser = &after.EndDate, after.UserID
	}
	rows, err := q.db.Query(ctx, `SELECT user_id, premium_end_date FROM personnel_premium
		WHERE premium_status AND premium_end_date <= $1
		  AND ($3::timestamptz IS NULL OR (premium_end_date, user_id) > ($3, $4))
		ORDER BY premium_end_date, user_id LIMIT $2`, now, limit, afterEnd, afterUser)
	if err != nil {
		return nil, fmt.Errorf("due personnel premium: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (DuePersonnel, error) {
		var d DuePersonnel
		err := r.Scan(&d.UserID, &d.EndDate)
		return d, err
	})
	if err != nil {
		return nil, fmt.Errorf("due personnel premium: %w", err)
	}
	return out, nil
}
