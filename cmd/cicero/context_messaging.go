package main

import (
	"fmt"
	"time"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/config"
	"github.com/cicero/cicero/internal/seal"
	"github.com/cicero/cicero/internal/whatsapp"
	"github.com/cicero/cicero/projections"
	messagingview "github.com/cicero/cicero/projections/messaging"
	"github.com/cicero/cicero/sagas"
	"github.com/cicero/cicero/sagas/email"
	outgoingsaga "github.com/cicero/cicero/sagas/outgoing"
	wasender "github.com/cicero/cicero/sagas/whatsapp"
)

// messagingContext is MESSAGING: the outcomes of the sagas' deliveries and
// the WhatsApp sessions' pairing history (read model wa_sessions).
// The saga runners and the dispatcher run in serve (app.go); the senders
// and the message key are made here.
func messagingContext() boundedContext {
	return boundedContext{
		name: "messaging",
		readModels: func(reg *events.Registry) []projections.Projection {
			return []projections.Projection{messagingview.NewReminders(reg), messagingview.NewWASessions(reg)}
		},
		jobs: messagingJobs,
		sagas: func(*wiring) ([]sagas.Saga, error) {
			// A queued recap, reminder or reply older than a day is stale.
			return []sagas.Saga{outgoingsaga.Queued(24 * time.Hour)}, nil
		},
		unconsumed: map[string]string{
			events.MessageFailed{}.EventType(): "the dispatcher copies the outcome onto its outbox row; the history is the audit trail",
		},
	}
}

// newSenders returns the dispatcher's adapters by channel. E-mail goes over
// SMTP_*; WhatsApp through the session manager when this instance runs it
// (not with WA_SERVICE_SKIP_INIT: its rows then wait for an instance that
// does, and the handlers refuse what only WhatsApp could deliver).
func newSenders(cfg config.Config, wa *whatsapp.Manager) (map[string]sagas.Sender, error) {
	m, err := email.New(email.Config{Host: cfg.SMTPHost, Port: cfg.SMTPPort, User: cfg.SMTPUser,
		Pass: cfg.SMTPPass, From: cfg.SMTPFrom, TLS: email.TLSPolicy(cfg.SMTPTLS)})
	if err != nil {
		return nil, fmt.Errorf("smtp sender: %w", err)
	}
	senders := map[string]sagas.Sender{sagas.ChannelEmail: m}
	if wa != nil {
		senders[sagas.ChannelWhatsApp] = wasender.New(wa)
	}
	return senders, nil
}

// newSealBox is the key messages' secrets are sealed with, derived from
// JWT_SECRET (so every instance shares it) for this purpose only.
func newSealBox(cfg config.Config) (*seal.Box, error) {
	return seal.New(derivedSecret(cfg.JWTSecret, "message-seal"))
}
