package whatsapp

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/types"
)

// session is one of the three sessions: its client, its state as the
// lifecycle events left it, and its send turn.
type session struct {
	name, deviceID string
	// turn is the send slot: one send at a time. Blocked senders on a Go
	// channel are woken in arrival order, so sends go out FIFO.
	turn   chan struct{}
	queued atomic.Int64 // sends waiting for or holding the turn
	sent   atomic.Int64
	failed atomic.Int64

	mu     sync.Mutex
	client Client            // nil until attached
	wm     *whatsmeow.Client // the real client when this process connected it
	jid    types.JID         // the paired device; empty when unpaired
	// connected is true between Connected and the next disconnect of any
	// kind: whatsmeow emits Connected once connected and logged in.
	connected            bool
	awaitingQR           bool
	qr                   string
	pairing              bool // StartPair's pairing runs
	lastDisconnectReason string
	lastAuthFailureAt    time.Time
	// any is the manager's: woken at a change of any session.
	any *notifier
}

func newSession(name, deviceID string, any *notifier) *session {
	return &session{name: name, deviceID: deviceID, turn: make(chan struct{}, 1), any: any}
}

// notifier is a broadcast: wait returns a channel that the next bump closes.
type notifier struct {
	mu sync.Mutex
	ch chan struct{}
}

func newNotifier() *notifier { return &notifier{ch: make(chan struct{})} }

func (n *notifier) wait() <-chan struct{} {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.ch
}

func (n *notifier) bump() {
	n.mu.Lock()
	close(n.ch)
	n.ch = make(chan struct{})
	n.mu.Unlock()
}

// update changes the state under the lock and wakes the waiters.
func (s *session) update(f func(s *session)) {
	s.mu.Lock()
	f(s)
	s.mu.Unlock()
	s.any.bump()
}

// readyLocked: connected and logged in, by the events and by the client.
func (s *session) readyLocked() bool {
	return s.client != nil && s.connected && s.client.IsConnected() && s.client.IsLoggedIn()
}

// ready reports readiness; waiters wait on the manager's notifier.
func (s *session) ready() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.readyLocked()
}

// SessionStatus is one session as /ops and the metrics show it (the
// legacy readiness snapshot, spec/ops.md §3.2).
type SessionStatus struct {
	Name                 string     `json:"name"`
	DeviceID             string     `json:"device_id"`
	Paired               bool       `json:"paired"`
	Ready                bool       `json:"ready"`
	AwaitingQR           bool       `json:"awaiting_qr"`
	Pairing              bool       `json:"pairing"`  // a pairing started from /ops runs
	QRReady              bool       `json:"qr_ready"` // a code waits at /ops/whatsapp/{name}/qr.png
	LastDisconnectReason string     `json:"last_disconnect_reason,omitempty"`
	LastAuthFailureAt    *time.Time `json:"last_auth_failure_at,omitempty"`
	QueueLength          int64      `json:"queue_length"`
	Sent                 int64      `json:"sent"`
	Failed               int64      `json:"failed"`
}

func (s *session) status() SessionStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := SessionStatus{Name: s.name, DeviceID: s.deviceID, Paired: !s.jid.IsEmpty(), Ready: s.readyLocked(),
		AwaitingQR: s.awaitingQR, Pairing: s.pairing, QRReady: s.awaitingQR && s.qr != "", LastDisconnectReason: s.lastDisconnectReason,
		QueueLength: s.queued.Load(), Sent: s.sent.Load(), Failed: s.failed.Load()}
	if !s.lastAuthFailureAt.IsZero() {
		t := s.lastAuthFailureAt
		st.LastAuthFailureAt = &t
	}
	return st
}

// notReady is the legacy waitForClientReady rejection: what the session
// is waiting for, never a recipient.
func (s *session) notReady(wait time.Duration) error {
	st := s.status()
	auth := ""
	if st.LastAuthFailureAt != nil {
		auth = st.LastAuthFailureAt.UTC().Format(time.RFC3339)
	}
	return fmt.Errorf("%w: WhatsApp client not ready after %dms; label=%s clientId=%s paired=%t awaitingQrScan=%t lastDisconnectReason=%q lastAuthFailureAt=%s",
		ErrNotReady, wait.Milliseconds(), s.name, s.deviceID, st.Paired, st.AwaitingQR, st.LastDisconnectReason, auth)
}

// acquire takes the session's send turn, waiting in line; release gives
// it back.
func (s *session) acquire(ctx context.Context) error {
	s.queued.Add(1)
	select {
	case s.turn <- struct{}{}:
		return nil
	case <-ctx.Done():
		s.queued.Add(-1)
		return ctx.Err()
	}
}

func (s *session) release() {
	<-s.turn
	s.queued.Add(-1)
}
