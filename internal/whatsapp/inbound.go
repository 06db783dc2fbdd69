package whatsapp

import (
	"context"
	"sync"
	"time"

	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
)

// MessageHandler receives the inbound messages of every session (the
// router of the WhatsApp menus). It runs in the session's whatsmeow event
// loop, one message after another per session, so a slow handler delays
// that session's later events: hand long work to a command or the outbox.
//
// whatsmeow delivers messages only while the session is connected: there
// is no "arrived while not ready" queue (the legacy pendingMessages) to
// replay; messages sent to the number meanwhile arrive after the reconnect.
type MessageHandler interface {
	HandleWhatsAppMessage(ctx context.Context, session string, evt *events.Message)
}

// MessageHandlerFunc adapts a function to MessageHandler.
type MessageHandlerFunc func(ctx context.Context, session string, evt *events.Message)

func (f MessageHandlerFunc) HandleWhatsAppMessage(ctx context.Context, session string, evt *events.Message) {
	f(ctx, session, evt)
}

// deliver hands evt to the handler unless it is a status or broadcast
// post, the session's own message, a group message on the user session
// (spec/ops.md §3.1), or a repeat of a message seen within the dedup TTL
// (key session:chat:message id: the legacy waEventAggregator deduplicated
// the adapters of one number; a group message reaching two of our numbers
// is one message for each).
func (m *Manager) deliver(s *session, evt *events.Message) {
	hp := m.handler.Load()
	if hp == nil || *hp == nil || evt == nil {
		return
	}
	info := evt.Info
	switch {
	case info.Chat.Server == types.BroadcastServer || info.Chat == types.StatusBroadcastJID:
		return
	case info.IsFromMe:
		return
	case s.name == SessionUser && info.IsGroup:
		return
	}
	if !m.dedup.first(s.name + ":" + info.Chat.String() + ":" + info.ID) {
		return
	}
	(*hp).HandleWhatsAppMessage(m.context(), s.name, evt)
}

// dedup remembers keys for a TTL; expired keys are purged at most once per
// purge interval (the legacy purge ran hourly).
type dedup struct {
	ttl       time.Duration
	now       func() time.Time
	mu        sync.Mutex
	seen      map[string]time.Time
	lastPurge time.Time
}

func newDedup(ttl time.Duration, now func() time.Time) *dedup {
	return &dedup{ttl: ttl, now: now, seen: map[string]time.Time{}, lastPurge: now()}
}

// first reports whether key is new (and remembers it).
func (d *dedup) first(key string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.now()
	if now.Sub(d.lastPurge) >= min(d.ttl, time.Hour) {
		for k, at := range d.seen {
			if now.Sub(at) >= d.ttl {
				delete(d.seen, k)
			}
		}
		d.lastPurge = now
	}
	if at, ok := d.seen[key]; ok && now.Sub(at) < d.ttl {
		return false
	}
	d.seen[key] = now
	return true
}
