package middleware

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// RemoteIP is the address of the connection (no proxy headers).
func RemoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// ClientIP returns a ClientIP function that believes X-Forwarded-For only
// when the connection comes from one of trusted (the reverse proxies): it
// walks the header from the right and returns the first address that is not
// a trusted proxy. Without trusted proxies it is RemoteIP.
func ClientIP(trusted []netip.Prefix) func(*http.Request) string {
	isTrusted := func(s string) bool {
		a, err := netip.ParseAddr(strings.TrimSpace(s))
		if err != nil {
			return false
		}
		for _, p := range trusted {
			if p.Contains(a.Unmap()) {
				return true
			}
		}
		return false
	}
	return func(r *http.Request) string {
		remote := RemoteIP(r)
		if len(trusted) == 0 || !isTrusted(remote) {
			return remote
		}
		hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			h := strings.TrimSpace(hops[i])
			if h == "" {
				continue
			}
			if !isTrusted(h) {
				return h
			}
		}
		return remote
	}
}

type clientIPKey struct{}

// WithClientIP resolves the caller's address once per request with
// resolve (ClientIP, which believes X-Forwarded-For from TRUSTED_PROXIES
// only) and keeps it for RequestClientIP.
func WithClientIP(resolve func(*http.Request) string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), clientIPKey{}, resolve(r))))
		})
	}
}

// RequestClientIP is the request's client address as WithClientIP resolved
// it, or the connection's address when no WithClientIP ran.
func RequestClientIP(r *http.Request) string {
	if ip, ok := r.Context().Value(clientIPKey{}).(string); ok {
		return ip
	}
	return RemoteIP(r)
}
