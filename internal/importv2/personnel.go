package importv2

import (
	"context"
	"fmt"
	"github.com/cicero/cicero/commands"
	"slices"
	"time"

	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/normalize"
)

// oldPerson is a row of the old `"user"` table with its role names.
type oldPerson struct {
	ID, Nama, Title, Divisi, Jabatan, Desa, ClientID, Insta, Tiktok, WhatsApp, Email string
	Status, Exception, OptIn                                                         *bool
	Created, Updated                                                                 *time.Time
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
		`+c("created_at", "timestamptz")+`, `+c("updated_at", "timestamptz")+`,
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
			&p.WhatsApp, &p.Email, &p.Status, &p.Exception, &p.OptIn, &p.Created, &p.Updated, &p.Roles); err != nil {
			return nil, fmt.Errorf("read personnel: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// personRow is a person as the import will issue it, after the checks
// that need every row (orphans, duplicate handles).
type personRow struct {
	old   oldPerson
	nrp   string
	roles []string
	notes []string // parts left out, reported per row
	at    time.Time
	// changed is when the old row last changed (updated_at): the time of
	// what a rerun brings besides the registration (zero: now).
	changed time.Time
	status  bool
}

const (
	reasonOrphan       = "orphan: client_id is not a client of the old database"
	reasonNRP          = "invalid NRP/NIP (6 to 18 digits after removing non-digits)"
	reasonDuplicateNRP = "duplicate NRP/NIP after normalisation (the first row is imported)"
	reasonDupInsta     = "instagram username also held by another person: left empty here (an active holder, else the first, keeps it)"
	reasonDupTiktok    = "tiktok username also held by another person: left empty here (an active holder, else the first, keeps it)"
	reasonUnknownRole  = "role not known here (operator and the directorates are): left out"
	reasonTimestamp    = "unparseable created_at: imported with the import's time"
)

// reservedHandle is the Super Admin's; the person commands refuse it.
const reservedHandle = "cicero_devs"

const (
	reasonBadInsta  = "instagram username not valid here (1–30 of a-z 0-9 . _, or a profile link): left empty"
	reasonBadTiktok = "tiktok username not valid here (1–24 of a-z 0-9 . _, or a profile link): left empty"
)

// preparePersonnel applies the rules that need the whole table: a person
// of an unknown client is an orphan, two rows normalising to one NRP keep
// the first, a handle the person commands would refuse is left out (the
// person is still imported), and a handle held by two people stays with
// one of them — an active one before an inactive one (attendance counts
// the active), then the first by NRP: attendance would credit both
// otherwise.
func (im *Importer) preparePersonnel(t *TableReport, ps []oldPerson) []personRow {
	seenNRP := map[string]bool{}
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
		for _, h := range []struct {
			v      *string
			parse  func(string) (string, bool)
			reason string
		}{{&r.old.Insta, normalize.InstagramHandle, reasonBadInsta}, {&r.old.Tiktok, normalize.TiktokHandle, reasonBadTiktok}} {
			name, ok := h.parse(*h.v)
			if !ok || name == reservedHandle {
				r.notes = append(r.notes, h.reason)
				name = ""
			}
			*h.v = name
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
		if p.Updated != nil && plausible(*p.Updated) {
			r.changed = *p.Updated
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
	for _, h := range []struct {
		v      func(*personRow) *string
		reason string
	}{{func(r *personRow) *string { return &r.old.Insta }, reasonDupInsta}, {func(r *personRow) *string { return &r.old.Tiktok }, reasonDupTiktok}} {
		holder := map[string]int{}
		for i := range out {
			name := *h.v(&out[i])
			if j, taken := holder[name]; name != "" && (!taken || (out[i].status && !out[j].status)) {
				holder[name] = i
			}
		}
		for i := range out {
			if name := *h.v(&out[i]); name != "" && holder[name] != i {
				*h.v(&out[i]) = ""
				out[i].notes = append(out[i].notes, h.reason)
			}
		}
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
			im.persons.Store(r.nrp, true)
			im.rowDone(t, r.old.ID, true, nil)
			return nil
		}
		changed, skip, err := im.importPerson(ctx, t, r)
		if err != nil {
			return fmt.Errorf("person %s: %w", r.old.ID, err)
		}
		if skip == nil {
			im.persons.Store(r.nrp, true)
		}
		im.rowDone(t, r.old.ID, changed, skip)
		return nil
	})
}

// personState is everything the import sets on a person: a row whose
// state is the same as when the person's history last stood at a version
// is imported already.
type personState struct {
	Register person.RegisterPerson `json:"register"`
	Active   bool                  `json:"active"`
}

// importPerson registers the person as the old row has them; a person
// registered before is brought up to date field by field, each decision
// appending only what differs. Every command id names the person's version
// when the row began (metaAt), so a value changed back is imported too. A
// row imported as it is at the version the person's history has now is
// answered by one command-log lookup (the row's gate).
func (im *Importer) importPerson(ctx context.Context, t *TableReport, r personRow) (changed bool, skip, fail error) {
	p := r.old
	exception, optIn := p.Exception != nil && *p.Exception, p.OptIn != nil && *p.OptIn
	key := p.ID
	reg := person.RegisterPerson{NRP: p.ID, Nama: p.Nama, Title: p.Title, Divisi: p.Divisi, Jabatan: p.Jabatan, Desa: p.Desa,
		ClientID: p.ClientID, Insta: p.Insta, Tiktok: p.Tiktok, WhatsApp: p.WhatsApp, Email: p.Email, Roles: r.roles,
		Exception: exception, WhatsAppOptIn: optIn}
	subject := events.PersonSubject(r.nrp)
	v, err := im.version(ctx, subject)
	if err != nil {
		return false, nil, err
	}
	state := personState{Register: reg, Active: r.status}
	if v > 0 {
		o, ok, err := im.cmdlog.Get(ctx, metaAt("user", key, state, r.at, v).CommandID)
		if err != nil {
			return false, nil, fmt.Errorf("command log: %w", err)
		}
		if ok && o.Rejected == nil {
			return false, nil, nil
		}
	}
	out, err := im.exec(ctx, metaAt("user", key, reg, r.at, v), func(m commands.Meta) (commands.Outcome, error) { return im.people.RegisterPerson(ctx, m, reg) })
	existed := apperr.CodeOf(err) == apperr.Conflict
	if !existed {
		if skip, fail = refusal(err); skip != nil || fail != nil {
			return false, skip, fail
		}
		changed = im.fresh(t, out)
	}
	// Each step is its own command (same rule: a hash of its content and
	// the version), so a rerun answers them from the command log.
	step := func(name string, cmd any, run func(commands.Meta) (commands.Outcome, error)) error {
		o, err := im.exec(ctx, metaAt("user", key, cmd, r.changed, v), run)
		s, f := refusal(err)
		if f != nil {
			return fmt.Errorf("%s: %w", name, f)
		}
		if s != nil {
			skip = s
			return nil
		}
		if im.fresh(t, o) {
			changed = true
		}
		return nil
	}
	if existed {
		up := person.UpdatePerson{NRP: p.ID, Nama: &p.Nama, Title: &p.Title, Divisi: &p.Divisi, Jabatan: &p.Jabatan,
			Desa: &p.Desa, ClientID: &p.ClientID, WhatsApp: &p.WhatsApp, Email: &p.Email}
		if err := step("update", up, func(m commands.Meta) (commands.Outcome, error) { return im.people.UpdatePerson(ctx, m, up) }); err != nil {
			return false, nil, err
		}
		if skip != nil {
			// Refused (a value the command does not accept): nothing else
			// of the row is imported, so it is never half-imported.
			return false, skip, nil
		}
		// Handles were checked in preparePersonnel, roles are known ones,
		// and the flags are booleans: these steps are not refused.
		for _, h := range []struct{ platform, handle string }{{"instagram", p.Insta}, {"tiktok", p.Tiktok}} {
			cmd := person.SetHandle{NRP: p.ID, Platform: h.platform, Handle: h.handle}
			if err := step("handle", cmd, func(m commands.Meta) (commands.Outcome, error) { return im.people.SetHandle(ctx, m, cmd) }); err != nil {
				return false, nil, err
			}
		}
		for _, role := range person.KnownRoles {
			if slices.Contains(r.roles, role) {
				cmd := person.GrantRole{NRP: p.ID, Role: role}
				if err := step("grant", cmd, func(m commands.Meta) (commands.Outcome, error) { return im.people.GrantRole(ctx, m, cmd) }); err != nil {
					return false, nil, err
				}
				continue
			}
			cmd := person.RevokeRole{NRP: p.ID, Role: role}
			if err := step("revoke", cmd, func(m commands.Meta) (commands.Outcome, error) { return im.people.RevokeRole(ctx, m, cmd) }); err != nil {
				return false, nil, err
			}
		}
		ex := person.SetException{NRP: p.ID, Exception: exception}
		if err := step("exception", ex, func(m commands.Meta) (commands.Outcome, error) { return im.people.SetException(ctx, m, ex) }); err != nil {
			return false, nil, err
		}
		opt := person.SetWhatsAppOptIn{NRP: p.ID, OptIn: optIn}
		if err := step("opt-in", opt, func(m commands.Meta) (commands.Outcome, error) { return im.people.SetWhatsAppOptIn(ctx, m, opt) }); err != nil {
			return false, nil, err
		}
	}
	var status any
	run := func(m commands.Meta) (commands.Outcome, error) {
		return im.people.Reactivate(ctx, m, person.Reactivate{NRP: p.ID})
	}
	status = person.Reactivate{NRP: p.ID}
	if !r.status {
		status = person.Deactivate{NRP: p.ID}
		run = func(m commands.Meta) (commands.Outcome, error) {
			return im.people.Deactivate(ctx, m, person.Deactivate{NRP: p.ID})
		}
	}
	if existed || !r.status {
		if err := step("status", status, run); err != nil {
			return false, nil, err
		}
	}
	if skip != nil {
		return changed, skip, nil
	}
	// The gate: the row's state at the version the person's history has
	// now, recorded as a command that changes nothing (the status it has).
	if changed {
		if v, err = im.version(ctx, subject); err != nil {
			return false, nil, err
		}
	}
	if _, err := im.exec(ctx, metaAt("user", key, state, r.at, v), run); err != nil {
		if s, f := refusal(err); f != nil {
			return false, nil, fmt.Errorf("gate: %w", f)
		} else if s != nil {
			return changed, s, nil
		}
	}
	return changed, nil, nil
}
