package whatsapp

import (
	"context"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
)

// lifecycleTimeout bounds recording a pairing or logout (an append to the
// event store) inside whatsmeow's event loop.
const lifecycleTimeout = 10 * time.Second

// HandleEvent is the session's whatsmeow event handler (what Run registers
// with AddEventHandler): it moves the session's state on lifecycle events,
// records pairings and logouts, and hands messages to the MessageHandler.
// Tests feed it whatsmeow's event values directly.
func (m *Manager) HandleEvent(name string, evt any) {
	s, err := m.session(name)
	if err != nil {
		m.log.Error("whatsapp event for an unknown session", "session", name)
		return
	}
	now := m.opts.Now()
	switch e := evt.(type) {
	case *events.Message:
		m.deliver(s, e)
	case *events.QR:
		if len(e.Codes) > 0 {
			s.update(func(s *session) { s.awaitingQR, s.qr = true, e.Codes[0] })
		}
	case *events.PairSuccess:
		m.paired(s, e.ID, e.Platform, now)
	case *events.PairError:
		s.update(func(s *session) { s.lastAuthFailureAt, s.lastDisconnectReason = now, "pair error" })
		m.log.Warn("whatsapp pairing failed", "session", name, "err", e.Error)
	case *events.Connected:
		s.update(func(s *session) { s.connected, s.awaitingQR, s.qr = true, false, "" })
		m.saveState(s, "ready")
		m.log.Info("whatsapp session ready", "session", name)
	case *events.Disconnected:
		m.down(s, "disconnected", time.Time{})
	case *events.KeepAliveTimeout:
		s.update(func(s *session) { s.lastDisconnectReason = "keepalive timeout" })
	case *events.LoggedOut:
		m.loggedOut(s, "logged out: "+e.Reason.String(), now)
	case *events.StreamReplaced:
		// Another process connected with this device: this one stops
		// (whatsmeow does not reconnect), and must not fight back.
		m.down(s, "stream replaced", now)
	case *events.TemporaryBan:
		m.down(s, "temporary ban: "+e.String(), now)
	case *events.ConnectFailure:
		m.down(s, "connect failure: "+e.Reason.String(), now)
	case *events.ClientOutdated:
		m.down(s, "client outdated", now)
	case *events.StreamError:
		s.update(func(s *session) { s.lastDisconnectReason = "stream error " + e.Code })
	}
}

// down marks the session not ready; authFailure, when set, is when
// WhatsApp refused it (not a plain network loss).
func (m *Manager) down(s *session, reason string, authFailure time.Time) {
	s.update(func(s *session) {
		s.connected = false
		s.lastDisconnectReason = reason
		if !authFailure.IsZero() {
			s.lastAuthFailureAt = authFailure
		}
	})
	m.saveState(s, "down")
	m.log.Warn("whatsapp session not ready", "session", s.name, "reason", reason)
}

func (m *Manager) paired(s *session, id types.JID, platform string, now time.Time) {
	jid := id // with its device part: whatsmeow's store keys the device by it
	s.update(func(s *session) { s.jid, s.awaitingQR, s.qr = jid, false, "" })
	ctx, cancel := context.WithTimeout(context.WithoutCancel(m.context()), lifecycleTimeout)
	defer cancel()
	if m.opts.Store != nil {
		if err := m.opts.Store.SetPaired(ctx, s.deviceID, s.name, jid, now); err != nil {
			m.log.Error("whatsapp: save the pairing", "session", s.name, "err", err)
		}
	}
	if m.opts.Lifecycle != nil {
		p := Pairing{Session: s.name, DeviceID: s.deviceID, JID: jid.String(), Platform: platform, At: now}
		if err := m.opts.Lifecycle.Paired(ctx, p); err != nil {
			m.log.Error("whatsapp: record the pairing", "session", s.name, "err", err)
		}
	}
	m.log.Info("whatsapp session paired", "session", s.name)
}

// loggedOut: the phone (or WhatsApp) unlinked the device. whatsmeow has
// deleted the device from its store already; the session needs a new scan.
func (m *Manager) loggedOut(s *session, reason string, now time.Time) {
	var jid types.JID
	var old *whatsmeow.Client
	s.update(func(s *session) {
		jid, old = s.jid, s.wm
		// Detached, so that Run connects the device of the next pairing.
		s.connected, s.jid, s.awaitingQR, s.qr, s.wm, s.client = false, types.JID{}, true, "", nil, nil
		s.lastDisconnectReason, s.lastAuthFailureAt = reason, now
	})
	if old != nil {
		go old.Disconnect() // not from inside whatsmeow's own event dispatch
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(m.context()), lifecycleTimeout)
	defer cancel()
	if m.opts.Store != nil {
		if err := m.opts.Store.SetLoggedOut(ctx, s.deviceID, s.name, reason, now); err != nil {
			m.log.Error("whatsapp: save the logout", "session", s.name, "err", err)
		}
	}
	if m.opts.Lifecycle != nil {
		l := Logout{Session: s.name, DeviceID: s.deviceID, JID: jid.String(), Reason: reason, At: now}
		if err := m.opts.Lifecycle.LoggedOut(ctx, l); err != nil {
			m.log.Error("whatsapp: record the logout", "session", s.name, "err", err)
		}
	}
	m.log.Warn("whatsapp session logged out", "session", s.name, "reason", reason)
}

// saveState keeps the last state in whatsapp_devices for /ops after a
// restart; a failure is only logged.
func (m *Manager) saveState(s *session, state string) {
	if m.opts.Store == nil {
		return
	}
	st := s.status()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(m.context()), lifecycleTimeout)
	defer cancel()
	var authAt time.Time
	if st.LastAuthFailureAt != nil {
		authAt = *st.LastAuthFailureAt
	}
	if err := m.opts.Store.SetState(ctx, s.deviceID, s.name, state, st.LastDisconnectReason, authAt); err != nil {
		m.log.Error("whatsapp: save the session state", "session", s.name, "err", err)
	}
}
