package inbound

import (
	"strings"
)

// adminPrefixes are the ADMIN_WHATSAPP-only commands (spec/ops.md §3.7),
// matched on the lower-cased text. clientrequest, which the old router
// let anyone open, is one of them.
var adminPrefixes = []string{
	"addnewclient#", "updateclient#", "clientinfo#", "removeclient#", "thisgroup#",
	"transferuser#", "sheettransfer#", "fetchinsta#", "fetchtiktok#", "fetchlikes#", "fetchcomments#",
	"absensilikes#", "absensikomentar#", "approvedash#", "denydash#", "grantdashsub#", "denydashsub#",
	"grant access", "deny access", "grantsub#", "denysub#", "savecontact", "clientrequest",
}

// adminCommand names the admin command a text starts with.
func adminCommand(w string) (string, bool) {
	for _, p := range adminPrefixes {
		if strings.HasPrefix(w, p) {
			return p, true
		}
	}
	return "", false
}

// args splits "cmd#a#b" into its trimmed arguments after the command.
func (t *turn) args() []string {
	parts := strings.Split(strings.TrimSpace(t.text), "#")
	out := make([]string, 0, len(parts))
	for _, p := range parts[1:] {
		out = append(out, strings.TrimSpace(p))
	}
	return out
}

// arg is the i-th argument or "".
func arg(a []string, i int) string {
	if i < len(a) {
		return a[i]
	}
	return ""
}

// admin runs an admin command; the sender is an admin.
func (r *Router) admin(t *turn, cmd string) error {
	a := t.args()
	switch cmd {
	case "addnewclient#":
		return r.addClient(t, a)
	case "updateclient#":
		return r.updateClient(t, a)
	case "clientinfo#":
		return r.clientInfo(t, arg(a, 0))
	case "removeclient#":
		return t.reply("❌ removeclient# tidak tersedia: riwayat client tidak dihapus. Nonaktifkan client dengan updateclient#<client_id>#client_status#false.")
	case "thisgroup#":
		return t.reply("❌ thisgroup# harus dikirim dari grup WhatsApp client yang dimaksud.")
	case "fetchinsta#", "fetchlikes#":
		return r.fetch(t, arg(a, 0), "instagram")
	case "fetchtiktok#", "fetchcomments#":
		return r.fetch(t, arg(a, 0), "tiktok")
	case "approvedash#", "denydash#":
		return r.dashApproval(t, cmd == "approvedash#", arg(a, 0))
	case "grant access", "grantdashsub#":
		return r.premiumDecision(t, cmd, true)
	case "deny access", "denydashsub#":
		return r.premiumDecision(t, cmd, false)
	case "grantsub#", "denysub#":
		return r.personnelPremium(t, cmd == "grantsub#", arg(a, 0))
	case "absensilikes#":
		return r.absensi(t, a, "instagram")
	case "absensikomentar#":
		return r.absensi(t, a, "tiktok")
	case "clientrequest":
		return t.reply(adminHelp)
	case "savecontact":
		return r.saveContacts(t)
	}
	// transferuser# and sheettransfer# (Google Sheets import) are not
	// served by this router yet.
	return t.replyf("❌ Perintah %s belum tersedia melalui WhatsApp.", strings.TrimSuffix(cmd, "#"))
}

const adminHelp = "📋 *Perintah Admin*\n" +
	"• addnewclient#<client_id>#<nama>\n" +
	"• updateclient#<client_id>#<field>#<nilai>\n" +
	"• clientinfo#<client_id>\n" +
	"• thisgroup#<client_id> (kirim dari grup client)\n" +
	"• fetchinsta#<client_id>, fetchtiktok#<client_id>, fetchlikes#<client_id>, fetchcomments#<client_id>\n" +
	"• approvedash#<username>, denydash#<username>\n" +
	"• grant access#<username/dashboard_user_id>[#tier], deny access#<username/dashboard_user_id>\n" +
	"• grantdashsub#<token>[#tier], denydashsub#<token>\n" +
	"• absensilikes#<client_id>[#sudah|#belum], absensikomentar#<client_id>[#sudah|#belum]\n" +
	"• grantsub#<request_id>, denysub#<request_id>\n" +
	"• savecontact"

// absensi is absensilikes#/absensikomentar#<id>[#akumulasi][#sudah|belum]:
// the client's attendance recap of today.
func (r *Router) absensi(t *turn, a []string, platform string) error {
	cmd := map[string]string{"instagram": "absensilikes", "tiktok": "absensikomentar"}[platform]
	mode := "all"
	for _, m := range a[min(1, len(a)):] {
		switch strings.ToLower(m) {
		case "akumulasi", "":
		case "sudah", "belum":
			mode = strings.ToLower(m)
		default:
			return t.replyf("Format salah! Gunakan: %s#<client_id>[#sudah|#belum]", cmd)
		}
	}
	id := arg(a, 0)
	if id == "" {
		return t.replyf("Format salah! Gunakan: %s#<client_id>[#sudah|#belum]", cmd)
	}
	if r.d.Absensi == nil {
		return t.replyf("❌ Perintah %s belum tersedia pada server ini.", cmd)
	}
	c, found, err := r.d.Directory.Client(t.ctx, id)
	if err != nil {
		return err
	}
	if !found {
		return t.replyf("❌ Client *%s* tidak ditemukan.", strings.ToUpper(id))
	}
	text, err := r.d.Absensi.Absensi(t.ctx, c.ID, platform, mode, "", r.cfg.Now())
	if err != nil {
		return err
	}
	return t.reply(text)
}
