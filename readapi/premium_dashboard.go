package readapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/cicero/cicero/projections/premium"

	"github.com/go-chi/chi/v5"

	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/httpx"
)

// Messages of the premium read routes (spec/access.md §3.4).
const (
	msgPremiumForbidden = "Forbidden"
	msgPremiumNotFound  = "Request tidak ditemukan"
)

// PremiumRequestReader is what the premium read routes read
// (premium.Queries satisfies it).
type PremiumRequestReader interface {
	OpenRequest(ctx context.Context, dashboardUserID string, now time.Time) (premium.Request, error)
	RequestByToken(ctx context.Context, token string) (premium.Request, error)
}

// PremiumReadDeps is everything the premium read routes use.
type PremiumReadDeps struct {
	Premium PremiumRequestReader
	Now     func() time.Time // nil → time.Now; "open" depends on it
	Logger  *slog.Logger     // nil → discard
}

type premiumAPI struct{ PremiumReadDeps }

// MountPremium adds the dashboard premium read routes to r, the /api
// router (behind middleware.Access): GET /premium/request/latest (the
// caller's open request: {"success":true,"hasOpenRequest":…,"request":…})
// and GET /premium/request/{token} (one of the caller's requests, 404
// otherwise). Only dashboard accounts reach them (403 otherwise). It panics
// without Premium (a wiring error).
func MountPremium(r *auth.Router, d PremiumReadDeps) {
	if d.Premium == nil {
		panic("readapi.MountPremium: Premium is required")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	a := &premiumAPI{d}
	// chi matches the static segment before {token}, as the legacy router
	// registered latest first.
	r.Get("/premium/request/latest", auth.Staff, a.latest)
	r.Get("/premium/request/{token}", auth.Staff, a.one)
}

// caller returns the dashboard principal of the request.
func (a *premiumAPI) caller(w http.ResponseWriter, r *http.Request) (*auth.Principal, bool) {
	p, ok := principal(w, r)
	if !ok {
		return nil, false
	}
	if p.Kind != auth.KindDashboard {
		httpx.Error(w, r, a.Logger, forbidden(msgPremiumForbidden))
		return nil, false
	}
	return p, true
}

// latest is GET /api/premium/request/latest.
func (a *premiumAPI) latest(w http.ResponseWriter, r *http.Request) {
	p, ok := a.caller(w, r)
	if !ok {
		return
	}
	req, err := a.Premium.OpenRequest(r.Context(), p.ID, a.Now())
	switch {
	case errors.Is(err, premium.ErrNotFound):
		httpx.JSON(w, http.StatusOK, map[string]any{"success": true, "hasOpenRequest": false, "request": nil})
	case err != nil:
		httpx.Error(w, r, a.Logger, err)
	default:
		httpx.JSON(w, http.StatusOK, map[string]any{"success": true, "hasOpenRequest": true, "request": req})
	}
}

// one is GET /api/premium/request/{token}: someone else's request is "not
// found" as well, so tokens reveal nothing.
func (a *premiumAPI) one(w http.ResponseWriter, r *http.Request) {
	p, ok := a.caller(w, r)
	if !ok {
		return
	}
	req, err := a.Premium.RequestByToken(r.Context(), chi.URLParam(r, "token"))
	if err == nil && !strings.EqualFold(req.DashboardUserID, p.ID) {
		err = premium.ErrNotFound
	}
	switch {
	case errors.Is(err, premium.ErrNotFound):
		httpx.Error(w, r, a.Logger, apperr.New(apperr.NotFound, msgPremiumNotFound))
	case err != nil:
		httpx.Error(w, r, a.Logger, err)
	default:
		httpx.JSON(w, http.StatusOK, map[string]any{"success": true, "request": req})
	}
}
