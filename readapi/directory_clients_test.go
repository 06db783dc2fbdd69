package readapi_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cicero/cicero/internal/auth"
)

func TestClientsRead(t *testing.T) {
	t.Parallel()
	r := newDirRig(t, rigOpts{})
	r.Seed()
	admin := r.Admin()
	op := r.Operator("POLRES_A")
	dir := r.Directorate("DITBINMAS")
	tier := "Premium_3"
	dirPremium := r.Token(auth.KindDashboard, auth.Claims{DashboardUserID: "dp", Role: "ditbinmas",
		ClientIDs: []string{"POLRES_A"}, PremiumTier: &tier})
	pers := r.Personnel("81000001")

	lists := []struct {
		name, path, token string
		status            int
		ids               []string
	}{
		{"admin sees all clients", "/api/clients", admin, 200, []string{"DITBINMAS", "POLRES_A", "POLRES_B"}},
		{"others see their own", "/api/clients", dir, 200, []string{"DITBINMAS"}},
		{"active list", "/api/clients/active", admin, 200, []string{"DITBINMAS", "POLRES_A", "POLRES_B"}},
		{"group filter matches nothing", "/api/clients?group=none", admin, 200, nil},
		{"operators may not list clients", "/api/clients", op, 403, nil},
		{"personnel may not list clients", "/api/clients", pers, 403, nil},
	}
	for _, c := range lists {
		t.Run(c.name, func(t *testing.T) {
			got := r.Do(http.MethodGet, c.path, "", c.token)
			if got.Status != c.status {
				t.Fatalf("status %d, want %d: %s", got.Status, c.status, got.Raw)
			}
			if c.status == 200 {
				ids := got.IDs("client_id")
				slices.Sort(ids)
				if diff := cmp.Diff(c.ids, ids); diff != "" {
					t.Errorf("clients (-want +got):\n%s", diff)
				}
			}
		})
	}

	one := []struct {
		name, path, token string
		status            int
		key, want         string
	}{
		{"own client", "/api/clients/ditbinmas", dir, 200, "client_id", "DITBINMAS"},
		{"another client", "/api/clients/POLRES_A", dir, 403, "message", "client_id tidak diizinkan"},
		{"unknown client (legacy body)", "/api/clients/NOPE", admin, 404, "error", "Client not found"},
		{"members of a client", "/api/clients/POLRES_B/users", admin, 200, "", ""},
		{"members of another client", "/api/clients/POLRES_B/users", dir, 403, "message", "client_id tidak diizinkan"},
	}
	for _, c := range one {
		t.Run(c.name, func(t *testing.T) {
			got := r.Do(http.MethodGet, c.path, "", c.token)
			if got.Status != c.status {
				t.Fatalf("status %d, want %d: %s", got.Status, c.status, got.Raw)
			}
			switch {
			case c.key == "client_id":
				if got.Data()[c.key] != c.want {
					t.Errorf("%s = %v, want %s", c.key, got.Data()[c.key], c.want)
				}
			case c.key != "":
				if got.Body[c.key] != c.want {
					t.Errorf("%s = %v, want %s", c.key, got.Body[c.key], c.want)
				}
			default:
				if ids := got.IDs("user_id"); !cmp.Equal(ids, []string{"82000001", "82000002"}) {
					t.Errorf("members %v", ids)
				}
			}
		})
	}

	profiles := []struct {
		name, query, token string
		status             int
		check              func(t *testing.T, c map[string]any, body map[string]any)
	}{
		{"operator's own client, tier from level", "", op, 200, func(t *testing.T, c, _ map[string]any) {
			if c["client_id"] != "POLRES_A" || c["tier"] != "premium_1" || c["premium_tier"] != nil || c["level"] != "Premium_1" ||
				c["client_insta"] != "polres_a_ig" {
				t.Errorf("profile %v", c)
			}
		}},
		{"directorate user on an org client: overlay and token premium tier", "", dirPremium, 200, func(t *testing.T, c, _ map[string]any) {
			if c["client_id"] != "POLRES_A" || c["client_insta"] != "ditbinmas_ig" || c["tier"] != "premium_3" || c["premium_tier"] != "Premium_3" {
				t.Errorf("profile %v", c)
			}
		}},
		{"scope direktorat answers the directorate", "?role=ditbinmas&scope=direktorat", dirPremium, 200, func(t *testing.T, c, _ map[string]any) {
			if c["client_id"] != "DITBINMAS" {
				t.Errorf("profile %v", c)
			}
		}},
		{"operator names another client", "?client_id=POLRES_B", op, 403, func(t *testing.T, _, b map[string]any) {
			if b["error"] != "client_id tidak terdaftar untuk operator ini. Gunakan client_id yang ada di token." {
				t.Errorf("body %v", b)
			}
		}},
		{"bad scope", "?scope=x", op, 400, func(t *testing.T, _, b map[string]any) {
			if b["error"] != "scope tidak valid" {
				t.Errorf("body %v", b)
			}
		}},
		{"direktorat scope needs a directorate role", "?scope=direktorat", op, 400, func(t *testing.T, _, b map[string]any) {
			if b["error"] != "role direktorat tidak valid" {
				t.Errorf("body %v", b)
			}
		}},
		{"region mismatch", "?regional_id=JATENG", op, 404, func(t *testing.T, _, b map[string]any) {
			if b["error"] != "Client not found" {
				t.Errorf("body %v", b)
			}
		}},
		{"admin with several clients must name one", "", r.Token(auth.KindDashboard, auth.Claims{DashboardUserID: "a2", Role: "admin", ClientIDs: []string{"POLRES_A", "POLRES_B"}}), 400,
			func(t *testing.T, _, b map[string]any) {
				if b["error"] != "client_id required" {
					t.Errorf("body %v", b)
				}
			}},
	}
	for _, c := range profiles {
		t.Run(c.name, func(t *testing.T) {
			got := r.Do(http.MethodGet, "/api/clients/profile"+c.query, "", c.token)
			if got.Status != c.status {
				t.Fatalf("status %d, want %d: %s", got.Status, c.status, got.Raw)
			}
			cl, _ := got.Body["client"].(map[string]any)
			c.check(t, cl, got.Body)
		})
	}
}
