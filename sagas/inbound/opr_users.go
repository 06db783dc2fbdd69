package inbound

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/internal/normalize"
)

// The operator menu's user management: add, update, status, check, and
// the username completeness of the client's operators.

// oprAdd collects a new user's NRP, name, rank, unit and position, then
// registers it in the client with the operator role.
func (r *Router) oprAdd(t *turn, st state, c Client) error {
	if st.Draft == nil {
		st.Draft = map[string]string{}
	}
	in := strings.TrimSpace(t.text)
	switch st.Step {
	case oprAddNRP:
		nrp := normalize.NRP(in)
		if len(nrp) < normalize.MinNRPDigits || len(nrp) > normalize.MaxNRPDigits {
			return t.reply(txtBadNRP)
		}
		if _, found, err := r.d.Directory.Person(t.ctx, nrp); err != nil || found {
			if err != nil {
				return err
			}
			return t.replyf("❌ NRP/NIP *%s* sudah terdaftar.", nrp)
		}
		st.Draft["nrp"] = nrp
		return r.oprGo(t, st, oprAddNama, "Ketik *nama* user:")
	case oprAddNama:
		if in == "" {
			return t.replyf(txtEmptyValue, "Nama")
		}
		st.Draft["nama"] = in
		titles, err := r.d.Directory.Titles(t.ctx)
		if err != nil {
			return err
		}
		st.Options = titles
		return r.oprGo(t, st, oprAddPangkat, "Pilih *pangkat* (balas nomor atau nama pangkat):\n"+numbered(titles))
	case oprAddPangkat:
		v, ok := pick(st.Options, in)
		if !ok {
			return t.reply(txtBadChoice)
		}
		st.Draft["pangkat"] = v
		units, err := r.d.Directory.Satfung(t.ctx, c.ID)
		if err != nil {
			return err
		}
		st.Options = units
		return r.oprGo(t, st, oprAddSatfung, "Pilih *satfung* (balas nomor atau nama satfung):\n"+numbered(units))
	case oprAddSatfung:
		v, ok := pick(st.Options, in)
		if !ok {
			return t.reply(txtBadChoice)
		}
		st.Draft["satfung"], st.Options = v, nil
		return r.oprGo(t, st, oprAddJabatan, "Ketik *jabatan* user:")
	}
	if in == "" {
		return t.replyf(txtEmptyValue, "Jabatan")
	}
	d := st.Draft
	ok, err := t.run("", func(m commands.Meta) (commands.Outcome, error) {
		return r.d.Commands.Person.RegisterPerson(t.ctx, m, person.RegisterPerson{NRP: d["nrp"], Nama: d["nama"],
			Title: d["pangkat"], Divisi: d["satfung"], Jabatan: in, ClientID: c.ID, Roles: []string{person.RoleOperator}})
	})
	if err != nil || !ok {
		return err
	}
	st.Draft = nil
	return r.oprGo(t, st, oprUser, fmt.Sprintf("✅ User *%s* (%s) berhasil ditambahkan ke client *%s* dengan role operator.\n\n%s",
		d["nrp"], normalize.Text(d["nama"]), c.ID, oprUserMenu))
}

// oprUser reads the NRP of a user of client c; found is false when it was
// refused (and answered).
func (r *Router) oprUserOf(t *turn, c Client, in string) (Person, bool, error) {
	nrp := normalize.NRP(in)
	p, found, err := r.d.Directory.Person(t.ctx, nrp)
	if err != nil {
		return Person{}, false, err
	}
	if !found || !strings.EqualFold(p.ClientID, c.ID) {
		return Person{}, false, t.replyf(txtOprNoUser, nrp, c.ID)
	}
	return p, true, nil
}

func (r *Router) oprPickUser(t *turn, st state, c Client) error {
	p, ok, err := r.oprUserOf(t, c, t.text)
	if err != nil || !ok {
		return err
	}
	st.NRP = p.NRP
	switch st.Step {
	case oprUpdNRP:
		lines := []string{fmt.Sprintf("Pilih data *%s* (%s) yang akan diperbarui:", p.NRP, p.Nama)}
		for i, f := range operatorFields {
			lines = append(lines, fmt.Sprintf("%d. %s", i+1, f.label))
		}
		return r.oprGo(t, st, oprUpdField, strings.Join(append(lines, "0. Kembali"), "\n"))
	case oprStatusNRP:
		return r.oprGo(t, st, oprStatusSet, fmt.Sprintf("Status *%s* (%s) saat ini: *%s*\n1. Aktif\n2. Nonaktif\n0. Kembali",
			p.NRP, p.Nama, statusText(p.Active)))
	}
	card := strings.Replace(identityCard(p), "👤 *Identitas Anda*", "👤 *Data User*", 1)
	return r.oprGo(t, st, oprUser, card+"\n\n"+oprUserMenu)
}

func statusText(active bool) string {
	if active {
		return "AKTIF"
	}
	return "NONAKTIF"
}

func (r *Router) oprUpdField(t *turn, st state, c Client) error {
	n, err := strconv.Atoi(strings.TrimSpace(t.text))
	if err != nil || n < 1 || n > len(operatorFields) {
		return t.reply(txtBadChoice)
	}
	f := operatorFields[n-1]
	st.Field, st.Options = f.key, nil
	if f.key == fieldHapusWA {
		return r.oprApply(t, st, c, f, "")
	}
	prompt := f.prompt
	if f.key == fieldPangkat || f.key == fieldSatfung {
		var opts []string
		if f.key == fieldPangkat {
			opts, err = r.d.Directory.Titles(t.ctx)
		} else {
			opts, err = r.d.Directory.Satfung(t.ctx, c.ID)
		}
		if err != nil {
			return err
		}
		st.Options = opts
		prompt += "\n" + numbered(opts)
	}
	return r.oprGo(t, st, oprUpdValue, prompt)
}

func (r *Router) oprUpdValue(t *turn, st state, c Client) error {
	f, ok := fieldByKey(st.Field)
	if !ok {
		return r.oprShowMain(t, st, c)
	}
	return r.oprApply(t, st, c, f, t.text)
}

// oprApply updates one field of the session's user.
func (r *Router) oprApply(t *turn, st state, c Client, f field, value string) error {
	p, found, err := r.d.Directory.Person(t.ctx, st.NRP)
	if err != nil || !found {
		return err
	}
	shown, ok, err := r.applyField(t, p, f, st.Options, value)
	if err != nil || !ok {
		return err
	}
	st.Field, st.Options = "", nil
	return r.oprGo(t, st, oprUser, fmt.Sprintf("✅ %s user *%s* berhasil diperbarui menjadi *%s*.\n\n%s", f.label, p.NRP, shown, oprUserMenu))
}

func (r *Router) oprStatus(t *turn, st state, c Client) error {
	var active bool
	switch strings.TrimSpace(t.text) {
	case "1":
		active = true
	case "2":
	default:
		return t.reply(txtBadChoice)
	}
	nrp := st.NRP
	ok, err := t.run("", func(m commands.Meta) (commands.Outcome, error) {
		if active {
			return r.d.Commands.Person.Reactivate(t.ctx, m, person.Reactivate{NRP: nrp})
		}
		return r.d.Commands.Person.Deactivate(t.ctx, m, person.Deactivate{NRP: nrp})
	})
	if err != nil || !ok {
		return err
	}
	return r.oprGo(t, st, oprUser, fmt.Sprintf("✅ Status user *%s* kini *%s*.\n\n%s", nrp, statusText(active), oprUserMenu))
}

// oprUsernames answers the username completeness of the client's
// operators, then the user menu again.
func (r *Router) oprUsernames(t *turn, st state, c Client) error {
	if r.d.Usernames == nil {
		return t.reply("❌ Laporan absensi belum tersedia pada server ini.")
	}
	texts, err := r.d.Usernames.UsernameCompleteness(t.ctx, c.ID, person.RoleOperator, r.cfg.Now())
	if err != nil {
		return err
	}
	if len(texts) == 0 {
		texts = []string{"Data tidak ditemukan."}
	}
	for _, text := range texts {
		if err := t.reply(text); err != nil {
			return err
		}
	}
	return r.oprGo(t, st, oprUser, oprUserMenu)
}
