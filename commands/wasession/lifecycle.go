package wasession

import (
	"context"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/whatsapp"
)

// actor of the session events: the manager reports what WhatsApp did.
const actor = "system:whatsapp"

// Lifecycle records the WhatsApp manager's pairings and logouts through
// the handlers (whatsapp.Lifecycle).
type Lifecycle struct{ h *Handlers }

var _ whatsapp.Lifecycle = Lifecycle{}

// NewLifecycle returns the manager's recorder over rt.
func NewLifecycle(rt *commands.Runtime) Lifecycle { return Lifecycle{h: NewHandlers(rt)} }

// Paired → WhatsAppSessionPaired.
func (l Lifecycle) Paired(ctx context.Context, p whatsapp.Pairing) error {
	_, err := l.h.RecordPaired(ctx, commands.Meta{Actor: actor, OccurredAt: p.At}, RecordPaired{Paired: events.WhatsAppSessionPaired{
		Session: p.Session, ClientID: p.DeviceID, JID: p.JID, Platform: p.Platform, PairedAt: p.At}})
	return err
}

// LoggedOut → WhatsAppSessionLoggedOut.
func (l Lifecycle) LoggedOut(ctx context.Context, o whatsapp.Logout) error {
	_, err := l.h.RecordLoggedOut(ctx, commands.Meta{Actor: actor, OccurredAt: o.At}, RecordLoggedOut{LoggedOut: events.WhatsAppSessionLoggedOut{
		Session: o.Session, ClientID: o.DeviceID, JID: o.JID, Reason: o.Reason, LoggedOutAt: o.At}})
	return err
}
