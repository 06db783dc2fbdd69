package httpx_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/httpx"
)

// Every error code maps to its status, and only a 503 carries Retry-After:
// a command that could not be served now (conflict retries spent, no
// stream leader) tells the client to send it again, unlike a 409.
func TestErrorStatus(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, tc := range []struct {
		err        error
		status     int
		retryAfter string
		message    string
	}{
		{apperr.Invalidf("f", "salah"), http.StatusBadRequest, "", "salah"},
		{apperr.New(apperr.NotFound, "tidak ada"), http.StatusNotFound, "", "tidak ada"},
		{apperr.New(apperr.Conflict, "berubah"), http.StatusConflict, "", "berubah"},
		{apperr.New(apperr.Unauthorized, "u"), http.StatusUnauthorized, "", "u"},
		{apperr.New(apperr.Forbidden, "f"), http.StatusForbidden, "", "f"},
		{fmt.Errorf("cmd: %w: %w", apperr.New(apperr.Unavailable, "sibuk"), errors.New("detail")), http.StatusServiceUnavailable, httpx.RetryAfter, "sibuk"},
		{errors.New("boom"), http.StatusInternalServerError, "", "Terjadi kesalahan pada server"},
	} {
		w := httptest.NewRecorder()
		httpx.Error(w, httptest.NewRequest(http.MethodPost, "/api/x", nil), log, tc.err)
		var body httpx.ErrorBody
		if err := json.NewDecoder(w.Body).Decode(&body); err != nil {
			t.Fatal(err)
		}
		if w.Code != tc.status || w.Header().Get("Retry-After") != tc.retryAfter || body.Message != tc.message || body.Success {
			t.Errorf("%v: status %d, Retry-After %q, body %+v; want %d, %q, %q", tc.err, w.Code, w.Header().Get("Retry-After"),
				body, tc.status, tc.retryAfter, tc.message)
		}
	}
}

// A failure after the client went away is INFO "request cancelled by
// client" with status 499 — not an ERROR 500 (issue 8 §6); with the client
// still there it stays an error.
func TestFailureAfterClientGone(t *testing.T) {
	for _, c := range []struct {
		name   string
		gone   bool
		fail   func(w http.ResponseWriter, r *http.Request, log *slog.Logger)
		status int
		level  string
		msg    string
	}{
		{"Error, client gone", true, func(w http.ResponseWriter, r *http.Request, log *slog.Logger) {
			httpx.Error(w, r, log, fmt.Errorf("query: %w", context.Canceled))
		}, httpx.StatusClientClosed, "INFO", httpx.MsgClientGone},
		{"Error, client there", false, func(w http.ResponseWriter, r *http.Request, log *slog.Logger) {
			httpx.Error(w, r, log, errors.New("query failed"))
		}, http.StatusInternalServerError, "ERROR", "request failed"},
		{"Fail, client gone", true, func(w http.ResponseWriter, r *http.Request, log *slog.Logger) {
			httpx.Fail(w, r, log, "login: find user", context.Canceled, 500, httpx.ErrorBody{Message: "x"})
		}, httpx.StatusClientClosed, "INFO", httpx.MsgClientGone},
		{"Fail, client there", false, func(w http.ResponseWriter, r *http.Request, log *slog.Logger) {
			httpx.Fail(w, r, log, "login: find user", errors.New("boom"), 500, httpx.ErrorBody{Message: "x"})
		}, http.StatusInternalServerError, "ERROR", "login: find user"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var logs bytes.Buffer
			log := slog.New(slog.NewJSONHandler(&logs, nil))
			ctx, cancel := context.WithCancel(context.Background())
			if c.gone {
				cancel()
			}
			defer cancel()
			r := httptest.NewRequest(http.MethodGet, "/api/x", nil).WithContext(ctx)
			w := httptest.NewRecorder()
			httpx.AccessLog(log)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { c.fail(w, r, log) })).ServeHTTP(w, r)
			if w.Code != c.status {
				t.Errorf("status %d, want %d", w.Code, c.status)
			}
			var first, access map[string]any
			dec := json.NewDecoder(&logs)
			if dec.Decode(&first) != nil || dec.Decode(&access) != nil {
				t.Fatalf("log lines: %q", logs.String())
			}
			if first["level"] != c.level || first["msg"] != c.msg {
				t.Errorf("logged %v, want %s %q", first, c.level, c.msg)
			}
			if access["msg"] != "http" || access["status"] != float64(c.status) {
				t.Errorf("access log %v, want status %d", access, c.status)
			}
		})
	}
}
