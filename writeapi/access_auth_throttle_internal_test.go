package writeapi

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/cicero/cicero/internal/auth"
)

// Redis down: a login attempt is refused with 500, never let through
// uncounted (issue 8 §6).
func TestThrottleRedisDownRefuses(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	t.Cleanup(func() { rdb.Close() })
	d := AuthDeps{Throttle: auth.NewThrottle(rdb, auth.ThrottleConfig{}), Logger: slog.New(slog.DiscardHandler)}
	w := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodPost, "/api/auth/dashboard-login", strings.NewReader(`{}`))
	if allowAttempt(w, r, d, auth.FlowDashboardLogin, "budi") {
		t.Fatal("attempt allowed with Redis down")
	}
	if w.Code != http.StatusInternalServerError || !strings.Contains(w.Body.String(), authMsgServer) {
		t.Fatalf("answer %d %s, want 500 %q", w.Code, w.Body, authMsgServer)
	}
}
