package tiktok

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/cicero/cicero/internal/rapidapi"
)

// Client calls tiktok-api23. It is safe for concurrent use.
type Client struct {
	api *rapidapi.Caller
	log *slog.Logger
	now func() time.Time

	commentsPause     time.Duration
	commentsAttempts  int
	commentsBackoff   time.Duration // base of base × 2^(attempt−1)
	videoAttempts     int
	videoRetryBackoff time.Duration // base of base × attempt
}

// Option adjusts a Client.
type Option func(*Client)

// WithClock sets the clock the username-fallback window reads (default
// time.Now).
func WithClock(now func() time.Time) Option { return func(c *Client) { c.now = now } }

// WithCommentsPause sets the pause between comment pages (default 2 s).
func WithCommentsPause(d time.Duration) Option { return func(c *Client) { c.commentsPause = d } }

// WithCommentsBackoff sets the base of the per-page comment retry backoff
// (default 500 ms: waits 500 ms, then 1 s).
func WithCommentsBackoff(base time.Duration) Option {
	return func(c *Client) { c.commentsBackoff = base }
}

// WithVideoRetryBackoff sets the base of the whole-video comment retry
// backoff (default 2 s: waits 2 s, then 4 s).
func WithVideoRetryBackoff(base time.Duration) Option {
	return func(c *Client) { c.videoRetryBackoff = base }
}

// New builds a Client from cfg (its TikTok endpoint and the fallback). hc
// nil gets a client with rapidapi.DefaultTimeout; log nil discards. A
// missing key is not an error here: every call reports it instead.
func New(cfg rapidapi.Config, hc *http.Client, log *slog.Logger, opts ...Option) (*Client, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	api, err := rapidapi.NewCaller(cfg.TikTok(), cfg.Fallback(), hc, log)
	if err != nil {
		return nil, fmt.Errorf("tiktok client: %w", err)
	}
	c := &Client{api: api, log: log, now: time.Now,
		commentsPause: 2 * time.Second, commentsAttempts: 3, commentsBackoff: 500 * time.Millisecond,
		videoAttempts: 3, videoRetryBackoff: 2 * time.Second}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

// account is a username as the API takes it: trimmed, without '@'.
func account(s string) string { return strings.TrimLeft(strings.TrimSpace(s), "@") }

// roots are the places a path of spec §2.3 may start from. The spec writes
// paths as the old code read them, and it is not certain whether a leading
// "data" there is the answer body (axios' response.data) or the body's data
// field, nor whether "userInfo" sits in the body or under its data. So each
// path is tried from the body (the literal reading), from the body's data,
// and from the body as if it were data. A payload or data sent as a JSON
// string is parsed first.
func roots(body any) []any {
	body = unstring(body)
	return []any{body, walk(body, "data"), map[string]any{"data": body}}
}

// find returns the first value, among the paths tried from each root in
// turn, that ok accepts.
func find(body any, ok func(any) bool, paths ...[]string) any {
	for _, r := range roots(body) {
		for _, p := range paths {
			if v := walk(r, p...); v != nil && ok(v) {
				return v
			}
		}
	}
	return nil
}

func isArray(v any) bool  { _, ok := v.([]any); return ok }
func isObject(v any) bool { _, ok := v.(map[string]any); return ok }

// walk is rapidapi.At over object keys that also parses any step (and the
// end) that arrives as a JSON string.
func walk(v any, keys ...string) any {
	v = unstring(v)
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = unstring(m[k])
	}
	return v
}

// unstring parses s when it is a string holding a JSON object or array;
// anything else is returned as is.
func unstring(v any) any {
	s, ok := v.(string)
	if !ok {
		return v
	}
	t := strings.TrimSpace(s)
	if t == "" || (t[0] != '{' && t[0] != '[') {
		return v
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(t)))
	dec.UseNumber()
	var out any
	if err := dec.Decode(&out); err != nil {
		return v
	}
	return out
}
