// Package whatsapp is the WhatsApp adapter of the sagas: a sagas.Sender
// over the session manager of internal/whatsapp, which does the work
// (session choice, readiness, per-session order, message ids, error
// classification). This package only maps outbox messages onto it.
package whatsapp

import (
	"context"
	"errors"
	"fmt"

	wa "github.com/cicero/cicero/internal/whatsapp"
	"github.com/cicero/cicero/sagas"
)

// Sender delivers the outbox's WhatsApp messages.
type Sender struct{ m *wa.Manager }

var _ sagas.Sender = (*Sender)(nil)

// New returns a sender over m.
func New(m *wa.Manager) *Sender { return &Sender{m: m} }

// Send delivers m from Content.Session (empty: the first ready of gateway →
// main → user) and returns the WhatsApp message id, MessageID(key): a
// resend after a crash carries the same id. The text is Content.Text, or
// Content.Body for a message written for mail; Content.Document goes as a
// document with the text as caption. Refusals that retrying cannot fix —
// not a WhatsApp address, a number without WhatsApp, a malformed request,
// an unknown session, another channel — are sagas.Permanent; a session
// that is not ready and network trouble are retryable. Errors never quote
// the recipient.
func (s *Sender) Send(ctx context.Context, m sagas.Message, idempotencyKey string) (string, error) {
	if m.Channel != sagas.ChannelWhatsApp {
		return "", sagas.Permanent(fmt.Errorf("whatsapp sender got a %q message", m.Channel))
	}
	out := wa.Outgoing{Session: m.Content.Session, Recipient: m.Recipient, Text: m.Content.Text}
	if out.Text == "" {
		out.Text = m.Content.Body
	}
	if d := m.Content.Document; d != nil {
		out.Document = &wa.Document{FileName: d.FileName, MimeType: d.MimeType, Data: d.Data}
	}
	id, err := s.m.Send(ctx, out, idempotencyKey)
	if errors.Is(err, wa.ErrPermanent) {
		return "", sagas.Permanent(err)
	}
	return id, err
}
