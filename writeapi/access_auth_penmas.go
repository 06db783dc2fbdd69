package writeapi

import (
	"context"
	"crypto/rand"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/cicero/cicero/projections/access"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/penmasuser"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/internal/password"
)

// The Penmas auth API (spec/access.md §2.9, spec/ops.md §1.4): self-
// registration and login of the Penmas editorial app. Both routes are
// public in internal/auth's tables. A login answers a penmas-kind token in
// the body and in the `token` cookie, records the Redis session
// (`login_token:<jwt>` = `penmas:<user_id>`, `penmas_login:<user_id>`)
// through auth.Authenticator, and appends PenmasUserLoggedIn (best effort).

type penmasAuthAPI struct {
	AuthDeps
	users    *penmasuser.Handlers
	userQ    *access.PenmasUserQueries
	dummyPwd string // a bcrypt hash unknown usernames are checked against
}

// MountPenmasAuth adds the Penmas auth routes to r, the /api router
// (behind middleware.Access and middleware.Dedup, so paths are relative to
// /api):
//
//	POST /auth/penmas-register, /auth/penmas-login
//
// It reads the penmas_users read model (access.NewPenmasUsers must
// run) and falls back to the event store for an account the read model
// does not show yet. ResetTTL and ResetDelivery of d are not used. It
// panics when Runtime, Pool, Auth or Throttle is missing (a wiring error).
func MountPenmasAuth(r *auth.Router, d AuthDeps) {
	if d.Runtime == nil || d.Pool == nil || d.Auth == nil || d.Throttle == nil {
		panic("writeapi.MountPenmasAuth: Runtime, Pool, Auth and Throttle are required")
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	opts := []penmasuser.Option{penmasuser.WithClock(d.Now)}
	if d.HashCost != 0 {
		opts = append(opts, penmasuser.WithHashCost(d.HashCost))
	}
	a := &penmasAuthAPI{AuthDeps: d, users: penmasuser.NewHandlers(d.Runtime, opts...),
		userQ: access.NewPenmasUserQueries(d.Pool)}
	// An unknown username is checked against this hash of a random string,
	// so that it takes as long as a wrong password.
	dummy, err := password.Hasher{Cost: d.HashCost}.Hash(rand.Text())
	if err != nil {
		panic("writeapi.MountPenmasAuth: " + err.Error())
	}
	a.dummyPwd = dummy
	r.Post("/auth/penmas-register", auth.Public, a.register)
	r.Post("/auth/penmas-login", auth.Public, a.login)
}

// penmasUserBody is `user` of the login answer: the token's legacy claims.
type penmasUserBody struct {
	UserID string `json:"user_id"`
	Role   string `json:"role"`
}

type penmasLoginBody struct {
	Success bool           `json:"success"`
	Token   string         `json:"token"`
	User    penmasUserBody `json:"user"`
}

type penmasRegisterBody struct {
	Success bool   `json:"success"`
	UserID  string `json:"user_id"`
}

// register is POST /api/auth/penmas-register {username, password, role?}.
func (a *penmasAuthAPI) register(w http.ResponseWriter, r *http.Request) {
	b, ok := decodeAuth(w, r)
	if !ok {
		return
	}
	cmd := penmasuser.Register{Username: b.str("username"), Password: b.str("password"), Role: b.str("role")}
	meta := commands.Meta{CommandID: commandIDs(r)(), Actor: "penmas-register", OccurredAt: a.Now()}
	id, _, err := a.users.Register(r.Context(), meta, cmd)
	if err != nil {
		var ae *apperr.Error
		if errors.As(err, &ae) && ae.Code == apperr.Conflict && ae.Field == "username" {
			// The legacy API answered a taken name with 400.
			authFail(w, http.StatusBadRequest, authMsgUsernameTaken)
			return
		}
		if isRefusal(err) {
			authFail(w, httpx.StatusOf(apperr.CodeOf(err)), apperr.MessageOf(err))
			return
		}
		a.serverError(w, r, "penmas register", err)
		return
	}
	httpx.JSON(w, http.StatusCreated, penmasRegisterBody{Success: true, UserID: id})
}

// login is POST /api/auth/penmas-login {username, password}; the username
// is matched exactly (after trimming).
func (a *penmasAuthAPI) login(w http.ResponseWriter, r *http.Request) {
	b, ok := decodeAuth(w, r)
	if !ok {
		return
	}
	username, pw := strings.TrimSpace(b.str("username")), b.str("password")
	if username == "" || pw == "" {
		authFail(w, http.StatusBadRequest, authMsgLoginRequired)
		return
	}
	if !allowAttempt(w, r, a.AuthDeps, auth.FlowPenmasLogin, username) {
		return
	}
	id, hash, role, err := a.find(r.Context(), username)
	if errors.Is(err, access.ErrNotFound) {
		password.Verify(a.dummyPwd, pw) // same cost as a wrong password
		authFail(w, http.StatusUnauthorized, authMsgNotFound)
		return
	}
	if err != nil {
		a.serverError(w, r, "penmas login: find user", err)
		return
	}
	if !password.Verify(hash, pw) {
		// Unknown account and wrong password answer alike.
		authFail(w, http.StatusUnauthorized, authMsgNotFound)
		return
	}
	is, err := a.Auth.Issue(r.Context(), auth.KindPenmas, auth.Claims{UserID: id, Username: username, Role: role})
	if err != nil {
		a.serverError(w, r, "penmas login: issue token", err)
		return
	}
	loginSucceeded(r.Context(), a.AuthDeps, auth.FlowPenmasLogin, username)
	a.recordLogin(r.Context(), id)
	a.Auth.SetCookie(w, is.Token)
	httpx.JSON(w, http.StatusOK, penmasLoginBody{Success: true, Token: is.Token, User: penmasUserBody{UserID: id, Role: role}})
}

// find reads the account from the read model, or, when the read model
// does not show it (yet: a login right after registering), from the event
// store. access.ErrNotFound when neither knows the name.
func (a *penmasAuthAPI) find(ctx context.Context, username string) (id, hash, role string, err error) {
	if !storableText(username) {
		return "", "", "", access.ErrNotFound
	}
	u, err := a.userQ.ByUsername(ctx, username)
	if err == nil {
		return u.UserID, u.PasswordHash, u.Role, nil
	}
	if !errors.Is(err, access.ErrNotFound) {
		return "", "", "", err
	}
	s, err := a.users.ByUsername(ctx, username)
	if apperr.CodeOf(err) == apperr.NotFound {
		return "", "", "", access.ErrNotFound
	}
	if err != nil {
		return "", "", "", err
	}
	return s.ID, s.PasswordHash, s.Role, nil
}

// recordLogin appends PenmasUserLoggedIn. It is a record, not a condition:
// the session exists already, so a failure is logged and the login stands.
func (a *penmasAuthAPI) recordLogin(ctx context.Context, id string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), authRecordLoginBudget)
	defer cancel()
	meta := commands.Meta{Actor: string(auth.KindPenmas) + ":" + id, OccurredAt: a.Now()}
	if _, err := a.users.RecordLogin(ctx, meta, penmasuser.RecordLogin{UserID: id, Source: "web"}); err != nil {
		a.Logger.Warn("penmas login not recorded", "user_id", id, "err", err)
	}
}

func (a *penmasAuthAPI) serverError(w http.ResponseWriter, r *http.Request, what string, err error) {
	httpx.Fail(w, r, a.Logger, what, err, http.StatusInternalServerError, httpx.ErrorBody{Success: false, Message: authMsgServer})
}
