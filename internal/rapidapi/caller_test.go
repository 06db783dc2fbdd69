package rapidapi_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cicero/cicero/internal/rapidapi"
	"github.com/cicero/cicero/internal/rapidapi/rapidapitest"
)

const testKey = "sekret-key-123"

func mustCaller(t *testing.T, base, key string, hc *http.Client, log *slog.Logger) *rapidapi.Caller {
	t.Helper()
	cfg := rapidapi.Config{Key: key, InstagramBaseURL: base}
	c, err := rapidapi.NewCaller(cfg.Instagram(), cfg.Fallback(), hc, log)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCallerSendsRapidAPIHeaders(t *testing.T) {
	srv := rapidapitest.NewServer(t)
	srv.Handle("v1/info", rapidapitest.OK(`{"data":{"n":12345678901234567890}}`))
	c := mustCaller(t, srv.URL, testKey, nil, nil)

	v, err := c.Get(context.Background(), "v1/info", url.Values{"username_or_id_or_url": {"polres.x"}})
	if err != nil {
		t.Fatal(err)
	}
	// Big numbers survive as json.Number.
	if got := rapidapi.Str(rapidapi.At(v, "data", "n")); got != "12345678901234567890" {
		t.Errorf("number = %q", got)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("requests = %d", len(reqs))
	}
	r := reqs[0]
	for h, want := range map[string]string{
		"X-RapidAPI-Key":  testKey,
		"X-RapidAPI-Host": "social-api4.p.rapidapi.com", // the real host, though the base URL is a test server
		"x-cache-control": "no-cache",
	} {
		if got := r.Header.Get(h); got != want {
			t.Errorf("header %s = %q, want %q", h, got, want)
		}
	}
	if r.Path != "v1/info" || r.Query.Get("username_or_id_or_url") != "polres.x" {
		t.Errorf("request = %s ?%s", r.Path, r.Query.Encode())
	}
}

func TestCallerErrors(t *testing.T) {
	srv := rapidapitest.NewServer(t)
	srv.Handle("s401", rapidapitest.JSON(401, `{"message":"You are not subscribed. key=`+testKey+`"}`))
	srv.Handle("s404", rapidapitest.JSON(404, `{"message":"not found"}`))
	srv.Handle("s429", rapidapitest.JSON(429, `{"message":"Too many requests"}`))
	srv.Handle("s500", rapidapitest.JSON(500, `oops`))
	srv.Handle("s503", rapidapitest.JSON(503, strings.Repeat("x", 2000)))
	srv.Handle("hang", rapidapitest.Hang())
	srv.Handle("cut", rapidapitest.Truncated(`{"data":{"items":[{"code":"A`))
	srv.Handle("halfjson", rapidapitest.OK(`{"data":{"items":[`))
	srv.Handle("empty", rapidapitest.OK(``))
	srv.Handle("html", rapidapitest.OK(`<html>gateway</html>`))

	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := mustCaller(t, srv.URL, testKey, &http.Client{Timeout: 100 * time.Millisecond}, log)

	closed := rapidapitest.NewServer(t)
	closedURL := closed.URL
	closed.Close()
	down := mustCaller(t, closedURL, testKey, nil, nil)

	tests := []struct {
		name      string
		c         *rapidapi.Caller
		path      string
		code      rapidapi.Code
		status    int
		retryable bool
	}{
		{"401 is permanent", c, "s401", rapidapi.CodeStatus, 401, false},
		{"404 is permanent", c, "s404", rapidapi.CodeStatus, 404, false},
		{"429 is retryable", c, "s429", rapidapi.CodeStatus, 429, true},
		{"500 is retryable", c, "s500", rapidapi.CodeStatus, 500, true},
		{"503 is retryable", c, "s503", rapidapi.CodeStatus, 503, true},
		{"timeout", c, "hang", rapidapi.CodeTimeout, 0, true},
		{"connection closed mid-body", c, "cut", rapidapi.CodeTruncated, 0, true},
		{"JSON cut short", c, "halfjson", rapidapi.CodeTruncated, 200, true},
		{"empty body", c, "empty", rapidapi.CodeTruncated, 200, true},
		{"not JSON", c, "html", rapidapi.CodeBadResponse, 200, false},
		{"connection refused", down, "s500", rapidapi.CodeNetwork, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.c.Get(context.Background(), tt.path, nil)
			var e *rapidapi.Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want *rapidapi.Error", err)
			}
			if e.Code != tt.code || e.Status != tt.status {
				t.Errorf("code, status = %s, %d; want %s, %d (%v)", e.Code, e.Status, tt.code, tt.status, err)
			}
			if got := rapidapi.IsRetryable(err); got != tt.retryable {
				t.Errorf("retryable = %v, want %v", got, tt.retryable)
			}
			if errors.Is(err, rapidapi.ErrKeyMissing) {
				t.Error("matches ErrKeyMissing")
			}
			if len(e.Body) > 520 {
				t.Errorf("body not truncated: %d bytes", len(e.Body))
			}
		})
	}

	_, err := c.Get(context.Background(), "s401", nil)
	if strings.Contains(err.Error(), testKey) || !strings.Contains(rapidapi.BodyOf(err), "[redacted]") {
		t.Errorf("key not cut out of the error: %v", err)
	}
	if strings.Contains(logs.String(), testKey) {
		t.Errorf("key in the logs:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), "rapidapi call") {
		t.Errorf("calls not logged at debug:\n%s", logs.String())
	}
}

func TestCallerKeyMissing(t *testing.T) {
	srv := rapidapitest.NewServer(t)
	srv.Handle("v1/info", rapidapitest.OK(`{}`))
	c := mustCaller(t, srv.URL, "  ", nil, nil)

	_, err := c.Get(context.Background(), "v1/info", nil)
	if !errors.Is(err, rapidapi.ErrKeyMissing) {
		t.Fatalf("err = %v, want ErrKeyMissing", err)
	}
	if !strings.Contains(err.Error(), "RAPIDAPI_KEY belum di-set") || rapidapi.StatusOf(err) != 503 || rapidapi.IsRetryable(err) {
		t.Errorf("err = %v (status %d)", err, rapidapi.StatusOf(err))
	}
	var e *rapidapi.Error
	if errors.As(err, &e); e.Code != "RAPIDAPI_KEY_MISSING" {
		t.Errorf("code = %s", e.Code)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent without a key", n)
	}
}

func TestCallerCancelledContextIsNotAnAPIError(t *testing.T) {
	srv := rapidapitest.NewServer(t)
	srv.Handle("hang", rapidapitest.Hang())
	c := mustCaller(t, srv.URL, testKey, nil, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	_, err := c.Get(ctx, "hang", nil)
	if !errors.Is(err, context.DeadlineExceeded) || rapidapi.IsRetryable(err) {
		t.Errorf("err = %v", err)
	}
}
