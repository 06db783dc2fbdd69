package instagram_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/cicero/cicero/internal/rapidapi"
	"github.com/cicero/cicero/internal/rapidapi/instagram"
	"github.com/cicero/cicero/internal/rapidapi/rapidapitest"
)

const (
	primaryKey  = "ig-primary-key"
	fallbackKey = "ig-fallback-key"
	backupHost  = "backup-social.p.rapidapi.com"
)

// rig is a client wired to a primary and a fallback RapidAPI peer.
type rig struct {
	primary, fallback *rapidapitest.Server
	c                 *instagram.Client
}

type rigOpt func(*rapidapi.Config)

func noFallback(c *rapidapi.Config) { c.FallbackKey = "" }
func noKey(c *rapidapi.Config)      { c.Key = "" }

func newRig(t *testing.T, opts ...rigOpt) rig {
	t.Helper()
	r := rig{primary: rapidapitest.NewServer(t), fallback: rapidapitest.NewServer(t)}
	cfg := rapidapi.Config{Key: primaryKey, InstagramBaseURL: r.primary.URL,
		FallbackHost: backupHost, FallbackKey: fallbackKey, FallbackBaseURL: r.fallback.URL}
	for _, o := range opts {
		o(&cfg)
	}
	c, err := instagram.New(cfg, &http.Client{Timeout: 200 * time.Millisecond}, nil,
		instagram.WithLikesBackoff(time.Millisecond), instagram.WithCommentsPause(time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	r.c = c
	return r
}

// assertHeaders checks the RapidAPI headers of every request srv received.
func assertHeaders(t *testing.T, srv *rapidapitest.Server, key, host string) {
	t.Helper()
	for _, r := range srv.Requests() {
		if r.Header.Get("X-RapidAPI-Key") != key || r.Header.Get("X-RapidAPI-Host") != host ||
			r.Header.Get("x-cache-control") != "no-cache" {
			t.Errorf("%s headers: key %q host %q cache %q", r.Path, r.Header.Get("X-RapidAPI-Key"),
				r.Header.Get("X-RapidAPI-Host"), r.Header.Get("x-cache-control"))
		}
	}
}

// queries lists the value of key in each request to path.
func queries(srv *rapidapitest.Server, path, key string) []string {
	var out []string
	for _, r := range srv.Requests() {
		if r.Path == path {
			out = append(out, r.Query.Get(key))
		}
	}
	return out
}
