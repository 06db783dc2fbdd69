package httpx_test

import (
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
