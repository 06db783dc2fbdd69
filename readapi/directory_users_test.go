package readapi_test

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cicero/cicero/internal/auth"
)

func TestUsersList(t *testing.T) {
	t.Parallel()
	r := newDirRig(t, rigOpts{})
	r.Seed()
	op := r.Operator("POLRES_A")
	opMulti := r.Operator("POLRES_A", "POLRES_B")
	admin := r.Admin()
	dir := r.Directorate("DITBINMAS")
	pers := r.Personnel("81000003")
	revoked := r.Operator("POLRES_B")
	if err := r.Auth.Sessions().Revoke(context.Background(), revoked); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name   string
		token  string
		query  string
		status int
		msg    string
		reason string
		ids    []string
	}{
		{"operator, own single client by default", op, "", 200, "", "", []string{"81000001", "81000002"}},
		{"operator names own client any case", op, "?client_id=polres_a", 200, "", "", []string{"81000001", "81000002"}},
		{"operator, other client", op, "?client_id=POLRES_B", 403, "client_id tidak diizinkan", "", nil},
		{"operator with several clients must name one", opMulti, "", 400, "client_id wajib diisi", "", nil},
		{"operator with several clients names one", opMulti, "?client_id=POLRES_B", 200, "", "", []string{"82000001"}},
		{"operator, direktorat scope with directorate role", op, "?scope=direktorat&role=ditbinmas", 200, "", "", []string{"81000002"}},
		{"scope invalid", op, "?scope=pusat", 400, "scope tidak valid", "", nil},
		{"direktorat scope needs a directorate role", op, "?scope=direktorat", 400, "role direktorat tidak valid", "", nil},
		{"admin must name a client", admin, "", 400, "client_id wajib diisi", "", nil},
		{"admin, any client, role filter", admin, "?client_id=POLRES_B&role=ditbinmas", 200, "", "", []string{"82000002"}},
		{"admin, org scope without role flag match", admin, "?client_id=POLRES_A&role=operator", 200, "", "", []string{"81000001", "81000002"}},
		{"directorate, own client, all holders", dir, "?client_id=DITBINMAS&scope=direktorat", 200, "", "", []string{"81000002", "82000002"}},
		{"directorate, region filter", dir, "?client_id=DITBINMAS&scope=direktorat&regional_id=jateng", 200, "", "", []string{"82000002"}},
		{"directorate, a client not its own", dir, "?client_id=POLRES_A&scope=direktorat", 403, "client_id tidak diizinkan", "", nil},
		{"org scope with region that does not match", admin, "?client_id=POLRES_A&role=operator&regional_id=JATENG", 200, "", "", nil},
		{"personnel token may not list", pers, "", 403, "Forbidden", "", nil},
		{"no token", "", "", 401, "Token required", "missing_token", nil},
		{"revoked session", revoked, "", 401, "Invalid token", "invalid_token", nil},
		{"garbage token", "abc.def.ghi", "", 401, "Invalid token", "invalid_token", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := r.Do(http.MethodGet, "/api/users/list"+c.query, "", c.token)
			if got.Status != c.status {
				t.Fatalf("status %d, want %d: %s", got.Status, c.status, got.Raw)
			}
			if c.status != 200 {
				if got.Msg() != c.msg {
					t.Errorf("message %q, want %q", got.Msg(), c.msg)
				}
				if reason, _ := got.Body["reason"].(string); reason != c.reason {
					t.Errorf("reason %q, want %q", reason, c.reason)
				}
				return
			}
			ids := got.IDs("user_id")
			slices.Sort(ids)
			if diff := cmp.Diff(c.ids, ids); diff != "" {
				t.Errorf("users (-want +got):\n%s", diff)
			}
		})
	}
}

func TestUsersByIDAndClient(t *testing.T) {
	t.Parallel()
	r := newDirRig(t, rigOpts{})
	r.Seed()
	admin := r.Admin()
	dir := r.Directorate("DITBINMAS")
	op := r.Operator("POLRES_A")
	dirOther := r.Token(auth.KindDashboard, auth.Claims{DashboardUserID: "d2", Role: "bidhumas", ClientIDs: []string{"POLRES_B"}})
	staffB := r.Token(auth.KindDashboard, auth.Claims{DashboardUserID: "s2", Role: "staff", ClientIDs: []string{"POLRES_B"}})

	t.Run("one user with flags and client name", func(t *testing.T) {
		got := r.Do(http.MethodGet, "/api/users/81-000-002", "", admin)
		if got.Status != 200 {
			t.Fatalf("status %d: %s", got.Status, got.Raw)
		}
		d := got.Data()
		if d["user_id"] != "81000002" || d["operator"] != true || d["ditbinmas"] != true || d["ditlantas"] != false ||
			d["client_name"] != "Nama POLRES_A" || d["regional_id"] != "JATIM" {
			t.Errorf("unexpected user: %v", d)
		}
	})
	t.Run("unknown user is success without data (legacy)", func(t *testing.T) {
		got := r.Do(http.MethodGet, "/api/users/99999999", "", admin)
		if got.Status != 200 || got.Body["success"] != true || got.Body["data"] != nil {
			t.Fatalf("got %d %s", got.Status, got.Raw)
		}
	})
	t.Run("a user of another client is refused", func(t *testing.T) {
		got := r.Do(http.MethodGet, "/api/users/81000003", "", dirOther)
		if got.Status != 403 || got.Msg() != "client_id tidak diizinkan" {
			t.Fatalf("got %d %s", got.Status, got.Raw)
		}
	})
	t.Run("a directorate sees role holders of other clients", func(t *testing.T) {
		got := r.Do(http.MethodGet, "/api/users/82000002", "", dir)
		if got.Status != 200 || got.Data()["user_id"] != "82000002" {
			t.Fatalf("got %d %s", got.Status, got.Raw)
		}
	})
	t.Run("operators may not read single users (allow-list)", func(t *testing.T) {
		if got := r.Do(http.MethodGet, "/api/users/81000001", "", op); got.Status != 403 || got.Msg() != "Forbidden" {
			t.Fatalf("got %d %s", got.Status, got.Raw)
		}
	})
	t.Run("GET /api/users is scoped", func(t *testing.T) {
		got := r.Do(http.MethodGet, "/api/users", "", op)
		ids := got.IDs("user_id")
		slices.Sort(ids)
		if got.Status != 200 || !cmp.Equal(ids, []string{"81000001", "81000002", "81000003"}) {
			t.Fatalf("got %d %v", got.Status, ids)
		}
		all := r.Do(http.MethodGet, "/api/users", "", admin)
		if n := len(all.List()); n != 5 {
			t.Fatalf("admin sees %d users, want 5", n)
		}
	})
	byClient := []struct {
		name, path, token string
		status            int
		ids               []string
	}{
		{"directorate id replaced by token client", "/api/users/by-client/POLRES_B", dir, 200, []string{"81000002", "82000002"}},
		{"full variant", "/api/users/by-client-full/POLRES_B", dir, 200, []string{"81000002", "82000002"}},
		{"admin names any client; role admin filters nothing on org", "/api/users/by-client/POLRES_B", admin, 200, []string{"82000001", "82000002"}},
		{"a directorate role's id is always its own client", "/api/users/by-client/POLRES_A", dirOther, 200, nil},
		{"other client refused", "/api/users/by-client/POLRES_A", staffB, 403, nil},
	}
	for _, c := range byClient {
		t.Run(c.name, func(t *testing.T) {
			got := r.Do(http.MethodGet, c.path, "", c.token)
			if got.Status != c.status {
				t.Fatalf("status %d, want %d: %s", got.Status, c.status, got.Raw)
			}
			if c.status == 200 {
				ids := got.IDs("user_id")
				slices.Sort(ids)
				if diff := cmp.Diff(c.ids, ids); diff != "" {
					t.Errorf("users (-want +got):\n%s", diff)
				}
			}
		})
	}
}
