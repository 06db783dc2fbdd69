package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"fmt"

	"github.com/cicero/cicero/projections/directory"

	"github.com/cicero/cicero/commands/claim"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/otp"
	"github.com/cicero/cicero/sagas/email"
	"github.com/cicero/cicero/writeapi"
)

// derivedSecret gives each use of JWT_SECRET its own key, so an OTP HMAC
// can never be replayed as a token signature or the other way round.
func derivedSecret(secret, purpose string) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("cicero:" + purpose))
	return m.Sum(nil)
}

// mailer is the SMTP sender of the configuration (OTP codes, password
// resets by mail).
func (a *App) mailer() (*email.Sender, error) {
	m, err := email.New(email.Config{Host: a.cfg.SMTPHost, Port: a.cfg.SMTPPort, User: a.cfg.SMTPUser,
		Pass: a.cfg.SMTPPass, From: a.cfg.SMTPFrom, TLS: email.TLSPolicy(a.cfg.SMTPTLS)})
	if err != nil {
		return nil, fmt.Errorf("smtp sender: %w", err)
	}
	return m, nil
}

// mountClaim wires the personnel self-claim endpoints (OTP by e-mail).
func (a *App) mountClaim(api *auth.Router, mailer *email.Sender) error {
	store, err := otp.New(a.deps.redis, otp.Config{Secret: derivedSecret(a.cfg.JWTSecret, "otp")})
	if err != nil {
		return fmt.Errorf("otp store: %w", err)
	}
	writeapi.MountClaim(api, writeapi.ClaimDeps{
		Directory: directory.NewQueries(a.deps.pool),
		OTP:       store,
		Claims:    claim.NewHandlers(a.runtime),
		People:    person.NewHandlers(a.runtime),
		Mailer:    mailer,
		WaitForDirectory: func(ctx context.Context, ps []events.Position) error {
			return a.models.WaitFor(ctx, directory.Name, ps, a.cfg.ReadWaitMax)
		},
		Logger: a.log,
	})
	return nil
}
