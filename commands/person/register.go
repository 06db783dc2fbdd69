package person

import (
	"context"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/normalize"
)

// RegisterPerson enters a member of personnel into the directory, active.
// user_id (NRP/NIP) keeps its digits and must have 6–18 of them; nama is
// required; nama, title, divisi, jabatan and desa are upper-cased;
// client_id is upper-cased and, when given, must name a registered client;
// whatsapp is stored as 62… (at least 8 digits); email trimmed and
// lower-cased; insta/tiktok lower-case without '@' (profile links
// accepted); roles lower-cased, repeats dropped, each one of KnownRoles.
// Refusals: Invalid (field named), Conflict "nrp sudah terdaftar".
// An NRP whose person was renumbered away is free and may be registered again.
type RegisterPerson struct {
	NRP           string   `json:"user_id"`
	Nama          string   `json:"nama"`
	Title         string   `json:"title"`
	Divisi        string   `json:"divisi"`
	Jabatan       string   `json:"jabatan"`
	Desa          string   `json:"desa"`
	ClientID      string   `json:"client_id"`
	Insta         string   `json:"insta"`
	Tiktok        string   `json:"tiktok"`
	WhatsApp      string   `json:"whatsapp"`
	Email         string   `json:"email"`
	Roles         []string `json:"roles"`
	Exception     bool     `json:"exception"`
	WhatsAppOptIn bool     `json:"wa_notification_opt_in"`
}

func (cmd RegisterPerson) event() (events.PersonRegistered, error) {
	ev := events.PersonRegistered{Title: normalize.Text(cmd.Title), Divisi: normalize.Text(cmd.Divisi),
		Jabatan: normalize.Text(cmd.Jabatan), Desa: normalize.Text(cmd.Desa),
		ClientID: normalize.ClientID(cmd.ClientID), Exception: cmd.Exception, WhatsAppOptIn: cmd.WhatsAppOptIn}
	var err error
	if ev.NRP, err = parseNRP("user_id", cmd.NRP); err != nil {
		return ev, err
	}
	if ev.Nama, err = parseNama(cmd.Nama); err != nil {
		return ev, err
	}
	if ev.WhatsApp, err = parseWhatsApp(cmd.WhatsApp); err != nil {
		return ev, err
	}
	if ev.Email, err = parseEmail(cmd.Email); err != nil {
		return ev, err
	}
	if ev.Insta, err = parseInsta(cmd.Insta); err != nil {
		return ev, err
	}
	if ev.Tiktok, err = parseTiktok(cmd.Tiktok); err != nil {
		return ev, err
	}
	if ev.Roles, err = parseRoles(cmd.Roles); err != nil {
		return ev, err
	}
	return ev, nil
}

func (cmd RegisterPerson) decide(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
	ev, err := cmd.event()
	if err != nil {
		return nil, err
	}
	p, v, err := Load(ctx, l, ev.NRP)
	if err != nil {
		return nil, err
	}
	if p.present() {
		return nil, &apperr.Error{Code: apperr.Conflict, Field: "user_id", Message: msgNRPTaken}
	}
	if err := checkClient(ctx, l, ev.ClientID); err != nil {
		return nil, err
	}
	return p.commit(v, ev), nil
}
