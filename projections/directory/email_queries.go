package directory

import (
	"context"
	"strings"
)

// PeopleByEmail lists the personnel whose e-mail is email (trimmed and
// compared lower-cased, as the claim flow stores it), active ones first,
// then by NRP. The legacy data may hold one address on several people, so
// callers get them all. An empty address matches nobody.
//
// Used by the claim API (validate-email, request-otp). It scans personnel
// (no index on email: the table is small and the claim routes are rare).
func (q *Queries) PeopleByEmail(ctx context.Context, email string) ([]Person, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" {
		return []Person{}, nil
	}
	rows, err := q.db.Query(ctx, personSelect+` WHERE lower(p.email) = $1 ORDER BY p.status DESC, p.user_id`, email)
	return collectPeople(rows, err, "personnel by email")
}
