// Package premiumguard decides whether a dashboard user's premium snapshot
// opens a premium endpoint (legacy dashboardPremiumGuard, spec access.md
// §3.3). It is a pure function over the snapshot, the allowed tiers and the
// clock; the HTTP middleware loads the snapshot and writes the answer.
//
// The same tier list is what commands/premium accepts when an admin grants
// premium (SPEC §5.12: an approval always names a tier the guard accepts),
// so both read it through ParseTiers / NormalizeTiers.
package premiumguard

import (
	"slices"
	"strings"
	"time"
)

// DefaultTiers are the tiers accepted when the configuration names none
// (legacy DASHBOARD_PREMIUM_ALLOWED_TIERS default).
var DefaultTiers = []string{"tier1", "tier2", "premium_1"}

// Messages of the guard's answers, as the legacy system sent them.
const (
	MsgUnauthorized   = "Unauthorized"
	MsgExpired        = "Langganan premium telah kedaluwarsa"
	MsgRequired       = "Akses premium diperlukan untuk endpoint ini"
	MsgTierNotAllowed = "Premium tier tidak diizinkan untuk endpoint ini"
)

// NormalizeTier is the form tiers are compared in: trimmed, lower-case.
func NormalizeTier(t string) string { return strings.ToLower(strings.TrimSpace(t)) }

// ParseTiers reads a comma-separated tier list (the env variable
// DASHBOARD_PREMIUM_ALLOWED_TIERS): entries trimmed, lower-cased, blanks
// and repeats dropped; an empty result gives DefaultTiers.
func ParseTiers(s string) []string { return NormalizeTiers(strings.Split(s, ",")) }

// NormalizeTiers applies ParseTiers' rules to a list.
func NormalizeTiers(in []string) []string {
	out := make([]string, 0, len(in))
	for _, t := range in {
		if t = NormalizeTier(t); t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		return slices.Clone(DefaultTiers)
	}
	return out
}

// Snapshot is what the guard knows of a user's premium: the active
// subscription's tier and expiry, or the cached columns of dashboard_users
// when there is none (legacy getPremiumSnapshot). Nil means absent.
type Snapshot struct {
	Status    bool
	Tier      *string
	ExpiresAt *time.Time
}

// Body is the guard's JSON answer. A refusal is sent with status 403 and
// carries the tier and expiry under premium_tier, premium_expires_at and
// also expires_at (SPEC §4; the legacy tier refusal sent only
// premium_tier). When access is allowed, Success is true and PremiumTier
// holds the lower-cased tier: what the legacy guard put in req.premiumGuard
// for the handler.
type Body struct {
	Success          bool       `json:"success"`
	Message          string     `json:"message"`
	PremiumTier      *string    `json:"premium_tier"`
	PremiumExpiresAt *time.Time `json:"premium_expires_at"`
	ExpiresAt        *time.Time `json:"expires_at"`
}

// Decide applies the legacy guard to a loaded snapshot:
//   - expired = the expiry is set and before now (no expiry: not expired);
//   - no premium status, or expired → refused, "Langganan premium telah
//     kedaluwarsa" when expired, else "Akses premium diperlukan untuk
//     endpoint ini";
//   - allowed non-empty and the lower-cased tier missing or not in it →
//     refused, "Premium tier tidak diizinkan untuk endpoint ini";
//   - else allowed.
//
// allowed is compared as given (pass it through ParseTiers or
// NormalizeTiers); an empty list accepts any tier, as the legacy guard did.
// A blank tier counts as missing. A request without a user is the
// middleware's 401 (MsgUnauthorized) and never reaches Decide.
func Decide(s Snapshot, allowed []string, now time.Time) (bool, Body) {
	tier := s.Tier
	if tier != nil && strings.TrimSpace(*tier) == "" {
		tier = nil
	}
	body := Body{PremiumTier: tier, PremiumExpiresAt: s.ExpiresAt, ExpiresAt: s.ExpiresAt}
	expired := s.ExpiresAt != nil && s.ExpiresAt.Before(now)
	switch {
	case expired:
		body.Message = MsgExpired
		return false, body
	case !s.Status:
		body.Message = MsgRequired
		return false, body
	}
	if len(allowed) > 0 && (tier == nil || !slices.Contains(allowed, NormalizeTier(*tier))) {
		body.Message = MsgTierNotAllowed
		return false, body
	}
	body.Success = true
	if tier != nil {
		lower := NormalizeTier(*tier)
		body.PremiumTier = &lower
	}
	return true, body
}
