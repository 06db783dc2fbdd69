package claim

import (
	"context"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/waid"
)

// RequestOTP records that a code was issued for NRP and is on its way to
// Email, valid until ExpiresAt (the caller has stored it in Redis, and
// passes it sealed for the OTP saga). The NRP must belong to a registered
// person (read from the person's own events) with a contact on file: the
// e-mail address, and the code goes only to it; else, when the caller can
// send WhatsApp (ByWhatsApp), the WhatsApp number on file, and the code
// goes to that number (Email is the address it will prove). A record with
// neither is never claimed by whoever asks first (its operator records a
// contact). The new code replaces any pending one.
// Refusals: Invalid "nrp dan email wajib diisi", the e-mail format message,
// "email tidak sesuai"; Forbidden MsgNoContact; NotFound "User tidak
// ditemukan".
type RequestOTP struct {
	NRP        string    `json:"nrp"`
	Email      string    `json:"email"`
	ExpiresAt  time.Time `json:"expires_at"`
	SealedCode string    `json:"-"`
	// ByWhatsApp: the caller has a WhatsApp sender, so a person without an
	// e-mail on file may get the code at his number on file.
	ByWhatsApp bool `json:"by_whatsapp,omitempty"`
}

func (cmd RequestOTP) decide(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
	nrp, email, err := parseInput(cmd.NRP, cmd.Email)
	if err != nil {
		return nil, err
	}
	if cmd.ExpiresAt.IsZero() {
		return nil, apperr.Invalidf("expires_at", "expires_at wajib diisi")
	}
	c, v, err := Load(ctx, l, nrp)
	if err != nil {
		return nil, err
	}
	p, _, err := person.Load(ctx, l, nrp)
	if err != nil {
		return nil, err
	}
	if !p.Registered || p.MovedTo != "" {
		return nil, &apperr.Error{Code: apperr.NotFound, Field: "nrp", Message: msgNotFound}
	}
	if p.Email == "" {
		if !cmd.ByWhatsApp || waid.UserJID(p.WhatsApp) == "" {
			return nil, &apperr.Error{Code: apperr.Forbidden, Field: "email", Message: MsgNoContact}
		}
		return c.commit(v, events.ClaimOTPIssued{NRP: nrp, Email: email, ExpiresAt: cmd.ExpiresAt.UTC(),
			SealedCode: cmd.SealedCode, WhatsApp: p.WhatsApp}), nil
	}
	if p.Email != email {
		return nil, &apperr.Error{Code: apperr.Invalid, Field: "email", Message: msgEmailDiffers}
	}
	return c.commit(v, events.ClaimOTPIssued{NRP: nrp, Email: email, ExpiresAt: cmd.ExpiresAt.UTC(),
		SealedCode: cmd.SealedCode}), nil
}
