package inbound

import (
	"fmt"
	"strings"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/internal/waid"
	"github.com/cicero/cicero/sagas"
)

// The admin commands on clients (spec/ops.md §3.7).

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
		"*Nama*: " + sagas.OrDash(c.Nama),
		"*Tipe*: " + sagas.OrDash(c.Type),
		"*Status*: " + yes(c.Active),
		"*Instagram*: " + handleOrDash(c.Insta) + " (" + yes(c.InstaOn) + ")",
		"*TikTok*: " + handleOrDash(c.Tiktok) + " (" + yes(c.TiktokOn) + ")",
		"*Amplifikasi*: " + yes(c.AmplifyOn),
		"*Operator*: " + sagas.OrDash(c.Operator),
		"*Super Admin*: " + sagas.OrDash(c.Super),
		"*Grup*: " + sagas.OrDash(c.Group),
		"*Regional*: " + sagas.OrDash(c.RegionalID),
		"*Induk*: " + sagas.OrDash(c.ParentID),
		"*Level*: " + sagas.OrDash(c.Level),
		"*TikTok SecUID*: " + sagas.OrDash(c.SecUID),
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
