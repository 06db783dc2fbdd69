package readapi

import (
	"net/http"
	"slices"
	"strings"

	"github.com/cicero/cicero/projections/directory"

	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/httpx"
)

// userListQuery is GET /api/users/list's query, normalised.
type userListQuery struct {
	client, role, scope, regional string
}

// parseUserListQuery applies rules 1 and 2 of spec/access.md §1.5.
func parseUserListQuery(p *auth.Principal, r *http.Request) (userListQuery, error) {
	q := r.URL.Query()
	out := userListQuery{
		client:   strings.TrimSpace(q.Get("client_id")),
		role:     strings.ToLower(strings.TrimSpace(q.Get("role"))),
		scope:    strings.ToLower(strings.TrimSpace(q.Get("scope"))),
		regional: strings.ToUpper(strings.TrimSpace(q.Get("regional_id"))),
	}
	if out.scope == "" {
		out.scope = scopeOrg
	}
	if out.scope != scopeOrg && out.scope != scopeDirektor {
		return out, invalid(msgScopeInvalid)
	}
	if out.role == "" {
		out.role = p.Role
	}
	if out.role == "" {
		return out, invalid(msgRoleRequired)
	}
	if out.scope == scopeDirektor && !auth.IsDirectorateRole(out.role) {
		return out, invalid(msgDirectorateRole)
	}
	return out, nil
}

// list is GET /api/users/list (spec/access.md §1.5 rules 1–5). One fix:
// a non-operator who is not an admin must name one of its own clients
// (SPEC.md §5.10); the old system let any dashboard user read any client.
func (a *usersAPI) list(w http.ResponseWriter, r *http.Request) {
	p, found := principal(w, r)
	if !found {
		return
	}
	q, err := parseUserListQuery(p, r)
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return
	}
	var people []directory.Person
	if p.IsOperator() {
		client, err := p.ResolveClient(q.client)
		if err != nil {
			httpx.Error(w, r, a.Logger, err)
			return
		}
		people, err = a.listFor(r, q, client, []string{client})
	} else {
		switch {
		case q.client == "":
			err = invalid(msgClientRequired)
		case !p.AllowsClient(q.client):
			err = forbidden(msgClientNotAllowed)
		default:
			people, err = a.listFor(r, q, q.client, directorateFilter(p, q))
		}
	}
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return
	}
	if q.regional != "" && q.scope == scopeDirektor {
		people = slices.DeleteFunc(people, func(x directory.Person) bool {
			return x.RegionalID == nil || !strings.EqualFold(*x.RegionalID, q.regional)
		})
	}
	if people == nil {
		people = []directory.Person{}
	}
	ok(w, people)
}

// listFor runs the query of the scope: users-by-direktorat(role, filter)
// or users-by-client-and-role(client, role), the latter strictly by
// client_id and with the region filtered in SQL.
func (a *usersAPI) listFor(r *http.Request, q userListQuery, client string, dirFilter []string) ([]directory.Person, error) {
	if q.scope == scopeDirektor {
		return a.Directory.PersonnelByDirectorate(r.Context(), q.role, dirFilter)
	}
	return a.Directory.PersonnelByClient(r.Context(), client,
		directory.PersonnelFilter{Role: q.role, Strict: true, RegionalID: q.regional})
}

// directorateFilter is rule 4's client filter for scope direktorat: the
// token's client when it differs from the requested one, none when they
// are the same. A non-admin with several clients and no single token
// client is held to the requested one. The holders of a role across all
// clients are listed only to admins and to that directorate's own users
// (issue 8 §6): any other role is listed within the requested client.
func directorateFilter(p *auth.Principal, q userListQuery) []string {
	requested := q.client
	if q.scope == scopeDirektor && !p.IsAdmin() && !p.OwnsDirectorate(q.role) {
		return []string{requested}
	}
	switch {
	case p.ClientID != "" && strings.EqualFold(p.ClientID, requested):
		return nil
	case p.ClientID != "":
		return []string{p.ClientID}
	case p.IsAdmin():
		return nil
	}
	return []string{requested}
}
