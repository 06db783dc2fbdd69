package writeapi_test

import (
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cicero/cicero/projections/premium"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/uuid"

	"github.com/cicero/cicero/internal/apitest"
	"github.com/cicero/cicero/internal/auth"
)

const premReqBody = `{"sender_name":"Budi","account_number":"0123","bank_name":"BRI"}`

// wantRefused checks an error answer: status, message (when given) and the
// error envelope.
func wantRefused(t *testing.T, got apitest.PremResp, status int, msg string) {
	t.Helper()
	if got.Status != status || (msg != "" && got.Msg() != msg) || got.Body["success"] != false {
		t.Fatalf("got %d %s, want %d %q", got.Status, got.Raw, status, msg)
	}
}

func TestPremiumRequestCreate(t *testing.T) {
	r := apitest.NewPremReqRig(t)
	budi := r.Person("75020001")
	ghost := r.Token(auth.KindUser, auth.Claims{UserID: "75020099", Role: "user"})

	before := time.Now().Add(-time.Second)
	got := r.Do("POST", "/api/premium-requests", `{"sender_name":"  Budi Santoso ","account_number":1234567,
		"bank_name":"BRI","screenshot_url":"https://x/bukti.jpg","status":"pending","user_id":"99999999",
		"created_at":"2020-01-01T00:00:00Z","updated_at":null}`, budi)
	if got.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", got.Status, got.Raw)
	}
	req := got.Request()
	if _, err := uuid.Parse(got.Str("request_id")); err != nil {
		t.Fatalf("request_id %q: %v", got.Str("request_id"), err)
	}
	for k, want := range map[string]any{"user_id": "75020001", "sender_name": "Budi Santoso", "account_number": "1234567",
		"bank_name": "BRI", "screenshot_url": "https://x/bukti.jpg", "status": "pending", "responded_at": nil,
		"decided_by": nil, "note": nil} {
		if req[k] != want {
			t.Errorf("%s = %#v, want %#v", k, req[k], want)
		}
	}
	// created_at is the server's, not the body's.
	if at, err := time.Parse(time.RFC3339Nano, got.Str("created_at")); err != nil || at.Before(before) {
		t.Errorf("created_at %q (%v), want now", got.Str("created_at"), err)
	}
	if ps, _ := got.Body["positions"].([]any); len(ps) != 1 || !strings.HasPrefix(got.Header.Get("X-Cicero-Position"), "PREMIUM:") {
		t.Errorf("positions %v / %q", got.Body["positions"], got.Header.Get("X-Cicero-Position"))
	}
	// The identical request again is a duplicate.
	again := r.Do("POST", "/api/premium-requests", `{"sender_name":"  Budi Santoso ","account_number":1234567,
		"bank_name":"BRI","screenshot_url":"https://x/bukti.jpg","status":"pending","user_id":"99999999",
		"created_at":"2020-01-01T00:00:00Z","updated_at":null}`, budi)
	wantRefused(t, again, http.StatusTooManyRequests, "Duplicate request detected")

	for _, tc := range []struct {
		name, token, body string
		status            int
		msg               string
	}{
		{"sender_name first", budi, `{}`, 400, "sender_name wajib diisi"},
		{"then account_number", budi, `{"sender_name":"B","bank_name":"BRI"}`, 400, "account_number wajib diisi"},
		{"then bank_name", budi, `{"sender_name":"B","account_number":"1","bank_name":" "}`, 400, "bank_name wajib diisi"},
		{"status chosen", budi, `{"sender_name":"B","account_number":"2","bank_name":"BRI","status":"approved"}`, 400,
			"status tidak dapat diubah"},
		{"unknown field", budi, `{"sender_name":"B","account_number":"3","bank_name":"BRI","premium_tier":"x"}`, 400,
			"Field tidak diizinkan: premium_tier"},
		{"too long", budi, `{"sender_name":"` + strings.Repeat("b", 201) + `","account_number":"4","bank_name":"BRI"}`, 400,
			"sender_name maksimal 200 karakter"},
		{"not text", budi, `{"sender_name":{"a":1},"account_number":"5","bank_name":"BRI"}`, 400, "sender_name harus berupa teks"},
		{"screenshot not a URL", budi, `{"sender_name":"B","account_number":"6","bank_name":"BRI","screenshot_url":"c:\\bukti.jpg"}`,
			400, "screenshot_url harus berupa URL http(s)"},
		{"malformed JSON", budi, `{"sender_name":`, 400, "Body JSON tidak valid"},
		{"not a person", ghost, premReqBody, 401, "User tidak valid"},
		{"penmas token", r.Penmas(), premReqBody, 403, "Forbidden"},
		{"dashboard token", r.Dashboard("bidhumas"), premReqBody, 403, "Forbidden"},
		{"admin token", r.Admin(), premReqBody, 403, "Forbidden"},
		{"client token", r.Token(auth.KindClient, auth.Claims{ClientID: "POLRES_A", Role: "client"}), premReqBody, 403, "Forbidden"},
		{"no token", "", premReqBody, 401, "Token required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantRefused(t, r.Do("POST", "/api/premium-requests", tc.body, tc.token), tc.status, tc.msg)
		})
	}
	// None of the refusals left a request behind.
	rows, err := r.Q.Requests(apitest.Ctx(t), premium.PersonnelFilter{UserID: "75020001"})
	if err != nil || len(rows) != 1 {
		t.Fatalf("requests of 75020001: %d %v, want 1", len(rows), err)
	}

	// A revoked session gets 401 with its reason.
	if err := r.Auth.Sessions().Revoke(rigCtx(t), budi); err != nil {
		t.Fatal(err)
	}
	got = r.Do("POST", "/api/premium-requests", premReqBody, budi)
	if got.Status != http.StatusUnauthorized || got.Body["reason"] == nil {
		t.Fatalf("revoked session: %d %s", got.Status, got.Raw)
	}
}

func TestPremiumRequestUpdate(t *testing.T) {
	r := apitest.NewPremReqRig(t)
	budi, sari := r.Person("75020001"), r.Person("75020002")
	adminTok := r.Admin()
	created := r.Do("POST", "/api/premium-requests", premReqBody, budi)
	if created.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", created.Status, created.Raw)
	}
	id := created.Str("request_id")
	path := "/api/premium-requests/" + id

	got := r.Do("PUT", path, `{"screenshot_url":"https://x/bukti.jpg","bank_name":"BNI","sender_name":null}`, budi)
	if got.Status != http.StatusOK || got.Str("screenshot_url") != "https://x/bukti.jpg" || got.Str("bank_name") != "BNI" ||
		got.Str("sender_name") != "Budi" || got.Str("status") != "pending" || got.Header.Get("X-Cicero-Position") == "" {
		t.Fatalf("update: %d %s", got.Status, got.Raw)
	}
	if v, _ := got.Request()["version"].(float64); v <= created.Request()["version"].(float64) {
		t.Errorf("version %v after %v", got.Request()["version"], created.Request()["version"])
	}
	// The identical PUT again is a duplicate; the same values in another
	// body change nothing and append nothing.
	wantRefused(t, r.Do("PUT", path, `{"screenshot_url":"https://x/bukti.jpg","bank_name":"BNI","sender_name":null}`, budi),
		http.StatusTooManyRequests, "Duplicate request detected")
	same := r.Do("PUT", path, `{"bank_name":"BNI","status":"pending"}`, budi)
	if ps, _ := same.Body["positions"].([]any); same.Status != http.StatusOK || len(ps) != 0 || same.Str("bank_name") != "BNI" {
		t.Fatalf("unchanged update: %d %s", same.Status, same.Raw)
	}

	for _, tc := range []struct {
		name, path, body, token string
		status                  int
		msg                     string
	}{
		{"someone else's", path, `{"bank_name":"BCA"}`, sari, 404, "not found"},
		{"unknown id", "/api/premium-requests/" + uuid.NewString(), `{"bank_name":"BCA"}`, budi, 404, "not found"},
		{"not a UUID", "/api/premium-requests/12", `{"bank_name":"BCA"}`, budi, 404, "not found"},
		{"status chosen", path, `{"status":"approved"}`, budi, 400, "status tidak dapat diubah"},
		{"unknown field", path, `{"request_id":"x"}`, budi, 400, "Field tidak diizinkan: request_id"},
		{"too long", path, `{"screenshot_url":"https://x/` + strings.Repeat("a", 1991) + `"}`, budi, 400,
			"screenshot_url maksimal 2000 karakter"},
		{"penmas token", path, `{"bank_name":"BCA"}`, r.Penmas(), 403, "Forbidden"},
		{"dashboard token", path, `{"bank_name":"BCA"}`, r.Dashboard("ditbinmas"), 403, "Forbidden"},
		{"admin token", path, `{"bank_name":"BCA"}`, adminTok, 403, "Forbidden"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantRefused(t, r.Do("PUT", tc.path, tc.body, tc.token), tc.status, tc.msg)
		})
	}
	if row, err := r.Q.RequestByID(rigCtx(t), id); err != nil || row.BankName != "BNI" {
		t.Fatalf("row after refusals: %+v %v", row, err)
	}

	// Decided: no more changes.
	if got := r.Do("POST", path+"/deny", `{}`, adminTok); got.Status != http.StatusOK {
		t.Fatalf("deny: %d %s", got.Status, got.Raw)
	}
	wantRefused(t, r.Do("PUT", path, `{"bank_name":"Mandiri"}`, budi), 400, "Request sudah memiliki status rejected")

	if err := r.Auth.Sessions().Revoke(rigCtx(t), budi); err != nil {
		t.Fatal(err)
	}
	got = r.Do("PUT", path, `{"bank_name":"BTN"}`, budi)
	if got.Status != http.StatusUnauthorized || got.Body["reason"] == nil {
		t.Fatalf("revoked session: %d %s", got.Status, got.Raw)
	}
}

func TestPremiumRequestApproveDeny(t *testing.T) {
	r := apitest.NewPremReqRig(t)
	budi := r.Person("75020001")
	adminTok := r.Admin()
	first := r.Do("POST", "/api/premium-requests", premReqBody, budi)
	second := r.Do("POST", "/api/premium-requests", `{"sender_name":"Budi","account_number":"0123","bank_name":"BCA"}`, budi)
	if first.Status != http.StatusCreated || second.Status != http.StatusCreated {
		t.Fatalf("create: %s / %s", first.Raw, second.Raw)
	}
	a, b := first.Str("request_id"), second.Str("request_id")
	approve, deny := "/api/premium-requests/"+a+"/approve", "/api/premium-requests/"+b+"/deny"
	unknown := uuid.NewString()

	for _, tc := range []struct {
		name, path, body, token string
		status                  int
		msg                     string
	}{
		{"personnel", approve, `{}`, budi, 403, "Forbidden"},
		{"dashboard non-admin", approve, `{}`, r.Dashboard("bidhumas"), 403, "Forbidden"},
		{"operator", deny, `{}`, r.Dashboard("operator"), 403, "Forbidden"},
		{"penmas", deny, `{}`, r.Penmas(), 403, "Forbidden"},
		{"days zero", approve, `{"days":0}`, adminTok, 400, "days harus lebih dari 0"},
		{"days not a number", approve, `{"days":"lama"}`, adminTok, 400, "days harus berupa angka"},
		{"days too many", approve, `{"days":4000}`, adminTok, 400, "days maksimal 3650"},
		{"unknown field", approve, `{"tier":"tier1"}`, adminTok, 400, "Field tidak diizinkan: tier"},
		{"unknown request", "/api/premium-requests/" + unknown + "/approve", `{}`, adminTok, 400, "Request " + unknown + " tidak valid."},
		{"not a UUID", "/api/premium-requests/7/deny", `{}`, adminTok, 400, "Request 7 tidak valid."},
		{"note not text", deny, `{"note":[1]}`, adminTok, 400, "note harus berupa teks"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantRefused(t, r.Do("POST", tc.path, tc.body, tc.token), tc.status, tc.msg)
		})
	}

	start := time.Now()
	got := r.Do("POST", approve, `{"days":7}`, adminTok)
	if got.Status != http.StatusOK || got.Str("status") != "approved" || !strings.HasPrefix(got.Str("decided_by"), "dashboard:") ||
		got.Str("responded_at") == "" {
		t.Fatalf("approve: %d %s", got.Status, got.Raw)
	}
	prem, _ := got.Body["premium"].(map[string]any)
	end, err := time.Parse(time.RFC3339Nano, prem["premium_end_date"].(string))
	if err != nil || prem["user_id"] != "75020001" || prem["premium_status"] != true ||
		end.Before(start.AddDate(0, 0, 7)) || end.After(time.Now().AddDate(0, 0, 7)) {
		t.Fatalf("premium %v (%v), want active until now + 7 days", prem, err)
	}
	wantRefused(t, r.Do("POST", approve, `{"days":7}`, adminTok), http.StatusTooManyRequests, "Duplicate request detected")
	wantRefused(t, r.Do("POST", approve, `{}`, adminTok), 400, "Request "+a+" tidak valid.")

	got = r.Do("POST", deny, `{"note":" bukti ganda "}`, adminTok)
	if got.Status != http.StatusOK || got.Str("status") != "rejected" || got.Str("note") != "bukti ganda" || got.Body["premium"] != nil {
		t.Fatalf("deny: %d %s", got.Status, got.Raw)
	}
	wantRefused(t, r.Do("POST", deny, `{}`, adminTok), 400, "Request "+b+" tidak valid.")
	wantRefused(t, r.Do("POST", "/api/premium-requests/"+a+"/deny", `{}`, adminTok), 400, "Request "+a+" tidak valid.")

	if err := r.Auth.Sessions().Revoke(rigCtx(t), adminTok); err != nil {
		t.Fatal(err)
	}
	got = r.Do("POST", deny, `{"note":"x"}`, adminTok)
	if got.Status != http.StatusUnauthorized || got.Body["reason"] == nil {
		t.Fatalf("revoked session: %d %s", got.Status, got.Raw)
	}
}

// TestPremiumRequestsSpecStandalone: premium_personnel.yaml is a valid
// document on its own and its schema names cannot meet another fragment's.
func TestPremiumRequestsSpecStandalone(t *testing.T) {
	b, err := os.ReadFile("../internal/apispec/premium_personnel.yaml")
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
		if !strings.HasPrefix(name, "PremReq") {
			t.Errorf("schema %s lacks the PremReq prefix", name)
		}
	}
}
