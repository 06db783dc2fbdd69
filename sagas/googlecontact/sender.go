package googlecontact

import (
	"context"
	"errors"
	"fmt"

	"github.com/cicero/cicero/internal/google/contacts"
	"github.com/cicero/cicero/sagas"
)

// Saver saves a number as a contact (contacts.Saver).
type Saver interface {
	Save(ctx context.Context, phone, name string) (resourceName string, err error)
}

// Namer finds the legacy contact name of a number from the read models
// ("" when it knows none: the contact is named after the number).
type Namer func(ctx context.Context, phone string) (string, error)

// Sender is the dispatcher's adapter for sagas.ChannelGoogleContact.
type Sender struct {
	saver Saver
	name  Namer
}

var _ sagas.Sender = (*Sender)(nil)

// NewSender saves through saver, naming nameless messages with name (nil:
// after the number).
func NewSender(saver Saver, name Namer) *Sender { return &Sender{saver: saver, name: name} }

// Send saves m.Recipient as a contact and answers its resource name. The
// idempotency key is not needed: the saver recognises a saved number by
// itself. A request Google refuses for good (4xx but 429) is permanent;
// quota and credential refusals, and the cooldown after them, are retried.
func (s *Sender) Send(ctx context.Context, m sagas.Message, _ string) (string, error) {
	if m.Channel != sagas.ChannelGoogleContact {
		return "", sagas.Permanent(fmt.Errorf("google contact sender got a %s message", m.Channel))
	}
	name := m.Content.Text
	if name == "" && s.name != nil {
		var err error
		if name, err = s.name(ctx, m.Recipient); err != nil {
			return "", fmt.Errorf("contact name: %w", err)
		}
	}
	rn, err := s.saver.Save(ctx, m.Recipient, name)
	switch {
	case errors.Is(err, contacts.ErrPermanent):
		return "", sagas.Permanent(err)
	case err != nil:
		return "", err
	}
	return rn, nil
}
