package writeapi_test

import (
	"net/http"
	"testing"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/testkit"
)

// authAdminNumber is the rig's ADMIN_WHATSAPP.
const authAdminNumber = "6281111111111"

// TestAuthClientLogin: a client's operator logs in to the mobile app by
// the client's operator number (or an admin's), and gets a client token
// that reaches the operator routes.
func TestAuthClientLogin(t *testing.T) {
	r := newAuthRig(t)
	rt := commands.NewRuntime(r.n.Store, commands.NewPGCommandLog(r.pool), testkit.Logger(t))
	if _, err := client.NewHandlers(rt).RegisterClient(authCtx(t), commands.Meta{Actor: "test"}, client.RegisterClient{
		ClientID: "POLRES_OP", Nama: "POLRES OP", ClientOperator: "0812-2222-3333"}); err != nil {
		t.Fatal(err)
	}
	const path = "/api/auth/login"
	waitFor(t, func() bool {
		return r.post(path, map[string]any{"client_id": "POLRES_OP", "client_operator": "+62 812 2222 3333"}).Status == 200
	})
	for _, tc := range []struct {
		name   string
		body   any
		status int
		msg    string
	}{
		{"empty", map[string]any{}, 400, "client_id dan client_operator wajib diisi"},
		{"no operator", map[string]any{"client_id": "POLRES_OP"}, 400, "client_id dan client_operator wajib diisi"},
		{"malformed", `{"client_id":`, 400, "Body JSON tidak valid"},
		{"not an object", `[1,2]`, 400, "Body JSON tidak valid"},
		{"unknown client", map[string]any{"client_id": "POLRES_NONE", "client_operator": "081222223333"}, 401, "Login gagal: data tidak ditemukan"},
		{"NUL in client id", map[string]any{"client_id": "POLRES\u0000OP", "client_operator": "081222223333"}, 401, "Login gagal: data tidak ditemukan"},
		{"wrong operator", map[string]any{"client_id": "POLRES_OP", "client_operator": "081299999999"}, 401, "Login gagal: data tidak ditemukan"},
		{"client without operator", map[string]any{"client_id": "POLRES_A", "client_operator": "081222223333"}, 401, "Login gagal: data tidak ditemukan"},
	} {
		t.Run(tc.name, func(t *testing.T) { r.post(path, tc.body).want(t, tc.status, tc.msg) })
	}

	resp := r.post(path, map[string]any{"client_id": "POLRES_OP", "client_operator": "081222223333"})
	resp.want(t, 200, "")
	c, _ := resp.Body["client"].(map[string]any)
	if c["client_id"] != "POLRES_OP" || c["nama"] != "POLRES OP" || c["role"] != "client" {
		t.Fatalf("client %v", c)
	}
	tok := authToken(t, resp)
	claims, err := r.auth.Tokens().Parse(tok)
	if err != nil || claims.Kind != "client" || claims.ClientID != "POLRES_OP" {
		t.Fatalf("claims %+v (%v)", claims, err)
	}
	// The operator allow-list admits the client token.
	if got := r.protected(tok); got.Status != http.StatusOK || got.Body["kind"] != "client" {
		t.Fatalf("protected route with a client token: %d %v", got.Status, got.Body)
	}
	// An admin's number opens any client; a directorate gets its own role.
	resp = r.post(path, map[string]any{"client_id": "DITBINMAS", "client_operator": "0811-1111-1111"})
	resp.want(t, 200, "")
	if c, _ := resp.Body["client"].(map[string]any); c["role"] != "ditbinmas" {
		t.Fatalf("directorate login %v", resp.Body)
	}
	// The identical login again within five minutes is a duplicate.
	r.post(path, map[string]any{"client_id": "DITBINMAS", "client_operator": "0811-1111-1111"}).want(t, 429, "Duplicate request detected")
}

// TestAuthUserRegister: personnel register themselves without roles; the
// person commands' validation answers as 400.
func TestAuthUserRegister(t *testing.T) {
	r := newAuthRig(t)
	const path = "/api/auth/user-register"
	for _, tc := range []struct {
		name   string
		body   any
		status int
		msg    string
	}{
		{"empty", map[string]any{}, 400, "nrp, nama, dan client_id wajib diisi"},
		{"no client", map[string]any{"nrp": "75020009", "nama": "Budi"}, 400, "nrp, nama, dan client_id wajib diisi"},
		{"malformed", `{"nrp":`, 400, "Body JSON tidak valid"},
		{"short whatsapp", map[string]any{"nrp": "75020009", "nama": "Budi", "client_id": "POLRES_A", "whatsapp": "0812"}, 400, "whatsapp tidak valid"},
		{"nrp not digits", map[string]any{"nrp": "abc", "nama": "Budi", "client_id": "POLRES_A"}, 400, "nrp wajib diisi"},
		{"unknown client", map[string]any{"nrp": "75020009", "nama": "Budi", "client_id": "POLRES_X"}, 400, "client_id tidak ditemukan"},
	} {
		t.Run(tc.name, func(t *testing.T) { r.post(path, tc.body).want(t, tc.status, tc.msg) })
	}
	if envs, _, err := r.n.Store.Load(authCtx(t), events.PersonSubject("75020009")); err != nil || len(envs) != 0 {
		t.Fatalf("refusals appended %d events (%v)", len(envs), err)
	}

	body := map[string]any{"nrp": 75020009, "nama": "Budi", "client_id": "polres_a", "whatsapp": "081234567891",
		"divisi": "sat binmas"}
	resp := r.post(path, body)
	resp.want(t, 201, "")
	// The answer waited for the directory: the app's login right after works.
	r.post("/api/auth/user-login", map[string]any{"nrp": "75020009", "whatsapp": "081234567891"}).want(t, 200, "")
	// The identical request again is a duplicate (a refused one would not
	// be: Dedup lets a failed request be retried).
	r.post(path, body).want(t, 429, "Duplicate request detected")
	if resp.Body["user_id"] != "75020009" {
		t.Fatalf("register %v", resp.Body)
	}
	envs, _, err := r.n.Store.Load(authCtx(t), events.PersonSubject("75020009"))
	if err != nil || len(envs) != 1 {
		t.Fatalf("events %d (%v)", len(envs), err)
	}
	ev, err := r.n.Store.Registry().Decode(&envs[0])
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := ev.(*events.PersonRegistered); !ok || p.ClientID != "POLRES_A" || len(p.Roles) != 0 || p.Divisi != "SAT BINMAS" {
		t.Fatalf("registered %#v", ev)
	}
	// Registering the same NRP again (a new request) is refused.
	r.post(path, map[string]any{"nrp": "75020009", "nama": "Budi Lagi", "client_id": "POLRES_A"}).want(t, 400, "nrp sudah terdaftar")
}
