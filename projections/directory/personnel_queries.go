package directory

import (
	"context"
	"strings"
)

// Personnel lists personnel ordered by name and NRP, inactive ones
// included (legacy GET /api/users read the whole table). With clientIDs it
// keeps only members of those clients, by the legacy membership rule
// without a role filter: client_id is one of them, or the person holds a
// role named after one (which is how directorate clients have members).
// Nil clientIDs lists everybody (admins).
func (q *Queries) Personnel(ctx context.Context, clientIDs []string) ([]Person, error) {
	if clientIDs == nil {
		rows, err := q.db.Query(ctx, personSelect+` ORDER BY p.nama, p.user_id`)
		return collectPeople(rows, err, "personnel")
	}
	upper := make([]string, len(clientIDs))
	lowerIDs := make([]string, len(clientIDs))
	for i, id := range clientIDs {
		upper[i] = strings.ToUpper(strings.TrimSpace(id))
		lowerIDs[i] = strings.ToLower(strings.TrimSpace(id))
	}
	rows, err := q.db.Query(ctx, personSelect+`
		WHERE upper(p.client_id) = ANY($1) OR p.roles && $2::text[]
		ORDER BY p.nama, p.user_id`, upper, lowerIDs)
	return collectPeople(rows, err, "personnel of clients")
}

// MemberOf reports whether the person belongs to client clientID by the
// legacy membership rule: its client_id is the client (any case), or it
// holds the role named after the client (lower-cased).
func (p Person) MemberOf(clientID string) bool {
	clientID = strings.TrimSpace(clientID)
	if clientID == "" {
		return false
	}
	if p.ClientID != nil && strings.EqualFold(*p.ClientID, clientID) {
		return true
	}
	role := strings.ToLower(clientID)
	for _, r := range p.Roles {
		if r == role {
			return true
		}
	}
	return false
}
