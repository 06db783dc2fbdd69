package middleware

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/httpx"
)

// DedupConfig configures Dedup.
type DedupConfig struct {
	Redis redis.Cmdable
	// Disabled is ALLOW_DUPLICATE_REQUESTS=true: no de-duplication at all.
	Disabled bool
	// Window is how long an identical request is refused; 0 → 5 minutes.
	Window time.Duration
	// ExemptPrefixes are path subtrees never de-duplicated; nil →
	// /api/claim (spec/access.md §6.2) and /api/auth/logout (idempotent by
	// nature; the identity is the account, so logging out a second device
	// with the same body would otherwise be refused and leave that session
	// alive). The root path "/" is always exempt.
	ExemptPrefixes []string
	// ClientIP names an anonymous caller; nil → the connection's address.
	ClientIP func(*http.Request) string
	// KeyPrefix of the Redis keys; "" → "dedup:" (the old name).
	KeyPrefix string
	// Secret keys the request hash (HMAC-SHA-256). Bodies carry passwords
	// (logins, password changes): without a secret, anyone reading Redis
	// could test guesses against the keys offline. nil → a plain hash
	// (tests).
	Secret []byte
	Log    *slog.Logger
}

// DedupMessage is the 429 message of the old system.
const DedupMessage = "Duplicate request detected"

// Dedup refuses, for Window, a non-GET request identical to one already
// accepted: same caller, method, URL (with query) and body → 429
// {"success":false,"message":"Duplicate request detected"}. It belongs after
// Access, so the caller is the authenticated principal ("kind:id"); anonymous
// calls are keyed by client address. Claim routes, logout, "/" and requests
// carrying an Idempotency-Key (see Idempotency) are exempt.
//
// Two deliberate differences from the old system: a request that fails
// (status >= 400, or a panic) releases its key, so an honest retry after an
// error is not refused; and Redis trouble lets the request through (the old
// fail-open), logged.
func Dedup(cfg DedupConfig) func(http.Handler) http.Handler {
	window := cfg.Window
	if window <= 0 {
		window = 5 * time.Minute
	}
	exempt := cfg.ExemptPrefixes
	if exempt == nil {
		exempt = []string{"/api/claim", "/api/auth/logout"}
	}
	clientIP := cfg.ClientIP
	if clientIP == nil {
		clientIP = RemoteIP
	}
	prefix := cfg.KeyPrefix
	if prefix == "" {
		prefix = "dedup:"
	}
	log := cfg.Log
	if log == nil {
		log = slog.Default()
	}
	return func(next http.Handler) http.Handler {
		if cfg.Disabled {
			return next
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !dedupApplies(r, exempt) {
				next.ServeHTTP(w, r)
				return
			}
			body, err := io.ReadAll(r.Body)
			if err != nil {
				writeBodyError(w, r, log, err)
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
			key := prefix + dedupHash(cfg.Secret, identity(r, clientIP), r.Method, r.URL.RequestURI(), body)
			fresh, err := cfg.Redis.SetNX(r.Context(), key, "1", window).Result()
			if err != nil {
				log.Warn("dedup unavailable, request let through", "err", err)
				next.ServeHTTP(w, r)
				return
			}
			if !fresh {
				httpx.JSON(w, http.StatusTooManyRequests, httpx.ErrorBody{Message: DedupMessage})
				return
			}
			sw := &statusRecorder{ResponseWriter: w}
			release := func() {
				// The request's context may already be cancelled.
				ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 2*time.Second)
				defer cancel()
				if err := cfg.Redis.Del(ctx, key).Err(); err != nil {
					log.Warn("dedup release failed", "err", err)
				}
			}
			defer func() {
				if v := recover(); v != nil {
					release()
					panic(v)
				}
			}()
			next.ServeHTTP(sw, r)
			if sw.status >= http.StatusBadRequest {
				release()
			}
		})
	}
}

func dedupApplies(r *http.Request, exempt []string) bool {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	if _, keyed := IdempotencyScope(r.Context()); keyed {
		return false // answered by its Idempotency-Key, not refused as a duplicate
	}
	p := r.URL.Path
	if p == "/" {
		return false
	}
	for _, pre := range exempt {
		if p == pre || strings.HasPrefix(p, strings.TrimSuffix(pre, "/")+"/") {
			return false
		}
	}
	return true
}

func identity(r *http.Request, clientIP func(*http.Request) string) string {
	if p, ok := auth.FromContext(r.Context()); ok {
		return p.Actor()
	}
	return "ip:" + clientIP(r)
}

// dedupHash separates the parts with NUL so no two different requests
// concatenate to the same input.
func dedupHash(secret []byte, identity, method, uri string, body []byte) string {
	h := sha256.New()
	if len(secret) > 0 {
		h = hmac.New(sha256.New, secret)
	}
	for _, s := range []string{identity, method, uri} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// writeBodyError answers a body that could not be read: 413 when over the
// limit, else 400.
func writeBodyError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		writeTooLarge(w)
		return
	}
	log.Debug("read request body", "path", r.URL.Path, "err", err)
	httpx.JSON(w, http.StatusBadRequest, httpx.ErrorBody{Message: "Body permintaan tidak dapat dibaca"})
}

// statusRecorder remembers the status a handler answered with.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }
