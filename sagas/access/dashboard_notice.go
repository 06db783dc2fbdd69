package access

import (
	"context"
	"strings"
	"time"

	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/sagas"
)

// DashboardNoticeName names the dashboard registration and approval
// notices saga.
const DashboardNoticeName = "access-dashboard-notice"

// noticeMaxAge: a registration or approval notice not sent within half a
// day is stale news; a saga started late, or replaying history, skips it.
const noticeMaxAge = 12 * time.Hour

// Legacy texts of the registration and approval notices (spec/access.md
// §2.5, §2.6; spec/ops.md §3.9).
const (
	registeredText = "📋 Permintaan registrasi dashboard Anda telah diterima dan menunggu persetujuan admin."
	approvedText   = "✅ Registrasi dashboard Anda telah disetujui.\nUsername: "
	rejectedText   = "❌ Registrasi dashboard Anda ditolak.\nUsername: "
)

// DashboardNotice tells a registrant that the registration arrived and the
// admins (ADMIN_WHATSAPP, as waid.Admins gives them) that it waits for
// them, with the approvedash#/denydash# reply hint; it tells the user when
// an admin approved or rejected the account. An approval event names only
// the user: the username and number come from the account's own history
// up to the approval. An account created already approved (`cicero admin
// dashboard-user create`: registration and approval in one message) asked
// nobody and is told nothing. All from the main session, as the legacy
// did.
func DashboardNotice(store sagas.HistoryStore, admins []string) sagas.Saga {
	return sagas.Saga{
		Name:    DashboardNoticeName,
		Streams: []string{"ACCESS"},
		EventTypes: events.Types(events.DashboardUserRegistered{}, events.DashboardUserApproved{},
			events.DashboardUserRejected{}),
		MaxAge: noticeMaxAge,
		Store:  store,
		DecideAt: func(ctx context.Context, h sagas.History, env events.Envelope, p events.Payload) ([]sagas.Message, error) {
			facts, err := h.Own(ctx)
			if err != nil {
				return nil, err
			}
			if createdApproved(facts, env.Position) {
				return nil, nil
			}
			u := dashuser.User{}
			for _, f := range facts {
				u.Apply(f.Payload)
			}
			switch e := p.(type) {
			case *events.DashboardUserRegistered:
				out := sagas.WhatsAppTo(e.WhatsApp, registeredText, sagas.SessionMain)
				return append(out, sagas.WhatsAppToAll(admins, RegistrationAdminText(e), sagas.SessionMain)...), nil
			case *events.DashboardUserApproved:
				return sagas.WhatsAppTo(u.WhatsApp, approvedText+u.Username, sagas.SessionMain), nil
			case *events.DashboardUserRejected:
				return sagas.WhatsAppTo(u.WhatsApp, rejectedText+u.Username, sagas.SessionMain), nil
			}
			return nil, nil
		},
	}
}

// createdApproved reports that the message at position created the
// account already approved (by an admin, not asked for). Later approvals
// and rejections of such an account are notices like any other.
func createdApproved(facts []sagas.Fact, position uint64) bool {
	var registered, approved bool
	for _, f := range facts {
		if f.Env.Position != position {
			continue
		}
		switch f.Payload.(type) {
		case *events.DashboardUserRegistered:
			registered = true
		case *events.DashboardUserApproved:
			approved = true
		}
	}
	return registered && approved
}

// RegistrationAdminText is the admins' approval request for a new
// dashboard registration: the legacy WhatsApp text (spec/ops.md §3.9)
// without its Telegram deprecation note — WhatsApp is our admins' channel
// (approvedash#/denydash#). A registration by e-mail shows the address.
func RegistrationAdminText(e *events.DashboardUserRegistered) string {
	var b strings.Builder
	b.WriteString("📋 Permintaan User Approval dengan data sebagai berikut :")
	b.WriteString("\nUsername: " + e.Username)
	b.WriteString("\nID: " + e.DashboardUserID)
	b.WriteString("\nRole: " + orDash(e.Role))
	b.WriteString("\nWhatsApp: " + orDash(e.WhatsApp))
	if e.Email != "" {
		b.WriteString("\nEmail: " + e.Email)
	}
	b.WriteString("\nClient ID: " + orDash(strings.Join(e.ClientIDs, ", ")))
	b.WriteString("\n\nBalas approvedash#" + e.Username + " untuk menyetujui atau denydash#" + e.Username + " untuk menolak.")
	return b.String()
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}
