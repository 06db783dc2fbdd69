package writeapi_test

import (
	"net/http"
	"testing"
)

// Placement and the operator's number are the admins' (issue 8 §6): a
// non-admin changing client_operator, client_level, parent_client_id,
// regional_id, client_type or client_super gets 403 and nothing is
// appended; the whole row sent back unchanged still passes.
func TestClientAdminOnlyFields(t *testing.T) {
	t.Parallel()
	r := newDirRig(t, rigOpts{NoDedup: true})
	r.Seed()
	admin := r.Admin()
	dir := r.Directorate("DITBINMAS")
	row := r.Do(http.MethodGet, "/api/clients/DITBINMAS", "", admin).Data()
	cases := []struct {
		name, token, body string
		status            int
		msg               string
	}{
		{"client_operator", dir, `{"client_operator":"0812-0000-1111"}`, 403, "client_operator hanya dapat diubah oleh admin"},
		{"client_level", dir, `{"client_level":"premium_3"}`, 403, "client_level hanya dapat diubah oleh admin"},
		{"parent_client_id", dir, `{"parent_client_id":"POLRES_A"}`, 403, "parent_client_id hanya dapat diubah oleh admin"},
		{"regional_id", dir, `{"regional_id":"JATENG"}`, 403, "regional_id hanya dapat diubah oleh admin"},
		{"client_type", dir, `{"client_type":"org"}`, 403, "client_type hanya dapat diubah oleh admin"},
		{"client_super", dir, `{"nama":"Baru","client_super":"x"}`, 403, "client_super hanya dapat diubah oleh admin"},
		{"the row sent back, spelled otherwise", dir, `{"nama":"Ditbinmas Baru","client_type":"DIREKTORAT","regional_id":"jatim",` +
			`"client_level":"` + row["client_level"].(string) + `","parent_client_id":null,"client_operator":null,"client_super":null}`, 200, ""},
		{"admin", admin, `{"client_operator":"0812-0000-1111","client_level":"premium_3","regional_id":"JATENG"}`, 200, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := r.Head()
			got := r.Do(http.MethodPut, "/api/clients/DITBINMAS", c.body, c.token)
			if got.Status != c.status {
				t.Fatalf("status %d, want %d: %s", got.Status, c.status, got.Raw)
			}
			if c.status != 200 {
				if got.Msg() != c.msg {
					t.Errorf("message %q, want %q", got.Msg(), c.msg)
				}
				if r.Head() != before {
					t.Error("refused update appended")
				}
			}
		})
	}
}
