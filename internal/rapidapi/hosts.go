package rapidapi

import (
	"context"
	"slices"
	"sync"
)

// Hosts collects the hosts that answered the calls made under a context
// (WithHosts): a fetch run records which host served it (the primary, or
// the fallback after a 401/403 or an empty list).
type Hosts struct {
	mu    sync.Mutex
	hosts []string
}

type hostsKey struct{}

// WithHosts returns ctx with h collecting the hosts of its successful calls.
func WithHosts(ctx context.Context, h *Hosts) context.Context {
	return context.WithValue(ctx, hostsKey{}, h)
}

func recordHost(ctx context.Context, host string) {
	h, _ := ctx.Value(hostsKey{}).(*Hosts)
	if h == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if !slices.Contains(h.hosts, host) {
		h.hosts = append(h.hosts, host)
	}
}

// List returns the hosts in the order they first answered.
func (h *Hosts) List() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.hosts)
}
