package contacts

import (
	"sync"
	"time"
)

// recent is the in-process cache of numbers handled lately (the legacy
// "processed" cache): a hit skips even the database.
type recent struct {
	mu      sync.Mutex
	ttl     time.Duration
	entries map[string]recentEntry
}

type recentEntry struct {
	resource string
	expires  time.Time
}

func newRecent(ttl time.Duration) *recent {
	return &recent{ttl: ttl, entries: map[string]recentEntry{}}
}

func (r *recent) get(phone string, now time.Time) (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e, ok := r.entries[phone]
	if !ok || !now.Before(e.expires) {
		delete(r.entries, phone)
		return "", false
	}
	return e.resource, true
}

func (r *recent) put(phone, resource string, now time.Time) {
	if r.ttl <= 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.entries) > 10000 { // a bulk run must not grow it without bound
		for k, e := range r.entries {
			if !now.Before(e.expires) {
				delete(r.entries, k)
			}
		}
	}
	r.entries[phone] = recentEntry{resource: resource, expires: now.Add(r.ttl)}
}
