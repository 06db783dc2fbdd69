package writeapi_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/cicero/cicero/internal/apitest"
)

// TestPremiumRequestDecisionVersion: an admin's decision may name the
// request version it was made on; a request the owner edited since then
// answers 409 and stays pending, instead of being approved on payment
// details the admin never saw.
func TestPremiumRequestDecisionVersion(t *testing.T) {
	r := apitest.NewPremReqRig(t)
	budi := r.Person("75020001")
	admin := r.Admin()
	created := r.Do("POST", "/api/premium-requests", premReqBody, budi)
	if created.Status != http.StatusCreated {
		t.Fatalf("create: %s", created.Raw)
	}
	id := created.Str("request_id")
	seen, ok := created.Request()["version"].(float64)
	if !ok {
		t.Fatalf("no version in %s", created.Raw)
	}
	// The owner changes the account after the admin looked.
	if got := r.Do("PUT", "/api/premium-requests/"+id, `{"account_number":"999"}`, budi); got.Status != http.StatusOK {
		t.Fatalf("update: %s", got.Raw)
	}
	approve := "/api/premium-requests/" + id + "/approve"
	stale := r.Do("POST", approve, fmt.Sprintf(`{"expected_version":%d}`, int(seen)), admin)
	if stale.Status != http.StatusConflict || stale.Body["success"] != false {
		t.Fatalf("approve on a stale version: %d %s", stale.Status, stale.Raw)
	}
	list := r.Do("GET", "/api/premium-requests?user_id=75020001", "", admin)
	rows, _ := list.Body["data"].([]any)
	if len(rows) != 1 || rows[0].(map[string]any)["status"] != "pending" {
		t.Fatalf("after the refused approval: %s", list.Raw)
	}
	current := rows[0].(map[string]any)["version"].(float64)
	if current == seen {
		t.Fatalf("the update did not move the row version (%v)", current)
	}
	got := r.Do("POST", approve, fmt.Sprintf(`{"expected_version":%d}`, int(current)), admin)
	if got.Status != http.StatusOK || got.Str("status") != "approved" {
		t.Fatalf("approve on the current version: %d %s", got.Status, got.Raw)
	}
}
