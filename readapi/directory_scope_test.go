package readapi_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cicero/cicero/internal/auth"
)

// scope=direktorat follows the caller (issue 8 §6): a role's holders
// across all clients are listed to admins and to that directorate's own
// users only; another role is listed within the requested client, and the
// directorate client's profile (which names its operator's number) is
// refused.
func TestDirectorateScopeFollowsTheCaller(t *testing.T) {
	t.Parallel()
	r := newDirRig(t, rigOpts{NoDedup: true})
	r.Seed()
	r.MustClient("DITLANTAS", "direktorat", "JATIM")
	r.MustPerson("81000004", "POLRES_A", "ditlantas")
	r.MustPerson("82000003", "POLRES_B", "ditlantas")
	r.MustPerson("83000001", "DITBINMAS", "ditlantas")
	admin := r.Admin()
	binmas := r.Directorate("DITBINMAS")
	// A ditbinmas account over two Polres: no single token client.
	binmasTwo := r.Token(auth.KindDashboard, auth.Claims{DashboardUserID: "b2", Role: "ditbinmas", ClientIDs: []string{"POLRES_A", "POLRES_B"}})
	lantas := r.Directorate("DITLANTAS")

	lists := []struct {
		name, token, query string
		ids                []string
	}{
		{"own role: every holder", binmas, "?client_id=DITBINMAS&scope=direktorat&role=ditbinmas", []string{"81000002", "82000002"}},
		{"another directorate's role: within the requested client", binmas, "?client_id=DITBINMAS&scope=direktorat&role=ditlantas", []string{"83000001"}},
		{"another role from a Polres: that Polres only", binmasTwo, "?client_id=POLRES_B&scope=direktorat&role=ditlantas", []string{"82000003"}},
		{"own role from a Polres", binmasTwo, "?client_id=POLRES_A&scope=direktorat&role=ditbinmas", []string{"81000002"}},
		{"the other directorate, its own role", lantas, "?client_id=DITLANTAS&scope=direktorat&role=ditlantas", []string{"81000004", "82000003", "83000001"}},
		{"admin: every holder", admin, "?client_id=POLRES_A&scope=direktorat&role=ditlantas", []string{"81000004", "82000003", "83000001"}},
	}
	for _, c := range lists {
		t.Run("list/"+c.name, func(t *testing.T) {
			got := r.Do(http.MethodGet, "/api/users/list"+c.query, "", c.token)
			if got.Status != 200 {
				t.Fatalf("status %d: %s", got.Status, got.Raw)
			}
			ids := got.IDs("user_id")
			slices.Sort(ids)
			if d := cmp.Diff(c.ids, ids); d != "" {
				t.Errorf("users (-want +got):\n%s", d)
			}
		})
	}

	profiles := []struct {
		name, token, query string
		status             int
		want               string // client_id, or the legacy error
	}{
		{"own directorate", binmas, "?scope=direktorat&role=ditbinmas", 200, "DITBINMAS"},
		{"another directorate", binmas, "?scope=direktorat&role=ditlantas", 403, "role direktorat tidak diizinkan"},
		{"another directorate from a Polres", binmasTwo, "?client_id=POLRES_A&scope=direktorat&role=ditlantas", 403, "role direktorat tidak diizinkan"},
		{"operator", r.Operator("POLRES_A"), "?scope=direktorat&role=ditbinmas", 403, "role direktorat tidak diizinkan"},
		{"admin", admin, "?client_id=POLRES_A&scope=direktorat&role=ditlantas", 200, "DITLANTAS"},
	}
	for _, c := range profiles {
		t.Run("profile/"+c.name, func(t *testing.T) {
			got := r.Do(http.MethodGet, "/api/clients/profile"+c.query, "", c.token)
			if got.Status != c.status {
				t.Fatalf("status %d, want %d: %s", got.Status, c.status, got.Raw)
			}
			if c.status != 200 {
				if got.Body["error"] != c.want {
					t.Errorf("body %s, want error %q", got.Raw, c.want)
				}
				return
			}
			client, _ := got.Body["client"].(map[string]any)
			if client["client_id"] != c.want {
				t.Errorf("client %v, want %s", client["client_id"], c.want)
			}
		})
	}
}
