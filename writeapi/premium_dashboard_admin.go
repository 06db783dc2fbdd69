package writeapi

import (
	"context"
	"net/http"

	premiumview "github.com/cicero/cicero/projections/premium"

	"github.com/go-chi/chi/v5"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/premium"
)

// grant is POST /api/premium/users/{id}/grant {tier, days? | expires_at?}
// (admins): premium without a request — the HTTP form of `cicero admin
// premium grant`. The tier must be one the guard accepts (SPEC.md §5.12).
func (a *premiumCmdAPI) grant(w http.ResponseWriter, r *http.Request) {
	p, ok := a.adminCaller(w, r)
	if !ok {
		return
	}
	b, err := decodeBody(w, r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if err := b.unknown(map[string]bool{"tier": true, "days": true, "expires_at": true}); err != nil {
		a.fail(w, r, err)
		return
	}
	cmd := premium.GrantPremium{DashboardUserID: chi.URLParam(r, "id"), By: premium.Actor{ID: p.Actor(), Role: premium.RoleAdmin}}
	if cmd.Tier, cmd.Days, cmd.ExpiresAt, err = b.grantTerms(); err != nil {
		a.fail(w, r, err)
		return
	}
	o, err := a.Premium.GrantPremium(r.Context(), writeMeta(r, p), cmd)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.subscriptions(w, r, cmd.DashboardUserID, o, http.StatusCreated)
}

// revoke is POST /api/premium/users/{id}/revoke {note?} (admins): end the
// account's premium now (the old system had no way to). An account without
// running premium answers 200 with no positions.
func (a *premiumCmdAPI) revoke(w http.ResponseWriter, r *http.Request) {
	p, ok := a.adminCaller(w, r)
	if !ok {
		return
	}
	b, err := decodeBody(w, r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if err := b.unknown(map[string]bool{"note": true}); err != nil {
		a.fail(w, r, err)
		return
	}
	note, err := b.text("note")
	if err != nil {
		a.fail(w, r, err)
		return
	}
	id := chi.URLParam(r, "id")
	o, err := a.Premium.RevokePremium(r.Context(), writeMeta(r, p), premium.RevokePremium{
		DashboardUserID: id, Note: strOr(note), By: premium.Actor{ID: p.Actor(), Role: premium.RoleAdmin}})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.subscriptions(w, r, id, o, http.StatusOK)
}

// subscriptions answers an admin's grant or revoke with the account's
// subscriptions as the read model shows them after the write:
// {"success":true,"subscriptions":[…],"positions":[…]}, with status when
// something was appended and 200 when nothing was.
func (a *premiumCmdAPI) subscriptions(w http.ResponseWriter, r *http.Request, id string, o commands.Outcome, status int) {
	ps := o.Positions()
	if len(ps) == 0 {
		status = http.StatusOK
	}
	a.done(w, r, written{status: status, ps: ps, fields: map[string]any{"subscriptions": []premiumview.Subscription{}},
		fill: func(ctx context.Context, body map[string]any) (bool, error) {
			subs, err := a.Requests.Subscriptions(ctx, id)
			if err != nil {
				return false, err
			}
			if subs != nil {
				body["subscriptions"] = subs
			}
			return true, nil
		}})
}
