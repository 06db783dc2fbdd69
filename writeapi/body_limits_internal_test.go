package writeapi

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cicero/cicero/internal/apperr"
)

// Every text field has a length limit (issue 8 §6), enforced by the three
// body decoders alike.
func TestBodyLengthLimits(t *testing.T) {
	long := func(s string, n int) string { return strings.Repeat(s, n) }
	obj := func(n int) string { // a compact object of n bytes
		return `{"k":"` + long("x", n-8) + `"}`
	}
	cases := []struct {
		name, body, msg string // msg "" = accepted
	}{
		{"text at 255", `{"nama":"` + long("a", 255) + `"}`, ""},
		{"text over 255", `{"nama":"` + long("a", 256) + `"}`, "nama maksimal 255 karakter"},
		{"characters, not bytes", `{"nama":"` + long("é", 255) + `"}`, ""},
		{"number as text", `{"user_id":` + long("1", 256) + `}`, "user_id maksimal 255 karakter"},
		{"username at 100", `{"username":"` + long("u", 100) + `"}`, ""},
		{"username over 100", `{"username":"` + long("u", 101) + `"}`, "username maksimal 100 karakter"},
		{"password at 72 bytes", `{"password":"` + long("p", 72) + `"}`, ""},
		{"password over 72 bytes", `{"password":"` + long("é", 37) + `"}`, "password maksimal 72 karakter"},
		{"confirmation", `{"confirmPassword":"` + long("p", 73) + `"}`, "confirmPassword maksimal 72 karakter"},
		{"note at 2000", `{"note":"` + long("n", 2000) + `"}`, ""},
		{"note over 2000", `{"note":"` + long("n", 2001) + `"}`, "note maksimal 2000 karakter"},
		{"url over 2000", `{"proof_url":"https://x/` + long("u", 2000) + `"}`, "proof_url maksimal 2000 karakter"},
		{"screenshot url", `{"screenshot_url":"` + long("u", 2001) + `"}`, "screenshot_url maksimal 2000 karakter"},
		{"object at 4000 compact", `{"metadata": ` + obj(4000) + `}`, ""},
		{"object spaced out, compact at 4000", `{"metadata": {  "k" :  "` + long("x", 3992) + `"  }}`, ""},
		{"object over 4000", `{"metadata":` + obj(4001) + `}`, "metadata maksimal 4000 karakter"},
		{"array element", `{"roles":["operator","` + long("r", 256) + `"]}`, "roles maksimal 255 karakter"},
		{"first field in key order", `{"zeta":"` + long("z", 300) + `","alpha":"` + long("a", 300) + `"}`, "alpha maksimal 255 karakter"},
		{"booleans and null", `{"exception":true,"nama":null}`, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var fields map[string]json.RawMessage
			if err := json.Unmarshal([]byte(c.body), &fields); err != nil {
				t.Fatalf("test body: %v", err)
			}
			req := func() *http.Request {
				return httptest.NewRequest(http.MethodPost, "/", strings.NewReader(c.body))
			}
			// decodeBody (users, clients, premium, dashboard users)
			_, err := decodeBody(httptest.NewRecorder(), req())
			if got := apperr.MessageOf(err); (err == nil) != (c.msg == "") || (err != nil && got != c.msg) {
				t.Errorf("decodeBody: %v, want %q", err, c.msg)
			}
			if err != nil && apperr.CodeOf(err) != apperr.Invalid {
				t.Errorf("decodeBody: code %v, want invalid", apperr.CodeOf(err))
			}
			// decodeAuth (logins, registrations, resets)
			w := httptest.NewRecorder()
			_, ok := decodeAuth(w, req())
			wantAnswer(t, "decodeAuth", ok, w, c.msg)
			// the claim decoder
			w = httptest.NewRecorder()
			_, ok = (&claimAPI{ClaimDeps{Logger: slog.New(slog.DiscardHandler)}}).decode(w, req())
			wantAnswer(t, "claim decode", ok, w, c.msg)
		})
	}
}

func wantAnswer(t *testing.T, what string, ok bool, w *httptest.ResponseRecorder, msg string) {
	t.Helper()
	if msg == "" {
		if !ok {
			t.Errorf("%s refused: %d %s", what, w.Code, w.Body)
		}
		return
	}
	var body struct{ Message string }
	_ = json.Unmarshal(w.Body.Bytes(), &body)
	if ok || w.Code != http.StatusBadRequest || body.Message != msg {
		t.Errorf("%s: ok=%v %d %s, want 400 %q", what, ok, w.Code, w.Body, msg)
	}
}
