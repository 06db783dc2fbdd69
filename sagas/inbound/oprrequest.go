package inbound

import (
	"fmt"
	"strconv"
	"strings"
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
	oprAmplify    = "amplify"
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
// always; amplification when the client is active with amplification on;
// engagement when it is active and has a platform on.
func oprItems(c Client) []string {
	items := []string{"Manajemen User"}
	if c.Active && c.AmplifyOn {
		items = append(items, "Manajemen Amplifikasi")
	}
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
		switch items[n-1] {
		case "Manajemen User":
			if !c.Active || !strings.EqualFold(c.Type, "org") {
				return t.reply(txtOprUserOrg)
			}
			return r.oprGo(t, st, oprUser, oprUserMenu)
		case "Manajemen Amplifikasi":
			return r.oprGo(t, st, oprAmplify, oprAmplifyMenu)
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
	case oprAmplify:
		return r.oprAmplifyStep(t, st, c)
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
