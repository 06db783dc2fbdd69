package writeapi

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cicero/cicero/projections/access"
	"github.com/cicero/cicero/projections/directory"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/internal/password"
)

// The auth API (spec/access.md §2.4–2.8, SPEC.md §4 items 1 and 8): the
// dashboard and personnel logins, dashboard self-registration, logout and
// the dashboard password reset. Every route is public in internal/auth's
// tables; a login answers the token in the body and in the `token` cookie
// and records the Redis session through auth.Authenticator. Logins read
// the read models (a login is not a command); only a successful dashboard
// login appends an event (DashboardUserLoggedIn, best effort).

// AuthDeps is everything the auth routes use.
type AuthDeps struct {
	// Runtime runs the dashboard-user commands (register, record login,
	// password reset).
	Runtime *commands.Runtime
	// Pool reads the dashboard_users, clients, personnel and premium read
	// models (a *pgxpool.Pool).
	Pool directory.Querier
	Auth *auth.Authenticator
	// Logger; nil → slog.Default().
	Logger *slog.Logger
	// Now is the clock of premium snapshots, login records and reset
	// expiry; nil → time.Now.
	Now func() time.Time
	// HashCost is the bcrypt cost of new password hashes; 0 → 10 (tests
	// lower it).
	HashCost int
	// ResetTTL is how long a reset token stays valid; 0 → 15 minutes
	// (DASHBOARD_RESET_TOKEN_EXPIRY_MINUTES).
	ResetTTL time.Duration
	// WaitForDashboardUsers blocks until the dashboard_users read model has
	// applied positions (logins read the password hash there); a reset
	// ends the account's sessions only after it. Nil: no wait.
	WaitForDashboardUsers Waiter
	// WaitForDirectory blocks until the directory read model has applied
	// positions: a self-registration answers once its person can log in.
	// Nil: no wait.
	WaitForDirectory Waiter
	// AdminWhatsApp are the admins' numbers (ADMIN_WHATSAPP, normalised
	// 62…): an admin may log in as any client's operator (POST
	// /api/auth/login), as before.
	AdminWhatsApp []string
	// Seal seals a reset token into its event for the delivery saga
	// (seal.Box.Seal); Deliveries waits for the message the saga makes due.
	// Without them every reset request answers the legacy "cannot be sent"
	// 500 before a token is issued.
	Seal       func(secret string) string
	Deliveries Deliveries
	// Throttle counts login and reset attempts per account and address
	// (required).
	Throttle *auth.Throttle
	// CanMail and CanWhatsApp say whether the dispatcher has a sender for
	// e-mail and for WhatsApp: a reset on a channel without one is refused
	// before a token is issued (no WhatsApp session exists yet).
	CanMail, CanWhatsApp bool
}

type authAPI struct {
	AuthDeps
	users    *dashuser.Handlers
	userQ    *access.DashboardUserQueries
	dir      *directory.Queries
	access   *access.PrincipalReloader
	dummyPwd string // a bcrypt hash unknown usernames are checked against
	// dashUsers and directory answer writes whose caller reads the
	// dashboard_users or directory read model next (a login after a
	// registration, say).
	dashUsers, directory writer
}

// MountAuth adds the auth routes to r, the /api router (behind
// middleware.Access and middleware.Dedup, so paths are relative to /api):
//
//	POST /auth/dashboard-login, /auth/dashboard-register, /auth/user-login,
//	     /auth/login (client operator), /auth/user-register, /auth/logout,
//	POST /auth/dashboard-password-reset/{request,confirm} and the aliases
//	     /auth/password-reset/… and /password-reset/….
//
// It panics when Runtime, Pool, Auth or Throttle is missing (a wiring
// error).
func MountAuth(r *auth.Router, d AuthDeps) {
	if d.Runtime == nil || d.Pool == nil || d.Auth == nil || d.Throttle == nil {
		panic("writeapi.MountAuth: Runtime, Pool, Auth and Throttle are required")
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	opts := []dashuser.Option{dashuser.WithClock(d.Now)}
	if d.HashCost != 0 {
		opts = append(opts, dashuser.WithHashCost(d.HashCost))
	}
	if d.ResetTTL > 0 {
		opts = append(opts, dashuser.WithResetTTL(d.ResetTTL))
	}
	if d.Seal != nil {
		opts = append(opts, dashuser.WithSealer(d.Seal))
	}
	a := &authAPI{AuthDeps: d, users: dashuser.NewHandlers(d.Runtime, opts...),
		dashUsers: writer{log: d.Logger, wait: d.WaitForDashboardUsers},
		directory: writer{log: d.Logger, wait: d.WaitForDirectory},
		userQ:     access.NewDashboardUserQueries(d.Pool), dir: directory.NewQueries(d.Pool),
		access: access.NewPrincipalReloader(d.Pool, d.Now)}
	// A login for an unknown username is checked against this hash of a
	// random string, so that it takes as long as a wrong password and does
	// not reveal which names exist.
	dummy, err := password.Hasher{Cost: d.HashCost}.Hash(rand.Text())
	if err != nil {
		panic("writeapi.MountAuth: " + err.Error())
	}
	a.dummyPwd = dummy
	r.Post("/auth/dashboard-login", auth.Public, a.dashboardLogin)
	r.Post("/auth/dashboard-register", auth.Public, a.dashboardRegister)
	r.Post("/auth/user-login", auth.Public, a.userLogin)
	r.Post("/auth/login", auth.Public, a.clientLogin)
	r.Post("/auth/user-register", auth.Public, a.userRegister)
	r.Post("/auth/logout", auth.Public, a.logout)
	for _, base := range []string{"/auth/dashboard-password-reset", "/auth/password-reset", "/password-reset"} {
		r.Post(base+"/request", auth.Public, a.resetRequest)
		r.Post(base+"/confirm", auth.Public, a.resetConfirm)
	}
}

// Messages of the auth API that several handlers share.
const (
	authMsgBadJSON  = "Body JSON tidak valid"
	authMsgServer   = "Terjadi kesalahan pada server"
	authMsgNotFound = "Login gagal: data tidak ditemukan"
	authMsgLogout   = "Logout berhasil"
)

// authBody is a request body read leniently: the legacy clients sent
// numbers where strings were expected (a WhatsApp number, an NRP), so any
// JSON scalar is accepted as text; anything else counts as missing.
type authBody map[string]json.RawMessage

// decodeAuth reads the body as a JSON object. An empty body is an empty
// object (the handler then reports the missing fields); anything that is
// not an object, or a field over its length limit (checkLengths), answers
// 400.
func decodeAuth(w http.ResponseWriter, r *http.Request) (authBody, bool) {
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		authFail(w, http.StatusBadRequest, authMsgBadJSON)
		return nil, false
	}
	b := authBody{}
	if len(bytes.TrimSpace(raw)) == 0 {
		return b, true
	}
	if err := json.Unmarshal(raw, &b); err != nil || b == nil {
		authFail(w, http.StatusBadRequest, authMsgBadJSON)
		return nil, false
	}
	if err := checkLengths(b); err != nil {
		authFail(w, http.StatusBadRequest, apperr.MessageOf(err))
		return nil, false
	}
	return b, true
}

// str returns the first of keys given as a string or number, untrimmed.
func (b authBody) str(keys ...string) string {
	for _, k := range keys {
		raw, ok := b[k]
		if !ok {
			continue
		}
		var s string
		if json.Unmarshal(raw, &s) == nil {
			if s != "" {
				return s
			}
			continue
		}
		var n json.Number
		if json.Unmarshal(raw, &n) == nil {
			return n.String()
		}
	}
	return ""
}

// list reads a field that may be an array of scalars or a single scalar
// (client_ids was sent both ways).
func (b authBody) list(key string) []string {
	raw, ok := b[key]
	if !ok {
		return nil
	}
	var arr []json.RawMessage
	if json.Unmarshal(raw, &arr) != nil {
		if s := (authBody{key: raw}).str(key); s != "" {
			return strings.Split(s, ",")
		}
		return nil
	}
	out := make([]string, 0, len(arr))
	for i, v := range arr {
		if s := (authBody{strconv.Itoa(i): v}).str(strconv.Itoa(i)); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func authFail(w http.ResponseWriter, status int, msg string) {
	httpx.JSON(w, status, httpx.ErrorBody{Success: false, Message: msg})
}

// authMessage is the success envelope with a message.
type authMessage struct {
	Success bool   `json:"success"`
	Message string `json:"message"`
}

// logout revokes the presented token's session (valid or not) and clears
// the cookie; without a token it still answers 200.
func (a *authAPI) logout(w http.ResponseWriter, r *http.Request) {
	if err := a.Auth.Logout(w, r); err != nil {
		httpx.Fail(w, r, a.Logger, "logout: revoke session", err, http.StatusInternalServerError,
			httpx.ErrorBody{Success: false, Message: authMsgServer})
		return
	}
	httpx.JSON(w, http.StatusOK, authMessage{Success: true, Message: authMsgLogout})
}
