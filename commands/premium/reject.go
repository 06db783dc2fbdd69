package premium

import (
	"context"
	"strings"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
)

// RejectPremium is an admin's denial of a dashboard user's open request
// (WhatsApp "deny access#…", "denydashsub#<token>", the admin API): the
// one named by RequestToken or, without one, the open request. Note is
// optional and kept in the audit. Refusals as for ApprovePremium:
// Forbidden, Invalid "dashboard_user_id tidak valid", NotFound "Request
// tidak ditemukan" / "Request tidak ditemukan atau sudah tidak aktif",
// Invalid "Request sudah memiliki status <status>".
type RejectPremium struct {
	DashboardUserID string `json:"dashboard_user_id"`
	RequestToken    string `json:"request_token,omitempty"`
	Note            string `json:"note,omitempty"`
	By              Actor  `json:"by"`
}

func (cmd RejectPremium) decide(ctx context.Context, l *commands.Loader, d decision) ([]events.Commit, error) {
	by, err := cmd.By.admin(d.actor)
	if err != nil {
		return nil, err
	}
	id, err := parseUserID(cmd.DashboardUserID, invalid("dashboard_user_id", msgUserIDInvalid))
	if err != nil {
		return nil, err
	}
	note, err := text("note", cmd.Note)
	if err != nil {
		return nil, err
	}
	p, v, err := Load(ctx, l, id)
	if err != nil {
		return nil, err
	}
	r, err := p.pickOpen(cmd.RequestToken, d.now)
	if err != nil {
		return nil, err
	}
	return p.commit(v, events.PremiumRequestRejected{DashboardUserID: id, RequestToken: r.Token,
		Note: note, By: by, AdminWhatsApp: strings.TrimSpace(cmd.By.WhatsApp)}), nil
}
