package readapi_test

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cicero/cicero/internal/apitest"
)

func TestPremiumRequestsList(t *testing.T) {
	r := apitest.NewPremReqRig(t)
	budi, sari := r.Person("75020001"), r.Person("75020002")
	adminTok := r.Admin()
	create := func(token, bank string) string {
		t.Helper()
		got := r.Do("POST", "/api/premium-requests", `{"sender_name":"S","account_number":"1","bank_name":"`+bank+`"}`, token)
		if got.Status != http.StatusCreated {
			t.Fatalf("create: %d %s", got.Status, got.Raw)
		}
		return got.Str("request_id")
	}
	b1 := create(budi, "BRI")
	s1 := create(sari, "BCA")
	b2 := create(budi, "BNI")
	if got := r.Do("POST", "/api/premium-requests/"+b1+"/approve", `{}`, adminTok); got.Status != http.StatusOK {
		t.Fatalf("approve: %d %s", got.Status, got.Raw)
	}

	ids := func(got apitest.PremResp) []string {
		raw, _ := got.Body["data"].([]any)
		out := []string{}
		for _, v := range raw {
			m, _ := v.(map[string]any)
			s, _ := m["request_id"].(string)
			out = append(out, s)
		}
		return out
	}
	for _, tc := range []struct {
		name, query, token string
		want               []string
	}{
		{"admin: everyone, newest first", "", adminTok, []string{b2, s1, b1}},
		{"admin: one person", "?user_id=75.020.001", adminTok, []string{b2, b1}},
		{"admin: by status", "?status=approved", adminTok, []string{b1}},
		{"admin: limit", "?limit=1", adminTok, []string{b2}},
		// Personnel see their own, whatever user_id they name.
		{"personnel: own", "", budi, []string{b2, b1}},
		{"personnel: another's user_id", "?user_id=75020002", budi, []string{b2, b1}},
		{"personnel: own pending", "?status=Pending", budi, []string{b2}},
		{"personnel: none", "?status=rejected", sari, []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := r.Do("GET", "/api/premium-requests"+tc.query, "", tc.token)
			if got.Status == http.StatusForbidden && tc.token != adminTok {
				t.Fatalf("personnel refused (%s): internal/auth/routes.go must allow GET /api/premium-requests "+
					"to personnel tokens (legacyPremiumRoutes)", got.Raw)
			}
			if got.Status != http.StatusOK || got.Body["success"] != true {
				t.Fatalf("got %d %s", got.Status, got.Raw)
			}
			if d := cmp.Diff(tc.want, ids(got)); d != "" {
				t.Fatalf("requests (-want +got):\n%s", d)
			}
		})
	}
	row := r.Do("GET", "/api/premium-requests?status=approved", "", budi)
	if data, _ := row.Body["data"].([]any); len(data) != 1 || data[0].(map[string]any)["user_id"] != "75020001" ||
		data[0].(map[string]any)["bank_name"] != "BRI" || data[0].(map[string]any)["status"] != "approved" {
		t.Fatalf("row: %s", row.Raw)
	}

	for _, tc := range []struct {
		name, query, token string
		status             int
		msg                string
	}{
		{"bad status", "?status=expired", adminTok, 400, "status tidak valid: gunakan pending, approved atau rejected"},
		{"bad user_id", "?user_id=budi", adminTok, 400, "user_id tidak valid"},
		{"bad limit", "?limit=0", budi, 400, "limit harus berupa angka 1-1000"},
		{"dashboard non-admin", "", r.Dashboard("bidhumas"), 403, "Forbidden"},
		{"penmas", "", r.Penmas(), 403, "Forbidden"},
		{"no token", "", "", 401, "Token required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := r.Do("GET", "/api/premium-requests"+tc.query, "", tc.token)
			if got.Status != tc.status || got.Msg() != tc.msg || got.Body["success"] != false {
				t.Fatalf("got %d %s, want %d %q", got.Status, got.Raw, tc.status, tc.msg)
			}
		})
	}

	if err := r.Auth.Sessions().Revoke(rigCtx(t), budi); err != nil {
		t.Fatal(err)
	}
	if got := r.Do("GET", "/api/premium-requests", "", budi); got.Status != http.StatusUnauthorized || got.Body["reason"] == nil {
		t.Fatalf("revoked session: %d %s", got.Status, got.Raw)
	}
}
