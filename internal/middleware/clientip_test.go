package middleware_test

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/cicero/cicero/internal/middleware"
)

func TestClientIP(t *testing.T) {
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("127.0.0.1/32")}
	ip := middleware.ClientIP(proxies)
	cases := []struct {
		name, remote, xff, want string
	}{
		{"direct, header ignored", "203.0.113.9:5000", "1.2.3.4", "203.0.113.9"},
		{"via proxy", "127.0.0.1:5000", "198.51.100.7", "198.51.100.7"},
		{"spoofed left entry ignored", "127.0.0.1:5000", "6.6.6.6, 198.51.100.7, 10.1.2.3", "198.51.100.7"},
		{"only proxies", "127.0.0.1:5000", "10.0.0.1", "127.0.0.1"},
		{"no header", "10.0.0.2:1", "", "10.0.0.2"},
	}
	for _, c := range cases {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.remote
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		if got := ip(r); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "127.0.0.1:1"
	r.Header.Set("X-Forwarded-For", "1.1.1.1")
	if got := middleware.ClientIP(nil)(r); got != "127.0.0.1" {
		t.Errorf("no trusted proxies: %q", got)
	}
}

func TestRequestClientIP(t *testing.T) {
	var got string
	h := middleware.WithClientIP(middleware.ClientIP([]netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}))(
		http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got = middleware.RequestClientIP(r) }))
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "127.0.0.1:5000"
	r.Header.Set("X-Forwarded-For", "198.51.100.7")
	h.ServeHTTP(httptest.NewRecorder(), r)
	if got != "198.51.100.7" {
		t.Errorf("behind a trusted proxy: %q", got)
	}
	bare := httptest.NewRequest("GET", "/", nil)
	bare.RemoteAddr = "203.0.113.9:1"
	bare.Header.Set("X-Forwarded-For", "1.1.1.1")
	if got := middleware.RequestClientIP(bare); got != "203.0.113.9" {
		t.Errorf("without WithClientIP: %q", got)
	}
}
