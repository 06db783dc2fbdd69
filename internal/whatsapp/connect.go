package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/types"
)

// pairGrace is how long Run leaves a device paired elsewhere alone, so the
// pairing process can finish and disconnect first.
const pairGrace = 30 * time.Second

// maxReconnectErrors caps whatsmeow's reconnect back-off, which waits
// 2s × failed attempts: at most a minute between attempts.
const maxReconnectErrors = 30

// capReconnect is whatsmeow's AutoReconnectHook: keep trying, with the
// back-off held at its cap.
func capReconnect(c *whatsmeow.Client) func(error) bool {
	return func(error) bool {
		// The hook runs in whatsmeow's reconnect loop, the only writer of
		// AutoReconnectErrors while it runs.
		c.AutoReconnectErrors = min(c.AutoReconnectErrors, maxReconnectErrors)
		return true
	}
}

// Run connects every paired session and keeps connecting sessions that get
// paired later (by `cicero wa-login` in another process), until ctx ends;
// then it disconnects them. Unpaired sessions never dial out. whatsmeow
// reconnects a dropped connection itself (capped back-off); a logout,
// another process taking the device over (stream replaced) or a ban stops
// the session until it is paired or the process restarts.
func (m *Manager) Run(ctx context.Context) error {
	if m.opts.Store == nil {
		return errors.New("whatsapp: no device store")
	}
	m.lifeMu.Lock()
	m.life = ctx
	m.lifeMu.Unlock()
	defer m.disconnectAll()
	for {
		m.connectPaired(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(m.opts.RecheckInterval):
		}
	}
}

// connectPaired starts every session that is paired in the store and not
// running here, and stops a running one whose device the store no longer
// holds (logged out or paired anew by another process).
func (m *Manager) connectPaired(ctx context.Context) {
	for _, name := range Sessions {
		s := m.sessions[name]
		s.mu.Lock()
		running, jid := s.wm, s.jid
		s.mu.Unlock()
		if running != nil {
			row, ok, err := m.opts.Store.Device(ctx, s.deviceID)
			if err != nil {
				m.log.Error("whatsapp: look up session", "session", name, "err", err)
				continue
			}
			if ok && row.JID == jid {
				continue
			}
			m.log.Warn("whatsapp: session's device changed in the store; reconnecting", "session", name)
			m.dropClient(s, running)
		}
		if err := m.connect(ctx, s); err != nil {
			m.log.Error("whatsapp: connect session", "session", name, "err", err)
		}
	}
}

// connect loads s's device and connects it; an unpaired session is left
// alone (no network).
func (m *Manager) connect(ctx context.Context, s *session) error {
	row, ok, err := m.opts.Store.Device(ctx, s.deviceID)
	if err != nil {
		return err
	}
	if ok {
		s.update(func(s *session) {
			s.jid = row.JID
			s.lastDisconnectReason = row.LastDisconnectReason
			if row.LastAuthFailureAt != nil {
				s.lastAuthFailureAt = *row.LastAuthFailureAt
			}
			s.awaitingQR = row.State == "logged_out"
		})
	}
	if !ok || row.JID.IsEmpty() {
		return nil
	}
	if row.PairedAt != nil && m.opts.Now().Sub(*row.PairedAt) < pairGrace && row.State == "paired" {
		// Just paired by `cicero wa-login`, which is still reconnecting
		// after the scan: its connection would replace ours. Once it has
		// seen the session ready (state "ready") ours replaces its, which
		// is what it expects; the next recheck connects.
		return nil
	}
	dev, err := m.opts.Store.Container().GetDevice(ctx, row.JID)
	if err != nil {
		return fmt.Errorf("load device: %w", err)
	}
	if dev == nil {
		// whatsmeow deleted it (a logout seen by another process).
		m.log.Warn("whatsapp: paired device missing from the store; pair the session again", "session", s.name)
		return m.opts.Store.SetLoggedOut(ctx, s.deviceID, s.name, "device missing from the store", m.opts.Now())
	}
	c := m.newClient(s, dev)
	if err := m.Attach(s.name, c, row.JID); err != nil {
		return err
	}
	s.update(func(s *session) { s.wm = c })
	m.log.Info("whatsapp: connecting session", "session", s.name)
	if err := c.Connect(); err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	return nil
}

// newClient builds the whatsmeow client of s with its event handler and
// reconnect policy.
func (m *Manager) newClient(s *session, dev *store.Device) *whatsmeow.Client {
	c := whatsmeow.NewClient(dev, newLogger(m.log, s.name))
	c.EnableAutoReconnect = true
	c.InitialAutoReconnect = true
	c.AutoReconnectHook = capReconnect(c)
	c.AddEventHandler(func(evt any) { m.HandleEvent(s.name, evt) })
	return c
}

// disconnectAll closes every connection this process opened.
func (m *Manager) disconnectAll() {
	for _, name := range Sessions {
		s := m.sessions[name]
		var c *whatsmeow.Client
		s.update(func(s *session) {
			c, s.wm, s.client, s.connected = s.wm, nil, nil, false
		})
		if c != nil {
			c.Disconnect()
		}
	}
}

// ErrAlreadyPaired refuses pairing a session that has a device.
var ErrAlreadyPaired = errors.New("whatsapp: session is paired already; log it out first (cicero wa-logout)")

// PairOptions tune Pair.
type PairOptions struct {
	// Timeout bounds the whole pairing (default 3 minutes).
	Timeout time.Duration
	// OnQR is called with each new QR code to show (QR also returns it).
	OnQR func(code string)
	// OnEvent reports progress ("connecting", "scanned", "connected").
	OnEvent func(text string)
}

// Pair links session to a phone: it connects a new device, shows QR codes
// until one is scanned (Linked devices on the phone), records the pairing
// (whatsapp_devices, Lifecycle) through HandleEvent, and waits for the
// session to be ready. The session then stays connected in this manager.
// A paired session is refused with ErrAlreadyPaired.
func (m *Manager) Pair(ctx context.Context, name string, o PairOptions) (types.JID, error) {
	s, err := m.session(name)
	if err != nil {
		return types.JID{}, err
	}
	if m.opts.Store == nil {
		return types.JID{}, errors.New("whatsapp: no device store")
	}
	if o.Timeout <= 0 {
		o.Timeout = 3 * time.Minute
	}
	say := func(t string) {
		if o.OnEvent != nil {
			o.OnEvent(t)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	if row, ok, err := m.opts.Store.Device(ctx, s.deviceID); err != nil {
		return types.JID{}, err
	} else if ok && !row.JID.IsEmpty() {
		return types.JID{}, ErrAlreadyPaired
	}
	c := m.newClient(s, m.opts.Store.Container().NewDevice())
	qr, err := c.GetQRChannel(ctx)
	if err != nil {
		return types.JID{}, fmt.Errorf("whatsapp: QR channel: %w", err)
	}
	if err := m.Attach(name, c, types.JID{}); err != nil {
		return types.JID{}, err
	}
	s.update(func(s *session) { s.wm = c })
	say("connecting")
	if err := c.Connect(); err != nil {
		m.dropClient(s, c)
		return types.JID{}, fmt.Errorf("whatsapp: connect: %w", err)
	}
	if err := m.awaitScan(ctx, s, qr, o, say); err != nil {
		m.dropClient(s, c)
		return types.JID{}, err
	}
	say("scanned")
	if err := m.WaitReady(ctx, name, time.Until(deadline(ctx))); err != nil {
		return c.Store.GetJID(), err
	}
	say("connected")
	return c.Store.GetJID(), nil
}

// awaitScan reads the QR channel until the pairing succeeds or fails.
func (m *Manager) awaitScan(ctx context.Context, s *session, qr <-chan whatsmeow.QRChannelItem, o PairOptions, say func(string)) error {
	shown := false
	noScan := func() error {
		if !shown { // never got as far as a code: say why
			return fmt.Errorf("whatsapp: pairing %s: could not reach WhatsApp (last state: %s)", s.name, s.status().LastDisconnectReason)
		}
		return fmt.Errorf("whatsapp: pairing %s: no QR code was scanned in time", s.name)
	}
	for {
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w: %w", noScan(), ctx.Err())
		case item, ok := <-qr:
			if !ok {
				return fmt.Errorf("whatsapp: pairing %s: QR channel closed", s.name)
			}
			switch item.Event {
			case whatsmeow.QRChannelEventCode:
				shown = true
				s.update(func(s *session) { s.awaitingQR, s.qr = true, item.Code })
				if o.OnQR != nil {
					o.OnQR(item.Code)
				}
			case whatsmeow.QRChannelSuccess.Event:
				return nil
			case whatsmeow.QRChannelTimeout.Event:
				s.update(func(s *session) { s.awaitingQR, s.qr = false, "" })
				return noScan()
			default:
				s.update(func(s *session) { s.awaitingQR, s.qr = false, "" })
				return fmt.Errorf("whatsapp: pairing %s: %s: %v", s.name, item.Event, item.Error)
			}
		}
	}
}

// dropClient disconnects c and detaches it from s.
func (m *Manager) dropClient(s *session, c *whatsmeow.Client) {
	c.Disconnect()
	s.update(func(s *session) {
		if s.wm == c {
			s.wm, s.client, s.connected = nil, nil, false
		}
	})
}

// Logout unlinks session's device (WhatsApp removes it from the phone's
// Linked devices), deletes it from the store and records the logout. The
// session must be connected in this manager (Run or Pair).
func (m *Manager) Logout(ctx context.Context, name string) error {
	s, err := m.session(name)
	if err != nil {
		return err
	}
	s.mu.Lock()
	c := s.wm
	s.mu.Unlock()
	if c == nil {
		return fmt.Errorf("whatsapp: session %s is not connected here", name)
	}
	if err := c.Logout(ctx); err != nil {
		return fmt.Errorf("whatsapp: log out %s: %w", name, err)
	}
	// whatsmeow emits no LoggedOut for a logout it initiated.
	m.loggedOut(s, "logged out by cicero wa-logout", m.opts.Now())
	m.dropClient(s, c)
	return nil
}

// ConnectSession connects one paired session (wa-logout, which needs it
// online); it returns once the session is ready or timeout passes.
func (m *Manager) ConnectSession(ctx context.Context, name string, timeout time.Duration) error {
	s, err := m.session(name)
	if err != nil {
		return err
	}
	if m.opts.Store == nil {
		return errors.New("whatsapp: no device store")
	}
	if err := m.connect(ctx, s); err != nil {
		return err
	}
	return m.WaitReady(ctx, name, timeout)
}

// Close disconnects what Pair or ConnectSession connected (Run does it
// itself when its context ends).
func (m *Manager) Close() { m.disconnectAll() }

func deadline(ctx context.Context) time.Time {
	if d, ok := ctx.Deadline(); ok {
		return d
	}
	return time.Now().Add(time.Minute)
}
