package tiktok_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/internal/rapidapi"
	"github.com/cicero/cicero/internal/rapidapi/rapidapitest"
	"github.com/cicero/cicero/internal/rapidapi/tiktok"
)

const (
	primaryKey  = "tt-primary-key"
	fallbackKey = "tt-fallback-key"
	backupHost  = "backup-tiktok.p.rapidapi.com"
	realHost    = "tiktok-api23.p.rapidapi.com"
)

// noon is 2024-06-11 12:00 in Jakarta, inside the username window.
var noon = time.Date(2024, 6, 11, 12, 0, 0, 0, jakarta.Location)

type rig struct {
	primary, fallback *rapidapitest.Server
	c                 *tiktok.Client
}

type rigOpt func(*rapidapi.Config)

func noFallback(c *rapidapi.Config) { c.FallbackHost = "" }
func noKey(c *rapidapi.Config)      { c.Key = "" }

func newRig(t *testing.T, now time.Time, opts ...rigOpt) rig {
	t.Helper()
	r := rig{primary: rapidapitest.NewServer(t), fallback: rapidapitest.NewServer(t)}
	cfg := rapidapi.Config{Key: primaryKey, TikTokBaseURL: r.primary.URL,
		FallbackHost: backupHost, FallbackKey: fallbackKey, FallbackBaseURL: r.fallback.URL}
	for _, o := range opts {
		o(&cfg)
	}
	c, err := tiktok.New(cfg, &http.Client{Timeout: 200 * time.Millisecond}, nil,
		tiktok.WithClock(func() time.Time { return now }),
		tiktok.WithCommentsPause(time.Millisecond), tiktok.WithCommentsBackoff(time.Millisecond),
		tiktok.WithVideoRetryBackoff(time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	r.c = c
	return r
}

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

// video renders a list item created at t.
func video(id string, t time.Time) string {
	return fmt.Sprintf(`{"id":%q,"createTime":%d,"desc":"video %s","stats":{"diggCount":10,"commentCount":2}}`, id, t.Unix(), id)
}

// list renders a posts answer in the data.itemList shape.
func list(items ...string) string {
	return `{"data":{"cursor":"0","hasMore":false,"itemList":[` + strings.Join(items, ",") + `]}}`
}

// ids lists the video ids.
func ids(vs []tiktok.Video) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.ID
	}
	return out
}

// calls renders the requests of srv as "path?key=value" for the keys given.
func calls(srv *rapidapitest.Server, keys ...string) []string {
	var out []string
	for _, r := range srv.Requests() {
		var qs []string
		for _, k := range keys {
			if v, ok := r.Query[k]; ok {
				qs = append(qs, k+"="+v[0])
			}
		}
		out = append(out, r.Path+"?"+strings.Join(qs, "&"))
	}
	return out
}
