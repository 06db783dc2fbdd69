package writeapi

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/cicero/cicero/projections/access"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/internal/password"
)

// Legacy messages of the dashboard login and registration (spec/access.md
// §2.5, §2.7).
const (
	authMsgLoginRequired  = "username dan password wajib diisi"
	authMsgNotApproved    = "Akun belum disetujui"
	authMsgNoClients      = "Operator belum memiliki klien yang diizinkan"
	authMsgUsernameTaken  = "username sudah terpakai"
	authMsgRegistered     = "Registrasi berhasil; akun menunggu persetujuan admin"
	authRecordLoginBudget = 5 * time.Second
)

// dashboardUserBody is `user` of the dashboard login answer: the token's
// claims (spec §2.7) plus user_id and username (SPEC.md §4 item 1).
// role_id is always null: roles are names here, there is no roles table.
type dashboardUserBody struct {
	DashboardUserID  string     `json:"dashboard_user_id"`
	UserID           string     `json:"user_id"`
	Username         string     `json:"username"`
	Role             string     `json:"role"`
	RoleID           *int       `json:"role_id"`
	ClientIDs        []string   `json:"client_ids"`
	ClientID         string     `json:"client_id,omitempty"`
	PremiumStatus    bool       `json:"premium_status"`
	PremiumTier      *string    `json:"premium_tier"`
	PremiumExpiresAt *time.Time `json:"premium_expires_at"`
}

type dashboardLoginBody struct {
	Success bool              `json:"success"`
	Token   string            `json:"token"`
	User    dashboardUserBody `json:"user"`
}

// dashboardLogin is POST /api/auth/dashboard-login. The checks run in the
// legacy order; the account, its clients and premium come from the read
// models, the same derivation the access layer repeats on every request.
func (a *authAPI) dashboardLogin(w http.ResponseWriter, r *http.Request) {
	b, ok := decodeAuth(w, r)
	if !ok {
		return
	}
	username, pw := strings.TrimSpace(b.str("username")), b.str("password")
	if username == "" || pw == "" {
		authFail(w, http.StatusBadRequest, authMsgLoginRequired)
		return
	}
	if !allowAttempt(w, r, a.AuthDeps, auth.FlowDashboardLogin, username) {
		return
	}
	var u access.DashboardUser
	err := access.ErrNotFound // a name Postgres cannot hold names nobody
	if storableText(username) {
		u, err = a.userQ.ByUsername(r.Context(), username)
	}
	if errors.Is(err, access.ErrNotFound) {
		password.Verify(a.dummyPwd, pw) // same cost as a wrong password
		authFail(w, http.StatusUnauthorized, authMsgNotFound)
		return
	}
	if err != nil {
		a.serverError(w, r, "dashboard login: find user", err)
		return
	}
	if !password.Verify(u.PasswordHash, pw) {
		// Unknown account and wrong password answer alike.
		authFail(w, http.StatusUnauthorized, authMsgNotFound)
		return
	}
	if !u.Approved {
		authFail(w, http.StatusForbidden, authMsgNotApproved)
		return
	}
	if len(u.ClientIDs) == 0 {
		authFail(w, http.StatusBadRequest, authMsgNoClients)
		return
	}
	acc, err := a.access.Access(r.Context(), u)
	if err != nil {
		a.serverError(w, r, "dashboard login: access", err)
		return
	}
	c := auth.Claims{DashboardUserID: u.DashboardUserID, Username: u.Username, Role: acc.Role,
		BaseRole: acc.BaseRole, ClientIDs: acc.ClientIDs, ClientID: acc.ClientID,
		PremiumStatus: &acc.Premium.Status, PremiumTier: acc.Premium.Tier, PremiumExpiresAt: acc.Premium.ExpiresAt}
	is, err := a.Auth.Issue(r.Context(), auth.KindDashboard, c)
	if err != nil {
		a.serverError(w, r, "dashboard login: issue token", err)
		return
	}
	loginSucceeded(r.Context(), a.AuthDeps, auth.FlowDashboardLogin, username)
	a.recordLogin(r.Context(), u.DashboardUserID)
	a.Auth.SetCookie(w, is.Token)
	httpx.JSON(w, http.StatusOK, dashboardLoginBody{Success: true, Token: is.Token, User: dashboardUserBody{
		DashboardUserID: u.DashboardUserID, UserID: u.DashboardUserID, Username: u.Username, Role: acc.Role,
		ClientIDs: acc.ClientIDs, ClientID: acc.ClientID, PremiumStatus: acc.Premium.Status,
		PremiumTier: acc.Premium.Tier, PremiumExpiresAt: acc.Premium.ExpiresAt}})
}

// recordLogin appends DashboardUserLoggedIn. It is a record, not a
// condition: the session exists already, so a failure is logged and the
// login stands.
func (a *authAPI) recordLogin(ctx context.Context, id string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), authRecordLoginBudget)
	defer cancel()
	meta := commands.Meta{Actor: string(auth.KindDashboard) + ":" + id, OccurredAt: a.Now()}
	if _, err := a.users.RecordLogin(ctx, meta, dashuser.RecordLogin{DashboardUserID: id, Source: "web"}); err != nil {
		a.Logger.Warn("dashboard login not recorded", "dashboard_user_id", id, "err", err)
	}
}

type dashboardRegisterBody struct {
	Success         bool   `json:"success"`
	DashboardUserID string `json:"dashboard_user_id"`
	Status          bool   `json:"status"`
	Message         string `json:"message"`
}

// dashboardRegister is POST /api/auth/dashboard-register: a pending
// account (spec §2.5) with whatsapp or email (SPEC.md §4 item 8). The
// command validates; admin cannot be chosen. role_id is not read: roles
// are names here.
func (a *authAPI) dashboardRegister(w http.ResponseWriter, r *http.Request) {
	b, ok := decodeAuth(w, r)
	if !ok {
		return
	}
	clients := b.list("client_ids")
	if len(clients) == 0 {
		clients = b.list("client_id")
	}
	cmd := dashuser.RegisterDashboardUser{Username: b.str("username"), Password: b.str("password"),
		Role: b.str("role"), WhatsApp: b.str("whatsapp"), Email: b.str("email"), ClientIDs: clients}
	meta := commands.Meta{CommandID: commandIDs(r)(), Actor: "dashboard-register", OccurredAt: a.Now()}
	id, o, err := a.users.RegisterDashboardUser(r.Context(), meta, cmd)
	if err != nil {
		var ae *apperr.Error
		if errors.As(err, &ae) && ae.Code == apperr.Conflict && ae.Field == "username" {
			// The legacy API answered a taken name with 400.
			authFail(w, http.StatusBadRequest, authMsgUsernameTaken)
			return
		}
		a.commandError(w, r, "dashboard register", err)
		return
	}
	// A login right after must find the account (and say it awaits
	// approval): answer once the read model shows it.
	ps := o.Positions()
	setWriteHeaders(w, ps, a.dashUsers.caughtUp(r, ps))
	httpx.JSON(w, http.StatusCreated, dashboardRegisterBody{Success: true, DashboardUserID: id, Status: false,
		Message: authMsgRegistered})
}

// commandError answers a command's refusal with its status and message;
// anything else is a logged 500.
func (a *authAPI) commandError(w http.ResponseWriter, r *http.Request, what string, err error) {
	if apperr.CodeOf(err) != apperr.Internal {
		httpx.JSON(w, httpx.StatusOf(apperr.CodeOf(err)), httpx.ErrorBody{Message: apperr.MessageOf(err)})
		return
	}
	a.serverError(w, r, what, err)
}

func (a *authAPI) serverError(w http.ResponseWriter, r *http.Request, what string, err error) {
	httpx.Fail(w, r, a.Logger, what, err, http.StatusInternalServerError, httpx.ErrorBody{Success: false, Message: authMsgServer})
}

// isRefusal reports a business refusal (not an internal error).
func isRefusal(err error) bool { return apperr.CodeOf(err) != apperr.Internal }

// storableText reports text Postgres can compare: JSON decoding already
// replaced invalid UTF-8, but a NUL ("\u0000") would fail the query.
func storableText(s string) bool { return !strings.ContainsRune(s, 0) }
