package middleware

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/redis/go-redis/v9"

	"github.com/cicero/cicero/internal/httpx"
)

// IdempotencyHeader is the request header of the IETF httpapi draft
// "The Idempotency-Key HTTP Header Field".
const IdempotencyHeader = "Idempotency-Key"

// IdempotencyReplayedHeader marks an answer replayed from a key's record.
const IdempotencyReplayedHeader = "Idempotent-Replayed"

// Messages of the key's refusals.
const (
	IdempotencyMsgBadKey   = "Idempotency-Key tidak valid (1–255 karakter yang terlihat)"
	IdempotencyMsgMismatch = "Idempotency-Key sudah dipakai untuk permintaan lain"
	IdempotencyMsgRunning  = "Permintaan dengan Idempotency-Key ini masih diproses; coba lagi sesaat lagi"
)

// IdempotencyConfig configures Idempotency.
type IdempotencyConfig struct {
	Redis redis.Cmdable
	// TTL is how long a key's answer is kept (default 24 h): retries after
	// that are decided again, and the command ids the key names make the
	// runtime answer them with their first outcome all the same.
	TTL time.Duration
	// Running bounds how long a key stays "in progress" when its process
	// dies mid-request (default 2 min).
	Running time.Duration
	// ClientIP names an anonymous caller; nil → the connection's address.
	ClientIP func(*http.Request) string
	// Secret keys the Redis key and the body fingerprint (HMAC-SHA-256):
	// bodies carry passwords. nil → plain hashes (tests).
	Secret []byte
	// KeyPrefix of the Redis keys; "" → "idem:".
	KeyPrefix string
	Log       *slog.Logger
}

type idemScopeKey struct{}

// idemState is a keyed request's scope and how many command keys it handed
// out.
type idemState struct {
	scope string
	n     atomic.Int64
}

func withIdemScope(ctx context.Context, scope string) context.Context {
	return context.WithValue(ctx, idemScopeKey{}, &idemState{scope: scope})
}

// IdempotencyScope is the request's scoped Idempotency-Key (a hash of the
// caller and the key) when it carried one.
func IdempotencyScope(ctx context.Context) (string, bool) {
	s, ok := ctx.Value(idemScopeKey{}).(*idemState)
	if !ok {
		return "", false
	}
	return s.scope, true
}

// NextCommandKey names the next command a keyed request issues: its scope
// and the command's place in the request ("<scope>/1", "<scope>/2", …), so
// a retry of the request names the same commands in the same order. false
// when the request carried no key.
func NextCommandKey(ctx context.Context) (string, bool) {
	s, ok := ctx.Value(idemScopeKey{}).(*idemState)
	if !ok {
		return "", false
	}
	return s.scope + "/" + strconv.FormatInt(s.n.Add(1), 10), true
}

// idemRecord is what Redis keeps for a key: the request's fingerprint and,
// once answered, the answer.
type idemRecord struct {
	Fingerprint string              `json:"fp"`
	Done        bool                `json:"done"`
	Status      int                 `json:"status,omitempty"`
	Header      map[string][]string `json:"header,omitempty"`
	Body        []byte              `json:"body,omitempty"`
}

// replayedHeaders are the answer headers a replay repeats; Set-Cookie is
// never stored (an answer that sets one is not kept at all).
var replayedHeaders = []string{"Content-Type", "X-Cicero-Position", "X-Cicero-Consistency", "Location", "Retry-After"}

// Idempotency honours the Idempotency-Key header on writes (non-GET). The
// key is scoped to the caller (the principal, or the client address when
// anonymous), so two callers never share one. The first request with a key
// runs and its answer is kept; a retry with the same key and the same
// request gets that answer again (Idempotent-Replayed: true), one with a
// different method, path or body gets 422, and one arriving while the first
// still runs gets 409. Answers of 5xx and answers that set a cookie are not
// kept: a retry runs again (with the same command ids, which the command
// runtime answers with their first outcome, also when Redis forgot the key).
// Without the header nothing changes. It belongs after Access and before
// Dedup (which lets keyed requests through: their key answers them).
func Idempotency(cfg IdempotencyConfig) func(http.Handler) http.Handler {
	if cfg.TTL <= 0 {
		cfg.TTL = 24 * time.Hour
	}
	if cfg.Running <= 0 {
		cfg.Running = 2 * time.Minute
	}
	if cfg.ClientIP == nil {
		cfg.ClientIP = RemoteIP
	}
	if cfg.KeyPrefix == "" {
		cfg.KeyPrefix = "idem:"
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			raw, has := r.Header[http.CanonicalHeaderKey(IdempotencyHeader)]
			if !has || r.Method == http.MethodGet || r.Method == http.MethodHead || r.Method == http.MethodOptions {
				next.ServeHTTP(w, r)
				return
			}
			key := strings.TrimSpace(strings.Join(raw, ","))
			key = strings.Trim(key, `"`) // the draft's sf-string form
			if !validIdemKey(key) {
				httpx.JSON(w, http.StatusBadRequest, httpx.ErrorBody{Message: IdempotencyMsgBadKey})
				return
			}
			body, err := readBody(r)
			if err != nil {
				writeBodyError(w, r, cfg.Log, err)
				return
			}
			scope := keyedHash(cfg.Secret, identity(r, cfg.ClientIP), key)
			fp := keyedHash(cfg.Secret, r.Method, r.URL.RequestURI(), string(body))
			rkey := cfg.KeyPrefix + scope
			claim, _ := json.Marshal(idemRecord{Fingerprint: fp})
			fresh, err := cfg.Redis.SetNX(r.Context(), rkey, claim, cfg.Running).Result()
			if err != nil {
				// The command ids still derive from the key: a retry is
				// answered by the runtime's command log and history.
				cfg.Log.Warn("idempotency store unavailable, request runs unrecorded", "err", err)
				next.ServeHTTP(w, r.WithContext(withIdemScope(r.Context(), scope)))
				return
			}
			if !fresh {
				replay(w, r, cfg, rkey, fp)
				return
			}
			rec := &recorder{ResponseWriter: w}
			keep := false
			defer func() {
				ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 2*time.Second)
				defer cancel()
				if !keep {
					if err := cfg.Redis.Del(ctx, rkey).Err(); err != nil {
						cfg.Log.Warn("idempotency release failed", "err", err)
					}
				}
			}()
			next.ServeHTTP(rec, r.WithContext(withIdemScope(r.Context(), scope)))
			if rec.status >= http.StatusInternalServerError || rec.Header().Get("Set-Cookie") != "" || rec.status == 0 {
				return
			}
			done := idemRecord{Fingerprint: fp, Done: true, Status: rec.status, Header: map[string][]string{}, Body: rec.body.Bytes()}
			for _, h := range replayedHeaders {
				if v := rec.Header().Values(h); len(v) > 0 {
					done.Header[h] = v
				}
			}
			b, err := json.Marshal(done)
			if err == nil {
				ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 2*time.Second)
				err = cfg.Redis.Set(ctx, rkey, b, cfg.TTL).Err()
				cancel()
			}
			if err != nil {
				cfg.Log.Warn("idempotency answer not kept", "err", err)
				return
			}
			keep = true
		})
	}
}

// replay answers a request whose key was seen: the kept answer, or 422/409.
func replay(w http.ResponseWriter, r *http.Request, cfg IdempotencyConfig, rkey, fp string) {
	raw, err := cfg.Redis.Get(r.Context(), rkey).Bytes()
	var rec idemRecord
	if err == nil {
		err = json.Unmarshal(raw, &rec)
	}
	switch {
	case errors.Is(err, redis.Nil):
		// Released between our SETNX and GET: the first request failed;
		// this one may try again.
		httpx.JSON(w, http.StatusConflict, httpx.ErrorBody{Message: IdempotencyMsgRunning})
	case err != nil:
		httpx.Error(w, r, cfg.Log, err)
	case rec.Fingerprint != fp:
		httpx.JSON(w, http.StatusUnprocessableEntity, httpx.ErrorBody{Message: IdempotencyMsgMismatch})
	case !rec.Done:
		w.Header().Set("Retry-After", "1")
		httpx.JSON(w, http.StatusConflict, httpx.ErrorBody{Message: IdempotencyMsgRunning})
	default:
		for h, vs := range rec.Header {
			for _, v := range vs {
				w.Header().Add(h, v)
			}
		}
		w.Header().Set(IdempotencyReplayedHeader, "true")
		w.WriteHeader(rec.Status)
		_, _ = w.Write(rec.Body)
	}
}

func validIdemKey(k string) bool {
	if k == "" || len(k) > 255 {
		return false
	}
	for _, c := range k {
		if c > unicode.MaxASCII || !unicode.IsPrint(c) {
			return false
		}
	}
	return true
}

// keyedHash joins parts with NUL (no two inputs concatenate alike) under
// the secret.
func keyedHash(secret []byte, parts ...string) string {
	h := sha256.New()
	if len(secret) > 0 {
		h = hmac.New(sha256.New, secret)
	}
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// readBody reads the request body and puts it back for the handler.
func readBody(r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return body, nil
}

// recorder passes the answer through and keeps a copy.
type recorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (rw *recorder) Header() http.Header { return rw.ResponseWriter.Header() }

func (rw *recorder) WriteHeader(code int) {
	if rw.status == 0 {
		rw.status = code
	}
	rw.ResponseWriter.WriteHeader(code)
}

func (rw *recorder) Write(b []byte) (int, error) {
	if rw.status == 0 {
		rw.status = http.StatusOK
	}
	rw.body.Write(b)
	return rw.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (rw *recorder) Unwrap() http.ResponseWriter { return rw.ResponseWriter }
