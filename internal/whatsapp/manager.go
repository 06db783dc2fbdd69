package whatsapp

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"go.mau.fi/whatsmeow/types"
)

// Lifecycle records what happens to a session's pairing (serve: the
// commands of commands/wasession, appending WhatsAppSessionPaired and
// WhatsAppSessionLoggedOut).
type Lifecycle interface {
	Paired(ctx context.Context, p Pairing) error
	LoggedOut(ctx context.Context, l Logout) error
}

// Pairing is a phone linking a session's device.
type Pairing struct {
	Session, DeviceID, JID, Platform string
	At                               time.Time
}

// Logout is a session's device being unlinked.
type Logout struct {
	Session, DeviceID, JID, Reason string
	At                             time.Time
}

// Options configure a Manager; only Devices is required.
type Options struct {
	Devices Devices
	// Store keeps the devices (whatsmeow's tables and whatsapp_devices).
	// Nil: nothing is persisted and nothing connects (tests attach clients).
	Store *Store
	// Handler receives inbound messages (nil: dropped until SetHandler).
	Handler MessageHandler
	// Lifecycle records pairings and logouts (nil: not recorded).
	Lifecycle Lifecycle
	// DedupTTL is how long an inbound message id is remembered
	// (WA_MESSAGE_DEDUP_TTL_MS; default 24h, at least 1m).
	DedupTTL time.Duration
	// SendReadyWait is how long a send waits for a session to become
	// ready before failing as retryable (default 5s; within the send's
	// context).
	SendReadyWait time.Duration
	// RecheckInterval is how often Run looks for sessions paired by
	// another process (`cicero wa-login`) to connect them (default 15s).
	RecheckInterval time.Duration
	Logger          *slog.Logger
	Now             func() time.Time
}

// Manager holds the three sessions.
type Manager struct {
	opts     Options
	log      *slog.Logger
	sessions map[string]*session
	dedup    *dedup
	changes  *notifier // any session changed
	// onWhatsApp caches numbers found on WhatsApp (user → canonical JID),
	// so a broadcast asks once per number and hour.
	onWA sync.Map
	// life is Run's context: inbound handling and reconnects run in it.
	lifeMu sync.Mutex
	life   context.Context
	// handler is Options.Handler, or the one SetHandler gave later.
	handler atomic.Pointer[MessageHandler]
}

// SetHandler hands inbound messages to h from now on: serve builds its
// router from the wiring, which needs the manager first. Set it before
// Run, or messages arriving earlier are dropped.
func (m *Manager) SetHandler(h MessageHandler) { m.handler.Store(&h) }

// NewManager checks the device ids and builds the sessions; nothing
// connects before Run.
func NewManager(o Options) (*Manager, error) {
	if err := o.Devices.Validate(); err != nil {
		return nil, err
	}
	if o.DedupTTL <= 0 {
		o.DedupTTL = 24 * time.Hour
	}
	o.DedupTTL = max(o.DedupTTL, time.Minute)
	if o.SendReadyWait <= 0 {
		o.SendReadyWait = 5 * time.Second
	}
	if o.RecheckInterval <= 0 {
		o.RecheckInterval = 15 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	m := &Manager{opts: o, log: o.Logger, sessions: map[string]*session{}, dedup: newDedup(o.DedupTTL, o.Now),
		changes: newNotifier(), life: context.Background()}
	for _, name := range Sessions {
		m.sessions[name] = newSession(name, o.Devices.ID(name), m.changes)
	}
	if o.Handler != nil {
		m.SetHandler(o.Handler)
	}
	return m, nil
}

func (m *Manager) session(name string) (*session, error) {
	s, ok := m.sessions[name]
	if !ok {
		return nil, fmt.Errorf("whatsapp: unknown session %q (wa, wa-user or wa-gateway)", name)
	}
	return s, nil
}

func (m *Manager) context() context.Context {
	m.lifeMu.Lock()
	defer m.lifeMu.Unlock()
	return m.life
}

// Attach makes c the session's client, paired as jid (empty: keep what
// the session knows). Run attaches the whatsmeow clients it connects;
// tests attach a whatsapptest.Recorder and then feed the session
// events.Connected through HandleEvent.
func (m *Manager) Attach(name string, c Client, jid types.JID) error {
	s, err := m.session(name)
	if err != nil {
		return err
	}
	s.update(func(s *session) {
		s.client = c
		if !jid.IsEmpty() {
			s.jid = jid
		}
	})
	return nil
}

// Ready reports whether the session is connected and logged in.
func (m *Manager) Ready(name string) bool {
	s, err := m.session(name)
	if err != nil {
		return false
	}
	ok := s.ready()
	return ok
}

// WaitReady returns once the session is ready — for "" (the fallback
// chain) once any session is — or ErrNotReady (with the legacy snapshot of
// what it is waiting for) after timeout or when ctx ends.
func (m *Manager) WaitReady(ctx context.Context, name string, timeout time.Duration) error {
	names := Sessions
	if name != "" {
		if _, err := m.session(name); err != nil {
			return err
		}
		names = []string{name}
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	for {
		s, changed := m.pick(names)
		if s != nil {
			return nil
		}
		select {
		case <-changed:
		case <-t.C:
			return m.notReady(names, timeout)
		case <-ctx.Done():
			return fmt.Errorf("%w (%w)", m.notReady(names, timeout), ctx.Err())
		}
	}
}

// notReady is the not-ready error of one session or of the chain.
func (m *Manager) notReady(names []string, wait time.Duration) error {
	if len(names) == 1 {
		return m.sessions[names[0]].notReady(wait)
	}
	return fmt.Errorf("%w: none of %v ready after %dms", ErrNotReady, names, wait.Milliseconds())
}

// Statuses lists the sessions in fallback order.
func (m *Manager) Statuses() []SessionStatus {
	out := make([]SessionStatus, 0, len(Sessions))
	for _, name := range Sessions {
		out = append(out, m.sessions[name].status())
	}
	return out
}

// QR is the session's latest pairing code while it waits for a scan
// (ok false otherwise).
func (m *Manager) QR(name string) (code string, ok bool) {
	s, err := m.session(name)
	if err != nil {
		return "", false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.qr, s.awaitingQR && s.qr != ""
}
