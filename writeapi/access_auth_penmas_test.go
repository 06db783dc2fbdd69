package writeapi_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/cicero/cicero/projections/access"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/redis/go-redis/v9"
	"golang.org/x/crypto/bcrypt"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apitest"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/internal/password"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/writeapi"
)

// penmasRig is the HTTP stack as the composition root mounts it (Recover,
// BodyLimit, /api with Access + the reload hook + Dedup) with the Penmas
// auth routes, over a real JetStream, Postgres with the penmas_users
// projection running, and Redis.
type penmasRig struct {
	*authRig
	rdb   *redis.Client
	userQ *access.PenmasUserQueries
}

func newPenmasRig(t *testing.T) *penmasRig {
	t.Helper()
	s := apitest.NewStack(t, apitest.StackOptions{ReloadPrincipals: true, BodyLimit: true},
		apitest.Proj(access.NewPenmasUsers))
	srv := s.Serve(func(api *auth.Router) {
		writeapi.MountPenmasAuth(api, writeapi.AuthDeps{Runtime: s.RT, Pool: s.Pool, Auth: s.Auth, Logger: s.Log,
			HashCost: bcrypt.MinCost, Throttle: s.Throttle})
		// A dashboard route, to show a Penmas token is refused there.
		api.Get("/premium/request/latest", auth.Staff, func(w http.ResponseWriter, _ *http.Request) {
			httpx.JSON(w, http.StatusOK, map[string]any{"success": true})
		})
	})
	return &penmasRig{authRig: &authRig{t: t, n: s.N, pool: s.Pool, auth: s.Auth, srv: srv, api: s.HTTP, plain: &http.Client{}},
		rdb: s.Rdb, userQ: access.NewPenmasUserQueries(s.Pool)}
}

// register registers through the API and returns the new user_id.
func (r *penmasRig) register(body map[string]any) string {
	r.t.Helper()
	resp := r.post("/api/auth/penmas-register", body)
	resp.want(r.t, http.StatusCreated, "")
	id, _ := resp.Body["user_id"].(string)
	if id == "" || resp.Body["success"] != true {
		r.t.Fatalf("register answered %v", resp.Body)
	}
	return id
}

// waitUser waits until the read model shows username with ok.
func (r *penmasRig) waitUser(username string, ok func(access.PenmasUser) bool) access.PenmasUser {
	r.t.Helper()
	var got access.PenmasUser
	testkit.Eventually(r.t, 10*time.Second, func() error {
		u, err := r.userQ.ByUsername(authCtx(r.t), username)
		if err != nil {
			return err
		}
		if !ok(u) {
			return fmt.Errorf("penmas user %s not there yet", username)
		}
		got = u
		return nil
	})
	return got
}

func TestPenmasRegister(t *testing.T) {
	r := newPenmasRig(t)
	const path = "/api/auth/penmas-register"
	id := r.register(map[string]any{"username": "Budi", "password": "rahasia"})
	u := r.waitUser("Budi", func(access.PenmasUser) bool { return true })
	if u.UserID != id || u.Role != "penulis" || !password.Verify(u.PasswordHash, "rahasia") {
		t.Errorf("read model %+v, want id %s, role penulis and the password's hash", u, id)
	}
	if cost, err := bcrypt.Cost([]byte(u.PasswordHash)); err != nil || cost != bcrypt.MinCost {
		t.Errorf("hash cost %d (%v), want the configured %d", cost, err, bcrypt.MinCost)
	}
	// Case-sensitive names: "budi" is another name than "Budi".
	other := r.register(map[string]any{"username": "budi", "password": "rahasia", "role": " Humas "})
	if other == id {
		t.Fatal("two registrations got one id")
	}
	if u := r.waitUser("budi", func(access.PenmasUser) bool { return true }); u.UserID != other || u.Role != "humas" {
		t.Errorf("read model %+v, want id %s with role humas", u, other)
	}
	// Editors approve releases: nobody may register as one (or as admin).
	for _, role := range []string{"editor", " ADMIN "} {
		r.post(path, map[string]any{"username": "nekat" + role, "password": "rahasia", "role": role}).want(t, http.StatusBadRequest, "role tidak valid")
	}

	head, err := r.n.Store.StreamHead(authCtx(t), "ACCESS")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		body any
		msg  string
	}{
		{"empty body", "", "username dan password wajib diisi"},
		{"no password", map[string]any{"username": "siti"}, "username dan password wajib diisi"},
		{"no username", map[string]any{"password": "rahasia"}, "username dan password wajib diisi"},
		{"blank username", map[string]any{"username": "   ", "password": "rahasia"}, "username dan password wajib diisi"},
		{"taken", map[string]any{"username": "Budi", "password": "lainnya"}, "username sudah terpakai"},
		{"taken with spaces", map[string]any{"username": " Budi ", "password": "lainnya"}, "username sudah terpakai"},
		{"password too long", map[string]any{"username": "siti", "password": string(make([]byte, 73))}, "password maksimal 72 karakter"},
		{"malformed JSON", `{"username":`, "Body JSON tidak valid"},
	} {
		t.Run(tc.name, func(t *testing.T) { r.post(path, tc.body).want(t, http.StatusBadRequest, tc.msg) })
	}
	if h, err := r.n.Store.StreamHead(authCtx(t), "ACCESS"); err != nil || h != head {
		t.Errorf("refused registrations appended: head %d → %d (%v)", head, h, err)
	}
	// The subjects of the first account: its registration and the reservation of its exact name.
	if ev, ok := r.lastEvent(events.PenmasUsernameSubject("Budi")).(*events.PenmasUsernameReserved); !ok || ev.UserID != id {
		t.Errorf("reservation of Budi: %#v, want held by %s", ev, id)
	}
}

// TestPenmasRegisterRace registers one name from several goroutines: the
// atomic reservation lets exactly one through.
func TestPenmasRegisterRace(t *testing.T) {
	r := newPenmasRig(t)
	const n = 4
	var wg sync.WaitGroup
	statuses := make([]int, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Distinct passwords keep the de-duplication layer out of it.
			statuses[i] = r.post("/api/auth/penmas-register", map[string]any{"username": "race", "password": fmt.Sprint("pw-", i)}).Status
		}()
	}
	wg.Wait()
	created := 0
	for _, s := range statuses {
		switch s {
		case http.StatusCreated:
			created++
		case http.StatusBadRequest:
		default:
			t.Errorf("status %d", s)
		}
	}
	if created != 1 {
		t.Errorf("%d registrations of one name landed (%v), want 1", created, statuses)
	}
}

func TestPenmasLogin(t *testing.T) {
	r := newPenmasRig(t)
	const path = "/api/auth/penmas-login"
	id := r.register(map[string]any{"username": "Editor.Satu", "password": "rahasia", "role": "humas"})

	// Right after registering, before the read model may show the account,
	// the login already works (it falls back to the event store).
	resp := r.post(path, map[string]any{"username": "Editor.Satu", "password": "rahasia"})
	resp.want(t, http.StatusOK, "")
	tok := authToken(t, resp)
	if user, _ := resp.Body["user"].(map[string]any); user["user_id"] != id || user["role"] != "humas" || len(user) != 2 {
		t.Errorf("user %v, want {user_id: %s, role: humas}", user, id)
	}
	c, err := authCookie(resp)
	if err != nil || c.Value != tok || !c.HttpOnly || c.MaxAge != 7200 || c.SameSite != http.SameSiteLaxMode {
		t.Errorf("cookie %+v (%v), want the token, HttpOnly, SameSite=Lax, 2 h", c, err)
	}
	claims, err := r.auth.Tokens().Parse(tok)
	if err != nil {
		t.Fatal(err)
	}
	if claims.Kind != auth.KindPenmas || claims.UserID != id || claims.Role != "humas" || claims.DashboardUserID != "" {
		t.Errorf("claims %+v", claims)
	}
	if v, err := r.rdb.Get(authCtx(t), "login_token:"+tok).Result(); err != nil || v != "penmas:"+id {
		t.Errorf("session login_token = %q (%v), want penmas:%s", v, err, id)
	}
	if ok, err := r.rdb.SIsMember(authCtx(t), "penmas_login:"+id, tok).Result(); err != nil || !ok {
		t.Errorf("token not in penmas_login:%s (%v)", id, err)
	}
	if ev, ok := r.lastEvent(events.PenmasUserSubject(id)).(*events.PenmasUserLoggedIn); !ok || ev.Source != "web" {
		t.Errorf("last event %#v, want PenmasUserLoggedIn from web", ev)
	}
	r.waitUser("Editor.Satu", func(u access.PenmasUser) bool { return u.LastLoginAt != nil })
	p, err := r.auth.AuthenticateToken(authCtx(t), tok)
	if err != nil || p.Kind != auth.KindPenmas || p.ID != id {
		t.Errorf("principal %+v (%v), want penmas %s", p, err, id)
	}

	t.Run("refusals", func(t *testing.T) {
		for _, tc := range []struct {
			name   string
			body   any
			status int
			msg    string
		}{
			{"empty body", "", 400, "username dan password wajib diisi"},
			{"no password", map[string]any{"username": "Editor.Satu"}, 400, "username dan password wajib diisi"},
			{"no username", map[string]any{"password": "rahasia"}, 400, "username dan password wajib diisi"},
			{"unknown user", map[string]any{"username": "nobody", "password": "rahasia"}, 401, "Login gagal: data tidak ditemukan"},
			{"other case", map[string]any{"username": "editor.satu", "password": "rahasia"}, 401, "Login gagal: data tidak ditemukan"},
			{"wrong password", map[string]any{"username": "Editor.Satu", "password": "salah"}, 401, "Login gagal: data tidak ditemukan"},
			{"NUL in name", map[string]any{"username": "a\u0000b", "password": "rahasia"}, 401, "Login gagal: data tidak ditemukan"},
		} {
			t.Run(tc.name, func(t *testing.T) { r.post(path, tc.body).want(t, tc.status, tc.msg) })
		}
	})

	t.Run("penmas token refused on a dashboard route", func(t *testing.T) {
		resp := r.call(r.api, http.MethodGet, "/api/premium/request/latest", nil, tok)
		resp.want(t, http.StatusForbidden, "Forbidden")
	})

	t.Run("replayed POST", func(t *testing.T) {
		body := map[string]any{"username": "Editor.Satu", "password": "rahasia", "nonce": "replay"}
		r.post(path, body).want(t, http.StatusOK, "")
		r.post(path, body).want(t, http.StatusTooManyRequests, "Duplicate request detected")
	})
}

// TestPenmasSpecStandalone: access_penmas.yaml is a valid document on its own.
func TestPenmasSpecStandalone(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromFile("../internal/apispec/access_penmas.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("access_penmas.yaml: %v", err)
	}
	for name := range doc.Components.Schemas {
		if len(name) < 6 || name[:6] != "Penmas" {
			t.Errorf("schema %s is not prefixed Penmas", name)
		}
	}
}
