package writeapi_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestUserCreate(t *testing.T) {
	t.Parallel()
	r := newDirRig(t, rigOpts{})
	r.Seed()
	op := r.Operator("POLRES_A")
	dir := r.Directorate("DITBINMAS")
	admin := r.Admin()
	pers := r.Personnel("81000001")

	// A deactivated member of POLRES_A holding two roles.
	r.MustPerson("81000009", "POLRES_A", "operator", "ditlantas")
	if got := r.Do(http.MethodDelete, "/api/users/81000009", "", admin); got.Status != 200 || got.Data()["status"] != false {
		t.Fatalf("deactivate: %d %s", got.Status, got.Raw)
	}

	cases := []struct {
		name   string
		path   string
		token  string
		body   string
		status int
		msg    string
		roles  []string
		client string
	}{
		{"operator creates: role operator, own client", "/api/users/create", op,
			`{"user_id":"83.000.001","nama":"budi","whatsapp":"0812 3456 7890"}`, 201, "", []string{"operator"}, "POLRES_A"},
		{"operator names roles", "/api/users", op,
			`{"user_id":"83000002","nama":"ani","roles":["OPERATOR"],"ditbinmas":false}`, 201, "", []string{"operator"}, "POLRES_A"},
		{"directorate creates in its own client with its role", "/api/users/create", dir,
			`{"user_id":"83000003","nama":"cici","client_id":"POLRES_B"}`, 201, "", []string{"ditbinmas"}, "DITBINMAS"},
		{"admin creates with flags", "/api/users/create", admin,
			`{"user_id":83000004,"nama":"dedi","client_id":"POLRES_B","ditlantas":true,"operator":"ya"}`, 201, "", []string{"ditlantas", "operator"}, "POLRES_B"},
		// ditlantas stays: an operator may not take a directorate role away.
		{"reactivation resets roles to the requester's", "/api/users/create", op,
			`{"user_id":"81000009","nama":"x"}`, 200, "", []string{"ditlantas", "operator"}, "POLRES_A"},
		{"existing active person gains the requested role", "/api/users/create", admin,
			`{"user_id":"81000001","nama":"x","ditlantas":true}`, 200, "", []string{"ditlantas", "operator"}, "POLRES_A"},
		{"a directorate takes its member into its client", "/api/users/create", dir,
			`{"user_id":"82000002","nama":"x"}`, 200, "", []string{"ditbinmas"}, "DITBINMAS"},
		{"a directorate may not take a non-member", "/api/users/create", dir,
			`{"user_id":"82000001","nama":"x"}`, 403, "client_id tidak diizinkan", nil, ""},
		{"missing nama", "/api/users/create", op, `{"user_id":"83000010"}`, 400, "nama wajib diisi", nil, ""},
		{"missing user_id", "/api/users/create", op, `{"nama":"budi"}`, 400, "nrp wajib diisi", nil, ""},
		{"short user_id", "/api/users/create", op, `{"user_id":"12","nama":"budi"}`, 400, "nrp harus terdiri dari 6-18 digit", nil, ""},
		{"bad whatsapp", "/api/users/create", op, `{"user_id":"83000011","nama":"b","whatsapp":"12"}`, 400, "whatsapp tidak valid", nil, ""},
		{"flag is not a boolean", "/api/users/create", op, `{"user_id":"83000012","nama":"b","ditbinmas":"mungkin"}`, 400, "ditbinmas harus bernilai boolean", nil, ""},
		{"malformed JSON", "/api/users/create", op, `{"user_id":`, 400, "Body JSON tidak valid", nil, ""},
		{"another client", "/api/users/create", op, `{"user_id":"83000013","nama":"b","client_id":"POLRES_B"}`, 403, "client_id tidak diizinkan", nil, ""},
		{"existing person of another client", "/api/users/create", op, `{"user_id":"82000001","nama":"b"}`, 403, "client_id tidak diizinkan", nil, ""},
		{"personnel token", "/api/users/create", pers, `{"user_id":"83000014","nama":"b"}`, 403, "Forbidden", nil, ""},
		{"no token", "/api/users/create", "", `{"user_id":"83000015","nama":"b"}`, 401, "Token required", nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := r.Head()
			got := r.Do(http.MethodPost, c.path, c.body, c.token)
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
			d := got.Data()
			var roles []string
			for _, x := range d["roles"].([]any) {
				roles = append(roles, x.(string))
			}
			slices.Sort(roles)
			if diff := cmp.Diff(c.roles, roles); diff != "" {
				t.Errorf("roles (-want +got):\n%s", diff)
			}
			if d["client_id"] != c.client || d["status"] != true {
				t.Errorf("client %v status %v, want %s active", d["client_id"], d["status"], c.client)
			}
			if pos, _ := got.Body["positions"].([]any); len(pos) == 0 || got.Header.Get("X-Cicero-Position") == "" {
				t.Errorf("no positions in answer: %s", got.Raw)
			}
		})
	}

	t.Run("replayed identical POST is refused", func(t *testing.T) {
		body := `{"user_id":"83000020","nama":"eko"}`
		if got := r.Do(http.MethodPost, "/api/users/create", body, op); got.Status != 201 {
			t.Fatalf("first: %d %s", got.Status, got.Raw)
		}
		before := r.Head()
		got := r.Do(http.MethodPost, "/api/users/create", body, op)
		if got.Status != 429 || got.Msg() != "Duplicate request detected" {
			t.Fatalf("replay: %d %s", got.Status, got.Raw)
		}
		if r.Head() != before {
			t.Error("replay appended")
		}
	})
	t.Run("the same NRP again through another path is a 200, not a second registration", func(t *testing.T) {
		got := r.Do(http.MethodPost, "/api/users", `{"user_id":"83000020","nama":"eko"}`, op)
		if got.Status != 200 || got.Data()["nama"] != "EKO" {
			t.Fatalf("got %d %s", got.Status, got.Raw)
		}
	})
}

func TestUserUpdate(t *testing.T) {
	t.Parallel()
	r := newDirRig(t, rigOpts{})
	r.Seed()
	op := r.Operator("POLRES_A")
	admin := r.Admin()

	cases := []struct {
		name   string
		id     string
		token  string
		body   string
		hdr    []string
		status int
		msg    string
		check  func(t *testing.T, d map[string]any)
	}{
		{"text fields, handle and flags", "81000003", op,
			`{"nama":"budi santoso","jabatan":"kanit","insta":"@Budi.S","operator":true,"exception":true}`, nil, 200, "",
			func(t *testing.T, d map[string]any) {
				if d["nama"] != "BUDI SANTOSO" || d["jabatan"] != "KANIT" || d["insta"] != "budi.s" || d["operator"] != true || d["exception"] != true {
					t.Errorf("user %v", d)
				}
			}},
		{"unknown keys are named", "81000003", op, `{"nama":"x","kolom":1,"foo":"bar"}`, nil, 400, "Field tidak diizinkan: foo, kolom", nil},
		{"wrong type", "81000003", op, `{"status":"kadang"}`, nil, 400, "status harus bernilai boolean", nil},
		{"object for a text field", "81000003", op, `{"nama":{"a":1}}`, nil, 400, "nama harus berupa teks", nil},
		{"blank nama", "81000003", op, `{"nama":"  "}`, nil, 400, "nama wajib diisi", nil},
		{"person of another client", "82000001", op, `{"nama":"x"}`, nil, 403, "client_id tidak diizinkan", nil},
		{"moving to another client", "81000003", op, `{"client_id":"POLRES_B"}`, nil, 403, "client_id tidak diizinkan", nil},
		{"unknown person", "89999999", op, `{"nama":"x"}`, nil, 404, "user tidak ditemukan", nil},
		{"stale If-Match", "81000001", op, `{"nama":"y"}`, []string{"If-Match", "1"}, 409, "Data telah diubah oleh permintaan lain; muat ulang lalu coba lagi", nil},
		{"stale expected_version", "81000001", op, `{"nama":"z","expected_version":2}`, nil, 409, "Data telah diubah oleh permintaan lain; muat ulang lalu coba lagi", nil},
		{"bad If-Match", "81000001", op, `{"nama":"z"}`, []string{"If-Match", "abc"}, 400, "If-Match harus berupa versi (angka)", nil},
		{"If-Match and expected_version differ", "81000001", op, `{"nama":"z","expected_version":2}`, []string{"If-Match", "3"}, 400, "If-Match dan expected_version berbeda", nil},
		{"rename through user_id", "81000002", admin, `{"user_id":"81000022","divisi":"sat binmas"}`, nil, 200, "",
			func(t *testing.T, d map[string]any) {
				if d["user_id"] != "81000022" || d["divisi"] != "SAT BINMAS" || d["ditbinmas"] != true {
					t.Errorf("user %v", d)
				}
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := r.Head()
			got := r.Do(http.MethodPut, "/api/users/"+c.id, c.body, c.token, c.hdr...)
			if got.Status != c.status {
				t.Fatalf("status %d, want %d: %s", got.Status, c.status, got.Raw)
			}
			if c.status >= 400 {
				if got.Msg() != c.msg {
					t.Errorf("message %q, want %q", got.Msg(), c.msg)
				}
				if r.Head() != before {
					t.Error("refused request appended")
				}
				return
			}
			c.check(t, got.Data())
		})
	}

	t.Run("matching version succeeds, then the same version conflicts", func(t *testing.T) {
		cur := r.Do(http.MethodGet, "/api/users/82000001", "", admin)
		v := fmt.Sprint(int64(cur.Data()["version"].(float64)))
		if got := r.Do(http.MethodPut, "/api/users/82000001", `{"jabatan":"a"}`, admin, "If-Match", v); got.Status != 200 {
			t.Fatalf("first: %d %s", got.Status, got.Raw)
		}
		if got := r.Do(http.MethodPut, "/api/users/82000001", `{"jabatan":"b"}`, admin, "If-Match", v); got.Status != 409 {
			t.Fatalf("second: %d %s", got.Status, got.Raw)
		}
	})
	t.Run("concurrent edits of one version: one wins, one 409", func(t *testing.T) {
		cur := r.Do(http.MethodGet, "/api/users/82000002", "", admin)
		v := fmt.Sprint(int64(cur.Data()["version"].(float64)))
		var wg sync.WaitGroup
		statuses := make([]int, 2)
		for i := range statuses {
			wg.Go(func() {
				statuses[i] = r.Do(http.MethodPut, "/api/users/82000002", fmt.Sprintf(`{"jabatan":"j%d"}`, i), admin, "If-Match", v).Status
			})
		}
		wg.Wait()
		if !(statuses[0] == 200 && statuses[1] == 409 || statuses[0] == 409 && statuses[1] == 200) {
			t.Fatalf("statuses %v, want one 200 and one 409", statuses)
		}
	})
}

func TestUserRolesDeleteAndNotification(t *testing.T) {
	t.Parallel()
	r := newDirRig(t, rigOpts{})
	r.Seed()
	op := r.Operator("POLRES_A")
	admin := r.Admin()
	dir := r.Directorate("DITBINMAS")

	steps := []struct {
		name, method, path, token, body string
		status                          int
		msg                             string
		check                           func(t *testing.T, x resp)
	}{
		{"roles set exactly", http.MethodPut, "/api/users/81000003/roles", admin, `{"roles":["Operator","DITLANTAS"]}`, 200, "",
			func(t *testing.T, x resp) {
				if d := x.Data(); d["operator"] != true || d["ditlantas"] != true || d["ditbinmas"] != false {
					t.Errorf("user %v", d)
				}
			}},
		{"operators may not set roles (allow-list)", http.MethodPut, "/api/users/81000003/roles", op, `{"roles":[]}`, 403, "Forbidden", nil},
		{"roles must be an array", http.MethodPut, "/api/users/81000003/roles", admin, `{"roles":"operator"}`, 400, "roles harus berupa array", nil},
		{"roles missing", http.MethodPut, "/api/users/81000003/roles", admin, `{}`, 400, "roles harus berupa array", nil},
		{"operators may not delete (allow-list)", http.MethodDelete, "/api/users/81000003", op, "", 403, "Forbidden", nil},
		{"delete a role not held", http.MethodDelete, "/api/users/81000003?role=bidhumas", admin, "", 404, "Role bidhumas tidak ditemukan untuk user", nil},
		{"delete one of two roles keeps the person active", http.MethodDelete, "/api/users/81000003?role=ditlantas", admin, "", 200, "",
			func(t *testing.T, x resp) {
				if d := x.Data(); d["status"] != true || d["ditlantas"] != false || d["operator"] != true {
					t.Errorf("user %v", d)
				}
			}},
		{"delete the last role deactivates", http.MethodDelete, "/api/users/81000003", admin, `{"role":"OPERATOR"}`, 200, "",
			func(t *testing.T, x resp) {
				if d := x.Data(); d["status"] != false {
					t.Errorf("user %v", d)
				}
			}},
		{"directorate may not delete outside its members", http.MethodDelete, "/api/users/82000001", dir, "", 403, "client_id tidak diizinkan", nil},
		{"opt-in needs whatsapp", http.MethodPut, "/api/users/81000001/wa-notification", admin, `{"opt_in":true}`, 400, "whatsapp wajib diisi", nil},
		{"opt-in must be boolean", http.MethodPut, "/api/users/81000001/wa-notification", admin, `{"whatsapp":"081200081000001","opt_in":"mungkin"}`, 400, "opt_in harus bernilai boolean", nil},
		{"opt-in with the wrong number", http.MethodPut, "/api/users/81000001/wa-notification", admin, `{"whatsapp":"0811111111","opt_in":true}`, 400, "nomor WhatsApp tidak sesuai dengan data user", nil},
		{"opt-in for an unknown user", http.MethodPut, "/api/users/89999999/wa-notification", admin, `{"whatsapp":"0811111111","opt_in":true}`, 404, "user tidak ditemukan", nil},
		{"opt-in", http.MethodPut, "/api/users/81000001/wa-notification", admin, `{"whatsapp":"0812000001","wa_notification_opt_in":"ya"}`, 200, "",
			func(t *testing.T, x resp) {
				if d := x.Data(); d["wa_notification_opt_in"] != true {
					t.Errorf("user %v", d)
				}
			}},
		{"renumber", http.MethodPost, "/api/user_roles/update", admin, `{"old_user_id":"82000002","new_user_id":"82000099"}`, 200, "",
			func(t *testing.T, x resp) {
				if d := x.Data(); d["old_user_id"] != "82000002" || d["new_user_id"] != "82000099" {
					t.Errorf("data %v", d)
				}
				if got := r.Do(http.MethodGet, "/api/users/82000099", "", admin); got.Data()["ditbinmas"] != true {
					t.Errorf("renumbered person %s", got.Raw)
				}
			}},
		{"renumber onto a taken NRP", http.MethodPut, "/api/user_roles/update", admin, `{"old_user_id":"82000099","new_user_id":"82000001"}`, 409, "nrp sudah terdaftar", nil},
		{"renumber by a caller of another client", http.MethodPut, "/api/user_roles/update", dir, `{"old_user_id":"81000001","new_user_id":"81000077"}`, 403, "client_id tidak diizinkan", nil},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			got := r.Do(s.method, s.path, s.body, s.token)
			if got.Status != s.status {
				t.Fatalf("status %d, want %d: %s", got.Status, s.status, got.Raw)
			}
			if s.status >= 400 && got.Msg() != s.msg {
				t.Errorf("message %q, want %q", got.Msg(), s.msg)
			}
			if s.check != nil {
				s.check(t, got)
			}
		})
	}
}

func TestClientUpdate(t *testing.T) {
	t.Parallel()
	r := newDirRig(t, rigOpts{})
	r.Seed()
	admin := r.Admin()
	dir := r.Directorate("DITBINMAS")
	cases := []struct {
		name, path, token, body string
		hdr                     []string
		status                  int
		check                   func(t *testing.T, x resp)
	}{
		{"merge update", "/api/clients/polres_a", admin, `{"nama":"Polres A Baru","client_tiktok_status":false,"unknown":1}`, nil, 200,
			func(t *testing.T, x resp) {
				if d := x.Data(); d["nama"] != "Polres A Baru" || d["client_tiktok_status"] != false || d["client_insta"] != "polres_a_ig" {
					t.Errorf("client %v", d)
				}
			}},
		{"another client", "/api/clients/POLRES_A", dir, `{"nama":"x"}`, nil, 403, func(t *testing.T, x resp) {
			if x.Msg() != "client_id tidak diizinkan" {
				t.Errorf("body %s", x.Raw)
			}
		}},
		{"unknown client", "/api/clients/NOPE", admin, `{"nama":"x"}`, nil, 404, func(t *testing.T, x resp) {
			if x.Body["error"] != "Client not found" {
				t.Errorf("body %s", x.Raw)
			}
		}},
		{"bad boolean", "/api/clients/DITBINMAS", dir, `{"client_insta_status":"x"}`, nil, 400, func(t *testing.T, x resp) {
			if !strings.Contains(x.Msg(), "client_insta_status") {
				t.Errorf("body %s", x.Raw)
			}
		}},
		{"stale version", "/api/clients/DITBINMAS", dir, `{"nama":"y"}`, []string{"If-Match", "1"}, 409, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := r.Do(http.MethodPut, c.path, c.body, c.token, c.hdr...)
			if got.Status != c.status {
				t.Fatalf("status %d, want %d: %s", got.Status, c.status, got.Raw)
			}
			if c.check != nil {
				c.check(t, got)
			}
		})
	}
}
