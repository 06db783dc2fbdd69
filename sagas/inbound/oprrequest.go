package inbound

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/internal/normalize"
)

// The operator menu oprrequest (spec/ops.md §3.7) on the main session:
// for ADMIN_WHATSAPP (after picking an org client), a client's operator
// number and its super-admin numbers (their client preselected). It
// manages the client's users through person commands and answers the
// engagement attendance of the client's operators.

const (
	menuOpr = "opr"

	oprPickClient = "pick_client"
	oprMain       = "main"
	oprUser       = "user"
	oprAddNRP     = "add_nrp"
	oprAddNama    = "add_nama"
	oprAddPangkat = "add_pangkat"
	oprAddSatfung = "add_satfung"
	oprAddJabatan = "add_jabatan"
	oprUpdNRP     = "upd_nrp"
	oprUpdField   = "upd_field"
	oprUpdValue   = "upd_value"
	oprStatusNRP  = "status_nrp"
	oprStatusSet  = "status_set"
	oprCheckNRP   = "check_nrp"
	oprEngagement = "engagement"
	oprEngMode    = "eng_mode"
)

const (
	txtOprDenied  = "❌ Menu ini hanya dapat diakses oleh operator yang terdaftar."
	txtOprExit    = "❎ Keluar dari menu operator."
	txtOprUserOrg = "❌ Manajemen User hanya tersedia untuk client bertipe ORG yang aktif."
	txtOprNoUser  = "❌ User dengan NRP/NIP *%s* tidak ditemukan di client *%s*."
)

// startOperatorMenu opens oprrequest for an admin, an operator or a super
// admin; anyone else is refused.
func (r *Router) startOperatorMenu(t *turn) error {
	var clients []Client
	var err error
	if t.admin {
		clients, err = r.d.Directory.Clients(t.ctx, "org", false)
	} else {
		clients, err = r.d.Directory.ClientsByContact(t.ctx, t.number)
	}
	if err != nil {
		return err
	}
	if len(clients) == 0 {
		return t.reply(txtOprDenied)
	}
	if len(clients) == 1 && !t.admin {
		return r.oprShowMain(t, state{Menu: menuOpr}, clients[0])
	}
	st := state{Menu: menuOpr, Step: oprPickClient}
	lines := []string{"Pilih client (balas nomor atau client_id):"}
	for i, c := range clients {
		st.Options = append(st.Options, c.ID)
		lines = append(lines, fmt.Sprintf("%d. %s - %s", i+1, c.ID, c.Nama))
	}
	if err := t.setState(st, ttlMenu); err != nil {
		return err
	}
	return t.reply(strings.Join(lines, "\n"))
}

// oprItems are the main menu's entries for client c: user management
// always; engagement when the client is active and has a platform on.
func oprItems(c Client) []string {
	items := []string{"Manajemen User"}
	if c.Active && (c.InstaOn || c.TiktokOn) {
		items = append(items, "Manajemen Engagement")
	}
	return items
}

func (r *Router) oprShowMain(t *turn, st state, c Client) error {
	st.Step, st.ClientID, st.NRP, st.Field, st.Platform, st.Options, st.Draft = oprMain, c.ID, "", "", "", nil, nil
	if err := t.setState(st, ttlMenu); err != nil {
		return err
	}
	lines := []string{"┏━━━ *MENU OPERATOR CICERO* ━━━", fmt.Sprintf("🏢 Client: *%s* (%s)", c.Nama, c.ID)}
	for i, it := range oprItems(c) {
		lines = append(lines, fmt.Sprintf("%d️⃣ %s", i+1, it))
	}
	return t.reply(strings.Join(append(lines, "Ketik angka menu, atau *batal* untuk keluar."), "\n"))
}

// oprUserMenu keeps the legacy numbers: 5 (registration attendance) is
// not offered.
const oprUserMenu = "*Manajemen User*\n1️⃣ Tambah user baru\n2️⃣ Perbarui data user\n3️⃣ Ubah status user\n4️⃣ Cek data user\n" +
	"6️⃣ Absensi update data username\n0️⃣ Kembali"

// oprStep runs one step of the operator menu.
func (r *Router) oprStep(t *turn, st state) error {
	w := t.word()
	if w == "cancel" || w == "exit" {
		if err := t.endState(); err != nil {
			return err
		}
		return t.reply(txtOprExit)
	}
	if st.Step == oprPickClient {
		id, ok := pick(st.Options, t.text)
		if !ok {
			return t.reply(txtBadChoice)
		}
		return r.oprWithClient(t, st, id, func(c Client) error { return r.oprShowMain(t, st, c) })
	}
	return r.oprWithClient(t, st, st.ClientID, func(c Client) error {
		if w == "0" || w == "menu" || w == "kembali" || w == "back" {
			return r.oprShowMain(t, st, c)
		}
		return r.oprClientStep(t, st, c)
	})
}

// oprWithClient reads the session's client fresh (its flags may change).
func (r *Router) oprWithClient(t *turn, st state, id string, fn func(Client) error) error {
	c, found, err := r.d.Directory.Client(t.ctx, id)
	if err != nil {
		return err
	}
	if !found {
		return t.endState()
	}
	return fn(c)
}

func (r *Router) oprClientStep(t *turn, st state, c Client) error {
	switch st.Step {
	case oprMain:
		items := oprItems(c)
		n, err := strconv.Atoi(strings.TrimSpace(t.text))
		if err != nil || n < 1 || n > len(items) {
			return t.reply(txtBadChoice)
		}
		if items[n-1] == "Manajemen User" {
			if !c.Active || !strings.EqualFold(c.Type, "org") {
				return t.reply(txtOprUserOrg)
			}
			return r.oprGo(t, st, oprUser, oprUserMenu)
		}
		return r.oprEngagementMenu(t, st, c)
	case oprUser:
		switch strings.TrimSpace(t.text) {
		case "1":
			return r.oprGo(t, st, oprAddNRP, "Ketik *NRP/NIP* user baru:")
		case "2":
			return r.oprGo(t, st, oprUpdNRP, "Ketik *NRP/NIP* user yang akan diperbarui:")
		case "3":
			return r.oprGo(t, st, oprStatusNRP, "Ketik *NRP/NIP* user yang akan diubah statusnya:")
		case "4":
			return r.oprGo(t, st, oprCheckNRP, "Ketik *NRP/NIP* user yang akan dicek:")
		case "6":
			return r.oprUsernames(t, st, c)
		}
		return t.reply(txtBadChoice)
	case oprAddNRP, oprAddNama, oprAddPangkat, oprAddSatfung, oprAddJabatan:
		return r.oprAdd(t, st, c)
	case oprUpdNRP, oprStatusNRP, oprCheckNRP:
		return r.oprPickUser(t, st, c)
	case oprUpdField:
		return r.oprUpdField(t, st, c)
	case oprUpdValue:
		return r.oprUpdValue(t, st, c)
	case oprStatusSet:
		return r.oprStatus(t, st, c)
	case oprEngagement:
		return r.oprEngagementPick(t, st, c)
	case oprEngMode:
		return r.oprEngagementMode(t, st, c)
	}
	return r.oprShowMain(t, st, c)
}

// oprGo moves to step and asks prompt.
func (r *Router) oprGo(t *turn, st state, step, prompt string) error {
	st.Step = step
	if err := t.setState(st, ttlMenu); err != nil {
		return err
	}
	return t.reply(prompt)
}

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

// engagementPlatforms are the attendance reports the client's platforms allow.
func engagementPlatforms(c Client) (platforms, labels []string) {
	if c.InstaOn {
		platforms, labels = append(platforms, "instagram"), append(labels, "Absensi Likes Instagram")
	}
	if c.TiktokOn {
		platforms, labels = append(platforms, "tiktok"), append(labels, "Absensi Komentar TikTok")
	}
	return platforms, labels
}

func (r *Router) oprEngagementMenu(t *turn, st state, c Client) error {
	_, labels := engagementPlatforms(c)
	lines := []string{"*Manajemen Engagement*"}
	for i, l := range labels {
		lines = append(lines, fmt.Sprintf("%d️⃣ %s", i+1, l))
	}
	return r.oprGo(t, st, oprEngagement, strings.Join(append(lines, "0️⃣ Kembali"), "\n"))
}

const oprModeMenu = "Pilih tampilan:\n1️⃣ Semua\n2️⃣ Sudah\n3️⃣ Belum\n0️⃣ Kembali"

func (r *Router) oprEngagementPick(t *turn, st state, c Client) error {
	platforms, _ := engagementPlatforms(c)
	n, err := strconv.Atoi(strings.TrimSpace(t.text))
	if err != nil || n < 1 || n > len(platforms) {
		return t.reply(txtBadChoice)
	}
	st.Platform = platforms[n-1]
	return r.oprGo(t, st, oprEngMode, oprModeMenu)
}

// oprEngagementMode answers the day's attendance of the client's operators.
func (r *Router) oprEngagementMode(t *turn, st state, c Client) error {
	mode, ok := map[string]string{"1": "all", "2": "sudah", "3": "belum"}[strings.TrimSpace(t.text)]
	if !ok {
		return t.reply(txtBadChoice)
	}
	if r.d.Absensi == nil {
		return t.reply("❌ Laporan absensi belum tersedia pada server ini.")
	}
	text, err := r.d.Absensi.Absensi(t.ctx, c.ID, st.Platform, mode, person.RoleOperator, r.cfg.Now())
	if err != nil {
		return err
	}
	if err := t.reply(text); err != nil {
		return err
	}
	return r.oprGo(t, st, oprEngMode, oprModeMenu)
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
