package person

import (
	"context"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/normalize"
)

// SetWhatsAppOptIn records the person's consent to WhatsApp task
// notifications. WhatsApp, when given, is the number the request came with
// (legacy PUT /api/users/:id/wa-notification): the person must have a
// number and it must equal this one after normalisation. No change appends
// nothing.
// Refusals: NotFound; Invalid "user belum memiliki nomor WhatsApp yang
// terdaftar" / "nomor WhatsApp tidak sesuai dengan data user".
type SetWhatsAppOptIn struct {
	NRP      string `json:"user_id"`
	OptIn    bool   `json:"wa_notification_opt_in"`
	WhatsApp string `json:"whatsapp,omitempty"`
}

func (cmd SetWhatsAppOptIn) decide(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
	p, v, err := loadExisting(ctx, l, cmd.NRP)
	if err != nil {
		return nil, err
	}
	if cmd.WhatsApp != "" {
		switch {
		case p.WhatsApp == "":
			return nil, &apperr.Error{Code: apperr.Invalid, Field: "whatsapp", Message: msgNoWhatsApp}
		case normalize.WhatsApp(cmd.WhatsApp) != p.WhatsApp:
			return nil, &apperr.Error{Code: apperr.Invalid, Field: "whatsapp", Message: msgWhatsAppMismatch}
		}
	}
	if p.WhatsAppOptIn == cmd.OptIn {
		return nil, nil
	}
	return p.commit(v, events.PersonWhatsAppOptInChanged{NRP: p.NRP, OptIn: cmd.OptIn}), nil
}
