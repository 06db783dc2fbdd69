package readapi

import (
	"errors"
	"net/http"
	"strings"

	"github.com/cicero/cicero/projections/directory"

	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/httpx"
)

// ClientProfile is the client of GET /api/clients/profile: the row plus
// level, tier and premium_tier, which drive the dashboard's menus.
type ClientProfile struct {
	directory.Client
	Level       *string `json:"level"`
	Tier        *string `json:"tier"`
	PremiumTier *string `json:"premium_tier"`
}

// profile is GET /api/clients/profile (spec/access.md §1.11).
func (a *clientsAPI) profile(w http.ResponseWriter, r *http.Request) {
	p, found := principal(w, r)
	if !found {
		return
	}
	q := r.URL.Query()
	id := strings.ToUpper(strings.TrimSpace(q.Get("client_id")))
	if id == "" {
		id = strings.ToUpper(strings.TrimSpace(p.ClientID))
	}
	if id == "" {
		legacyError(w, http.StatusBadRequest, msgProfileClientMissing)
		return
	}
	role, scope := p.Role, scopeOrg
	regional := strings.TrimSpace(q.Get("regional_id"))
	if q.Has("role") || q.Has("scope") || q.Has("regional_id") {
		if role = strings.ToLower(strings.TrimSpace(q.Get("role"))); role == "" {
			role = p.Role
		}
		if s := strings.ToLower(strings.TrimSpace(q.Get("scope"))); s != "" {
			scope = s
		}
		var msg string
		switch {
		case role == "":
			msg = msgRoleRequired
		case scope != scopeOrg && scope != scopeDirektor:
			msg = msgScopeInvalid
		case scope == scopeDirektor && !auth.IsDirectorateRole(role):
			msg = msgDirectorateRole
		}
		if msg != "" {
			legacyError(w, http.StatusBadRequest, msg)
			return
		}
	}
	// The directorate's row names its operator's number (client_operator):
	// only admins and that directorate's own users read it (issue 8 §6).
	if scope == scopeDirektor && !p.IsAdmin() && !p.OwnsDirectorate(role) {
		legacyError(w, http.StatusForbidden, msgDirectorateNotAllowed)
		return
	}
	if !p.AllowsClient(id) {
		legacyError(w, http.StatusForbidden, msgProfileNotOperators)
		return
	}
	c, err := a.Directory.Client(r.Context(), id)
	if err == nil && scope == scopeDirektor {
		c, err = a.Directory.Client(r.Context(), role)
	}
	if errors.Is(err, directory.ErrNotFound) ||
		(err == nil && regional != "" && (c.RegionalID == nil || !strings.EqualFold(*c.RegionalID, regional))) {
		legacyError(w, http.StatusNotFound, msgClientNotFound)
		return
	}
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return
	}
	if scope == scopeOrg {
		a.overlay(r, &c, role)
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"success": true, "client": profileOf(c, p)})
}

// overlay copies the IG, TikTok and amplify fields of the directorate
// client named by role onto an org client, so a directorate user looking at
// a Polres sees its directorate's accounts. Operator and client roles, and
// roles that name no client, leave c as it is.
func (a *clientsAPI) overlay(r *http.Request, c *directory.Client, role string) {
	if !strings.EqualFold(c.ClientType, scopeOrg) || role == "" || role == auth.RoleOperator || role == auth.RoleClient {
		return
	}
	d, err := a.Directory.Client(r.Context(), strings.ToUpper(role))
	if err != nil {
		return // no client by that name: nothing to overlay
	}
	c.ClientInsta, c.ClientInstaStatus = d.ClientInsta, d.ClientInstaStatus
	c.ClientTiktok, c.ClientTiktokStatus = d.ClientTiktok, d.ClientTiktokStatus
	c.ClientAmplifyStatus = d.ClientAmplifyStatus
	c.TiktokSecUID = d.TiktokSecUID
}

// profileOf adds level, tier and premium_tier: tier is the caller's premium
// tier (from the token's premium snapshot) lower-cased, else the client's
// level lower-cased.
func profileOf(c directory.Client, p *auth.Principal) ClientProfile {
	out := ClientProfile{Client: c, Level: c.ClientLevel}
	if t := strings.TrimSpace(p.Premium.Tier); t != "" {
		out.PremiumTier = &t
		low := strings.ToLower(t)
		out.Tier = &low
	} else if c.ClientLevel != nil && *c.ClientLevel != "" {
		low := strings.ToLower(*c.ClientLevel)
		out.Tier = &low
	}
	return out
}
