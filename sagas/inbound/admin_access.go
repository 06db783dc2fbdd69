package inbound

import (
	"regexp"
	"strings"

	"github.com/google/uuid"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/commands/personnelpremium"
	"github.com/cicero/cicero/commands/premium"
	"github.com/cicero/cicero/internal/apperr"
)

// The admin commands on dashboard accounts and premium requests
// (spec/access.md §2.6, §3.5, §3.8).

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
