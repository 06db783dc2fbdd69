package inbound

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/cicero/cicero/commands/person"
)

// The directorate menu dirrequest (spec/ops.md §3.7, §5.4) on the main
// session: for approved dashboard users whose role is not operator, by
// their WhatsApp number. They pick an active directorate client, then a
// report; the reports come from DirReports.

const (
	menuDir = "dir"

	dirPickClient = "pick_client"
	dirMain       = "main"
	dirPeriod     = "period"
)

const (
	txtDirDenied = "❌ Menu ini hanya dapat diakses oleh pengguna dashboard (non-operator) yang terdaftar dengan nomor WhatsApp ini."
	txtDirExit   = "✅ Menu Direktorat ditutup."
	txtDirFailed = "❌ Laporan gagal dibuat. Silakan coba lagi nanti."
)

// dirAction is one entry of the directorate menu; periods, when set, are
// asked for before the report is built.
type dirAction struct {
	n       int
	label   string
	periods []string
}

var dirActions = []dirAction{
	{5, "Absensi likes Instagram (detail)", nil},
	{6, "Absensi likes Instagram (ringkas)", nil},
	{7, "Absensi like Instagram per satker", nil},
	{8, "Absensi komentar TikTok per satker", nil},
	{9, "Absensi komentar TikTok (ringkas)", nil},
	{10, "Absensi komentar TikTok (detail)", nil},
	{21, "Rekap gabungan sosial media", nil},
	{22, "Ranking engagement (Excel)", dirPeriods},
	{28, "Rekap likes Instagram per konten (Excel)", nil},
	{29, "Rekap komentar TikTok per konten (Excel)", nil},
	{30, "Laporan Kasatker", []string{"today", "this_week", "this_month", "all_time"}},
	{34, "Rekap likes Kasat Binmas", dirPeriods},
	{35, "Rekap komentar TikTok Kasat Binmas", dirPeriods},
}

// dirPeriods are the periods of the ranking and Kasat Binmas reports.
var dirPeriods = []string{"today", "yesterday", "this_week", "last_week", "this_month", "last_month"}

func dirActionOf(n int) (dirAction, bool) {
	for _, a := range dirActions {
		if a.n == n {
			return a, true
		}
	}
	return dirAction{}, false
}

// startDirMenu opens dirrequest for an eligible dashboard user.
func (r *Router) startDirMenu(t *turn) error {
	if r.d.DashUsers == nil {
		return t.reply(txtDirDenied)
	}
	users, err := r.d.DashUsers.DashboardUsersByWhatsApp(t.ctx, t.number)
	if err != nil {
		return err
	}
	eligible := false
	for _, u := range users {
		eligible = eligible || (u.Approved && !strings.EqualFold(u.Role, person.RoleOperator))
	}
	if !eligible {
		return t.reply(txtDirDenied)
	}
	clients, err := r.d.Directory.Clients(t.ctx, "direktorat", true)
	if err != nil {
		return err
	}
	if len(clients) == 0 {
		return t.reply("❌ Belum ada client direktorat yang aktif.")
	}
	st := state{Menu: menuDir, Step: dirPickClient}
	lines := []string{"Pilih client direktorat (balas nomor atau client_id):"}
	for i, c := range clients {
		st.Options = append(st.Options, c.ID)
		lines = append(lines, fmt.Sprintf("%d. %s - %s", i+1, c.ID, c.Nama))
	}
	if err := t.setState(st, ttlMenu); err != nil {
		return err
	}
	return t.reply(strings.Join(lines, "\n"))
}

func dirMenuText(c Client) string {
	lines := []string{"┏━━━ *MENU DIREKTORAT* ━━━", fmt.Sprintf("🏢 Client: *%s* (%s)", c.Nama, c.ID)}
	for _, a := range dirActions {
		lines = append(lines, fmt.Sprintf("%d. %s", a.n, a.label))
	}
	return strings.Join(append(lines, "Balas nomor menu, atau *batal* untuk keluar."), "\n")
}

// dirStep runs one step of the directorate menu.
func (r *Router) dirStep(t *turn, st state) error {
	w := t.word()
	if w == "cancel" || w == "exit" {
		if err := t.endState(); err != nil {
			return err
		}
		return t.reply(txtDirExit)
	}
	id := st.ClientID
	if st.Step == dirPickClient {
		var ok bool
		if id, ok = pick(st.Options, t.text); !ok {
			return t.reply(txtBadChoice)
		}
	}
	c, found, err := r.d.Directory.Client(t.ctx, id)
	if err != nil {
		return err
	}
	if !found {
		return t.endState()
	}
	menu := state{Menu: menuDir, Step: dirMain, ClientID: c.ID}
	if st.Step == dirPickClient || w == "0" || w == "menu" || w == "kembali" || w == "back" {
		if err := t.setState(menu, ttlMenu); err != nil {
			return err
		}
		return t.reply(dirMenuText(c))
	}
	var a dirAction
	period := ""
	if st.Step == dirPeriod {
		a, _ = dirActionOf(st.Action)
		var ok bool
		if period, ok = pick(a.periods, t.text); !ok {
			return t.reply(txtBadChoice)
		}
	} else {
		n, err := strconv.Atoi(strings.TrimSpace(t.text))
		var ok bool
		if a, ok = dirActionOf(n); err != nil || !ok {
			return t.reply(txtBadChoice)
		}
		if len(a.periods) > 0 {
			if err := t.setState(state{Menu: menuDir, Step: dirPeriod, ClientID: c.ID, Action: a.n}, ttlMenu); err != nil {
				return err
			}
			return t.reply(fmt.Sprintf("Pilih periode *%s*:\n%s\n0. Kembali", a.label, numbered(a.periods)))
		}
	}
	if err := t.setState(menu, ttlMenu); err != nil {
		return err
	}
	return r.dirReport(t, c, a, period)
}

// dirReport builds one report and sends its parts to the chat.
func (r *Router) dirReport(t *turn, c Client, a dirAction, period string) error {
	if r.d.Reports == nil {
		return t.reply("❌ Laporan direktorat belum tersedia pada server ini.")
	}
	parts, err := r.d.Reports.Build(t.ctx, c.ID, a.n, Options{Period: period, ReferenceDate: r.cfg.Now(),
		RoleFlag: strings.ToLower(c.ID)})
	if errors.Is(err, ErrNoSuchReport) {
		return t.replyf("❌ Laporan %d belum tersedia.", a.n)
	}
	if err != nil {
		// A report that cannot be built now is answered, not retried
		// by redelivery.
		r.log.Warn("directorate report failed", "client", c.ID, "action", a.n, "error", err)
		return t.reply(txtDirFailed)
	}
	if len(parts) == 0 {
		return t.reply("Data tidak ditemukan.")
	}
	for _, p := range parts {
		if err := t.send(t.chat, p.Text, p.Document); err != nil {
			return err
		}
	}
	return nil
}
