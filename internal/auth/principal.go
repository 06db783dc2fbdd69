package auth

import (
	"context"
	"strings"
	"time"
)

// Principal is the authenticated caller of a request, built from the token's
// claims after its Redis session was found. Handlers read it with
// FromContext. Role is lower-cased and already directorate-normalised.
type Principal struct {
	Kind      Kind
	ID        string // dashboard_user_id, NRP, penmas user id or client id, by Kind
	Username  string
	Role      string   // effective role, lower-case
	BaseRole  string   // stored role when directorate normalisation replaced it, lower-case
	ClientID  string   // set when the caller has exactly one client
	ClientIDs []string // every client the caller may act for (dashboard users)
	Premium   Premium
	// Token is the raw JWT; it is the session key, so never log it.
	Token     string
	ExpiresAt time.Time
}

// Premium is the premium snapshot the token was issued with; a reload hook
// may refresh it from the read model.
type Premium struct {
	Status    bool
	Tier      string
	ExpiresAt *time.Time
}

// IsAdmin reports an unrestricted dashboard admin. A stored role of admin
// counts even when directorate normalisation renamed the effective role
// (spec/access.md §7.1 #7: the old system demoted such admins by accident).
func (p *Principal) IsAdmin() bool {
	return p.Kind == KindDashboard && (p.Role == RoleAdmin || p.BaseRole == RoleAdmin)
}

// IsOperator reports a dashboard operator, the role the legacy allow-list binds.
func (p *Principal) IsOperator() bool {
	return p.Kind == KindDashboard && p.Role == RoleOperator
}

// Actor is the id recorded as the actor of commands ("dashboard:<id>", …).
func (p *Principal) Actor() string { return sessionValue(p.Kind, p.ID) }

func principalFrom(token string, k Kind, id string, c *Claims) *Principal {
	p := &Principal{
		Kind:     k,
		ID:       id,
		Username: c.Username,
		Role:     lower(c.Role),
		BaseRole: lower(c.BaseRole),
		ClientID: strings.TrimSpace(c.ClientID),
		Token:    token,
	}
	for _, cid := range c.ClientIDs {
		if cid = strings.TrimSpace(cid); cid != "" {
			p.ClientIDs = append(p.ClientIDs, cid)
		}
	}
	if p.ClientID == "" && len(p.ClientIDs) == 1 {
		p.ClientID = p.ClientIDs[0]
	}
	if c.PremiumStatus != nil {
		p.Premium.Status = *c.PremiumStatus
	}
	if c.PremiumTier != nil {
		p.Premium.Tier = *c.PremiumTier
	}
	p.Premium.ExpiresAt = c.PremiumExpiresAt
	if c.ExpiresAt != nil {
		p.ExpiresAt = c.ExpiresAt.Time
	}
	return p
}

func lower(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

type ctxKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// FromContext returns the request's principal; ok is false on public routes
// called without a (valid) token.
func FromContext(ctx context.Context) (*Principal, bool) {
	p, ok := ctx.Value(ctxKey{}).(*Principal)
	return p, ok && p != nil
}
