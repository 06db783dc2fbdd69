package writeapi_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/cicero/cicero/internal/apitest"
	"github.com/cicero/cicero/internal/middleware"
	"github.com/cicero/cicero/writeapi"
)

// TestIdempotencyKeyOnAWrite: the mobile app retries a user creation after
// a timeout with the same Idempotency-Key. The retry gets the first answer
// and nothing is appended twice — also when the key's record is gone from
// Redis (expired, or Redis restarted): the key names the commands, and the
// runtime answers a known command id with its first outcome.
func TestIdempotencyKeyOnAWrite(t *testing.T) {
	r := apitest.NewDirRig(t, apitest.RigOpts{})
	r.Seed()
	op := r.Operator("POLRES_A")
	const body = `{"user_id":"83000101","nama":"budi","operator":true}`
	key := []string{middleware.IdempotencyHeader, "create-83000101-" + t.Name()}

	first := r.Do(http.MethodPost, "/api/users/create", body, op, key...)
	if first.Status != http.StatusCreated {
		t.Fatalf("first: %d %s", first.Status, first.Raw)
	}
	positions := first.Header.Get(writeapi.PositionHeader)
	head := r.Head()

	again := r.Do(http.MethodPost, "/api/users/create", body, op, key...)
	if again.Status != http.StatusCreated || again.Header.Get(middleware.IdempotencyReplayedHeader) != "true" ||
		again.Header.Get(writeapi.PositionHeader) != positions {
		t.Fatalf("retry: %d %v %s, want the first answer replayed", again.Status, again.Header, again.Raw)
	}

	// The record is lost: the retry runs again under the same command ids.
	ctx := context.Background()
	keys, err := r.Rdb.Keys(ctx, r.IdemPrefix+"*").Result()
	if err != nil || len(keys) == 0 {
		t.Fatalf("no idempotency record to lose (%v)", err)
	}
	if err := r.Rdb.Del(ctx, keys...).Err(); err != nil {
		t.Fatal(err)
	}
	lost := r.Do(http.MethodPost, "/api/users/create", body, op, key...)
	if lost.Status != http.StatusCreated || lost.Header.Get(middleware.IdempotencyReplayedHeader) == "true" {
		t.Fatalf("retry after the record was lost: %d %s", lost.Status, lost.Raw)
	}
	if got := lost.Header.Get(writeapi.PositionHeader); got != positions {
		t.Fatalf("retry after the record was lost answered positions %q, want the first %q", got, positions)
	}
	if h := r.Head(); h != head {
		t.Fatalf("a retry appended: DIRECTORY head %d → %d", head, h)
	}

	// The same key with another body is refused, nothing appended.
	other := r.Do(http.MethodPost, "/api/users/create", `{"user_id":"83000102","nama":"siti"}`, op, key...)
	if other.Status != http.StatusUnprocessableEntity {
		t.Fatalf("same key, other body: %d %s", other.Status, other.Raw)
	}
	if h := r.Head(); h != head {
		t.Fatalf("a refused request appended: head %d → %d", head, h)
	}
}
