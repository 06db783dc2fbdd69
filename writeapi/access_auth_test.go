package writeapi_test

import (
	"errors"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/cicero/cicero/projections/access"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/testkit"
)

func TestAuthDashboardLogin(t *testing.T) {
	r := newAuthRig(t)
	opID := r.createUser("Operator.A", "operator", "", "POLRES_A")
	ditID := r.createUser("dit.binmas", "operator", "", "DITBINMAS")
	r.createUser("lantas", "ditlantas", "") // approved, no clients
	pendID, _, err := r.users.RegisterDashboardUser(authCtx(t), commands.Meta{}, dashuser.RegisterDashboardUser{
		Username: "pending", Password: authPassword, WhatsApp: "081234567890", ClientIDs: []string{"POLRES_A"}})
	if err != nil {
		t.Fatal(err)
	}
	rejID, _, err := r.users.RegisterDashboardUser(authCtx(t), commands.Meta{}, dashuser.RegisterDashboardUser{
		Username: "rejected", Password: authPassword, WhatsApp: "081234567891", ClientIDs: []string{"POLRES_A"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.users.RejectDashboardUser(authCtx(t), commands.Meta{Actor: "test"},
		dashuser.RejectDashboardUser{DashboardUserID: rejID, ActorRole: dashuser.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	r.waitUser("pending", func(u access.DashboardUser) bool { return u.DashboardUserID == pendID })
	r.waitUser("rejected", func(u access.DashboardUser) bool { return u.Status == events.DashboardStatusRejected })

	const path = "/api/auth/dashboard-login"
	head := r.accessHead()
	for _, tc := range []struct {
		name   string
		body   any
		status int
		msg    string
	}{
		{"empty body", "", 400, "username dan password wajib diisi"},
		{"empty object", map[string]any{}, 400, "username dan password wajib diisi"},
		{"no password", map[string]any{"username": "Operator.A"}, 400, "username dan password wajib diisi"},
		{"blank username", map[string]any{"username": "  ", "password": authPassword}, 400, "username dan password wajib diisi"},
		{"password not a scalar", map[string]any{"username": "Operator.A", "password": []string{authPassword}}, 400, "username dan password wajib diisi"},
		{"malformed JSON", `{"username":`, 400, "Body JSON tidak valid"},
		{"JSON array", `["Operator.A"]`, 400, "Body JSON tidak valid"},
		{"unknown user", map[string]any{"username": "nobody", "password": authPassword}, 401, "Login gagal: data tidak ditemukan"},
		{"wrong password", map[string]any{"username": "Operator.A", "password": "salah12345"}, 401, "Login gagal: data tidak ditemukan"},
		{"pending", map[string]any{"username": "pending", "password": authPassword}, 403, "Akun belum disetujui"},
		{"rejected", map[string]any{"username": "REJECTED", "password": authPassword}, 403, "Akun belum disetujui"},
		{"no clients", map[string]any{"username": "lantas", "password": authPassword}, 400, "Operator belum memiliki klien yang diizinkan"},
	} {
		t.Run(tc.name, func(t *testing.T) { r.post(path, tc.body).want(t, tc.status, tc.msg) })
	}
	if h := r.accessHead(); h != head {
		t.Errorf("refused logins appended to ACCESS: head %d → %d", head, h)
	}

	t.Run("operator", func(t *testing.T) {
		body := map[string]any{"username": "  operator.a ", "password": authPassword}
		resp := r.post(path, body)
		resp.want(t, 200, "")
		tok := authToken(t, resp)
		user, _ := resp.Body["user"].(map[string]any)
		for k, want := range map[string]any{"dashboard_user_id": opID, "user_id": opID, "username": "Operator.A",
			"role": "operator", "client_id": "POLRES_A", "premium_status": false, "role_id": nil} {
			if user[k] != want {
				t.Errorf("user.%s = %v, want %v", k, user[k], want)
			}
		}
		c, err := authCookie(resp)
		if err != nil || c.Value != tok || !c.HttpOnly || c.MaxAge != 7200 {
			t.Errorf("cookie %+v (%v), want the token, HttpOnly, 2 h", c, err)
		}
		claims, err := r.auth.Tokens().Parse(tok)
		if err != nil {
			t.Fatal(err)
		}
		if claims.Kind != auth.KindDashboard || claims.DashboardUserID != opID || claims.UserID != opID ||
			claims.Role != "operator" || claims.BaseRole != "" || !slices.Equal(claims.ClientIDs, []string{"POLRES_A"}) ||
			claims.ClientID != "POLRES_A" || claims.PremiumStatus == nil || *claims.PremiumStatus {
			t.Errorf("claims %+v", claims)
		}
		if ev, ok := r.lastEvent(events.DashboardUserSubject(opID)).(*events.DashboardUserLoggedIn); !ok || ev.Source != "web" {
			t.Errorf("last event %#v, want DashboardUserLoggedIn from web", ev)
		}
		if h := r.accessHead(); h != head+1 {
			t.Errorf("ACCESS head %d, want %d (one login record)", h, head+1)
		}
		// The very same request again is refused by the de-duplication layer.
		r.post(path, body).want(t, http.StatusTooManyRequests, "Duplicate request detected")
	})

	t.Run("directorate role", func(t *testing.T) {
		resp := r.post(path, map[string]any{"username": "dit.binmas", "password": authPassword})
		resp.want(t, 200, "")
		if user, _ := resp.Body["user"].(map[string]any); user["role"] != "ditbinmas" || user["client_id"] != "DITBINMAS" {
			t.Errorf("user %v, want role ditbinmas for the single direktorat client", user)
		}
		claims, err := r.auth.Tokens().Parse(authToken(t, resp))
		if err != nil || claims.Role != "ditbinmas" || claims.BaseRole != "operator" || claims.DashboardUserID != ditID {
			t.Errorf("claims %+v (%v), want role ditbinmas over base operator", claims, err)
		}
	})
}

func TestAuthSessionsAndTokenKinds(t *testing.T) {
	r := newAuthRig(t)
	id := r.createUser("budi", "operator", "", "POLRES_A", "POLRES_B")
	login := func(pw string) string {
		t.Helper()
		resp := r.post("/api/auth/dashboard-login", map[string]any{"username": "budi", "password": pw})
		resp.want(t, 200, "")
		return authToken(t, resp)
	}

	r.protected("").want(t, 401, "Token required")
	if got := r.protected("").Body["reason"]; got != auth.ReasonMissingToken {
		t.Errorf("reason %v, want missing_token", got)
	}
	tok := login(authPassword)
	resp := r.protected(tok)
	resp.want(t, 200, "")
	if resp.Body["kind"] != "dashboard" || resp.Body["id"] != id || resp.Body["role"] != "operator" {
		t.Errorf("principal %v", resp.Body)
	}

	t.Run("reload sees client changes", func(t *testing.T) {
		if _, err := r.users.AssignClients(authCtx(t), commands.Meta{Actor: "test"},
			dashuser.AssignClients{DashboardUserID: id, ClientIDs: []string{"DITBINMAS"}, ActorRole: dashuser.RoleAdmin}); err != nil {
			t.Fatal(err)
		}
		r.waitUser("budi", func(u access.DashboardUser) bool { return slices.Equal(u.ClientIDs, []string{"DITBINMAS"}) })
		resp := r.protected(tok)
		resp.want(t, 200, "")
		if resp.Body["role"] != "ditbinmas" || resp.Body["base_role"] != "operator" || resp.Body["client_id"] != "DITBINMAS" {
			t.Errorf("principal %v, want the fresh directorate client and role", resp.Body)
		}
	})

	t.Run("logout revokes the session", func(t *testing.T) {
		out := r.call(r.api, http.MethodPost, "/api/auth/logout", nil, tok)
		out.want(t, 200, "Logout berhasil")
		if c, err := authCookie(out); err != nil || c.MaxAge >= 0 {
			t.Errorf("cookie %+v (%v), want it cleared", c, err)
		}
		resp := r.protected(tok)
		resp.want(t, 401, "Invalid token")
		if resp.Body["reason"] != auth.ReasonInvalidToken {
			t.Errorf("reason %v, want invalid_token", resp.Body["reason"])
		}
		// Logging out without a token is harmless.
		r.post("/api/auth/logout", nil).want(t, 200, "Logout berhasil")
	})

	t.Run("personnel token cannot reach dashboard routes", func(t *testing.T) {
		if _, err := r.people.RegisterPerson(authCtx(t), commands.Meta{Actor: "test"},
			person.RegisterPerson{NRP: "75020001", Nama: "Budi", ClientID: "POLRES_A", WhatsApp: "081200000001"}); err != nil {
			t.Fatal(err)
		}
		var resp authResp
		waitFor(t, func() bool {
			resp = r.post("/api/auth/user-login", map[string]any{"nrp": "75020001", "whatsapp": "081200000001"})
			return resp.Status == 200
		})
		ptok := authToken(t, resp)
		r.protected(ptok).want(t, 403, "Forbidden")
	})

	t.Run("rejected account loses its session", func(t *testing.T) {
		// Another spelling of the name: the identical body would be a duplicate.
		resp := r.post("/api/auth/dashboard-login", map[string]any{"username": "BUDI", "password": authPassword})
		resp.want(t, 200, "")
		tok := authToken(t, resp)
		r.protected(tok).want(t, 200, "")
		if _, err := r.users.RejectDashboardUser(authCtx(t), commands.Meta{Actor: "test"},
			dashuser.RejectDashboardUser{DashboardUserID: id, ActorRole: dashuser.RoleAdmin}); err != nil {
			t.Fatal(err)
		}
		r.waitUser("budi", func(u access.DashboardUser) bool { return !u.Approved })
		resp = r.protected(tok)
		resp.want(t, 401, "Invalid token")
		if resp.Body["reason"] != auth.ReasonInvalidToken {
			t.Errorf("reason %v, want invalid_token", resp.Body["reason"])
		}
	})
}

// waitFor polls ok until it holds (read models catch up asynchronously).
func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	testkit.Eventually(t, 10*time.Second, func() error {
		if !ok() {
			return errors.New("not yet")
		}
		return nil
	})
}
