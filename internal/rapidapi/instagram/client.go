package instagram

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/cicero/cicero/internal/rapidapi"
)

// Client calls social-api4. It is safe for concurrent use.
type Client struct {
	api           *rapidapi.Caller
	log           *slog.Logger
	likesAttempts int
	likesBackoff  time.Duration
	commentsPause time.Duration
}

// Option adjusts a Client.
type Option func(*Client)

// WithLikesBackoff sets the base of the likes page backoff (wait base ×
// attempt after a failed attempt; default 1 s).
func WithLikesBackoff(base time.Duration) Option { return func(c *Client) { c.likesBackoff = base } }

// WithCommentsPause sets the pause between comment pages (default 1.5 s).
func WithCommentsPause(d time.Duration) Option { return func(c *Client) { c.commentsPause = d } }

// New builds a Client from cfg (its Instagram endpoint and the fallback).
// hc nil gets a client with rapidapi.DefaultTimeout; log nil discards. A
// missing key is not an error here: every call reports it instead.
func New(cfg rapidapi.Config, hc *http.Client, log *slog.Logger, opts ...Option) (*Client, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	api, err := rapidapi.NewCaller(cfg.Instagram(), cfg.Fallback(), hc, log)
	if err != nil {
		return nil, fmt.Errorf("instagram client: %w", err)
	}
	c := &Client{api: api, log: log, likesAttempts: 3, likesBackoff: time.Second,
		commentsPause: 1500 * time.Millisecond}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

// get calls the primary host; a 401/403 answer is sent once to the
// fallback host (spec §2.2). Other failures (429, 5xx, network) never go to
// the fallback: the fallback plan is for a refused key, not for load.
func (c *Client) get(ctx context.Context, path string, q url.Values) (any, error) {
	v, err := c.api.Get(ctx, path, q)
	if err == nil {
		return v, nil
	}
	st := rapidapi.StatusOf(err)
	if (st != http.StatusUnauthorized && st != http.StatusForbidden) || !c.api.HasFallback() {
		return nil, err
	}
	c.log.WarnContext(ctx, "instagram: primary host refused, using fallback host", "path", path, "status", st)
	v, ferr := c.api.GetFallback(ctx, path, q)
	if ferr != nil {
		return nil, fmt.Errorf("fallback host after primary HTTP %d: %w", st, ferr)
	}
	return v, nil
}
