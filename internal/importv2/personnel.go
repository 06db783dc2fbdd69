package importv2

import (
	"context"
	"fmt"
	"github.com/cicero/cicero/commands"
	"slices"
	"time"

	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/normalize"
)

// oldPerson is a row of the old `"user"` table with its role names.
type oldPerson struct {
	ID, Nama, Title, Divisi, Jabatan, Desa, ClientID, Insta, Tiktok, WhatsApp, Email string
	Status, Exception, OptIn                                                         *bool
	Created                                                                          *time.Time
	Roles                                                                            []string
}

func (im *Importer) readPersonnel(ctx context.Context) ([]oldPerson, error) {
	s := im.src
	c := func(name, typ string) string { return s.col("user", "u", name, typ) }
	rows, err := s.Query(ctx, `SELECT u.user_id, COALESCE(u.nama, ''), COALESCE(`+c("title", "text")+`, ''),
		COALESCE(`+c("divisi", "text")+`, ''), COALESCE(`+c("jabatan", "text")+`, ''), COALESCE(`+c("desa", "text")+`, ''),
		COALESCE(`+c("client_id", "text")+`, ''), COALESCE(`+c("insta", "text")+`, ''), COALESCE(`+c("tiktok", "text")+`, ''),
		COALESCE(`+c("whatsapp", "text")+`, ''), COALESCE(`+c("email", "text")+`, ''),
		`+c("status", "boolean")+`, `+c("exception", "boolean")+`, `+c("wa_notification_opt_in", "boolean")+`,
		`+c("created_at", "timestamptz")+`,
		COALESCE((SELECT array_agg(lower(r.role_name) ORDER BY lower(r.role_name)) FROM user_roles ur
			JOIN roles r ON r.role_id = ur.role_id WHERE ur.user_id = u.user_id), '{}')
		FROM "user" u ORDER BY u.user_id`)
	if err != nil {
		return nil, fmt.Errorf("read personnel: %w", err)
	}
	defer rows.Close()
	var out []oldPerson
	for rows.Next() {
		var p oldPerson
		if err := rows.Scan(&p.ID, &p.Nama, &p.Title, &p.Divisi, &p.Jabatan, &p.Desa, &p.ClientID, &p.Insta, &p.Tiktok,
			&p.WhatsApp, &p.Email, &p.Status, &p.Exception, &p.OptIn, &p.Created, &p.Roles); err != nil {
			return nil, fmt.Errorf("read personnel: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// personRow is a person as the import will issue it, after the checks
// that need every row (orphans, duplicate handles).
type personRow struct {
	old    oldPerson
	nrp    string
	roles  []string
	notes  []string // parts left out, reported per row
	at     time.Time
	status bool
}

const (
	reasonOrphan       = "orphan: client_id is not a client of the old database"
	reasonNRP          = "invalid NRP/NIP (6 to 18 digits after removing non-digits)"
	reasonDuplicateNRP = "duplicate NRP/NIP after normalisation (the first row is imported)"
	reasonDupInsta     = "instagram username also held by another person: left empty here (the first holder keeps it)"
	reasonDupTiktok    = "tiktok username also held by another person: left empty here (the first holder keeps it)"
	reasonUnknownRole  = "role not known here (operator and the directorates are): left out"
	reasonTimestamp    = "unparseable created_at: imported with the import's time"
)

// preparePersonnel applies the rules that need the whole table: a person
// of an unknown client is an orphan, two rows normalising to one NRP keep
// the first, and a handle held by two people stays with the first (by
// NRP): attendance would credit both otherwise.
func (im *Importer) preparePersonnel(t *TableReport, ps []oldPerson) []personRow {
	seenNRP := map[string]bool{}
	insta, tiktok := map[string]string{}, map[string]string{}
	var out []personRow
	for _, p := range ps {
		key := p.ID
		nrp := normalize.NRP(p.ID)
		if len(nrp) < normalize.MinNRPDigits || len(nrp) > normalize.MaxNRPDigits {
			im.skip(t, reasonNRP, key)
			continue
		}
		if seenNRP[nrp] {
			im.skip(t, reasonDuplicateNRP, key)
			continue
		}
		if cid := normalize.ClientID(p.ClientID); cid != "" {
			if _, ok := im.known.Load(cid); !ok {
				im.skip(t, reasonOrphan, key)
				continue
			}
		}
		seenNRP[nrp] = true
		r := personRow{old: p, nrp: nrp, status: p.Status == nil || *p.Status}
		if h := normalize.Handle(p.Insta); h != "" {
			if holder, taken := insta[h]; taken && holder != nrp {
				r.old.Insta = ""
				r.notes = append(r.notes, reasonDupInsta)
			} else {
				insta[h] = nrp
			}
		}
		if h := normalize.Handle(p.Tiktok); h != "" {
			if holder, taken := tiktok[h]; taken && holder != nrp {
				r.old.Tiktok = ""
				r.notes = append(r.notes, reasonDupTiktok)
			} else {
				tiktok[h] = nrp
			}
		}
		for _, role := range p.Roles {
			if slices.Contains(person.KnownRoles, role) {
				if !slices.Contains(r.roles, role) {
					r.roles = append(r.roles, role)
				}
			} else {
				r.notes = append(r.notes, reasonUnknownRole)
			}
		}
		if p.Created != nil {
			if plausible(*p.Created) {
				r.at = *p.Created
			} else {
				r.notes = append(r.notes, reasonTimestamp)
			}
		}
		out = append(out, r)
	}
	return out
}

func (im *Importer) importPersonnel(ctx context.Context, t *TableReport) error {
	ps, err := im.readPersonnel(ctx)
	if err != nil {
		return err
	}
	im.read(t, len(ps))
	rows := im.preparePersonnel(t, ps)
	im.progress.Start("personnel", len(rows))
	return each(ctx, im, rows, func(ctx context.Context, r personRow) error {
		for _, n := range r.notes {
			im.leftOut(t, n, r.old.ID)
		}
		if im.opts.DryRun {
			im.rowDone(t, r.old.ID, true, nil)
			return nil
		}
		changed, skip, err := im.importPerson(ctx, t, r)
		if err != nil {
			return fmt.Errorf("person %s: %w", r.old.ID, err)
		}
		im.rowDone(t, r.old.ID, changed, skip)
		return nil
	})
}

// importPerson registers the person as the old row has them; a person
// registered before is brought up to date field by field, each decision
// appending only what differs.
func (im *Importer) importPerson(ctx context.Context, t *TableReport, r personRow) (changed bool, skip, fail error) {
	p := r.old
	exception, optIn := p.Exception != nil && *p.Exception, p.OptIn != nil && *p.OptIn
	key := p.ID
	reg := person.RegisterPerson{NRP: p.ID, Nama: p.Nama, Title: p.Title, Divisi: p.Divisi, Jabatan: p.Jabatan, Desa: p.Desa,
		ClientID: p.ClientID, Insta: p.Insta, Tiktok: p.Tiktok, WhatsApp: p.WhatsApp, Email: p.Email, Roles: r.roles,
		Exception: exception, WhatsAppOptIn: optIn}
	out, err := im.exec(ctx, meta("user", key, reg, r.at), func(m commands.Meta) (commands.Outcome, error) { return im.people.RegisterPerson(ctx, m, reg) })
	existed := apperr.CodeOf(err) == apperr.Conflict
	if !existed {
		if skip, fail = refusal(err); skip != nil || fail != nil {
			return false, skip, fail
		}
		changed = im.fresh(t, out)
	}
	// Each step is its own command (same rule: a hash of its content), so
	// a rerun answers them from the command log.
	step := func(name string, cmd any, run func() (outcome, error)) error {
		o, err := run()
		s, f := refusal(err)
		if f != nil {
			return fmt.Errorf("%s: %w", name, f)
		}
		if s == nil && im.fresh(t, o.Outcome) {
			changed = true
		}
		if s != nil && o.report {
			skip = s
		}
		return nil
	}
	if existed {
		up := person.UpdatePerson{NRP: p.ID, Nama: &p.Nama, Title: &p.Title, Divisi: &p.Divisi, Jabatan: &p.Jabatan,
			Desa: &p.Desa, ClientID: &p.ClientID, WhatsApp: &p.WhatsApp, Email: &p.Email}
		if err := step("update", up, func() (outcome, error) {
			o, err := im.exec(ctx, meta("user", key, up, r.at), func(m commands.Meta) (commands.Outcome, error) { return im.people.UpdatePerson(ctx, m, up) })
			return outcome{o, true}, err
		}); err != nil {
			return false, nil, err
		}
		if skip != nil {
			return false, skip, nil
		}
		for platform, h := range map[string]string{"instagram": p.Insta, "tiktok": p.Tiktok} {
			cmd := person.SetHandle{NRP: p.ID, Platform: platform, Handle: h}
			if err := step("handle", cmd, func() (outcome, error) {
				o, err := im.exec(ctx, meta("user", key, cmd, r.at), func(m commands.Meta) (commands.Outcome, error) { return im.people.SetHandle(ctx, m, cmd) })
				return outcome{o, false}, err
			}); err != nil {
				return false, nil, err
			}
		}
		for _, role := range person.KnownRoles {
			if slices.Contains(r.roles, role) {
				cmd := person.GrantRole{NRP: p.ID, Role: role}
				if err := step("grant", cmd, func() (outcome, error) {
					o, err := im.exec(ctx, meta("user", key, cmd, r.at), func(m commands.Meta) (commands.Outcome, error) { return im.people.GrantRole(ctx, m, cmd) })
					return outcome{o, false}, err
				}); err != nil {
					return false, nil, err
				}
				continue
			}
			cmd := person.RevokeRole{NRP: p.ID, Role: role}
			if err := step("revoke", cmd, func() (outcome, error) {
				o, err := im.exec(ctx, meta("user", key, cmd, r.at), func(m commands.Meta) (commands.Outcome, error) { return im.people.RevokeRole(ctx, m, cmd) })
				return outcome{o, false}, err // not held: nothing to do
			}); err != nil {
				return false, nil, err
			}
		}
		ex := person.SetException{NRP: p.ID, Exception: exception}
		if err := step("exception", ex, func() (outcome, error) {
			o, err := im.exec(ctx, meta("user", key, ex, r.at), func(m commands.Meta) (commands.Outcome, error) { return im.people.SetException(ctx, m, ex) })
			return outcome{o, false}, err
		}); err != nil {
			return false, nil, err
		}
		opt := person.SetWhatsAppOptIn{NRP: p.ID, OptIn: optIn}
		if err := step("opt-in", opt, func() (outcome, error) {
			o, err := im.exec(ctx, meta("user", key, opt, r.at), func(m commands.Meta) (commands.Outcome, error) { return im.people.SetWhatsAppOptIn(ctx, m, opt) })
			return outcome{o, false}, err
		}); err != nil {
			return false, nil, err
		}
	}
	if r.status && existed {
		cmd := person.Reactivate{NRP: p.ID}
		if err := step("reactivate", cmd, func() (outcome, error) {
			o, err := im.exec(ctx, meta("user", key, cmd, r.at), func(m commands.Meta) (commands.Outcome, error) { return im.people.Reactivate(ctx, m, cmd) })
			return outcome{o, false}, err
		}); err != nil {
			return false, nil, err
		}
	}
	if !r.status {
		cmd := person.Deactivate{NRP: p.ID}
		if err := step("deactivate", cmd, func() (outcome, error) {
			o, err := im.exec(ctx, meta("user", key, cmd, r.at), func(m commands.Meta) (commands.Outcome, error) { return im.people.Deactivate(ctx, m, cmd) })
			return outcome{o, false}, err
		}); err != nil {
			return false, nil, err
		}
	}
	return changed, skip, nil
}

// outcome is a step's result and whether its refusal skips the row
// (a refused update does; a role not held to revoke does not).
type outcome struct {
	commands.Outcome
	report bool
}
