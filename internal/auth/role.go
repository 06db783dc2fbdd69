package auth

import "strings"

// Role names the code branches on (spec/access.md §1.1, §1.3).
const (
	RoleAdmin    = "admin"
	RoleOperator = "operator"
	RoleClient   = "client"
	RoleUser     = "user"
)

// DirectorateRoles are the roles that name a directorate client, lower-cased.
var DirectorateRoles = []string{"ditbinmas", "ditlantas", "bidhumas", "ditsamapta", "ditintelkam"}

// IsDirectorateRole reports whether role (any case) is a directorate role.
func IsDirectorateRole(role string) bool {
	role = lower(role)
	for _, d := range DirectorateRoles {
		if role == d {
			return true
		}
	}
	return false
}

// ClientRef is what role normalisation needs to know about a client.
type ClientRef struct {
	ID   string
	Type string // client_type: org, direktorat, …
}

// NormalizeDashboardRole applies the directorate rule of spec/access.md §1.3:
// a dashboard user with exactly one client whose type is `direktorat` acts
// with that client's id lower-cased as role (DITSAMAPTA → ditsamapta),
// whatever role is stored. It returns the effective role and, when it
// differs from the stored one, the stored role as base (for Claims.BaseRole).
func NormalizeDashboardRole(stored string, clients []ClientRef) (role, base string) {
	stored = lower(stored)
	if len(clients) == 1 && strings.EqualFold(strings.TrimSpace(clients[0].Type), "direktorat") {
		if r := lower(clients[0].ID); r != "" && r != stored {
			return r, stored
		}
	}
	return stored, ""
}

// ClientLoginRole is the role of a client-operator token (spec/access.md
// §2.3): the lower-cased client id for a directorate client, else "client".
func ClientLoginRole(clientID, clientType string) string {
	if strings.EqualFold(strings.TrimSpace(clientType), "direktorat") {
		return lower(clientID)
	}
	return RoleClient
}

// OwnsDirectorate reports whether role (any case) is a directorate role and
// the caller is that directorate's own user: its effective role is that
// directorate (a directorate dashboard account, or the operator of the
// directorate's client).
func (p *Principal) OwnsDirectorate(role string) bool {
	role = lower(role)
	return IsDirectorateRole(role) && p.Role == role
}
