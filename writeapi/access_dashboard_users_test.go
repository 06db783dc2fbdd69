package writeapi_test

import (
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/cicero/cicero/projections/access"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/uuid"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apitest"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/readapi"
	"github.com/cicero/cicero/writeapi"
)

// dashUsersRig is the /api router with the dashboard account approval
// routes behind Access and Dedup, over a Stack whose Manager keeps the
// dashboard_users read model; every answer is validated against the
// OpenAPI document.
type dashUsersRig struct {
	s     *apitest.Stack
	t     testing.TB
	store *events.Store
	auth  *auth.Authenticator
	users *dashuser.Handlers
	q     *access.DashboardUserQueries
}

func newDashUsersRig(t testing.TB) *dashUsersRig {
	t.Helper()
	s := apitest.NewStack(t, apitest.StackOptions{}, apitest.Proj(access.NewDashboardUsers))
	r := &dashUsersRig{s: s, t: t, store: s.N.Store, auth: s.Auth, users: dashuser.NewHandlers(s.RT, dashuser.WithHashCost(4)),
		q: access.NewDashboardUserQueries(s.Pool)}
	s.Serve(func(api *auth.Router) {
		readapi.MountDashboardUsers(api, readapi.DashboardUsersDeps{Users: r.q, Logger: s.Log})
		writeapi.MountDashboardUserCommands(api, writeapi.DashboardUserCommandDeps{Users: r.users, Logger: s.Log,
			Sessions: s.Auth.Sessions(), WaitFor: s.Waiter(access.DashboardUsersName)})
	})
	s.RegisterClients(apitest.OrgClient("POLRES_A"), apitest.OrgClient("POLRES_B"))
	return r
}

// pending registers an account awaiting approval and waits until the read
// model shows it.
func (r *dashUsersRig) pending(username string) string {
	r.t.Helper()
	ctx := rigCtx(r.t)
	id, o, err := r.users.RegisterDashboardUser(ctx, commands.Meta{Actor: "test"}, dashuser.RegisterDashboardUser{
		Username: username, Password: "rahasia-123", WhatsApp: "081234567890", ClientIDs: []string{"POLRES_A"}})
	if err != nil {
		r.t.Fatalf("register %s: %v", username, err)
	}
	r.s.Settle(access.DashboardUsersName, o.Positions())
	if u := r.row(id); u.Status != events.DashboardStatusPending || u.Approved {
		r.t.Fatalf("registered account: %+v", u)
	}
	return id
}

// session creates an approved account with role and returns a token for it.
func (r *dashUsersRig) session(username, role string) string {
	r.t.Helper()
	_, token := r.account(username, role)
	return token
}

// account creates an approved account of POLRES_A with role (password
// "rahasia-123") and returns its id and a token for it.
func (r *dashUsersRig) account(username, role string) (id, token string) {
	r.t.Helper()
	ctx := rigCtx(r.t)
	id, o, err := r.users.CreateDashboardUser(ctx, commands.Meta{Actor: "test"}, dashuser.CreateDashboardUser{
		Username: username, Password: "rahasia-123", Role: role, ClientIDs: []string{"POLRES_A"}, ActorRole: "admin"})
	if err != nil {
		r.t.Fatalf("create %s: %v", username, err)
	}
	r.s.Settle(access.DashboardUsersName, o.Positions())
	iss, err := r.auth.Issue(ctx, auth.KindDashboard, auth.Claims{DashboardUserID: id, Username: username, Role: role,
		ClientIDs: []string{"POLRES_A"}})
	if err != nil {
		r.t.Fatal(err)
	}
	return id, iss.Token
}

// row reads the account from the read model as it stands now.
func (r *dashUsersRig) row(id string) access.DashboardUser {
	r.t.Helper()
	u, err := r.q.ByID(rigCtx(r.t), id)
	if err != nil {
		r.t.Fatalf("read model row %s: %v", id, err)
	}
	return u
}

type dashUsersResp struct{ apitest.Resp }

func (x dashUsersResp) msg() string { s, _ := x.Body["message"].(string); return s }

func (x dashUsersResp) positions() []any { ps, _ := x.Body["positions"].([]any); return ps }

// do sends PUT path with body ("" = none) as token ("" = none).
func (r *dashUsersRig) do(path, body, token string) dashUsersResp {
	r.t.Helper()
	return r.send(http.MethodPut, path, body, token, nil)
}

// send is do with any method and extra headers.
func (r *dashUsersRig) send(method, path, body, token string, hdr map[string]string) dashUsersResp {
	r.t.Helper()
	var pairs []string
	for k, v := range hdr {
		pairs = append(pairs, k, v)
	}
	return dashUsersResp{r.s.Do(method, path, body, token, pairs...)}
}

func approvePath(id string) string { return "/api/dashboard/users/" + id + "/approve" }
func rejectPath(id string) string  { return "/api/dashboard/users/" + id + "/reject" }

// TestDashboardUserApproveReject walks a registration through approval,
// a repeated approval and a rejection; the read model shows each decision
// as soon as the answer arrives (the route waited for it).
func TestDashboardUserApproveReject(t *testing.T) {
	r := newDashUsersRig(t)
	admin := r.session("boss", "admin")
	id := r.pending("budi")

	got := r.do(approvePath(id), "", admin)
	if got.Status != http.StatusOK || got.Body["success"] != true || got.msg() != "Dashboard user disetujui" ||
		len(got.positions()) != 1 || !strings.HasPrefix(got.Header.Get("X-Cicero-Position"), "ACCESS:") ||
		got.Header.Get("X-Cicero-Consistency") != "" {
		t.Fatalf("approve: %d %v %s", got.Status, got.Header, got.Raw)
	}
	if u := r.row(id); !u.Approved || u.Status != events.DashboardStatusApproved {
		t.Fatalf("read model after approve: status %q approved %v", u.Status, u.Approved)
	}

	// Approving again changes nothing (an empty object, so Dedup sees a new request).
	got = r.do(approvePath(id), `{}`, admin)
	if got.Status != http.StatusOK || len(got.positions()) != 0 || got.Header.Get("X-Cicero-Position") != "" {
		t.Fatalf("approve again: %d %s", got.Status, got.Raw)
	}
	// The identical request again is a duplicate.
	if got := r.do(approvePath(id), `{}`, admin); got.Status != http.StatusTooManyRequests {
		t.Fatalf("replayed approve: %d %s", got.Status, got.Raw)
	}

	got = r.do(rejectPath(id), `{"note":"  bukan personel  "}`, admin)
	if got.Status != http.StatusOK || got.msg() != "Dashboard user ditolak" || len(got.positions()) != 1 {
		t.Fatalf("reject: %d %s", got.Status, got.Raw)
	}
	if u := r.row(id); u.Approved || u.Status != events.DashboardStatusRejected {
		t.Fatalf("read model after reject: status %q approved %v", u.Status, u.Approved)
	}
	// The decisions name the admin; the note is kept trimmed.
	envs, _, err := r.store.Load(rigCtx(t), events.DashboardUserSubject(id))
	if err != nil || len(envs) != 3 {
		t.Fatalf("events: %d, %v", len(envs), err)
	}
	var bys []string
	for i := range envs[1:] {
		ev, err := r.store.Registry().Decode(&envs[1+i])
		if err != nil {
			t.Fatal(err)
		}
		switch e := ev.(type) {
		case *events.DashboardUserApproved:
			bys = append(bys, e.By)
		case *events.DashboardUserRejected:
			if e.Note != "bukan personel" {
				t.Fatalf("note %q", e.Note)
			}
			bys = append(bys, e.By)
		default:
			t.Fatalf("unexpected event %T", ev)
		}
	}
	if len(bys) != 2 || bys[0] != bys[1] || !strings.HasPrefix(bys[0], "dashboard:") {
		t.Fatalf("decided by %v", bys)
	}

	// A pending registration can be rejected directly, without a body.
	id2 := r.pending("siti")
	if got := r.do(rejectPath(id2), "", admin); got.Status != http.StatusOK || len(got.positions()) != 1 {
		t.Fatalf("reject pending: %d %s", got.Status, got.Raw)
	}
	if u := r.row(id2); u.Status != events.DashboardStatusRejected {
		t.Fatalf("read model after reject pending: %q", u.Status)
	}
}

// TestDashboardUserDecisionRefusals: who may not decide, and on what.
func TestDashboardUserDecisionRefusals(t *testing.T) {
	r := newDashUsersRig(t)
	admin := r.session("boss", "admin")
	operator := r.session("op", "operator")
	bidhumas := r.session("humas", "bidhumas")
	personnel, err := r.auth.Issue(rigCtx(t), auth.KindUser, auth.Claims{UserID: "81000001", Role: "user"})
	if err != nil {
		t.Fatal(err)
	}
	id := r.pending("budi")
	unknown := uuid.NewString()
	for _, tc := range []struct {
		name, path, body, token string
		status                  int
		msg                     string
	}{
		{"operator approves", approvePath(id), "", operator, 403, "Forbidden"},
		{"non-admin role approves", approvePath(id), "", bidhumas, 403, "Forbidden"},
		{"non-admin role rejects", rejectPath(id), `{"note":"x"}`, bidhumas, 403, "Forbidden"},
		{"personnel token", approvePath(id), "", personnel.Token, 403, "Forbidden"},
		{"no token approve", approvePath(id), "", "", 401, ""},
		{"no token reject", rejectPath(id), "", "", 401, ""},
		{"unknown id approve", approvePath(unknown), "", admin, 404, "pengguna dashboard tidak ditemukan"},
		{"unknown id reject", rejectPath(unknown), `{"note":"x"}`, admin, 404, "pengguna dashboard tidak ditemukan"},
		{"not a uuid", approvePath("budi"), "", admin, 404, "pengguna dashboard tidak ditemukan"},
		{"malformed JSON", rejectPath(id), `{"note":`, admin, 400, "Body JSON tidak valid"},
		{"note not text", rejectPath(id), `{"note":{"a":1}}`, admin, 400, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := r.do(tc.path, tc.body, tc.token)
			if got.Status != tc.status || (tc.msg != "" && got.msg() != tc.msg) || got.Body["success"] != false {
				t.Fatalf("got %d %s, want %d %q", got.Status, got.Raw, tc.status, tc.msg)
			}
			if tc.status == 401 && got.Body["reason"] != "missing_token" {
				t.Fatalf("401 without reason missing_token: %s", got.Raw)
			}
		})
	}
	// None of the refusals decided anything.
	if u, err := r.users.Get(rigCtx(t), id); err != nil || u.Status != events.DashboardStatusPending {
		t.Fatalf("after refusals: status %q, %v", u.Status, err)
	}
	if u := r.row(id); u.Status != events.DashboardStatusPending {
		t.Fatalf("read model after refusals: %q", u.Status)
	}
}

// TestDashUsersSpecStandalone: access_dashboard_users.yaml is a valid document on its own.
func TestDashUsersSpecStandalone(t *testing.T) {
	b, err := os.ReadFile("../internal/apispec/access_dashboard_users.yaml")
	if err != nil {
		t.Fatal(err)
	}
	l := openapi3.NewLoader()
	doc, err := l.LoadFromData(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(l.Context); err != nil {
		t.Fatal(err)
	}
	if len(doc.Paths.Map()) != 6 {
		t.Fatalf("paths %d, want 6", len(doc.Paths.Map()))
	}
	for name := range doc.Components.Schemas {
		if !strings.HasPrefix(name, "DashUsers") {
			t.Errorf("schema %s lacks the DashUsers prefix", name)
		}
	}
}
