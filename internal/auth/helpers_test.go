package auth_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/testkit"
)

func newSecret(t testing.TB) []byte {
	t.Helper()
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

// newAuth returns an Authenticator over the test Redis with a fresh secret.
func newAuth(t testing.TB, opts ...func(*auth.Options)) (*auth.Authenticator, *redis.Client, []byte) {
	t.Helper()
	rdb := testkit.NewRedis(t)
	o := auth.Options{Secret: newSecret(t)}
	for _, f := range opts {
		f(&o)
	}
	a, err := auth.New(rdb, o)
	if err != nil {
		t.Fatal(err)
	}
	return a, rdb, o.Secret
}

// uniq makes ids unique per test run, since tests share one Redis.
func uniq(prefix string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return prefix + "-" + time.Now().Format("150405") + "-" + hex.EncodeToString(b)
}

func mustIssue(t testing.TB, a *auth.Authenticator, k auth.Kind, c auth.Claims) auth.Issued {
	t.Helper()
	is, err := a.Issue(context.Background(), k, c)
	if err != nil {
		t.Fatalf("issue %s: %v", k, err)
	}
	return is
}

func dashboardClaims(id string, role string, clients ...string) auth.Claims {
	f := false
	return auth.Claims{DashboardUserID: id, Username: "u-" + id, Role: role, ClientIDs: clients, PremiumStatus: &f}
}
