package writeapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cicero/cicero/projections"
	"github.com/cicero/cicero/projections/access"
	"github.com/cicero/cicero/projections/directory"
	"github.com/cicero/cicero/projections/premium"
	"github.com/cicero/cicero/sagas"
	"github.com/cicero/cicero/sagas/email/emailtest"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/crypto/bcrypt"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apitest"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/internal/testkit"
	accesssaga "github.com/cicero/cicero/sagas/access"
	"github.com/cicero/cicero/writeapi"
)

// authRig is the HTTP stack as the composition root mounts it (Recover,
// BodyLimit, then /api with Access + the reload hook + Dedup) over a real
// JetStream, Postgres with the directory, dashboard-user and premium
// projections running, and Redis. Behind it sit the auth routes and one
// protected stand-in route that echoes the principal.
type authRig struct {
	t      testing.TB
	n      *testkit.NATS
	pool   *pgxpool.Pool
	auth   *auth.Authenticator
	users  *dashuser.Handlers
	people *person.Handlers
	userQ  *access.DashboardUserQueries
	srv    *httptest.Server
	api    *http.Client // validates every response against the OpenAPI document
	plain  *http.Client // for the stand-in route, which the document does not describe
	msg    *apitest.Messaging
}

// authProtectedPath is the stand-in protected route: dashboard tokens may
// reach it, personnel tokens may not.
const authProtectedPath = "/api/dashboard/stats"

func authCtx(t testing.TB) context.Context { return apitest.Ctx(t) }

func newAuthRig(t testing.TB) *authRig { return newAuthRigWith(t, 0, nil) }

// newAuthRigLagging is newAuthRig with a dashboard_users read model that
// takes lag longer over each batch than it would: answers that skip their
// read-your-writes wait show up as wrong.
func newAuthRigLagging(t testing.TB, lag time.Duration) *authRig { return newAuthRigWith(t, lag, nil) }

// newAuthRigWith is newAuthRigLagging with wa as the WhatsApp sender (nil:
// none, as serve without a paired session).
func newAuthRigWith(t testing.TB, lag time.Duration, wa sagas.Sender) *authRig {
	t.Helper()
	dashUsers := func(reg *events.Registry) projections.Projection {
		return lagging{Projection: access.NewDashboardUsers(reg), lag: lag}
	}
	s := apitest.NewStack(t, apitest.StackOptions{ReloadPrincipals: true, BodyLimit: true},
		apitest.Proj(directory.New), dashUsers, apitest.Proj(premium.NewDashboard))
	r := &authRig{t: t, n: s.N, pool: s.Pool, auth: s.Auth, people: person.NewHandlers(s.RT),
		users: dashuser.NewHandlers(s.RT, dashuser.WithHashCost(bcrypt.MinCost)),
		userQ: access.NewDashboardUserQueries(s.Pool), api: s.HTTP, plain: &http.Client{},
		msg: s.StartMessagingWith(nil, wa, accesssaga.PasswordReset("https://dash.example", 15*time.Minute))}
	r.srv = s.Serve(func(api *auth.Router) {
		// Resets by mail go out through the saga, the outbox and the SMTP
		// adapter; there is no WhatsApp sender, as in serve today.
		writeapi.MountAuth(api, writeapi.AuthDeps{Runtime: s.RT, Pool: s.Pool, Auth: s.Auth, Logger: s.Log,
			HashCost: bcrypt.MinCost, Throttle: s.Throttle, Seal: r.msg.Seal.Seal, Deliveries: r.msg.Deliveries, CanMail: true,
			CanWhatsApp:      wa != nil,
			AdminWhatsApp:    []string{authAdminNumber},
			WaitForDirectory: s.Waiter(directory.Name), WaitForDashboardUsers: s.Waiter(access.DashboardUsersName)})
		api.Get("/dashboard/stats", auth.OperatorList, func(w http.ResponseWriter, req *http.Request) {
			p, _ := auth.FromContext(req.Context())
			httpx.JSON(w, http.StatusOK, map[string]any{"kind": p.Kind, "id": p.ID, "role": p.Role,
				"base_role": p.BaseRole, "client_ids": p.ClientIDs, "client_id": p.ClientID})
		})
	})
	s.RegisterClients(
		client.RegisterClient{ClientID: "POLRES_A", Nama: "POLRES A"},
		client.RegisterClient{ClientID: "POLRES_B", Nama: "POLRES B"},
		client.RegisterClient{ClientID: "DITBINMAS", Nama: "DIREKTORAT BINMAS", ClientType: client.TypeDirektorat},
	)
	return r
}

// lagging is a read model that applies each batch lag late.
type lagging struct {
	projections.Projection
	lag time.Duration
}

func (l lagging) Apply(ctx context.Context, tx pgx.Tx, t projections.Tables, batch []events.Envelope) error {
	select {
	case <-time.After(l.lag):
	case <-ctx.Done():
		return ctx.Err()
	}
	return l.Projection.Apply(ctx, tx, t, batch)
}

// authResp is one answer: status, decoded JSON body, cookies.
type authResp struct {
	Status  int
	Header  http.Header
	Body    map[string]any
	Cookies []*http.Cookie
}

func (a authResp) msg() string { s, _ := a.Body["message"].(string); return s }

func (a authResp) want(t testing.TB, status int, msg string) {
	t.Helper()
	if a.Status != status || (msg != "" && a.msg() != msg) {
		t.Fatalf("got %d %v, want %d %q", a.Status, a.Body, status, msg)
	}
}

// call sends body (a string is sent raw, anything else as JSON) with an
// optional bearer token and header name/value pairs.
func (r *authRig) call(c *http.Client, method, path string, body any, token string, headers ...string) authResp {
	r.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			r.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	resp, raw := apitest.Send(r.t, c, method, r.srv.URL+path, rd, token, headers...)
	out := authResp{Status: resp.StatusCode, Header: resp.Header, Cookies: resp.Cookies()}
	if err := json.Unmarshal(raw, &out.Body); err != nil {
		r.t.Fatalf("%s %s → %d: not a JSON object: %q", method, path, resp.StatusCode, raw)
	}
	return out
}

func (r *authRig) post(path string, body any) authResp {
	r.t.Helper()
	return r.call(r.api, http.MethodPost, path, body, "")
}

// protected calls the stand-in protected route with token.
func (r *authRig) protected(token string) authResp {
	r.t.Helper()
	return r.call(r.plain, http.MethodGet, authProtectedPath, nil, token)
}

const authPassword = "rahasia123"

// createUser enters an approved account (through the admin command) and
// waits until the read model shows it.
func (r *authRig) createUser(username, role, wa string, clients ...string) string {
	r.t.Helper()
	return r.createUserWith(dashuser.CreateDashboardUser{Username: username, Role: role, WhatsApp: wa, ClientIDs: clients})
}

// createUserWith is createUser for an account with more fields set (an
// e-mail address, say).
func (r *authRig) createUserWith(cmd dashuser.CreateDashboardUser) string {
	r.t.Helper()
	cmd.Password, cmd.ActorRole = authPassword, dashuser.RoleAdmin
	username := cmd.Username
	id, _, err := r.users.CreateDashboardUser(authCtx(r.t), commands.Meta{Actor: "test"}, cmd)
	if err != nil {
		r.t.Fatalf("create %s: %v", username, err)
	}
	r.waitUser(username, func(u access.DashboardUser) bool { return u.Approved })
	return id
}

// waitUser waits until the read model's row for username satisfies ok.
func (r *authRig) waitUser(username string, ok func(access.DashboardUser) bool) access.DashboardUser {
	r.t.Helper()
	var got access.DashboardUser
	testkit.Eventually(r.t, 10*time.Second, func() error {
		u, err := r.userQ.ByUsername(authCtx(r.t), username)
		if err != nil {
			return err
		}
		if !ok(u) {
			return fmt.Errorf("user %s not there yet: %+v", username, u.Status)
		}
		got = u
		return nil
	})
	return got
}

// accessHead is the ACCESS stream's last sequence.
func (r *authRig) accessHead() uint64 {
	r.t.Helper()
	h, err := r.n.Store.StreamHead(authCtx(r.t), "ACCESS")
	if err != nil {
		r.t.Fatal(err)
	}
	return h
}

// lastEvent decodes the last event of subject.
func (r *authRig) lastEvent(subject string) events.Payload {
	r.t.Helper()
	envs, _, err := r.n.Store.Load(authCtx(r.t), subject)
	if err != nil || len(envs) == 0 {
		r.t.Fatalf("load %s: %d events, %v", subject, len(envs), err)
	}
	p, err := r.n.Store.Registry().Decode(&envs[len(envs)-1])
	if err != nil {
		r.t.Fatal(err)
	}
	return p
}

// resetToken waits for the n-th reset mail (1-based) and returns its token.
func (r *authRig) resetToken(n int) (string, emailtest.Message) {
	r.t.Helper()
	m := r.msg.SMTP.WaitFor(r.t, n, 10*time.Second)[n-1]
	tok := regexp.MustCompile(`Token: (\S+)`).FindStringSubmatch(m.Body)
	if tok == nil {
		r.t.Fatalf("reset mail without a token: %q", m.Body)
	}
	return tok[1], m
}

func authToken(t testing.TB, a authResp) string {
	t.Helper()
	tok, _ := a.Body["token"].(string)
	if tok == "" {
		t.Fatalf("no token in %v", a.Body)
	}
	return tok
}

var errAuthNoCookie = errors.New("no token cookie")

func authCookie(a authResp) (*http.Cookie, error) {
	for _, c := range a.Cookies {
		if c.Name == auth.CookieName {
			return c, nil
		}
	}
	return nil, errAuthNoCookie
}
