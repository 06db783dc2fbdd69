package person

import (
	"context"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/normalize"
)

// UpdatePerson changes some text fields of a person; nil fields are left
// alone. Values are normalised as in RegisterPerson and the event carries
// only the fields whose stored value really changes: an update that changes
// nothing appends nothing. nama may not be blanked; the other fields may be
// cleared with "". A new client_id must name a registered client.
// Handles, roles, status, exception and opt-in have their own commands.
// Refusals: NotFound "user tidak ditemukan", Invalid (field named).
type UpdatePerson struct {
	NRP      string  `json:"user_id"`
	Nama     *string `json:"nama,omitempty"`
	Title    *string `json:"title,omitempty"`
	Divisi   *string `json:"divisi,omitempty"`
	Jabatan  *string `json:"jabatan,omitempty"`
	Desa     *string `json:"desa,omitempty"`
	ClientID *string `json:"client_id,omitempty"`
	WhatsApp *string `json:"whatsapp,omitempty"`
	Email    *string `json:"email,omitempty"`
}

func (cmd UpdatePerson) decide(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
	p, v, err := loadExisting(ctx, l, cmd.NRP)
	if err != nil {
		return nil, err
	}
	ch, err := cmd.changes(p)
	if err != nil {
		return nil, err
	}
	if ch == (events.PersonFields{}) {
		return nil, nil
	}
	if ch.ClientID != nil {
		if err := checkClient(ctx, l, *ch.ClientID); err != nil {
			return nil, err
		}
	}
	return p.commit(v, events.PersonUpdated{NRP: p.NRP, Changes: ch}), nil
}

// changes normalises every given field and keeps those that differ from p.
func (cmd UpdatePerson) changes(p Person) (events.PersonFields, error) {
	var ch events.PersonFields
	for _, s := range []struct {
		in    *string
		norm  func(string) (string, error)
		cur   string
		field **string
	}{
		{cmd.Nama, parseNama, p.Nama, &ch.Nama},
		{cmd.Title, text, p.Title, &ch.Title},
		{cmd.Divisi, text, p.Divisi, &ch.Divisi},
		{cmd.Jabatan, text, p.Jabatan, &ch.Jabatan},
		{cmd.Desa, text, p.Desa, &ch.Desa},
		{cmd.ClientID, clientID, p.ClientID, &ch.ClientID},
		{cmd.WhatsApp, parseWhatsApp, p.WhatsApp, &ch.WhatsApp},
		{cmd.Email, parseEmail, p.Email, &ch.Email},
	} {
		if s.in == nil {
			continue
		}
		val, err := s.norm(*s.in)
		if err != nil {
			return events.PersonFields{}, err
		}
		if val != s.cur {
			*s.field = &val
		}
	}
	return ch, nil
}

func text(s string) (string, error)     { return normalize.Text(s), nil }
func clientID(s string) (string, error) { return normalize.ClientID(s), nil }
