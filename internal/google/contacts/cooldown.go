package contacts

import (
	"sync"
	"time"
)

// cooldown remembers until when the saver must leave Google alone.
type cooldown struct {
	mu    sync.Mutex
	until time.Time
}

func (c *cooldown) start(now time.Time, d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t := now.Add(d); t.After(c.until) {
		c.until = t
	}
}

func (c *cooldown) active(now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return now.Before(c.until)
}
