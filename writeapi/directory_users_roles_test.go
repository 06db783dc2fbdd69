package writeapi_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const msgRoleHumasUnknown = "role humas tidak dikenal; role yang tersedia: operator, ditbinmas, ditlantas, bidhumas, ditsamapta, ditintelkam"

// Who may change which role (issue 8 §6): admins any, everyone operator, a
// directorate role only its own directorate; only real changes count, and
// roles outside the closed set are refused before any command runs.
func TestUserRoleRules(t *testing.T) {
	t.Parallel()
	r := newDirRig(t, rigOpts{NoDedup: true})
	r.Seed()
	r.MustClient("DITLANTAS", "direktorat", "JATIM")
	op := r.Operator("POLRES_A")
	opB := r.Operator("POLRES_B")
	binmas := r.Directorate("DITBINMAS")
	lantas := r.Directorate("DITLANTAS")
	admin := r.Admin()
	// Members of POLRES_A; 81000010 and 81000012 inactive. A directorate
	// reaches the holders of its role.
	r.MustPerson("81000010", "POLRES_A", "operator", "ditbinmas")
	r.MustPerson("81000011", "POLRES_A", "operator", "ditbinmas")
	r.MustPerson("81000012", "POLRES_A", "operator", "ditbinmas", "ditlantas")
	r.MustPerson("81000013", "POLRES_A", "ditbinmas", "ditlantas")
	for _, nrp := range []string{"81000010", "81000012"} {
		if got := r.Do(http.MethodDelete, "/api/users/"+nrp, "", admin); got.Status != 200 {
			t.Fatalf("deactivate %s: %d %s", nrp, got.Status, got.Raw)
		}
	}
	cases := []struct {
		name         string
		method, path string
		token, body  string
		status       int
		msg          string
		user         string   // whose roles to check after a success
		roles        []string // sorted
	}{
		// Closed set.
		{"create names an unknown role", http.MethodPost, "/api/users/create", admin,
			`{"user_id":"83100001","nama":"a","client_id":"POLRES_A","roles":["operator","Humas"]}`, 400, msgRoleHumasUnknown, "", nil},
		{"create grants an unknown role to a known person", http.MethodPost, "/api/users/create", admin,
			`{"user_id":"81000003","nama":"a","roles":["operator","humas"]}`, 400, msgRoleHumasUnknown, "", nil},
		// Operators: operator only.
		{"operator creates with a directorate role", http.MethodPost, "/api/users/create", op,
			`{"user_id":"83100002","nama":"a","roles":["ditbinmas"]}`, 403, "role ditbinmas tidak diizinkan", "", nil},
		{"operator grants a directorate role through create", http.MethodPost, "/api/users", op,
			`{"user_id":"81000003","nama":"a","ditlantas":true}`, 403, "role ditlantas tidak diizinkan", "", nil},
		{"operator sets a directorate flag", http.MethodPut, "/api/users/81000001", op,
			`{"ditbinmas":true}`, 403, "role ditbinmas tidak diizinkan", "", nil},
		{"operator clears a directorate flag", http.MethodPut, "/api/users/81000002", op,
			`{"ditbinmas":false}`, 403, "role ditbinmas tidak diizinkan", "", nil},
		{"operator sends the whole user back unchanged", http.MethodPut, "/api/users/81000002", op,
			`{"nama":"Personel 81000002","operator":true,"ditbinmas":true,"ditlantas":false,"bidhumas":false}`, 200, "",
			"81000002", []string{"ditbinmas", "operator"}},
		{"operator grants and revokes operator", http.MethodPut, "/api/users/81000003", op,
			`{"operator":true}`, 200, "", "81000003", []string{"operator"}},
		{"operator reactivates: directorate roles stay", http.MethodPost, "/api/users/create", op,
			`{"user_id":"81000010","nama":"a"}`, 200, "", "81000010", []string{"ditbinmas", "operator"}},
		// Directorates: their own role (and operator) only.
		{"directorate grants another directorate's role", http.MethodPut, "/api/users/82000002/roles", binmas,
			`{"roles":["ditbinmas","ditlantas"]}`, 403, "role ditlantas tidak diizinkan", "", nil},
		{"directorate revokes another directorate's role", http.MethodDelete, "/api/users/81000013?role=ditbinmas", lantas,
			``, 403, "role ditbinmas tidak diizinkan", "", nil},
		{"directorate sets its own role", http.MethodPut, "/api/users/82000002/roles", binmas,
			`{"roles":["ditbinmas","operator"]}`, 200, "", "82000002", []string{"ditbinmas", "operator"}},
		{"directorate reactivates: another directorate's role stays", http.MethodPost, "/api/users/create", lantas,
			`{"user_id":"81000012","nama":"a"}`, 200, "", "81000012", []string{"ditbinmas", "ditlantas"}},
		// Admins: any role.
		{"admin grants any directorate role", http.MethodPut, "/api/users/82000001", admin,
			`{"ditintelkam":true,"ditsamapta":true}`, 200, "", "82000001", []string{"ditintelkam", "ditsamapta", "operator"}},
		{"admin revokes a directorate role", http.MethodDelete, "/api/users/81000011?role=ditbinmas", admin,
			``, 200, "", "81000011", []string{"operator"}},
		{"scoping still first", http.MethodPut, "/api/users/81000001", opB,
			`{"ditbinmas":true}`, 403, "client_id tidak diizinkan", "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := r.Head()
			got := r.Do(c.method, c.path, c.body, c.token)
			if got.Status != c.status {
				t.Fatalf("status %d, want %d: %s", got.Status, c.status, got.Raw)
			}
			if c.status >= 400 {
				if got.Msg() != c.msg {
					t.Errorf("message %q, want %q", got.Msg(), c.msg)
				}
				if after := r.Head(); after != before {
					t.Errorf("refused request appended: head %d → %d", before, after)
				}
				return
			}
			x := r.Do(http.MethodGet, "/api/users/"+c.user, "", admin)
			var roles []string
			for _, v := range x.Data()["roles"].([]any) {
				roles = append(roles, v.(string))
			}
			slices.Sort(roles)
			if d := cmp.Diff(c.roles, roles); d != "" {
				t.Errorf("roles of %s (-want +got):\n%s", c.user, d)
			}
		})
	}
}
