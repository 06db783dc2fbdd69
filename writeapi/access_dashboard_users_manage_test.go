package writeapi_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/password"
)

func clientsPath(id string) string  { return "/api/dashboard/users/" + id + "/clients" }
func passwordPath(id string) string { return "/api/dashboard/users/" + id + "/password" }

// version reads an account's version as an admin sees it over HTTP.
func (r *dashUsersRig) version(id, admin string) string {
	r.t.Helper()
	got := r.send(http.MethodGet, "/api/dashboard/users/"+id, "", admin, nil)
	data, _ := got.Body["data"].(map[string]any)
	v, ok := data["version"].(float64)
	if got.Status != http.StatusOK || !ok {
		r.t.Fatalf("GET account: %d %s", got.Status, got.Raw)
	}
	return fmt.Sprint(int(v))
}

// TestDashboardUserAssignClients: an admin replaces an account's clients,
// guarded by the version read from GET /api/dashboard/users/{id}.
func TestDashboardUserAssignClients(t *testing.T) {
	r := newDashUsersRig(t)
	adminID, admin := r.account("boss", "admin")
	opID, op := r.account("op", "operator")

	list := r.send(http.MethodGet, "/api/dashboard/users?status=approved", "", admin, nil)
	rows, _ := list.Body["data"].([]any)
	if list.Status != http.StatusOK || list.Body["total"] != float64(2) || len(rows) != 2 {
		t.Fatalf("list approved: %d %s", list.Status, list.Raw)
	}
	if strings.Contains(list.Raw, "password") || strings.Contains(list.Raw, "$2a$") {
		t.Fatalf("list leaks the password hash: %s", list.Raw)
	}
	v := r.version(opID, admin)

	got := r.send(http.MethodPut, clientsPath(opID), `{"client_ids":["polres_b","POLRES_A"]}`, admin, map[string]string{"If-Match": v})
	if got.Status != http.StatusOK || len(got.positions()) != 1 {
		t.Fatalf("assign: %d %s", got.Status, got.Raw)
	}
	if u := r.row(opID); !slices.Equal(u.ClientIDs, []string{"POLRES_A", "POLRES_B"}) {
		t.Fatalf("read model clients %v", u.ClientIDs)
	}
	// The same version again is stale now: someone else's change must not
	// be overwritten silently.
	stale := r.send(http.MethodPut, clientsPath(opID), `{"client_ids":["POLRES_B"]}`, admin, map[string]string{"If-Match": v})
	if stale.Status != http.StatusConflict || stale.Body["success"] != false {
		t.Fatalf("stale assign: %d %s", stale.Status, stale.Raw)
	}
	// The same set with the fresh version appends nothing.
	same := r.send(http.MethodPut, clientsPath(opID), `{"client_ids":["POLRES_B","POLRES_A"],"expected_version":`+r.version(opID, admin)+`}`, admin, nil)
	if same.Status != http.StatusOK || len(same.positions()) != 0 {
		t.Fatalf("same set: %d %s", same.Status, same.Raw)
	}

	personnel, err := r.auth.Issue(rigCtx(t), auth.KindUser, auth.Claims{UserID: "81000001", Role: "user"})
	if err != nil {
		t.Fatal(err)
	}
	_, revoked := r.account("gone", "admin")
	if err := r.auth.Sessions().Revoke(rigCtx(t), revoked); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path, body, token string
		hdr                     map[string]string
		status                  int
		msg, reason             string
	}{
		{"missing client_ids", clientsPath(opID), `{}`, admin, nil, 400, "client_ids wajib diisi", ""},
		{"client_ids not an array of text", clientsPath(opID), `{"client_ids":[1,{}]}`, admin, nil, 400, "client_ids wajib diisi", ""},
		{"operator left without clients", clientsPath(opID), `{"client_ids":[]}`, admin, nil, 400, "minimal satu client harus dipilih", ""},
		{"unknown client", clientsPath(opID), `{"client_ids":["POLRES_X"]}`, admin, nil, 400, "client_id tidak ditemukan", ""},
		{"unknown field", clientsPath(opID), `{"client_ids":["POLRES_A"],"role":"admin"}`, admin, nil, 400, "", ""},
		{"bad If-Match", clientsPath(opID), `{"client_ids":["POLRES_A"]}`, admin, map[string]string{"If-Match": "abc"}, 400, "If-Match harus berupa versi (angka)", ""},
		{"malformed JSON", clientsPath(opID), `{"client_ids":`, admin, nil, 400, "Body JSON tidak valid", ""},
		{"operator assigns", clientsPath(opID), `{"client_ids":["POLRES_B"]}`, op, nil, 403, "", ""},
		{"personnel token", clientsPath(opID), `{"client_ids":["POLRES_B"]}`, personnel.Token, nil, 403, "", ""},
		{"no token", clientsPath(opID), `{"client_ids":["POLRES_B"]}`, "", nil, 401, "", "missing_token"},
		{"revoked session", clientsPath(opID), `{"client_ids":["POLRES_B"]}`, revoked, nil, 401, "", "invalid_token"},
		{"unknown account", clientsPath(uuid.NewString()), `{"client_ids":["POLRES_B"]}`, admin, nil, 404, "pengguna dashboard tidak ditemukan", ""},
		{"list as operator", "/api/dashboard/users", "", op, nil, 403, "", ""},
		{"list bad status", "/api/dashboard/users?status=deleted", "", admin, nil, 400, "status harus pending, approved atau rejected", ""},
		{"list bad limit", "/api/dashboard/users?limit=0", "", admin, nil, 400, "limit dan offset harus angka (limit 1–500)", ""},
		{"another account as operator", "/api/dashboard/users/" + adminID, "", op, nil, 403, "Forbidden", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			method := http.MethodPut
			if !strings.HasSuffix(tc.path, "/clients") {
				method = http.MethodGet
			}
			got := r.send(method, tc.path, tc.body, tc.token, tc.hdr)
			if got.Status != tc.status || got.Body["success"] != false || (tc.msg != "" && got.msg() != tc.msg) ||
				(tc.reason != "" && got.Body["reason"] != tc.reason) {
				t.Fatalf("got %d %s, want %d %q %q", got.Status, got.Raw, tc.status, tc.msg, tc.reason)
			}
		})
	}
	// None of the refusals changed the account.
	if u := r.row(opID); !slices.Equal(u.ClientIDs, []string{"POLRES_A", "POLRES_B"}) {
		t.Fatalf("clients after refusals: %v", u.ClientIDs)
	}
	// The operator reads its own account; a replayed identical PUT is a duplicate.
	if got := r.send(http.MethodGet, "/api/dashboard/users/"+opID, "", op, nil); got.Status != http.StatusOK {
		t.Fatalf("own account: %d %s", got.Status, got.Raw)
	}
	body := `{"client_ids":["POLRES_A"]}`
	if got := r.send(http.MethodPut, clientsPath(opID), body, admin, nil); got.Status != http.StatusOK || len(got.positions()) != 1 {
		t.Fatalf("assign back: %d %s", got.Status, got.Raw)
	}
	if got := r.send(http.MethodPut, clientsPath(opID), body, admin, nil); got.Status != http.StatusTooManyRequests {
		t.Fatalf("replayed assign: %d %s", got.Status, got.Raw)
	}
}

// TestDashboardUserChangePassword: an account changes its own password
// with the old one, an admin sets another's; every session of the account
// ends and only the new password verifies.
func TestDashboardUserChangePassword(t *testing.T) {
	r := newDashUsersRig(t)
	admin := r.session("boss", "admin")
	opID, op := r.account("op", "operator")
	_, other := r.account("op2", "operator")

	for _, tc := range []struct {
		name, path, body, token string
		hdr                     map[string]string
		status                  int
		msg                     string
	}{
		{"missing new password", passwordPath(opID), `{"old_password":"rahasia-123"}`, op, nil, 400, "new_password wajib diisi"},
		{"missing old password", passwordPath(opID), `{"new_password":"baru-rahasia-1"}`, op, nil, 400, "old_password wajib diisi"},
		{"wrong old password", passwordPath(opID), `{"old_password":"salah-salah","new_password":"baru-rahasia-1"}`, op, nil, 400, "password lama salah"},
		{"too short", passwordPath(opID), `{"old_password":"rahasia-123","new_password":"pendek"}`, op, nil, 400, "password minimal 8 karakter"},
		{"confirmation differs", passwordPath(opID), `{"old_password":"rahasia-123","new_password":"baru-rahasia-1","confirm_password":"baru-rahasia-2"}`, op, nil, 400, "konfirmasi password tidak cocok"},
		{"new password not text", passwordPath(opID), `{"old_password":"rahasia-123","new_password":{"a":1}}`, op, nil, 400, ""},
		{"stale version", passwordPath(opID), `{"old_password":"rahasia-123","new_password":"baru-rahasia-1"}`, op, map[string]string{"If-Match": "99"}, 409, ""},
		{"another operator's account", passwordPath(opID), `{"old_password":"rahasia-123","new_password":"baru-rahasia-1"}`, other, nil, 403, "Forbidden"},
		{"admin, unknown account", passwordPath(uuid.NewString()), `{"new_password":"baru-rahasia-1"}`, admin, nil, 404, "pengguna dashboard tidak ditemukan"},
		{"no token", passwordPath(opID), `{"new_password":"baru-rahasia-1"}`, "", nil, 401, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := r.send(http.MethodPut, tc.path, tc.body, tc.token, tc.hdr)
			if got.Status != tc.status || got.Body["success"] != false || (tc.msg != "" && got.msg() != tc.msg) {
				t.Fatalf("got %d %s, want %d %q", got.Status, got.Raw, tc.status, tc.msg)
			}
		})
	}
	if !password.Verify(r.row(opID).PasswordHash, "rahasia-123") {
		t.Fatal("a refused change altered the password")
	}

	got := r.send(http.MethodPut, passwordPath(opID), `{"old_password":"rahasia-123","new_password":"baru-rahasia-1","confirm_password":"baru-rahasia-1"}`, op,
		map[string]string{"If-Match": r.version(opID, admin)})
	if got.Status != http.StatusOK || got.msg() != "Password berhasil diperbarui. Silakan login kembali." || len(got.positions()) != 1 {
		t.Fatalf("change own password: %d %s", got.Status, got.Raw)
	}
	if u := r.row(opID); !password.Verify(u.PasswordHash, "baru-rahasia-1") || password.Verify(u.PasswordHash, "rahasia-123") {
		t.Fatal("read model hash does not follow the change")
	}
	// The session that changed it ended with the others.
	if got := r.send(http.MethodGet, "/api/dashboard/users/"+opID, "", op, nil); got.Status != http.StatusUnauthorized || got.Body["reason"] != "invalid_token" {
		t.Fatalf("old session after change: %d %s", got.Status, got.Raw)
	}

	// An admin sets it without the old one.
	got = r.send(http.MethodPut, passwordPath(opID), `{"new_password":"dari-admin-123"}`, admin, nil)
	if got.Status != http.StatusOK || len(got.positions()) != 1 {
		t.Fatalf("admin sets password: %d %s", got.Status, got.Raw)
	}
	if !password.Verify(r.row(opID).PasswordHash, "dari-admin-123") {
		t.Fatal("admin's password not in the read model")
	}
	if got := r.send(http.MethodPut, passwordPath(opID), `{"new_password":"dari-admin-123"}`, admin, nil); got.Status != http.StatusTooManyRequests {
		t.Fatalf("replayed admin set: %d %s", got.Status, got.Raw)
	}
}
