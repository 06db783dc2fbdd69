// Package wasession is the WhatsApp session aggregate of the MESSAGING
// context (subject messaging.session.<name>): when each of the three legacy
// sessions was paired to a phone and when it was logged out. The WhatsApp
// manager (internal/whatsapp) reports what whatsmeow tells it; the decision
// keeps the history free of repeats (a reconnect re-reporting the same
// pairing, a logout of a session that is not paired).
package wasession

import (
	"context"
	"fmt"
	"strings"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/whatsapp"
)

// Sessions are the session names the aggregate accepts.
var Sessions = whatsapp.Sessions

// state is the fold of one session's history.
type state struct {
	paired bool
	jid    string
}

func fold(ctx context.Context, l *commands.Loader, session string) (state, uint64, error) {
	return commands.Fold(ctx, l, events.WhatsAppSessionSubject(session), func() state { return state{} },
		func(s *state, env *events.Envelope) error {
			p, err := l.Registry().Decode(env)
			if err != nil {
				return err
			}
			switch e := p.(type) {
			case *events.WhatsAppSessionPaired:
				s.paired, s.jid = true, e.JID
			case *events.WhatsAppSessionLoggedOut:
				s.paired, s.jid = false, ""
			}
			return nil
		})
}

func checkSession(name string) error {
	for _, s := range Sessions {
		if s == name {
			return nil
		}
	}
	return apperr.Invalidf("session", "sesi WhatsApp tidak dikenal")
}

// RecordPaired → WhatsAppSessionPaired, unless the session is paired to
// that JID already. Refusals: Invalid session or jid.
type RecordPaired struct {
	Paired events.WhatsAppSessionPaired
}

func (cmd RecordPaired) decide(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
	p := cmd.Paired
	p.JID = strings.TrimSpace(p.JID)
	if err := checkSession(p.Session); err != nil {
		return nil, err
	}
	if p.JID == "" {
		return nil, apperr.Invalidf("jid", "jid wajib diisi")
	}
	s, v, err := fold(ctx, l, p.Session)
	if err != nil {
		return nil, fmt.Errorf("load session %s: %w", p.Session, err)
	}
	if s.paired && s.jid == p.JID {
		return nil, nil
	}
	p.PairedAt = p.PairedAt.UTC()
	return []events.Commit{{Subject: events.WhatsAppSessionSubject(p.Session), AggregateID: p.Session,
		Expected: v, Events: []events.Payload{p}}}, nil
}

// RecordLoggedOut → WhatsAppSessionLoggedOut, unless the session is not
// paired (a second report of one logout). Refusals: Invalid session.
type RecordLoggedOut struct {
	LoggedOut events.WhatsAppSessionLoggedOut
}

func (cmd RecordLoggedOut) decide(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
	o := cmd.LoggedOut
	if err := checkSession(o.Session); err != nil {
		return nil, err
	}
	s, v, err := fold(ctx, l, o.Session)
	if err != nil {
		return nil, fmt.Errorf("load session %s: %w", o.Session, err)
	}
	if !s.paired {
		return nil, nil
	}
	if o.JID == "" {
		o.JID = s.jid
	}
	o.LoggedOutAt = o.LoggedOutAt.UTC()
	return []events.Commit{{Subject: events.WhatsAppSessionSubject(o.Session), AggregateID: o.Session,
		Expected: v, Events: []events.Payload{o}}}, nil
}

// Handlers runs the session commands.
type Handlers struct{ rt *commands.Runtime }

// NewHandlers returns the session handlers over rt.
func NewHandlers(rt *commands.Runtime) *Handlers { return &Handlers{rt: rt} }

// RecordPaired → WhatsAppSessionPaired (nothing when paired to that JID already).
func (h *Handlers) RecordPaired(ctx context.Context, meta commands.Meta, cmd RecordPaired) (commands.Outcome, error) {
	return h.rt.Handle(ctx, "wasession.RecordPaired", meta, cmd.decide)
}

// RecordLoggedOut → WhatsAppSessionLoggedOut (nothing when not paired).
func (h *Handlers) RecordLoggedOut(ctx context.Context, meta commands.Meta, cmd RecordLoggedOut) (commands.Outcome, error) {
	return h.rt.Handle(ctx, "wasession.RecordLoggedOut", meta, cmd.decide)
}
