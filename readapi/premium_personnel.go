package readapi

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/cicero/cicero/projections/premium"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/internal/normalize"
)

// Messages of the personnel premium list.
const (
	msgPremReqForbidden = "Forbidden"
	msgPremReqStatus    = "status tidak valid: gunakan pending, approved atau rejected"
	msgPremReqLimit     = "limit harus berupa angka 1-1000"
	msgPremReqUserID    = "user_id tidak valid"
)

// PersonnelPremiumLister is what the personnel premium list reads
// (premium.PersonnelQueries satisfies it).
type PersonnelPremiumLister interface {
	Requests(ctx context.Context, f premium.PersonnelFilter) ([]premium.PersonnelRequest, error)
}

// PremiumRequestsDeps is everything the personnel premium list uses.
type PremiumRequestsDeps struct {
	Requests PersonnelPremiumLister
	Logger   *slog.Logger // nil → discard
}

type premReqReadAPI struct{ PremiumRequestsDeps }

// MountPremiumRequests adds GET /premium-requests to r, the /api router
// (behind middleware.Access): the legacy personnel premium requests
// (spec/access.md §3.8), newest first, as {"success":true,"data":[…]}.
// A person sees their own requests; a dashboard admin sees everyone's,
// narrowed by ?user_id=; both may filter by ?status= and cap the list with
// ?limit= (default 100, at most 1000). Other callers get 403. It panics
// without Requests (a wiring error).
func MountPremiumRequests(r *auth.Router, d PremiumRequestsDeps) {
	if d.Requests == nil {
		panic("readapi.MountPremiumRequests: Requests is required")
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	a := &premReqReadAPI{d}
	r.Get("/premium-requests", auth.Staff|auth.Personnel, a.list)
}

func (a *premReqReadAPI) list(w http.ResponseWriter, r *http.Request) {
	p, ok := principal(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	f := premium.PersonnelFilter{Status: strings.ToLower(strings.TrimSpace(q.Get("status")))}
	switch {
	case p.Kind == auth.KindUser:
		// An empty filter would list everyone's requests: a session
		// whose id has no digits sees nothing instead.
		if f.UserID = normalize.NRP(p.ID); f.UserID == "" {
			httpx.Error(w, r, a.Logger, forbidden(msgPremReqForbidden))
			return
		}
	case p.IsAdmin():
		raw := strings.TrimSpace(q.Get("user_id"))
		if f.UserID = normalize.NRP(raw); raw != "" && f.UserID == "" {
			httpx.Error(w, r, a.Logger, apperr.Invalidf("user_id", msgPremReqUserID))
			return
		}
	default:
		httpx.Error(w, r, a.Logger, forbidden(msgPremReqForbidden))
		return
	}
	switch f.Status {
	case "", events.PersonnelRequestPending, events.PersonnelRequestApproved, events.PersonnelRequestRejected:
	default:
		httpx.Error(w, r, a.Logger, apperr.Invalidf("status", msgPremReqStatus))
		return
	}
	if s := strings.TrimSpace(q.Get("limit")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1000 {
			httpx.Error(w, r, a.Logger, apperr.Invalidf("limit", msgPremReqLimit))
			return
		}
		f.Limit = n
	}
	rows, err := a.Requests.Requests(r.Context(), f)
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return
	}
	if rows == nil {
		rows = []premium.PersonnelRequest{}
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"success": true, "data": rows})
}
