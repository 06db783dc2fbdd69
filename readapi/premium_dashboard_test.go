package readapi_test

import (
	"net/http"
	"testing"

	"github.com/google/uuid"
)

func TestPremiumReads(t *testing.T) {
	r := newPremRig(t)
	uid, user := r.DashUser("pembaca", "bidhumas", "POLRES_A")
	_, other := r.DashUser("tetangga", "bidhumas", "POLRES_B")

	// Nothing asked yet.
	got := r.Do("GET", "/api/premium/request/latest", "", user)
	if got.Status != http.StatusOK || got.Body["hasOpenRequest"] != false || got.Body["request"] != nil {
		t.Fatalf("latest before: %d %s", got.Status, got.Raw)
	}
	created := r.Do("POST", "/api/premium/request",
		`{"bank_name":"BRI","account_number":"77","sender_name":"Sari","proof_url":"https://x/b.jpg"}`, user)
	if created.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", created.Status, created.Raw)
	}
	token := created.Str("request_token")

	got = r.Do("GET", "/api/premium/request/latest", "", user)
	if got.Body["hasOpenRequest"] != true || got.Str("request_token") != token || got.Str("status") != "confirmed" ||
		got.Str("dashboard_user_id") != uid {
		t.Fatalf("latest after: %s", got.Raw)
	}
	// Another account sees no open request of its own.
	if got := r.Do("GET", "/api/premium/request/latest", "", other); got.Body["hasOpenRequest"] != false {
		t.Fatalf("latest of other: %s", got.Raw)
	}

	for _, tc := range []struct {
		name, path, token string
		status            int
		msg               string
	}{
		{"owner reads by token", "/api/premium/request/" + token, user, 200, ""},
		{"someone else's", "/api/premium/request/" + token, other, 404, "Request tidak ditemukan"},
		{"unknown token", "/api/premium/request/" + uuid.NewString(), user, 404, "Request tidak ditemukan"},
		{"not a UUID", "/api/premium/request/abc", user, 404, "Request tidak ditemukan"},
		{"personnel token", "/api/premium/request/latest", r.Personnel("81000001"), 403, "Forbidden"},
		{"no token", "/api/premium/request/latest", "", 401, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := r.Do("GET", tc.path, "", tc.token)
			if got.Status != tc.status || (tc.msg != "" && got.Msg() != tc.msg) {
				t.Fatalf("got %d %s, want %d %q", got.Status, got.Raw, tc.status, tc.msg)
			}
			if tc.status == 200 && got.Str("request_token") != token {
				t.Fatalf("wrong request: %s", got.Raw)
			}
		})
	}

	if err := r.Auth.Sessions().Revoke(rigCtx(t), user); err != nil {
		t.Fatal(err)
	}
	if got := r.Do("GET", "/api/premium/request/latest", "", user); got.Status != http.StatusUnauthorized || got.Body["reason"] == nil {
		t.Fatalf("revoked session: %d %s", got.Status, got.Raw)
	}
}
