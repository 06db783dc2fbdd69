package auth

import (
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Claims is the JWT payload. Field names are the old system's
// (spec/access.md §2.3, §2.4, §2.7, §2.9) so the dashboard and the mobile apps
// keep reading them; Kind, Username and BaseRole are ours.
//
// Which fields a login fills:
//   - dashboard: DashboardUserID (and UserID = the same id), Username, Role
//     (after directorate normalisation), BaseRole (the stored role, when
//     normalisation replaced it), RoleID, ClientIDs, ClientID (only with exactly
//     one client), the premium snapshot.
//   - user (personnel): UserID (NRP), Nama, Role "user".
//   - penmas: UserID, Username, Role (penulis, editor, …).
//   - client: ClientID, Nama, Role ("client" or the lower-cased directorate id).
type Claims struct {
	Kind             Kind       `json:"kind,omitempty"`
	DashboardUserID  string     `json:"dashboard_user_id,omitempty"`
	UserID           string     `json:"user_id,omitempty"`
	Username         string     `json:"username,omitempty"`
	Nama             string     `json:"nama,omitempty"`
	Role             string     `json:"role,omitempty"`
	BaseRole         string     `json:"base_role,omitempty"`
	RoleID           *int       `json:"role_id,omitempty"`
	ClientID         string     `json:"client_id,omitempty"`
	ClientIDs        []string   `json:"client_ids,omitempty"`
	PremiumStatus    *bool      `json:"premium_status,omitempty"`
	PremiumTier      *string    `json:"premium_tier,omitempty"`
	PremiumExpiresAt *time.Time `json:"premium_expires_at,omitempty"`
	jwt.RegisteredClaims
}

// subject returns the actor id of the claims for kind k: the id the session
// value must repeat.
func (c *Claims) subject(k Kind) string {
	switch k {
	case KindDashboard:
		if c.DashboardUserID != "" {
			return c.DashboardUserID
		}
		return c.UserID
	case KindClient:
		return c.ClientID
	default:
		return c.UserID
	}
}
