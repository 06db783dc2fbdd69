package inbound

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/google/uuid"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/commands/personnelpremium"
	"github.com/cicero/cicero/commands/premium"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/waid"
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

func on(b bool) *bool { return &b }

// addClient is addnewclient#<id>#<nama>: a client with every channel off
// but the client itself active (spec/ops.md §3.7).
func (r *Router) addClient(t *turn, a []string) error {
	id, nama := arg(a, 0), arg(a, 1)
	if id == "" || nama == "" {
		return t.reply("Format salah! Gunakan: addnewclient#<client_id>#<nama>")
	}
	ok, err := t.run("", func(m commands.Meta) (commands.Outcome, error) {
		return r.d.Commands.Client.RegisterClient(t.ctx, m, client.RegisterClient{ClientID: id, Nama: nama,
			InstaStatus: on(false), TiktokStatus: on(false), AmplifyStatus: on(false)})
	})
	if err != nil || !ok {
		return err
	}
	return t.replyf("✅ Client *%s* (%s) berhasil ditambahkan.", strings.ToUpper(id), nama)
}

// clientFields are updateclient#'s field names: the text ones set a
// string, the status ones a boolean.
var clientFields = map[string]func(*client.UpdateClient, string, bool){
	"nama":                  func(u *client.UpdateClient, s string, _ bool) { u.Nama = &s },
	"client_type":           func(u *client.UpdateClient, s string, _ bool) { u.ClientType = &s },
	"client_insta":          func(u *client.UpdateClient, s string, _ bool) { u.ClientInsta = &s },
	"client_tiktok":         func(u *client.UpdateClient, s string, _ bool) { u.ClientTiktok = &s },
	"client_operator":       func(u *client.UpdateClient, s string, _ bool) { u.ClientOperator = &s },
	"client_group":          func(u *client.UpdateClient, s string, _ bool) { u.ClientGroup = &s },
	"client_super":          func(u *client.UpdateClient, s string, _ bool) { u.ClientSuper = &s },
	"regional_id":           func(u *client.UpdateClient, s string, _ bool) { u.RegionalID = &s },
	"parent_client_id":      func(u *client.UpdateClient, s string, _ bool) { u.ParentClientID = &s },
	"client_level":          func(u *client.UpdateClient, s string, _ bool) { u.ClientLevel = &s },
	"tiktok_secuid":         func(u *client.UpdateClient, s string, _ bool) { u.TiktokSecUID = &s },
	"client_insta_status":   func(u *client.UpdateClient, _ string, b bool) { u.InstaStatus = &b },
	"client_tiktok_status":  func(u *client.UpdateClient, _ string, b bool) { u.TiktokStatus = &b },
	"client_amplify_status": func(u *client.UpdateClient, _ string, b bool) { u.AmplifyStatus = &b },
}

const clientFieldList = "nama, client_type, client_insta, client_tiktok, client_operator, client_group, client_super, " +
	"regional_id, parent_client_id, client_level, tiktok_secuid, client_status, client_insta_status, " +
	"client_tiktok_status, client_amplify_status"

// updateClient is updateclient#<id>#<field>#<value>.
func (r *Router) updateClient(t *turn, a []string) error {
	id, name, value := arg(a, 0), strings.ToLower(arg(a, 1)), strings.Join(a[min(2, len(a)):], "#")
	if id == "" || name == "" || len(a) < 3 {
		return t.reply("Format salah! Gunakan: updateclient#<client_id>#<field>#<nilai>")
	}
	isBool := strings.HasSuffix(name, "_status")
	var b bool
	if isBool {
		switch strings.ToLower(value) {
		case "true":
			b = true
		case "false":
		default:
			return t.replyf("❌ Nilai %s harus true atau false.", name)
		}
	}
	var run func(commands.Meta) (commands.Outcome, error)
	if name == "client_status" {
		run = func(m commands.Meta) (commands.Outcome, error) {
			return r.d.Commands.Client.SetClientStatus(t.ctx, m, client.SetClientStatus{ClientID: id, Active: b})
		}
	} else {
		set, ok := clientFields[name]
		if !ok {
			return t.replyf("❌ Field %s tidak dikenal. Field yang dapat diubah: %s.", name, clientFieldList)
		}
		upd := client.UpdateClient{ClientID: id, ActorRole: client.RoleAdmin}
		set(&upd, value, b)
		run = func(m commands.Meta) (commands.Outcome, error) {
			return r.d.Commands.Client.UpdateClient(t.ctx, m, upd)
		}
	}
	ok, err := t.run("", run)
	if err != nil || !ok {
		return err
	}
	return t.replyf("✅ Client *%s* diperbarui: %s = %s.", strings.ToUpper(id), name, value)
}

// clientInfo is clientinfo#<id>: the client's fields in the legacy order.
func (r *Router) clientInfo(t *turn, id string) error {
	if id == "" {
		return t.reply("Format salah! Gunakan: clientinfo#<client_id>")
	}
	c, found, err := r.d.Directory.Client(t.ctx, id)
	if err != nil {
		return err
	}
	if !found {
		return t.replyf("❌ Client *%s* tidak ditemukan.", strings.ToUpper(id))
	}
	return t.reply(clientCard(c))
}

func clientCard(c Client) string {
	yes := func(b bool) string {
		if b {
			return "Aktif"
		}
		return "Nonaktif"
	}
	return strings.Join([]string{
		"🏢 *Informasi Client*",
		"*Client ID*: " + c.ID,
		"*Nama*: " + orDash(c.Nama),
		"*Tipe*: " + orDash(c.Type),
		"*Status*: " + yes(c.Active),
		"*Instagram*: " + handleOrDash(c.Insta) + " (" + yes(c.InstaOn) + ")",
		"*TikTok*: " + handleOrDash(c.Tiktok) + " (" + yes(c.TiktokOn) + ")",
		"*Amplifikasi*: " + yes(c.AmplifyOn),
		"*Operator*: " + orDash(c.Operator),
		"*Super Admin*: " + orDash(c.Super),
		"*Grup*: " + orDash(c.Group),
		"*Regional*: " + orDash(c.RegionalID),
		"*Induk*: " + orDash(c.ParentID),
		"*Level*: " + orDash(c.Level),
		"*TikTok SecUID*: " + orDash(c.SecUID),
	}, "\n")
}

// thisGroup is thisgroup#<id> sent in a group by an admin: the group
// becomes the client's group; the admin is told in a private chat and the
// client's operator is informed.
func (r *Router) thisGroup(t *turn) error {
	id := arg(t.args(), 0)
	if id == "" {
		return t.send(t.senderJID, "Format salah! Gunakan: thisgroup#<client_id> (kirim dari grup client)", nil)
	}
	group := waid.GroupJID(t.chat)
	_, err := t.runRaw(func(m commands.Meta) (commands.Outcome, error) {
		return r.d.Commands.Client.UpdateClient(t.ctx, m, client.UpdateClient{ClientID: id, ClientGroup: &group,
			ActorRole: client.RoleAdmin})
	})
	if msg, ok := refusal(err); ok {
		return t.send(t.senderJID, "❌ "+msg, nil)
	}
	if err != nil {
		return err
	}
	id = strings.ToUpper(id)
	if err := t.send(t.senderJID, fmt.Sprintf("✅ Grup %s ditetapkan sebagai grup WhatsApp client *%s*.", group, id), nil); err != nil {
		return err
	}
	c, found, err := r.d.Directory.Client(t.ctx, id)
	if err != nil || !found {
		return err
	}
	if op := waid.UserJID(c.Operator); op != "" && op != t.senderJID {
		return t.send(op, fmt.Sprintf("ℹ️ Grup WhatsApp client *%s* telah ditetapkan oleh admin.", id), nil)
	}
	return nil
}

// runRaw runs a command under the turn's next meta and returns its error
// untouched (the caller answers a refusal itself).
func (t *turn) runRaw(fn func(commands.Meta) (commands.Outcome, error)) (commands.Outcome, error) {
	return fn(t.meta())
}

// dashApproval is approvedash#/denydash#<username>.
func (r *Router) dashApproval(t *turn, approve bool, username string) error {
	cmd := map[bool]string{true: "approvedash", false: "denydash"}[approve]
	if username == "" || r.d.Commands.DashUser == nil {
		return t.replyf("Format salah! Gunakan: %s#<username>", cmd)
	}
	id, err := r.d.Commands.DashUser.IDByUsername(t.ctx, username)
	if apperr.CodeOf(err) == apperr.NotFound {
		return t.replyf("❌ Username dashboard *%s* tidak ditemukan.", username)
	}
	if err != nil {
		return err
	}
	ok, err := t.run("", func(m commands.Meta) (commands.Outcome, error) {
		if approve {
			return r.d.Commands.DashUser.ApproveDashboardUser(t.ctx, m, dashuser.ApproveDashboardUser{DashboardUserID: id,
				ActorRole: dashuser.RoleAdmin, By: t.actor()})
		}
		return r.d.Commands.DashUser.RejectDashboardUser(t.ctx, m, dashuser.RejectDashboardUser{DashboardUserID: id,
			ActorRole: dashuser.RoleAdmin, By: t.actor()})
	})
	if err != nil || !ok {
		return err
	}
	if approve {
		return t.replyf("✅ Registrasi dashboard *%s* disetujui.", username)
	}
	return t.replyf("❌ Registrasi dashboard *%s* ditolak.", username)
}

// accessRE reads "grant access#<who>[#tier]" and "deny access <who>".
var accessRE = regexp.MustCompile(`(?is)^\s*(?:grant|deny)\s+access\s*#?\s*(.*)$`)

// premiumDecision is grant access#/grantdashsub# and deny access#/
// denydashsub# (spec/access.md §3.5).
func (r *Router) premiumDecision(t *turn, cmd string, approve bool) error {
	a := t.args()
	if m := accessRE.FindStringSubmatch(t.text); m != nil {
		// "#" is optional after "grant access" / "deny access".
		a = strings.Split(m[1], "#")
		for i := range a {
			a[i] = strings.TrimSpace(a[i])
		}
	}
	ident := arg(a, 0)
	fail := "❌ Gagal memproses persetujuan: "
	if !approve {
		fail = "❌ Gagal menolak request: "
	}
	if ident == "" || r.d.Commands.Premium == nil || r.d.Commands.DashUser == nil {
		if approve {
			return t.reply("Format salah! Gunakan: grant access#<username/dashboard_user_id> atau grantdashsub#<token>")
		}
		return t.reply("Format salah! Gunakan: deny access#<username/dashboard_user_id> atau denydashsub#<token>")
	}
	userID, token := "", ""
	if strings.HasSuffix(cmd, "dashsub#") {
		token = ident
		if r.d.Premium == nil {
			return t.reply(fail + "data permintaan premium tidak tersedia")
		}
		id, found, err := r.d.Premium.DashboardRequestOwner(t.ctx, token)
		if err != nil {
			return err
		}
		if !found {
			return t.reply("❌ Request tidak ditemukan atau sudah tidak aktif.")
		}
		userID = id
	} else if u, err := uuid.Parse(ident); err == nil {
		userID = u.String()
	} else {
		id, err := r.d.Commands.DashUser.IDByUsername(t.ctx, ident)
		if apperr.CodeOf(err) == apperr.NotFound {
			return t.reply("❌ Request tidak ditemukan atau sudah tidak aktif.")
		}
		if err != nil {
			return err
		}
		userID = id
	}
	u, err := r.d.Commands.DashUser.Get(t.ctx, userID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return t.reply("❌ Request tidak ditemukan atau sudah tidak aktif.")
	}
	if err != nil {
		return err
	}
	by := premium.Actor{ID: t.actor(), Role: premium.RoleAdmin, WhatsApp: t.number}
	ok, err := t.run(strings.TrimPrefix(fail, "❌ "), func(m commands.Meta) (commands.Outcome, error) {
		if approve {
			return r.d.Commands.Premium.ApprovePremium(t.ctx, m, premium.ApprovePremium{DashboardUserID: userID,
				RequestToken: token, Tier: arg(a, 1), By: by})
		}
		return r.d.Commands.Premium.RejectPremium(t.ctx, m, premium.RejectPremium{DashboardUserID: userID,
			RequestToken: token, By: by})
	})
	if err != nil || !ok {
		return err
	}
	if approve {
		return t.replyf("✅ Request dashboard premium disetujui untuk %s.", u.Username)
	}
	return t.replyf("❌ Request dashboard premium ditolak untuk %s.", u.Username)
}

// personnelPremium is grantsub#/denysub#<request_id> (spec/access.md §3.8).
func (r *Router) personnelPremium(t *turn, approve bool, id string) error {
	if id == "" || r.d.Commands.PersonnelPremium == nil || r.d.Premium == nil {
		if approve {
			return t.reply("Format salah! Gunakan: grantsub#id")
		}
		return t.reply("Format salah! Gunakan: denysub#id")
	}
	nrp, found, err := r.d.Premium.PersonnelRequestOwner(t.ctx, id)
	if err != nil {
		return err
	}
	if !found {
		return t.replyf("❌ Request %s tidak valid.", id)
	}
	by := personnelpremium.Actor{ID: t.actor(), Role: personnelpremium.RoleAdmin}
	_, err = t.runRaw(func(m commands.Meta) (commands.Outcome, error) {
		if approve {
			return r.d.Commands.PersonnelPremium.ApproveRequest(t.ctx, m, personnelpremium.ApproveRequest{UserID: nrp, RequestID: id, By: by})
		}
		return r.d.Commands.PersonnelPremium.RejectRequest(t.ctx, m, personnelpremium.RejectRequest{UserID: nrp, RequestID: id, By: by})
	})
	if _, ok := refusal(err); ok {
		// The legacy answer for a request that is not pending.
		return t.replyf("❌ Request %s tidak valid.", id)
	}
	if err != nil {
		return err
	}
	if approve {
		return t.replyf("✅ Request %s disetujui.", id)
	}
	return t.replyf("❌ Request %s ditolak.", id)
}

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
