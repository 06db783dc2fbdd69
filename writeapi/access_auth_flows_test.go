package writeapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cicero/cicero/projections/access"
	"github.com/cicero/cicero/writeapi"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/commands/person"
)

func TestAuthUserLogin(t *testing.T) {
	r := newAuthRig(t)
	if _, err := r.people.RegisterPerson(authCtx(t), commands.Meta{Actor: "test"},
		person.RegisterPerson{NRP: "75020002", Nama: "Siti", ClientID: "POLRES_A", WhatsApp: "0812-3456-7890"}); err != nil {
		t.Fatal(err)
	}
	const path = "/api/auth/user-login"
	waitFor(t, func() bool {
		return r.post(path, map[string]any{"nrp": "75020002", "whatsapp": "+62 812 3456 7890"}).Status == 200
	})
	for _, tc := range []struct {
		name   string
		body   any
		status int
		msg    string
	}{
		{"empty", map[string]any{}, 400, "nrp dan whatsapp wajib diisi"},
		{"no whatsapp", map[string]any{"nrp": "75020002"}, 400, "nrp dan whatsapp wajib diisi"},
		{"malformed", `{"nrp":75020002,`, 400, "Body JSON tidak valid"},
		{"unknown nrp", map[string]any{"nrp": "1", "whatsapp": "081234567890"}, 401, "Login gagal: data tidak ditemukan"},
		{"wrong number", map[string]any{"nrp": "75020002", "whatsapp": "081234567899"}, 401, "Login gagal: data tidak ditemukan"},
	} {
		t.Run(tc.name, func(t *testing.T) { r.post(path, tc.body).want(t, tc.status, tc.msg) })
	}
	t.Run("legacy password field and numeric nrp", func(t *testing.T) {
		resp := r.post(path, `{"nrp":75020002,"password":"081234567890"}`)
		resp.want(t, 200, "")
		user, _ := resp.Body["user"].(map[string]any)
		if user["user_id"] != "75020002" || user["nama"] != "SITI" && user["nama"] != "Siti" || user["role"] != "user" {
			t.Errorf("user %v", user)
		}
		claims, err := r.auth.Tokens().Parse(authToken(t, resp))
		if err != nil || claims.Kind != "user" || claims.UserID != "75020002" || claims.Role != "user" {
			t.Errorf("claims %+v (%v)", claims, err)
		}
	})
}

func TestAuthDashboardRegister(t *testing.T) {
	r := newAuthRig(t)
	const path = "/api/auth/dashboard-register"
	valid := func(over map[string]any) map[string]any {
		b := map[string]any{"username": "andi", "password": authPassword, "whatsapp": "081234567890", "client_ids": []string{"POLRES_A"}}
		for k, v := range over {
			if v == nil {
				delete(b, k)
			} else {
				b[k] = v
			}
		}
		return b
	}
	head := r.accessHead()
	for _, tc := range []struct {
		name string
		body any
		msg  string
	}{
		{"no username", valid(map[string]any{"username": nil}), "username, password, dan whatsapp atau email wajib diisi"},
		{"no password", valid(map[string]any{"password": nil}), "username, password, dan whatsapp atau email wajib diisi"},
		{"no contact", valid(map[string]any{"whatsapp": nil}), "username, password, dan whatsapp atau email wajib diisi"},
		{"short whatsapp", valid(map[string]any{"whatsapp": "0812"}), "whatsapp tidak valid"},
		{"bad email", valid(map[string]any{"whatsapp": nil, "email": "andi@"}), "Format email tidak valid. Pastikan menulis alamat lengkap seperti nama@contoh.com"},
		{"short password", valid(map[string]any{"password": "pendek"}), "password minimal 8 karakter"},
		{"admin cannot be chosen", valid(map[string]any{"role": "Admin"}), "role tidak valid"},
		{"operator without clients", valid(map[string]any{"client_ids": []string{}}), "minimal satu client harus dipilih"},
		{"unknown client", valid(map[string]any{"client_ids": []string{"NOPE"}}), "client_id tidak ditemukan"},
		{"malformed", `{"username":"andi"`, "Body JSON tidak valid"},
	} {
		t.Run(tc.name, func(t *testing.T) { r.post(path, tc.body).want(t, 400, tc.msg) })
	}
	if h := r.accessHead(); h != head {
		t.Errorf("refused registrations appended to ACCESS: head %d → %d", head, h)
	}

	t.Run("email only, single client_id", func(t *testing.T) {
		resp := r.post(path, valid(map[string]any{"whatsapp": nil, "email": "Andi@Example.com", "client_ids": nil, "client_id": "polres_b"}))
		resp.want(t, http.StatusCreated, "")
		id, _ := resp.Body["dashboard_user_id"].(string)
		if resp.Body["status"] != false || id == "" {
			t.Fatalf("body %v", resp.Body)
		}
		u := r.waitUser("andi", func(u access.DashboardUser) bool { return u.DashboardUserID == id })
		if u.Approved || u.Role != "operator" || u.Email != "andi@example.com" || strings.Join(u.ClientIDs, ",") != "POLRES_B" {
			t.Errorf("read model %+v", u)
		}
		r.post("/api/auth/dashboard-login", map[string]any{"username": "andi", "password": authPassword}).want(t, 403, "Akun belum disetujui")
	})
	t.Run("username taken in any case", func(t *testing.T) {
		r.post(path, valid(map[string]any{"username": "ANDI", "role": "ditbinmas"})).want(t, 400, "username sudah terpakai")
	})
}

// TestDashboardRegisterThenLogin: the dashboard logs in right after a
// registration; the answer waits until the account is visible, so the
// login says it awaits approval instead of "data tidak ditemukan", even
// when the read model lags.
func TestDashboardRegisterThenLogin(t *testing.T) {
	r := newAuthRigLagging(t, 400*time.Millisecond)
	body := map[string]any{"username": "segera", "password": authPassword, "role": "operator",
		"whatsapp": "081233334444", "client_ids": []string{"POLRES_A"}}
	resp := r.post("/api/auth/dashboard-register", body)
	resp.want(t, http.StatusCreated, "")
	if resp.Header.Get(writeapi.PositionHeader) == "" || resp.Header.Get(writeapi.ConsistencyHeader) == "stale" {
		t.Fatalf("register headers %v", resp.Header)
	}
	r.post("/api/auth/dashboard-login", map[string]any{"username": "segera", "password": authPassword}).
		want(t, http.StatusForbidden, "Akun belum disetujui")
}

func TestAuthPasswordReset(t *testing.T) {
	r := newAuthRig(t)
	r.createUserWith(dashuser.CreateDashboardUser{Username: "rina", Role: "operator", WhatsApp: "081299990000",
		Email: "rina@polri.test", ClientIDs: []string{"POLRES_A"}})
	old := r.post("/api/auth/dashboard-login", map[string]any{"username": "rina", "password": authPassword})
	old.want(t, 200, "")
	oldTok := authToken(t, old)

	const req = "/api/auth/dashboard-password-reset/request"
	for _, tc := range []struct {
		name   string
		body   any
		status int
		msg    string
	}{
		{"missing contact", map[string]any{"username": "rina"}, 400, "username dan kontak wajib diisi"},
		{"short contact", map[string]any{"username": "rina", "contact": "0812"}, 400, "kontak whatsapp tidak valid"},
		{"unknown user", map[string]any{"username": "siapa", "contact": "rina@polri.test"}, 404, "pengguna dashboard tidak ditemukan"},
		{"other address", map[string]any{"username": "rina", "contact": "eve@polri.test"}, 400, "kontak tidak sesuai dengan data pengguna"},
		// No WhatsApp session exists: refused before a token is issued.
		{"by WhatsApp", map[string]any{"username": "RINA", "contact": "+62 812-9999-0000"}, 500,
			"Instruksi reset tidak dapat dikirim. Silakan hubungi admin untuk bantuan."},
	} {
		t.Run(tc.name, func(t *testing.T) { r.post(req, tc.body).want(t, tc.status, tc.msg) })
	}
	r.post(req, map[string]any{"username": "RINA", "contact": "Rina@Polri.TEST"}).want(t, 200, "Instruksi reset password telah dikirim melalui email.")
	token, mail := r.resetToken(1)
	if len(mail.RcptTo) != 1 || mail.RcptTo[0] != "rina@polri.test" ||
		!strings.Contains(mail.Body, "https://dash.example/reset-password?token="+token) {
		t.Fatalf("reset mail to %v: %q", mail.RcptTo, mail.Body)
	}
	if got := len(r.msg.SMTP.Messages()); got != 1 {
		t.Fatalf("%d mails, want 1 (the refused requests sent nothing)", got)
	}
	n := struct{ Token string }{token}

	const confirm = "/api/password-reset/confirm" // an alias of …/dashboard-password-reset/confirm
	for _, tc := range []struct {
		name string
		body any
		msg  string
	}{
		{"missing confirmation", map[string]any{"token": n.Token, "password": "barubaru1"}, "token, password, dan konfirmasi wajib diisi"},
		{"mismatch", map[string]any{"token": n.Token, "password": "barubaru1", "confirmPassword": "barubaru2"}, "konfirmasi password tidak cocok"},
		{"short", map[string]any{"token": n.Token, "password": "pendek", "password_confirmation": "pendek"}, "password minimal 8 karakter"},
		{"bad token", map[string]any{"token": strings.Repeat("ab", 32), "password": "barubaru1", "confirmPassword": "barubaru1"}, "token reset tidak valid atau sudah kedaluwarsa"},
	} {
		t.Run(tc.name, func(t *testing.T) { r.post(confirm, tc.body).want(t, 400, tc.msg) })
	}
	r.post(confirm, map[string]any{"token": n.Token, "password": "barubaru1", "confirmPassword": "barubaru1"}).
		want(t, 200, "Password berhasil diperbarui. Silakan login kembali.")
	r.protected(oldTok).want(t, 401, "Invalid token")
	// The token is spent.
	r.post("/api/auth/password-reset/confirm", map[string]any{"token": n.Token, "password": "barubaru2", "confirmPassword": "barubaru2"}).
		want(t, 400, "token reset tidak valid atau sudah kedaluwarsa")
	waitFor(t, func() bool {
		return r.post("/api/auth/dashboard-login", map[string]any{"username": "rina", "password": "barubaru1"}).Status == 200
	})
}
