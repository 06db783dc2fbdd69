package middleware

import (
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
