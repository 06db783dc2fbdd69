package inbound

import (
	"strings"

	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/internal/jakarta"
)

// The operator menu's amplification (spec/ops.md §3.7): the routine task
// update (the Instagram fetch now) and the link recaps of the client's
// operators for today and yesterday. The special tasks and the per-post
// and per-user reports of the old menu are not offered.

const oprAmplifyMenu = "*Manajemen Amplifikasi*\n1️⃣ Update tugas rutin (ambil konten Instagram terbaru)\n" +
	"2️⃣ Rekap link harian\n3️⃣ Rekap link kemarin\n0️⃣ Kembali"

func (r *Router) oprAmplifyStep(t *turn, st state, c Client) error {
	switch strings.TrimSpace(t.text) {
	case "1":
		return r.fetch(t, c.ID, "instagram")
	case "2", "3":
		if r.d.Links == nil {
			return t.reply("❌ Rekap link belum tersedia pada server ini.")
		}
		now := r.cfg.Now()
		day := now
		if strings.TrimSpace(t.text) == "3" {
			day = now.In(jakarta.Location).AddDate(0, 0, -1)
		}
		text, err := r.d.Links.AbsensiLink(t.ctx, c.ID, jakarta.Date(day), person.RoleOperator, now)
		if err != nil {
			return err
		}
		if err := t.reply(text); err != nil {
			return err
		}
		return r.oprGo(t, st, oprAmplify, oprAmplifyMenu)
	}
	return t.reply(txtBadChoice)
}
