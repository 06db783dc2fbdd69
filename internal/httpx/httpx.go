// Package httpx holds the HTTP edge pieces shared by the read and write APIs:
// JSON responses, the one mapping from error codes to statuses, panic
// recovery and request logging.
package httpx

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/cicero/cicero/internal/apperr"
)

// RetryAfter is the Retry-After (seconds) of a 503: long enough for a
// stream leader election or a burst of competing commands to pass.
const RetryAfter = "1"

// JSON writes v with status. A 503 always says when to try again, whichever
// handler wrote it.
func JSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if status == http.StatusServiceUnavailable && w.Header().Get("Retry-After") == "" {
		w.Header().Set("Retry-After", RetryAfter)
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// ErrorBody is the error envelope of every failed request.
type ErrorBody struct {
	Success bool   `json:"success"`
	Message string `json:"message"`
	Reason  string `json:"reason,omitempty"`
}

// StatusOf maps an error code to its HTTP status; the only such mapping.
func StatusOf(code apperr.Code) int {
	switch code {
	case apperr.Invalid:
		return http.StatusBadRequest
	case apperr.NotFound:
		return http.StatusNotFound
	case apperr.Conflict:
		return http.StatusConflict
	case apperr.Unauthorized:
		return http.StatusUnauthorized
	case apperr.Forbidden:
		return http.StatusForbidden
	case apperr.Unavailable:
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}

// StatusClientClosed is the status (nginx's 499) of a request whose client
// went away before the answer: nobody reads it, but the access log says so.
const StatusClientClosed = 499

// MsgClientGone is the INFO log line of a request that failed because its
// client went away (its context was canceled): not a server error.
const MsgClientGone = "request cancelled by client"

// ClientGone reports whether the request's client has gone (the server
// cancels the request's context when the connection closes).
func ClientGone(r *http.Request) bool { return errors.Is(r.Context().Err(), context.Canceled) }

// Fail answers a failure the handler cannot explain to the caller: err is
// logged at ERROR as what and body is written with status — unless the
// client has gone, which is logged at INFO as MsgClientGone and answered
// 499.
func Fail(w http.ResponseWriter, r *http.Request, log *slog.Logger, what string, err error, status int, body any) {
	if ClientGone(r) {
		log.Info(MsgClientGone, "method", r.Method, "path", r.URL.Path, "during", what, "err", err)
		JSON(w, StatusClientClosed, body)
		return
	}
	log.Error(what, "method", r.Method, "path", r.URL.Path, "err", err)
	JSON(w, status, body)
}

// Error writes err as {"success":false,"message":…}; internal details are
// logged, never shown. A failure after the client went away is the 499 of
// Fail.
func Error(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	code := apperr.CodeOf(err)
	if (code == apperr.Internal || code == apperr.Unavailable) && ClientGone(r) {
		Fail(w, r, log, "request failed", err, StatusOf(code), ErrorBody{Success: false, Message: apperr.MessageOf(err)})
		return
	}
	switch code {
	case apperr.Internal:
		log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	case apperr.Unavailable:
		log.Warn("request not served now", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	JSON(w, StatusOf(code), ErrorBody{Success: false, Message: apperr.MessageOf(err)})
}

// NotFound answers unknown routes the way the old system did.
func NotFound(w http.ResponseWriter, _ *http.Request) {
	JSON(w, http.StatusNotFound, ErrorBody{Success: false, Message: "Endpoint not found"})
}

// MethodNotAllowed answers a known path with the wrong method.
func MethodNotAllowed(w http.ResponseWriter, _ *http.Request) {
	JSON(w, http.StatusMethodNotAllowed, ErrorBody{Success: false, Message: "Method not allowed"})
}

// Recover turns a panic in one request into a 500 JSON answer; the process
// keeps serving.
func Recover(log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				if v := recover(); v != nil {
					if v == http.ErrAbortHandler {
						panic(v)
					}
					log.Error("panic in request", "method", r.Method, "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
					JSON(w, http.StatusInternalServerError, ErrorBody{Success: false, Message: "Terjadi kesalahan pada server"})
				}
			}()
			next.ServeHTTP(w, r)
		})
	}
}

// AccessLog logs method, path, status and duration (no bodies, no query
// strings: they may carry personal data).
func AccessLog(log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
			next.ServeHTTP(sw, r)
			log.Info("http", "method", r.Method, "path", r.URL.Path, "status", sw.status, "ms", time.Since(start).Milliseconds())
		})
	}
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }
