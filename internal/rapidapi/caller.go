package rapidapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"time"
)

// DefaultTimeout bounds one call when the caller passes no *http.Client.
// RapidAPI answers within seconds or not at all.
const DefaultTimeout = 30 * time.Second

// maxBody caps what we read of an answer; a post list is well under 1 MB.
const maxBody = 32 << 20

// Caller sends GETs to one API's primary endpoint and, when configured, to
// the fallback endpoint. It holds no policy: which failures go to the
// fallback, and which are retried, is the adapter's decision.
type Caller struct {
	primary  Endpoint
	fallback *Endpoint // nil: no fallback configured
	hc       *http.Client
	log      *slog.Logger
}

// NewCaller builds a Caller. hc nil gets a client with DefaultTimeout; log
// nil discards. The base URLs are checked here so a typo fails at start-up,
// not on the first call; an empty key is not an error (see ErrKeyMissing).
func NewCaller(primary Endpoint, fallback *Endpoint, hc *http.Client, log *slog.Logger) (*Caller, error) {
	if _, err := primary.url("", nil); err != nil {
		return nil, err
	}
	if fallback != nil {
		if _, err := fallback.url("", nil); err != nil {
			return nil, err
		}
	}
	if hc == nil {
		hc = &http.Client{Timeout: DefaultTimeout}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Caller{primary: primary, fallback: fallback, hc: hc, log: log}, nil
}

// HasFallback reports whether a fallback host and key are configured.
func (c *Caller) HasFallback() bool { return c.fallback != nil }

// Primary returns the primary endpoint (tests and logs read its Host).
func (c *Caller) Primary() Endpoint { return c.primary }

// Get calls the primary endpoint and returns the decoded JSON (numbers as
// json.Number, so 19-digit ids survive).
func (c *Caller) Get(ctx context.Context, path string, q url.Values) (any, error) {
	return c.call(ctx, c.primary, path, q)
}

// GetFallback calls the fallback endpoint with the fallback key.
func (c *Caller) GetFallback(ctx context.Context, path string, q url.Values) (any, error) {
	if c.fallback == nil {
		return nil, errors.New("rapidapi: no fallback host configured")
	}
	return c.call(ctx, *c.fallback, path, q)
}

func (c *Caller) call(ctx context.Context, ep Endpoint, path string, q url.Values) (any, error) {
	op := "GET " + ep.Host + "/" + path
	if ep.Key == "" {
		return nil, &Error{Code: CodeKeyMissing, Op: op, Status: http.StatusServiceUnavailable}
	}
	u, err := ep.url(path, q)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	req.Header.Set("X-RapidAPI-Key", ep.Key)
	req.Header.Set("X-RapidAPI-Host", ep.Host)
	req.Header.Set("x-cache-control", "no-cache")
	req.Header.Set("Accept", "application/json")

	start := time.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		c.log.DebugContext(ctx, "rapidapi call failed", "host", ep.Host, "path", path, "err", err)
		return nil, c.transportErr(ctx, op, err, false)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	c.log.DebugContext(ctx, "rapidapi call", "host", ep.Host, "path", path,
		"status", resp.StatusCode, "bytes", len(body), "took", time.Since(start))
	if err != nil {
		return nil, c.transportErr(ctx, op, err, true)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, &Error{Code: CodeStatus, Op: op, Status: resp.StatusCode, Body: c.safe(body)}
	}
	recordHost(ctx, ep.Host)
	if len(body) > maxBody {
		return nil, &Error{Code: CodeBadResponse, Op: op, Status: resp.StatusCode, Err: errors.New("body too large")}
	}
	return decode(op, resp.StatusCode, body, c.safe)
}

// transportErr classifies a failure before a complete body was read. A
// cancelled or expired ctx is returned as such (not an *Error): the caller
// stopped asking, so there is nothing to retry.
func (c *Caller) transportErr(ctx context.Context, op string, err error, reading bool) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%s: %w", op, ctx.Err())
	}
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		return &Error{Code: CodeTimeout, Op: op, Err: err}
	case reading && (errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)):
		return &Error{Code: CodeTruncated, Op: op, Err: err}
	}
	return &Error{Code: CodeNetwork, Op: op, Err: err}
}

func (c *Caller) safe(body []byte) string {
	if c.fallback != nil {
		return safeBody(body, c.primary.Key, c.fallback.Key)
	}
	return safeBody(body, c.primary.Key)
}

// decode parses a 2xx body. An empty body or JSON that stops early is a
// truncated answer (retryable); anything else that does not parse is a bad
// response (permanent: sending it again gets the same page).
func decode(op string, status int, body []byte, safe func([]byte) string) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	switch {
	case err == nil:
		return v, nil
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return nil, &Error{Code: CodeTruncated, Op: op, Status: status, Body: safe(body), Err: err}
	default:
		return nil, &Error{Code: CodeBadResponse, Op: op, Status: status, Body: safe(body), Err: err}
	}
}
