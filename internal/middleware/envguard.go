package middleware

import (
	"log/slog"
	"net/http"
	"strings"

	"github.com/cicero/cicero/internal/httpx"
)

// EnvGuard answers 404 "Endpoint not found" to any path containing ".env"
// in any case (/.env, /api/.env.local, /foo.environment), as the old
// sensitivePathGuard did (spec/access.md §6.3), and logs the probe. It runs
// first, before anything reads the body or touches Redis.
func EnvGuard(log *slog.Logger) func(http.Handler) http.Handler {
	if log == nil {
		log = slog.Default()
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.Contains(strings.ToLower(r.URL.Path), ".env") { // Path is decoded: %2Eenv counts
				log.Warn("blocked sensitive path probe", "method", r.Method, "path", r.URL.Path, "remote", RemoteIP(r))
				httpx.NotFound(w, r)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}
