// Package auth is Cicero's security layer: HS256 JWTs, the Redis session
// registry (`login_token:<jwt>`), the authenticated Principal, directorate
// role normalisation, client scoping and the route allow-lists per token kind.
// Login endpoints issue sessions through Authenticator; every /api request is
// checked by internal/middleware.Access, which uses this package.
package auth

import "strings"

// Kind says which login flow issued a token; it decides the routes a token
// may reach (routes.go) and the Redis keys of its session.
type Kind string

const (
	// KindDashboard is a web-dashboard user (POST /api/auth/dashboard-login).
	KindDashboard Kind = "dashboard"
	// KindUser is a personnel member of the mobile app (POST /api/auth/user-login).
	KindUser Kind = "user"
	// KindPenmas is a Penmas editorial user (POST /api/auth/penmas-login).
	KindPenmas Kind = "penmas"
	// KindClient is a client operator of the mobile app (POST /api/auth/login).
	KindClient Kind = "client"
)

// Valid reports whether k is one of the four kinds.
func (k Kind) Valid() bool {
	switch k {
	case KindDashboard, KindUser, KindPenmas, KindClient:
		return true
	}
	return false
}

// actorSetKey is the per-actor Redis set listing the actor's tokens, named as
// the old system named it (spec/access.md §2.1), so password resets and
// logouts find every session of one actor.
func actorSetKey(k Kind, id string) string {
	switch k {
	case KindDashboard:
		return "dashboard_login:" + id
	case KindUser:
		return "user_login:" + id
	case KindPenmas:
		return "penmas_login:" + id
	default:
		return "login:" + id
	}
}

// sessionValue is the value of `login_token:<jwt>`: `<kind>:<id>`.
func sessionValue(k Kind, id string) string { return string(k) + ":" + id }

// parseSessionValue reads a session value. A value without a known kind
// prefix is a client-login session of the old system, which stored the bare
// client id; accepting it lets sessions survive the switch-over.
func parseSessionValue(v string) (Kind, string, bool) {
	if kind, id, ok := strings.Cut(v, ":"); ok {
		if k := Kind(kind); k.Valid() && id != "" {
			return k, id, true
		}
		return "", "", false
	}
	if v == "" {
		return "", "", false
	}
	return KindClient, v, true
}
