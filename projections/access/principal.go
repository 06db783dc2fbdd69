package access

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/premiumguard"
	"github.com/cicero/cicero/projections"
	"github.com/cicero/cicero/projections/directory"
	"github.com/cicero/cicero/projections/premium"
)

// DashboardAccess is what a dashboard account may do right now, derived
// from the read models: the dashboard login signs it into the token, and
// the access layer re-derives it on every request so that approvals,
// client changes and premium grants take effect without a new login.
type DashboardAccess struct {
	User      DashboardUser
	Role      string   // effective role after directorate normalisation, lower-case
	BaseRole  string   // stored role when normalisation replaced it, else ""
	ClientIDs []string // as stored (upper-case, sorted)
	ClientID  string   // set when there is exactly one client
	Premium   premiumguard.Snapshot
}

// PrincipalReloader refreshes dashboard principals from the
// dashboard_users, clients and premium read models (legacy
// verifyDashboardToken step 4–6). It is safe for concurrent use.
type PrincipalReloader struct {
	users   *DashboardUserQueries
	dir     *directory.Queries
	premium *premium.Queries
	now     func() time.Time
}

// NewPrincipalReloader reads through db (the pool); now nil means time.Now.
func NewPrincipalReloader(db projections.Querier, now func() time.Time) *PrincipalReloader {
	if now == nil {
		now = time.Now
	}
	return &PrincipalReloader{users: NewDashboardUserQueries(db), dir: directory.NewQueries(db),
		premium: premium.NewQueries(db), now: now}
}

// Reload is the middleware.Reloader: a dashboard principal gets the
// account's current clients, effective role and premium snapshot; an
// account that is gone, pending or rejected answers 401 invalid_token
// (the old middleware did the same). Other kinds pass unchanged.
func (r *PrincipalReloader) Reload(ctx context.Context, p *auth.Principal) error {
	if p.Kind != auth.KindDashboard {
		return nil
	}
	u, err := r.users.ByID(ctx, p.ID)
	if errors.Is(err, projections.ErrNotFound) {
		return fmt.Errorf("dashboard user %s gone: %w", p.ID, auth.ErrInvalidToken)
	}
	if err != nil {
		return fmt.Errorf("reload principal: %w", err)
	}
	if !u.Approved {
		return fmt.Errorf("dashboard user %s not approved: %w", p.ID, auth.ErrInvalidToken)
	}
	acc, err := r.Access(ctx, u)
	if err != nil {
		return fmt.Errorf("reload principal: %w", err)
	}
	p.Username = u.Username
	p.Role, p.BaseRole = acc.Role, acc.BaseRole
	p.ClientIDs = acc.ClientIDs
	p.ClientID = acc.ClientID
	p.Premium = auth.Premium{Status: acc.Premium.Status, ExpiresAt: acc.Premium.ExpiresAt}
	if acc.Premium.Tier != nil {
		p.Premium.Tier = *acc.Premium.Tier
	}
	return nil
}

// Access derives the effective role (spec/access.md §1.3: a single
// directorate client names the role) and the premium snapshot of u.
func (r *PrincipalReloader) Access(ctx context.Context, u DashboardUser) (DashboardAccess, error) {
	acc := DashboardAccess{User: u, ClientIDs: u.ClientIDs}
	if acc.ClientIDs == nil {
		acc.ClientIDs = []string{}
	}
	refs := make([]auth.ClientRef, len(acc.ClientIDs))
	for i, id := range acc.ClientIDs {
		refs[i] = auth.ClientRef{ID: id}
	}
	// Only a single client can rename the role; more clients need no look-up.
	if len(refs) == 1 {
		acc.ClientID = refs[0].ID
		c, err := r.dir.Client(ctx, refs[0].ID)
		switch {
		case err == nil:
			refs[0].Type = c.ClientType
		case !errors.Is(err, projections.ErrNotFound):
			return DashboardAccess{}, fmt.Errorf("client of dashboard user: %w", err)
		}
	}
	acc.Role, acc.BaseRole = auth.NormalizeDashboardRole(u.Role, refs)
	snap, err := r.premium.Snapshot(ctx, u.DashboardUserID, r.now())
	if err != nil {
		return DashboardAccess{}, err
	}
	if snap.Tier != nil && strings.TrimSpace(*snap.Tier) == "" {
		snap.Tier = nil
	}
	acc.Premium = snap
	return acc, nil
}
