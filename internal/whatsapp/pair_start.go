package whatsapp

import (
	"context"
	"errors"
	"fmt"
)

// ErrPairing refuses a second pairing of a session while one runs here.
var ErrPairing = errors.New("whatsapp: a pairing of this session is running already")

// ErrNotRunning refuses a background pairing before Run (nothing would
// keep the connection once the pairing is done).
var ErrNotRunning = errors.New("whatsapp: the manager is not running")

// StartPair is Pair in the background, for serve's admin-only /ops: the
// codes wait at QR(name) (QRHandler) until one is scanned or o.Timeout
// passes, bounded by Run's context. It refuses at once what Pair would
// refuse at its start (an unknown or paired session) and a second pairing
// of the same session; ctx bounds only those checks.
func (m *Manager) StartPair(ctx context.Context, name string, o PairOptions) error {
	s, err := m.session(name)
	if err != nil {
		return err
	}
	life := m.context()
	if life == nil {
		return ErrNotRunning
	}
	if m.opts.Store == nil {
		return errors.New("whatsapp: no device store")
	}
	if st := s.status(); st.Paired || st.Ready {
		return ErrAlreadyPaired
	}
	if row, ok, err := m.opts.Store.Device(ctx, s.deviceID); err != nil {
		return fmt.Errorf("whatsapp: device of %s: %w", name, err)
	} else if ok && !row.JID.IsEmpty() {
		return ErrAlreadyPaired
	}
	s.mu.Lock()
	busy := s.pairing
	s.pairing = true
	s.mu.Unlock()
	if busy {
		return ErrPairing
	}
	s.any.bump()
	go func() {
		defer s.update(func(s *session) { s.pairing = false })
		if _, err := m.Pair(life, name, o); err != nil {
			m.log.Warn("whatsapp pairing ended without a device", "session", name, "err", err)
			return
		}
		m.log.Info("whatsapp session paired from /ops", "session", name)
	}()
	return nil
}
