package writeapi

import (
	"fmt"
	"slices"

	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/auth"
)

// Who may change which role (issue 8 §6): admins any role; everyone the
// operator role; a directorate role only that directorate's own users. The
// rules apply to real changes only: the dashboard sends the whole user back,
// so a flag that matches what the person holds changes nothing and is never
// refused. Roles a person can be given are person.KnownRoles; revoking
// accepts any name (imported ad-hoc roles), but only admins may revoke one.
const usersMsgRoleNotAllowed = "role %s tidak diizinkan"

// mayChangeRole reports whether p may grant or revoke role.
func mayChangeRole(p *auth.Principal, role string) bool {
	return p.IsAdmin() || role == auth.RoleOperator || p.OwnsDirectorate(role)
}

func roleNotAllowed(field, role string) error {
	return &apperr.Error{Code: apperr.Forbidden, Field: field, Message: fmt.Sprintf(usersMsgRoleNotAllowed, role)}
}

// knownRoles refuses a role to be given (a true flag) outside
// person.KnownRoles with the command's own 400, before any command runs.
func knownRoles(flags map[string]bool) error {
	for _, k := range sortedRoles(keysTrue(flags)) {
		if !person.IsKnownRole(k) {
			return &apperr.Error{Code: apperr.Invalid, Field: "roles", Message: person.UnknownRoleMessage(k)}
		}
	}
	return nil
}

// checkRoleChanges refuses the flags that would change a role of a person
// holding held which p may not change (403 "role <r> tidak diizinkan").
func checkRoleChanges(p *auth.Principal, held []string, flags map[string]bool) error {
	keys := make([]string, 0, len(flags))
	for k := range flags {
		keys = append(keys, k)
	}
	for _, k := range sortedRoles(keys) {
		if flags[k] != slices.Contains(held, k) && !mayChangeRole(p, k) {
			return roleNotAllowed("roles", k)
		}
	}
	return nil
}

// keptRoles are the roles of held that p may not take away: a
// reactivation that resets roles to the requester's keeps them.
func keptRoles(p *auth.Principal, held []string) []string {
	var out []string
	for _, r := range held {
		if !mayChangeRole(p, r) {
			out = append(out, r)
		}
	}
	return out
}
