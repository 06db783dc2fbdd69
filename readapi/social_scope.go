package readapi

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/cicero/cicero/projections/directory"
	"github.com/cicero/cicero/projections/social"

	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/period"
)

// Messages of the recap routes (spec/social.md §4.2–4.4).
const msgOwnClientMissing = "client_id pengguna tidak ditemukan"

// recapScope is what one recap request reads: the task set, the personnel
// set, the period and the filters echoed back.
type recapScope struct {
	client, role, scope, regional string
	clientName                    string // the directory's name of client; "" when unknown
	task                          string // social.ClientTask / social.RoleTask
	people                        social.PeopleFilter
	period                        period.Period
}

// recapRequest is a recap request's query, trimmed.
type recapRequest struct {
	client, role, scope, regional string
	standard                      bool // role or scope given (spec §4.2 step 1)
	tiktok                        bool // client from the token first (§4.3)
	fixed                         string
}

func readRecapRequest(r *http.Request) recapRequest {
	q := r.URL.Query()
	rq := recapRequest{
		client:   strings.TrimSpace(q.Get("client_id")),
		role:     strings.ToLower(strings.TrimSpace(q.Get("role"))),
		scope:    strings.ToLower(strings.TrimSpace(q.Get("scope"))),
		regional: strings.ToUpper(strings.TrimSpace(q.Get("regional_id"))),
	}
	rq.standard = rq.role != "" || rq.scope != ""
	return rq
}

// resolveRecapScope applies spec/social.md §4.2 steps 1–5 (and §4.3's
// differences) for p, with the fixes of SPEC.md §5: the task set is the
// client's feed, or for a directorate the posts it owns or that are tagged
// for its role (§5.4); a directorate-wide personnel set needs the caller to
// be an admin, hold the role or have the directorate among its clients.
func resolveRecapScope(ctx context.Context, dir RecapDirectory, p *auth.Principal, r *http.Request, rq recapRequest, now time.Time) (recapScope, error) {
	per, err := period.FromQuery(r.URL.Query(), now)
	if err != nil {
		return recapScope{}, err
	}
	s := recapScope{client: rq.client, role: rq.role, scope: rq.scope, regional: rq.regional, period: per}
	if s.client == "" {
		s.client = strings.TrimSpace(r.Header.Get("x-client-id"))
	}
	if s.role == "" {
		s.role = p.Role
	}
	switch {
	case rq.fixed != "":
		s.client, s.role = rq.fixed, strings.ToLower(rq.fixed)
	case !rq.standard && p.Role == "ditbinmas":
		s.client = "DITBINMAS"
	case rq.tiktok && rq.standard && (s.scope == "" || s.scope == scopeOrg) && s.role == auth.RoleOperator:
		s.client = p.ClientID // §4.3: always the token's client
	case s.client == "" && (rq.tiktok || s.role == auth.RoleOperator):
		s.client = p.ClientID
	}
	if rq.standard {
		if s.scope == "" {
			s.scope = scopeOrg
		}
		if s.scope != scopeOrg && s.scope != scopeDirektor {
			return s, invalid(msgScopeInvalid)
		}
		if s.role == "" {
			return s, invalid(msgRoleRequired)
		}
		if s.scope == scopeDirektor && !auth.IsDirectorateRole(s.role) {
			return s, invalid(msgDirectorateRole)
		}
		if s.scope == scopeOrg && s.role == auth.RoleOperator && p.ClientID == "" {
			return s, invalid(msgOwnClientMissing)
		}
	}
	if s.client == "" {
		return s, invalid(msgClientRequired)
	}
	if err := recapAccess(p, &s); err != nil {
		return s, err
	}
	c, err := dir.Client(ctx, s.client)
	switch {
	case errors.Is(err, directory.ErrNotFound):
		s.client = strings.ToUpper(s.client)
	case err != nil:
		return s, err
	default:
		s.client, s.clientName = c.ClientID, c.Nama
	}
	direktorat := err == nil && strings.EqualFold(c.ClientType, "direktorat")
	s.task, s.people = recapSets(p, rq, s, direktorat)
	if !mayReadPeople(p, s.people) {
		return s, forbidden(msgClientNotAllowed)
	}
	if s.scope == "" {
		s.scope = scopeOrg
	}
	return s, nil
}

// recapAccess: the client must be one of the caller's (operators get their
// own spelling), or the directorate named by the caller's own role; a
// directorate-wide set needs the role's directorate among the caller's
// clients, the role itself, or an admin.
func recapAccess(p *auth.Principal, s *recapScope) error {
	if p.IsOperator() {
		own, err := p.ResolveClient(s.client)
		if err != nil {
			return err
		}
		s.client = own
	} else if !p.AllowsClient(s.client) && !strings.EqualFold(s.client, p.Role) {
		return forbidden(msgClientNotAllowed)
	}
	wide := auth.IsDirectorateRole(s.role) && (s.scope == scopeDirektor || s.scope == scopeOrg || strings.EqualFold(s.client, s.role))
	if wide && !p.IsAdmin() && p.Role != s.role && !p.AllowsClient(s.role) && s.scope == scopeDirektor {
		return forbidden(msgClientNotAllowed)
	}
	return nil
}

// mayReadPeople: a personnel set that spans every unit (the holders of a
// directorate role, whatever their client) is for admins, holders of the
// role, and callers with the role's directorate among their clients — the
// rule recapAccess applies to scope=direktorat, here applied to the set
// itself, which scope=org on a direktorat client widens the same way.
func mayReadPeople(p *auth.Principal, pf social.PeopleFilter) bool {
	wide := ""
	switch {
	case pf.Client == "":
		wide = pf.Role
	case pf.DirectorateClient:
		wide = cmp.Or(pf.Role, strings.ToLower(pf.Client))
	}
	return wide == "" || p.IsAdmin() || strings.EqualFold(p.Role, wide) || p.AllowsClient(wide)
}

// recapSets picks the task set and the personnel set (spec §4.2 step 4–5).
func recapSets(p *auth.Principal, rq recapRequest, s recapScope, direktorat bool) (string, social.PeopleFilter) {
	own := func() string {
		if direktorat {
			return social.RoleTask(s.client)
		}
		return social.ClientTask(s.client)
	}
	pf := social.PeopleFilter{RegionalID: s.regional}
	switch {
	case rq.fixed != "" || (!rq.standard && strings.EqualFold(s.client, "ditbinmas") && p.Role == "ditbinmas"):
		pf.Role = strings.ToLower(s.client)
		return social.RoleTask(s.client), pf
	case !rq.standard:
		pf.Client, pf.DirectorateClient = s.client, direktorat
		return own(), pf
	case s.scope == scopeDirektor:
		pf.Role = s.role
		if strings.EqualFold(s.client, s.role) {
			return social.RoleTask(s.role), pf
		}
		return own(), pf
	case s.role == auth.RoleOperator:
		pf.Client, pf.Role = s.client, auth.RoleOperator
		return own(), pf
	case auth.IsDirectorateRole(s.role):
		base := s.client
		if p.ClientID != "" {
			base = p.ClientID
		}
		pf.Client, pf.Role = base, s.role
		pf.DirectorateClient = strings.EqualFold(base, s.role) || (direktorat && strings.EqualFold(base, s.client))
		return social.RoleTask(s.role), pf
	}
	pf.Client, pf.DirectorateClient = s.client, direktorat
	return own(), pf
}
