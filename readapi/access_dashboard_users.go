package readapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/cicero/cicero/projections/access"

	"github.com/go-chi/chi/v5"

	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/httpx"
)

// Messages of the dashboard account read routes. They share the texts of
// the approval routes (writeapi/access_dashboard_users.go).
const (
	msgDashUsersForbidden = "Forbidden"
	msgDashUsersNotFound  = "pengguna dashboard tidak ditemukan"
	msgDashUsersStatus    = "status harus pending, approved atau rejected"
	msgDashUsersPaging    = "limit dan offset harus angka (limit 1–500)"
	dashUsersDefaultLimit = 100
	dashUsersMaxLimit     = 500
)

// DashboardUserReader is what the dashboard account routes read
// (access.DashboardUserQueries satisfies it).
type DashboardUserReader interface {
	ByID(ctx context.Context, id string) (access.DashboardUser, error)
	List(ctx context.Context, status string, limit, offset int) ([]access.DashboardUser, int, error)
}

// DashboardUsersDeps is everything the dashboard account read routes use.
type DashboardUsersDeps struct {
	Users  DashboardUserReader
	Logger *slog.Logger // nil → discard
}

type dashUsersAPI struct{ DashboardUsersDeps }

// MountDashboardUsers adds the dashboard account reads to r, the /api
// router (behind middleware.Access). They are what an admin needs to act
// on accounts (the old system had only Telegram for it):
//   - GET /dashboard/users?status=pending|approved|rejected&limit=&offset=
//     (admins): {"success":true,"data":[…],"total":n}, newest first;
//   - GET /dashboard/users/{id} (admins, or the account itself):
//     {"success":true,"data":{…}}; its "version" is the If-Match of the
//     account's writes.
//
// The password hash never leaves. It panics without Users (a wiring error).
func MountDashboardUsers(r *auth.Router, d DashboardUsersDeps) {
	if d.Users == nil {
		panic("readapi.MountDashboardUsers: Users is required")
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	a := &dashUsersAPI{d}
	r.Get("/dashboard/users", auth.Admins, a.list)
	r.Get("/dashboard/users/{id}", auth.OperatorList, a.one)
}

func (a *dashUsersAPI) list(w http.ResponseWriter, r *http.Request) {
	p, ok := principal(w, r)
	if !ok {
		return
	}
	if !p.IsAdmin() {
		httpx.Error(w, r, a.Logger, forbidden(msgDashUsersForbidden))
		return
	}
	q := r.URL.Query()
	status := strings.ToLower(strings.TrimSpace(q.Get("status")))
	switch status {
	case "", "pending", "approved", "rejected":
	default:
		httpx.Error(w, r, a.Logger, &apperr.Error{Code: apperr.Invalid, Field: "status", Message: msgDashUsersStatus})
		return
	}
	limit, err1 := intParam(q.Get("limit"), dashUsersDefaultLimit)
	offset, err2 := intParam(q.Get("offset"), 0)
	if err1 != nil || err2 != nil || limit < 1 || limit > dashUsersMaxLimit || offset < 0 {
		httpx.Error(w, r, a.Logger, &apperr.Error{Code: apperr.Invalid, Field: "limit", Message: msgDashUsersPaging})
		return
	}
	rows, total, err := a.Users.List(r.Context(), status, limit, offset)
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return
	}
	if rows == nil {
		rows = []access.DashboardUser{}
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"success": true, "data": rows, "total": total})
}

func (a *dashUsersAPI) one(w http.ResponseWriter, r *http.Request) {
	p, found := principal(w, r)
	if !found {
		return
	}
	id := chi.URLParam(r, "id")
	if !p.IsAdmin() && !(p.Kind == auth.KindDashboard && strings.EqualFold(p.ID, id)) {
		httpx.Error(w, r, a.Logger, forbidden(msgDashUsersForbidden))
		return
	}
	u, err := a.Users.ByID(r.Context(), id)
	if errors.Is(err, access.ErrNotFound) {
		httpx.Error(w, r, a.Logger, &apperr.Error{Code: apperr.NotFound, Field: "dashboard_user_id", Message: msgDashUsersNotFound})
		return
	}
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return
	}
	ok(w, u)
}

// intParam reads an optional non-negative integer query parameter.
func intParam(s string, def int) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return def, nil
	}
	return strconv.Atoi(s)
}
