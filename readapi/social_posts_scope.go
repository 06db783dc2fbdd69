package readapi

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/normalize"
	"github.com/cicero/cicero/projections/directory"
)

// Messages of the post reads' client resolution (spec/social.md §4.2, §4.5).
const msgTokenClientMissing = "client_id pengguna tidak ditemukan"

// postScope is what a post list reads: the feeds of clients and the
// posts tagged for role (when role is set).
type postScope struct {
	clients []string
	role    string
}

// mayReadClient reports whether the caller may read client id's posts:
// admins any, everyone else their own clients, and a directorate user its
// own directorate (whose id is its role).
func mayReadClient(p *auth.Principal, id string) bool {
	return p.AllowsClient(id) || (auth.IsDirectorateRole(p.Role) && strings.EqualFold(strings.TrimSpace(id), p.Role))
}

// ownClient resolves the client a request names (or the caller's single
// client): 400 when there is none, 403 when it is not the caller's.
func ownClient(p *auth.Principal, requested string) (string, error) {
	if requested == "" {
		requested = p.ClientID
	}
	switch {
	case requested == "":
		return "", invalid(msgClientRequired)
	case !mayReadClient(p, requested):
		return "", forbidden(msgClientNotAllowed)
	}
	if own, err := p.ResolveClient(requested); err == nil {
		return own, nil
	}
	return requested, nil
}

// postScopeOf applies spec/social.md §4.5 (/api/instagram/posts, and the
// same rules for /api/tiktok/posts). With role or scope named (the
// "standard" payload) scope is org (default) or direktorat, role defaults
// to the caller's; org + operator reads the token's client, org + a
// directorate role reads that directorate. The role's tagged posts are
// added when the role is a directorate's and the scope or the client is
// direktorat — together with the client's own posts, the task set every
// recap counts (SPEC.md §5.4), rather than the old "tags, else the
// client's" fallback. A direktorat client read without a role is read
// with its own role likewise.
func (a *socialAPI) postScopeOf(ctx context.Context, p *auth.Principal, r *http.Request) (postScope, error) {
	q := r.URL.Query()
	role := normalize.Role(q.Get("role"))
	scope := strings.ToLower(strings.TrimSpace(q.Get("scope")))
	client := requestedClient(r)
	if q.Has("role") || q.Has("scope") {
		if scope == "" {
			scope = scopeOrg
		}
		if scope != scopeOrg && scope != scopeDirektor {
			return postScope{}, invalid(msgScopeInvalid)
		}
		if role == "" {
			role = p.Role
		}
		if role == "" {
			return postScope{}, invalid(msgRoleRequired)
		}
		switch {
		case scope == scopeOrg && role == auth.RoleOperator:
			if p.ClientID == "" {
				return postScope{}, invalid(msgTokenClientMissing)
			}
			client = p.ClientID
		case scope == scopeOrg && auth.IsDirectorateRole(role):
			client = strings.ToUpper(role)
		}
	}
	id, err := ownClient(p, client)
	if err != nil {
		return postScope{}, err
	}
	c, err := a.Directory.Client(ctx, id)
	switch {
	case errors.Is(err, directory.ErrNotFound):
		c = directory.Client{ClientID: id}
	case err != nil:
		return postScope{}, err
	}
	direktorat := strings.EqualFold(c.ClientType, scopeDirektor)
	if role == "" && direktorat {
		role = strings.ToLower(c.ClientID)
	}
	out := postScope{clients: []string{c.ClientID}}
	if auth.IsDirectorateRole(role) && (scope == scopeDirektor || direktorat) {
		if !mayReadClient(p, role) {
			return postScope{}, forbidden(msgClientNotAllowed)
		}
		out.role = role
	}
	return out, nil
}
