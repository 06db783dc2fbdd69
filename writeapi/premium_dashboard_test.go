package writeapi_test

import (
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/uuid"

	"github.com/cicero/cicero/internal/auth"
)

const premBody = `{"bank_name":"BRI","account_number":"0123","sender_name":"Budi"}`

func TestPremiumRequestRefusals(t *testing.T) {
	r := newPremRig(t)
	_, one := r.DashUser("one", "bidhumas", "POLRES_A")
	_, multi := r.DashUser("multi", "bidhumas", "POLRES_A", "POLRES_B")
	_, none := r.DashUser("none", "bidhumas")
	ghost, err := r.Auth.Issue(rigCtx(t), auth.KindDashboard, auth.Claims{DashboardUserID: uuid.NewString(),
		Username: "ghost", Role: "bidhumas", ClientIDs: []string{"POLRES_A"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, token, body string
		status            int
		msg               string
	}{
		{"bank_name first", one, `{}`, 400, "bank_name wajib diisi"},
		{"then account_number", one, `{"bank_name":"BRI"}`, 400, "account_number wajib diisi"},
		{"then sender_name", one, `{"bank_name":"BRI","account_number":"1"}`, 400, "sender_name wajib diisi"},
		{"several clients need client_id", multi, premBody, 400, "client_id wajib diisi"},
		{"client_id of another", multi, `{"client_id":"POLRES_X","bank_name":"BRI","account_number":"1","sender_name":"B"}`,
			403, "client_id tidak valid untuk pengguna ini"},
		// The access layer refuses an account without clients before the command
		// (whose own refusal is "Dashboard user belum memiliki relasi client").
		{"no clients", none, premBody, 403, "Operator belum memiliki klien yang diizinkan"},
		{"bad deadline", one, `{"expiresAt":"besok","bank_name":"BRI","account_number":"2","sender_name":"B"}`,
			400, "expiresAt tidak valid: gunakan waktu ISO 8601 (RFC 3339)"},
		{"deadline beyond window", one, `{"expired_at":"` + time.Now().Add(72*time.Hour).Format(time.RFC3339) +
			`","bank_name":"BRI","account_number":"3","sender_name":"B"}`, 400, "expired_at tidak valid"},
		{"metadata not an object", one, `{"metadata":"x","bank_name":"BRI","account_number":"4","sender_name":"B"}`,
			400, "metadata harus berupa objek JSON"},
		{"bad amount", one, `{"transfer_amount":"12,5","bank_name":"BRI","account_number":"5","sender_name":"B"}`,
			400, "transfer_amount tidak valid"},
		{"malformed JSON", one, `{"bank_name":`, 400, "Body JSON tidak valid"},
		{"unknown account", ghost.Token, premBody, 401, "Dashboard user tidak valid"},
		{"personnel token", r.Personnel("81000001"), premBody, 403, "Forbidden"},
		{"no token", "", premBody, 401, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := r.Do("POST", "/api/premium/request", tc.body, tc.token)
			if got.Status != tc.status || (tc.msg != "" && got.Msg() != tc.msg) {
				t.Fatalf("got %d %s, want %d %q", got.Status, got.Raw, tc.status, tc.msg)
			}
			if got.Body["success"] != false {
				t.Fatalf("success not false: %s", got.Raw)
			}
		})
	}
	// None of the refusals left a request behind.
	if got := r.Do("GET", "/api/premium/request/latest", "", one); got.Body["hasOpenRequest"] != false {
		t.Fatalf("refusal left a request: %s", got.Raw)
	}
}

func TestPremiumRequestConfirmApprove(t *testing.T) {
	r := newPremRig(t)
	uid, user := r.DashUser("pemohon", "bidhumas", "POLRES_A")
	_, other := r.DashUser("lain", "bidhumas", "POLRES_B")
	_, adminTok := r.DashUser("boss", "admin", "POLRES_A")

	created := r.Do("POST", "/api/premium/request", `{"bank_name":"BRI","account_number":"0123","sender_name":"Budi",
		"transfer_amount":150000,"premium_tier":"Tier1","metadata":{"src":"web"}}`, user)
	if created.Status != http.StatusCreated || created.Str("status") != "pending" || created.Str("client_id") != "POLRES_A" ||
		created.Str("dashboard_user_id") != uid || created.Str("transfer_amount") != "150000" {
		t.Fatalf("create: %d %s", created.Status, created.Raw)
	}
	token := created.Str("request_token")
	if ps, _ := created.Body["positions"].([]any); len(ps) == 0 || !strings.HasPrefix(created.Header.Get("X-Cicero-Position"), "PREMIUM:") {
		t.Fatalf("create positions: %v / %q", created.Body["positions"], created.Header.Get("X-Cicero-Position"))
	}

	if got := r.Do("GET", "/api/premium/request/latest", "", user); got.Body["hasOpenRequest"] != true || got.Str("request_token") != token {
		t.Fatalf("latest: %s", got.Raw)
	}
	// The same body again is a duplicate; a different one meets the open request.
	if got := r.Do("POST", "/api/premium/request", `{"bank_name":"BRI","account_number":"0123","sender_name":"Budi",
		"transfer_amount":150000,"premium_tier":"Tier1","metadata":{"src":"web"}}`, user); got.Status != http.StatusTooManyRequests ||
		got.Msg() != "Duplicate request detected" {
		t.Fatalf("replay: %d %s", got.Status, got.Raw)
	}
	if got := r.Do("POST", "/api/premium/request", premBody, user); got.Status != http.StatusConflict ||
		got.Msg() != "Permintaan premium sebelumnya masih diproses. Tunggu hingga selesai sebelum mengajukan kembali." {
		t.Fatalf("second request: %d %s", got.Status, got.Raw)
	}

	confirm := "/api/premium/request/" + token + "/confirm"
	for _, tc := range []struct {
		name, path, body, token string
		status                  int
		msg                     string
	}{
		{"proof required", confirm, `{"sender_name":"Budi S"}`, user, 400, "proof_url wajib diisi"},
		{"someone else's", confirm, `{"proof_url":"https://x/1.jpg"}`, other, 404, "Request tidak ditemukan untuk pengguna ini"},
		{"unknown token", "/api/premium/request/" + uuid.NewString() + "/confirm", `{"proof_url":"https://x/2.jpg"}`, user,
			404, "Request tidak ditemukan"},
		{"not a token", "/api/premium/request/abc/confirm", `{"proof_url":"https://x/3.jpg"}`, user, 404, "Request tidak ditemukan"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := r.Do("PUT", tc.path, tc.body, tc.token); got.Status != tc.status || got.Msg() != tc.msg {
				t.Fatalf("got %d %s, want %d %q", got.Status, got.Raw, tc.status, tc.msg)
			}
		})
	}
	got := r.Do("PUT", confirm, `{"proof_url":"https://x/bukti.jpg","sender_name":"Budi S"}`, user)
	if got.Status != http.StatusOK || got.Str("status") != "confirmed" || got.Str("proof_url") != "https://x/bukti.jpg" ||
		got.Str("sender_name") != "Budi S" || got.Header.Get("X-Cicero-Position") == "" {
		t.Fatalf("confirm: %d %s", got.Status, got.Raw)
	}

	approve := "/api/premium/requests/" + token + "/approve"
	for _, tc := range []struct {
		name, path, body, token string
		status                  int
		msg                     string
	}{
		{"not an admin", approve, `{"tier":"tier1"}`, other, 403, "Forbidden"},
		{"requester itself", approve, `{"tier":"tier2"}`, user, 403, "Forbidden"},
		{"personnel", approve, `{"tier":"tier1"}`, r.Personnel("81000002"), 403, "Forbidden"},
		{"tier the guard refuses", approve, `{"tier":"premium"}`, adminTok, 400,
			"tier premium tidak diizinkan; gunakan salah satu: tier1, tier2, premium_1"},
		{"bad days", approve, `{"days":"lama"}`, adminTok, 400, "days harus berupa angka"},
		{"unknown request", "/api/premium/requests/" + uuid.NewString() + "/approve", `{}`, adminTok, 404, "Request tidak ditemukan"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := r.Do("POST", tc.path, tc.body, tc.token); got.Status != tc.status || got.Msg() != tc.msg {
				t.Fatalf("got %d %s, want %d %q", got.Status, got.Raw, tc.status, tc.msg)
			}
		})
	}
	// No tier named: the requested one (tier1) is granted.
	got = r.Do("POST", approve, `{"days":7}`, adminTok)
	sub, _ := got.Body["subscription"].(map[string]any)
	if got.Status != http.StatusOK || got.Str("status") != "approved" || sub["tier"] != "tier1" || sub["status"] != "active" ||
		sub["request_token"] != token {
		t.Fatalf("approve: %d %s", got.Status, got.Raw)
	}
	if got := r.Do("POST", approve, `{"days":8}`, adminTok); got.Status != 400 || got.Msg() != "Request sudah memiliki status approved" {
		t.Fatalf("approve twice: %d %s", got.Status, got.Raw)
	}
	if got := r.Do("GET", "/api/premium/request/latest", "", user); got.Body["hasOpenRequest"] != false || got.Body["request"] != nil {
		t.Fatalf("latest after approval: %s", got.Raw)
	}
	snap, err := r.Q.Snapshot(rigCtx(t), uid, time.Now())
	if err != nil || !snap.Status || snap.Tier == nil || *snap.Tier != "tier1" {
		t.Fatalf("snapshot %+v %v", snap, err)
	}
}

func TestPremiumDeny(t *testing.T) {
	r := newPremRig(t)
	_, user := r.DashUser("ditolak", "bidhumas", "POLRES_A")
	_, adminTok := r.DashUser("boss", "admin", "POLRES_A")
	created := r.Do("POST", "/api/premium/request", premBody, user)
	if created.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", created.Status, created.Raw)
	}
	token := created.Str("request_token")
	deny := "/api/premium/requests/" + token + "/deny"
	if got := r.Do("POST", deny, `{"note":"bukti palsu"}`, user); got.Status != 403 || got.Msg() != "Forbidden" {
		t.Fatalf("deny by requester: %d %s", got.Status, got.Raw)
	}
	got := r.Do("POST", deny, `{"note":"bukti palsu"}`, adminTok)
	if got.Status != http.StatusOK || got.Str("status") != "denied" || got.Str("responded_at") == "" {
		t.Fatalf("deny: %d %s", got.Status, got.Raw)
	}
	row, err := r.Q.RequestByToken(rigCtx(t), token)
	if err != nil {
		t.Fatal(err)
	}
	audit, err := r.Q.RequestAudit(rigCtx(t), row.RequestID)
	if err != nil || len(audit) != 2 || audit[1].Action != "denied" || audit[1].Note == nil || *audit[1].Note != "bukti palsu" {
		t.Fatalf("audit %+v %v", audit, err)
	}
	// A later identical deny is a duplicate; a different one meets the closed request.
	if got := r.Do("POST", deny, `{"note":"bukti palsu"}`, adminTok); got.Status != http.StatusTooManyRequests {
		t.Fatalf("replayed deny: %d %s", got.Status, got.Raw)
	}
	if got := r.Do("POST", deny, `{}`, adminTok); got.Status != 400 || got.Msg() != "Request sudah memiliki status denied" {
		t.Fatalf("deny twice: %d %s", got.Status, got.Raw)
	}
	// After a denial the user may ask again.
	if got := r.Do("POST", "/api/premium/request", `{"bank_name":"BCA","account_number":"9","sender_name":"B"}`, user); got.Status != http.StatusCreated {
		t.Fatalf("ask again: %d %s", got.Status, got.Raw)
	}

	// A revoked session reaches none of the routes.
	if err := r.Auth.Sessions().Revoke(rigCtx(t), user); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ method, path, body string }{
		{"POST", "/api/premium/request", premBody},
		{"PUT", "/api/premium/request/" + token + "/confirm", `{"proof_url":"https://x"}`},
		{"POST", "/api/premium/requests/" + token + "/approve", `{}`},
	} {
		if got := r.Do(c.method, c.path, c.body, user); got.Status != http.StatusUnauthorized || got.Body["reason"] == nil {
			t.Fatalf("%s %s with revoked session: %d %s", c.method, c.path, got.Status, got.Raw)
		}
	}
}

// TestPremiumSpecStandalone: premium_dashboard.yaml is a valid document on its own.
func TestPremiumSpecStandalone(t *testing.T) {
	b, err := os.ReadFile("../internal/apispec/premium_dashboard.yaml")
	if err != nil {
		t.Fatal(err)
	}
	l := openapi3.NewLoader()
	doc, err := l.LoadFromData(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(l.Context); err != nil {
		t.Fatal(err)
	}
	for name := range doc.Components.Schemas {
		if !strings.HasPrefix(name, "Premium") {
			t.Errorf("schema %s lacks the Premium prefix", name)
		}
	}
}
