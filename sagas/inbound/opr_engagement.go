package inbound

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/cicero/cicero/commands/person"
)

// The operator menu's engagement attendance of the client's operators.

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
