package writeapi_test

import (
	"net/http"
	"testing"

	"github.com/google/uuid"
)

// TestPremiumAdminGrantRevoke: an admin grants premium without a request
// and ends it; the answers show the subscriptions the read model holds.
func TestPremiumAdminGrantRevoke(t *testing.T) {
	r := newPremRig(t)
	userID, user := r.DashUser("langganan", "bidhumas", "POLRES_A")
	_, admin := r.DashUser("boss", "admin", "POLRES_A")
	grant := "/api/premium/users/" + userID + "/grant"
	revoke := "/api/premium/users/" + userID + "/revoke"
	revoked := r.Personnel("81000009")
	if err := r.Auth.Sessions().Revoke(rigCtx(t), revoked); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name, path, body, token string
		status                  int
		msg, reason             string
	}{
		{"tier missing", grant, `{"days":30}`, admin, 400, "tier wajib diisi", ""},
		{"tier not allowed", grant, `{"tier":"gold"}`, admin, 400, "", ""},
		{"days not a number", grant, `{"tier":"tier1","days":"abc"}`, admin, 400, "", ""},
		{"days negative", grant, `{"tier":"tier1","days":-3}`, admin, 400, "days harus lebih dari 0", ""},
		{"expiry in the past", grant, `{"tier":"tier1","expires_at":"2001-01-01T00:00:00+07:00"}`, admin, 400, "expires_at harus setelah waktu sekarang", ""},
		{"unknown field", grant, `{"tier":"tier1","status":"active"}`, admin, 400, "", ""},
		{"malformed JSON", grant, `{"tier":`, admin, 400, "", ""},
		{"unknown account", "/api/premium/users/" + uuid.NewString() + "/grant", `{"tier":"tier1"}`, admin, 404, "pengguna dashboard tidak ditemukan", ""},
		{"revoke for an unknown account", "/api/premium/users/" + uuid.NewString() + "/revoke", `{}`, admin, 404, "pengguna dashboard tidak ditemukan", ""},
		{"not a uuid", "/api/premium/users/budi/grant", `{"tier":"tier1"}`, admin, 400, "dashboard_user_id tidak valid", ""},
		{"grant by the user", grant, `{"tier":"tier1"}`, user, 403, "", ""},
		{"revoke by the user", revoke, `{}`, user, 403, "", ""},
		{"personnel token", grant, `{"tier":"tier1"}`, r.Personnel("81000001"), 403, "", ""},
		{"revoked session", grant, `{"tier":"tier1"}`, revoked, 401, "", "invalid_token"},
		{"no token", revoke, `{}`, "", 401, "", "missing_token"},
		{"note not text", revoke, `{"note":[1]}`, admin, 400, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := r.Do("POST", tc.path, tc.body, tc.token)
			if got.Status != tc.status || got.Body["success"] != false || (tc.msg != "" && got.Msg() != tc.msg) ||
				(tc.reason != "" && got.Body["reason"] != tc.reason) {
				t.Fatalf("got %d %s, want %d %q %q", got.Status, got.Raw, tc.status, tc.msg, tc.reason)
			}
		})
	}
	if subs, err := r.Q.Subscriptions(rigCtx(t), userID); err != nil || len(subs) != 0 {
		t.Fatalf("refusals left subscriptions %v %v", subs, err)
	}

	got := r.Do("POST", grant, `{"tier":"tier1","days":"30"}`, admin)
	subs, _ := got.Body["subscriptions"].([]any)
	if got.Status != http.StatusCreated || len(subs) != 1 || subs[0].(map[string]any)["status"] != "active" ||
		subs[0].(map[string]any)["tier"] != "tier1" {
		t.Fatalf("grant: %d %s", got.Status, got.Raw)
	}
	if got := r.Do("POST", grant, `{"tier":"tier1","days":"30"}`, admin); got.Status != http.StatusTooManyRequests {
		t.Fatalf("replayed grant: %d %s", got.Status, got.Raw)
	}

	got = r.Do("POST", revoke, `{"note":"masa uji selesai"}`, admin)
	subs, _ = got.Body["subscriptions"].([]any)
	pos, _ := got.Body["positions"].([]any)
	if got.Status != http.StatusOK || len(pos) != 1 || len(subs) != 1 || subs[0].(map[string]any)["status"] != "canceled" {
		t.Fatalf("revoke: %d %s", got.Status, got.Raw)
	}
	// Nothing runs any more: a second revoke appends nothing.
	got = r.Do("POST", revoke, `{}`, admin)
	if pos, _ := got.Body["positions"].([]any); got.Status != http.StatusOK || len(pos) != 0 {
		t.Fatalf("revoke again: %d %s", got.Status, got.Raw)
	}
}
