package middleware

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cicero/cicero/internal/httpx"
)

// CORSConfig configures CORS.
type CORSConfig struct {
	// Origins allowed to call with credentials (cookie `token`), e.g.
	// "https://dashboard.example". "*" allows any origin but then without
	// credentials: browsers refuse `*` with credentials, and reflecting any
	// origin with credentials would hand every site the user's session.
	Origins []string
	// Methods and Headers answered to preflights; nil → the defaults below.
	Methods []string
	Headers []string
	// Expose lists response headers scripts may read; nil → the defaults.
	Expose []string
	MaxAge time.Duration // preflight cache; 0 → 10 minutes
}

// Defaults for CORSConfig. The dashboard and the reposter app send their
// tokens in X-Cicero-Token and X-Cicero-Reposter-Token, so a preflight must
// allow them; Retry-After is exposed so a script can wait out a 429 or 503.
var (
	DefaultCORSMethods = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
	DefaultCORSHeaders = []string{"Authorization", "Content-Type", "X-Cicero-Min-Position", "X-Client-Id", "X-Requested-With",
		"X-Cicero-Token", "X-Cicero-Reposter-Token"}
	DefaultCORSExpose = []string{"X-Cicero-Consistency", "Content-Disposition", "Retry-After"}
)

// ParseOrigins reads CORS_ORIGIN: a comma-separated list; blanks dropped,
// trailing slashes trimmed.
func ParseOrigins(s string) []string {
	var out []string
	for _, o := range strings.Split(s, ",") {
		if o = strings.TrimRight(strings.TrimSpace(o), "/"); o != "" {
			out = append(out, o)
		}
	}
	return out
}

// CORS answers cross-origin requests for the configured origins. A preflight
// (OPTIONS with Access-Control-Request-Method) is answered here: 204 with the
// allowed methods and headers for an allowed origin, 403 JSON otherwise.
// Other requests pass on; an allowed origin gets the Allow-Origin (and,
// unless the wildcard allowed it, Allow-Credentials) headers, a refused one
// gets none, so the browser withholds the answer.
func CORS(cfg CORSConfig) func(http.Handler) http.Handler {
	allowed := map[string]bool{}
	wildcard := false
	for _, o := range cfg.Origins {
		if o == "*" {
			wildcard = true
			continue
		}
		allowed[strings.ToLower(strings.TrimRight(o, "/"))] = true
	}
	methods := strings.Join(orDefault(cfg.Methods, DefaultCORSMethods), ", ")
	headers := strings.Join(orDefault(cfg.Headers, DefaultCORSHeaders), ", ")
	expose := strings.Join(orDefault(cfg.Expose, DefaultCORSExpose), ", ")
	maxAge := cfg.MaxAge
	if maxAge <= 0 {
		maxAge = 10 * time.Minute
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			origin := r.Header.Get("Origin")
			if origin == "" {
				next.ServeHTTP(w, r)
				return
			}
			h := w.Header()
			h.Add("Vary", "Origin")
			preflight := r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != ""
			if preflight {
				h.Add("Vary", "Access-Control-Request-Method")
				h.Add("Vary", "Access-Control-Request-Headers")
			}
			credentialed := allowed[strings.ToLower(origin)]
			if !credentialed && !wildcard {
				if preflight {
					httpx.JSON(w, http.StatusForbidden, httpx.ErrorBody{Message: "Origin tidak diizinkan"})
					return
				}
				next.ServeHTTP(w, r)
				return
			}
			if credentialed {
				h.Set("Access-Control-Allow-Origin", origin)
				h.Set("Access-Control-Allow-Credentials", "true")
			} else {
				h.Set("Access-Control-Allow-Origin", "*")
			}
			if preflight {
				h.Set("Access-Control-Allow-Methods", methods)
				h.Set("Access-Control-Allow-Headers", headers)
				h.Set("Access-Control-Max-Age", strconv.Itoa(int(maxAge/time.Second)))
				w.WriteHeader(http.StatusNoContent)
				return
			}
			if expose != "" {
				h.Set("Access-Control-Expose-Headers", expose)
			}
			next.ServeHTTP(w, r)
		})
	}
}

func orDefault(v, def []string) []string {
	if v == nil {
		return def
	}
	return v
}
