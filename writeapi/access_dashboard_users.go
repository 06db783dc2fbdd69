package writeapi

import (
	"log/slog"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/auth"
)

// Messages of the dashboard account approval routes (spec/access.md §2.6).
// An id that is not a UUID names no account: it gets the command's own
// "not found" text rather than a 400, as the legacy lookup answered 404.
const (
	dashUsersMsgForbidden = "Forbidden"
	dashUsersMsgNotFound  = "pengguna dashboard tidak ditemukan"
	dashUsersMsgApproved  = "Dashboard user disetujui"
	dashUsersMsgRejected  = "Dashboard user ditolak"
)

// DashboardUserCommandDeps is everything the dashboard account approval
// routes use.
type DashboardUserCommandDeps struct {
	Users *dashuser.Handlers
	// WaitFor blocks until the dashboard_users read model has applied the
	// positions (e.g. Manager.WaitFor(ctx, access.DashboardUsersName,
	// ps, max)), so a read after the answer sees the decision. Nil: no wait.
	WaitFor Waiter
	// Sessions ends an account's sessions when its password changes; nil:
	// they run out within their TTL.
	Sessions SessionRevoker
	Logger   *slog.Logger // nil → discard
}

type dashUsersCmdAPI struct {
	DashboardUserCommandDeps
	writer
}

// MountDashboardUserCommands adds the admin decisions on dashboard
// accounts to r, the /api router (behind middleware.Access and Dedup):
//   - PUT /dashboard/users/{id}/approve: let a pending (or rejected) account in;
//   - PUT /dashboard/users/{id}/reject: body {"note": …} optional; refuse a
//     registration or withdraw an approval;
//   - PUT /dashboard/users/{id}/clients: replace the account's clients
//     (If-Match → 409 on a concurrent change);
//   - PUT /dashboard/users/{id}/password: the account changes its own
//     password (old_password required), or an admin sets it.
//
// Only admins decide (403 "Forbidden" otherwise, whatever the route policy
// lets through), except an account's own password; an unknown id is 404. The answer is {"success":true,
// "message":…,"positions":[…]} with the positions also in
// X-Cicero-Position; positions are empty when the account already had that
// status. Errors are {"success":false,"message":…}. It panics without Users
// (a wiring error).
func MountDashboardUserCommands(r *auth.Router, d DashboardUserCommandDeps) {
	if d.Users == nil {
		panic("writeapi.MountDashboardUserCommands: Users is required")
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	a := &dashUsersCmdAPI{d, writer{log: d.Logger, wait: d.WaitFor}}
	r.Put("/dashboard/users/{id}/approve", auth.Admins, a.approve)
	r.Put("/dashboard/users/{id}/reject", auth.Admins, a.reject)
	r.Put("/dashboard/users/{id}/clients", auth.Admins, a.assignClients)
	r.Put("/dashboard/users/{id}/password", auth.OperatorList, a.changePassword)
}

// approve is PUT /api/dashboard/users/{id}/approve.
func (a *dashUsersCmdAPI) approve(w http.ResponseWriter, r *http.Request) {
	p, id, ok := a.decision(w, r)
	if !ok {
		return
	}
	// The body carries nothing for an approval, but a malformed one is
	// still refused so a client bug does not pass unnoticed.
	if _, err := decodeBody(w, r); err != nil {
		a.fail(w, r, err)
		return
	}
	o, err := a.Users.ApproveDashboardUser(r.Context(), writeMeta(r, p), dashuser.ApproveDashboardUser{
		DashboardUserID: id, ActorRole: dashuser.RoleAdmin, By: p.Actor()})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.finish(w, r, dashUsersMsgApproved, o)
}

// reject is PUT /api/dashboard/users/{id}/reject: body note (optional).
func (a *dashUsersCmdAPI) reject(w http.ResponseWriter, r *http.Request) {
	p, id, ok := a.decision(w, r)
	if !ok {
		return
	}
	b, err := decodeBody(w, r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	note, err := b.text("note")
	if err != nil {
		a.fail(w, r, err)
		return
	}
	o, err := a.Users.RejectDashboardUser(r.Context(), writeMeta(r, p), dashuser.RejectDashboardUser{
		DashboardUserID: id, ActorRole: dashuser.RoleAdmin, By: p.Actor(), Note: strOr(note)})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.finish(w, r, dashUsersMsgRejected, o)
}

// decision returns the admin caller and the account id of the route. The
// command gets RoleAdmin only once IsAdmin (which also accepts an admin
// whose token carries a directorate-normalised role) has said so.
func (a *dashUsersCmdAPI) decision(w http.ResponseWriter, r *http.Request) (*auth.Principal, string, bool) {
	p, ok := principalOf(w, r)
	if !ok {
		return nil, "", false
	}
	if !p.IsAdmin() {
		a.fail(w, r, apperr.New(apperr.Forbidden, dashUsersMsgForbidden))
		return nil, "", false
	}
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil {
		a.fail(w, r, &apperr.Error{Code: apperr.NotFound, Field: "dashboard_user_id", Message: dashUsersMsgNotFound})
		return nil, "", false
	}
	return p, id.String(), true
}

// finish answers a decision: {"success":true,"message":…,"positions":[…]},
// once the dashboard_users read model shows it (stale otherwise: the
// decision itself is recorded either way).
func (a *dashUsersCmdAPI) finish(w http.ResponseWriter, r *http.Request, msg string, o commands.Outcome) {
	a.done(w, r, written{status: http.StatusOK, ps: o.Positions(), fields: map[string]any{"message": msg}})
}
