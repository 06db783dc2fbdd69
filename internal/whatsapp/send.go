package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/types"
)

// onWhatsAppTTL is how long a number found on WhatsApp is taken as such.
const onWhatsAppTTL = time.Hour

// Send delivers out and returns the WhatsApp message id. The session is
// out.Session, or the first ready one of gateway → main → user when empty
// (spec/ops.md §5.4). It waits up to SendReadyWait for a session to be
// ready (then ErrNotReady, retryable), and sends one message at a time per
// session, in arrival order. The message id is MessageID(idempotencyKey)
// (whatsmeow's own when the key is empty). A user number is first looked
// up on WhatsApp: not there is ErrNotOnWhatsApp (permanent), as is a
// recipient that is no address (ParseRecipient). Errors are classified by
// Classify and never quote the recipient. A send that fails is not tried
// on another session: it may have reached WhatsApp, and the dispatcher's
// retry (same key, same id) picks the first ready session again.
func (m *Manager) Send(ctx context.Context, out Outgoing, idempotencyKey string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("whatsapp: send: %w", err)
	}
	to, err := ParseRecipient(out.Recipient)
	if err != nil {
		return "", permanent(err)
	}
	if err := out.check(); err != nil {
		return "", err
	}
	names := Sessions
	if out.Session != "" {
		if !ValidSession(out.Session) {
			return "", permanent(fmt.Errorf("whatsapp: unknown session %q", out.Session))
		}
		names = []string{out.Session}
	}
	wait := m.opts.SendReadyWait
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	for {
		s, changes := m.pick(names)
		if s != nil {
			id, sent, err := m.sendOn(ctx, s, to, out, idempotencyKey)
			if sent || err != nil {
				return id, err
			}
			continue // it went down while this send waited in line: pick again
		}
		select {
		case <-changes:
		case <-deadline.C:
			return "", m.notReady(names, wait)
		case <-ctx.Done():
			return "", fmt.Errorf("whatsapp: waiting for a ready session: %w", ctx.Err())
		}
	}
}

// pick returns the first ready session of names, or a channel that closes
// at the next change of any session.
func (m *Manager) pick(names []string) (*session, <-chan struct{}) {
	changes := m.changes.wait() // before looking: a change in between still wakes
	for _, n := range names {
		if m.sessions[n].ready() {
			return m.sessions[n], nil
		}
	}
	return nil, changes
}

// sendOn sends through s in its turn. sent false with a nil error: the
// session was no longer ready when the turn came.
func (m *Manager) sendOn(ctx context.Context, s *session, to types.JID, out Outgoing, key string) (string, bool, error) {
	if err := s.acquire(ctx); err != nil {
		return "", false, fmt.Errorf("whatsapp: waiting for the %s send queue: %w", s.name, err)
	}
	defer s.release()
	s.mu.Lock()
	c, ok := s.client, s.readyLocked()
	s.mu.Unlock()
	if !ok {
		return "", false, nil
	}
	id, err := m.deliver1(ctx, c, to, out, key)
	if err != nil {
		s.failed.Add(1)
		m.log.Warn("wa_send_message_failed", "session", s.name, "group", to.Server == types.GroupServer, "err", err)
		return "", true, err
	}
	s.sent.Add(1)
	return id, true, nil
}

// deliver1 resolves the chat, builds the message and sends it once.
func (m *Manager) deliver1(ctx context.Context, c Client, to types.JID, out Outgoing, key string) (string, error) {
	user := to.User
	if to.Server == types.DefaultUserServer {
		resolved, err := m.resolve(ctx, c, to)
		if err != nil {
			return "", Classify(err, user)
		}
		to = resolved
	}
	msg, err := build(ctx, c, out)
	if err != nil {
		return "", Classify(err, user, to.User)
	}
	var extra whatsmeow.SendRequestExtra
	if key != "" {
		extra.ID = MessageID(key)
	}
	resp, err := c.SendMessage(ctx, to, msg, extra)
	if err != nil {
		return "", Classify(fmt.Errorf("send: %w", err), user, to.User)
	}
	if resp.ID == "" {
		return "", Classify(errors.New("sendMessage returned no id"), user, to.User)
	}
	return resp.ID, nil
}

type onWAEntry struct {
	jid types.JID
	at  time.Time
}

// resolve asks WhatsApp whether the number has an account and returns its
// canonical JID (numbers with a changed format map to another one).
func (m *Manager) resolve(ctx context.Context, c Client, to types.JID) (types.JID, error) {
	now := m.opts.Now()
	if e, ok := m.onWA.Load(to.User); ok && now.Sub(e.(onWAEntry).at) < onWhatsAppTTL {
		return e.(onWAEntry).jid, nil
	}
	res, err := c.IsOnWhatsApp(ctx, []string{"+" + to.User})
	if err != nil {
		return types.JID{}, fmt.Errorf("look up the number on WhatsApp: %w", err)
	}
	for _, r := range res {
		if r.IsIn {
			jid := to
			if !r.JID.IsEmpty() {
				jid = r.JID.ToNonAD()
			}
			m.onWA.Store(to.User, onWAEntry{jid: jid, at: now})
			return jid, nil
		}
	}
	return types.JID{}, permanent(ErrNotOnWhatsApp)
}
