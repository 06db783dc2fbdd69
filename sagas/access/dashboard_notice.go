package access

import (
	"context"
	"strings"
	"time"

	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/sagas"
)

// Names of the dashboard registration and approval notices sagas: one
// for the account's owner, one for the admins (two sagas, so an admin who
// registers gets both messages: the outbox keeps one row per event and
// recipient in a saga).
const (
	DashboardNoticeName         = "access-dashboard-notice"
	RegistrationAdminNoticeName = "access-registration-admin-notice"
)

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

// DashboardNotice tells a registrant that the registration arrived, and
// the user when an admin approved or rejected the account, at the
// account's WhatsApp number. An approval event names only the user: the
// username and number come from the account's own history up to the
// approval. An account created already approved (`cicero admin
// dashboard-user create`: registration and approval in one message) asked
// nobody and is told nothing. From the main session, as the legacy did.
// An account registered with an e-mail address only has no WhatsApp
// notice (the legacy had none either).
func DashboardNotice(store sagas.HistoryStore) sagas.Saga {
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
				return sagas.WhatsAppTo(e.WhatsApp, registeredText, sagas.SessionMain), nil
			case *events.DashboardUserApproved:
				return sagas.WhatsAppTo(u.WhatsApp, approvedText+u.Username, sagas.SessionMain), nil
			case *events.DashboardUserRejected:
				return sagas.WhatsAppTo(u.WhatsApp, rejectedText+u.Username, sagas.SessionMain), nil
			}
			return nil, nil
		},
	}
}

// RegistrationAdminNotice asks the admins (ADMIN_WHATSAPP, as waid.Admins
// gives them) to approve each new dashboard registration, with the
// approvedash#/denydash# reply hint (RegistrationAdminText), from the main
// session. Accounts created already approved are not asked about.
func RegistrationAdminNotice(store sagas.HistoryStore, admins []string) sagas.Saga {
	return sagas.Saga{
		Name:       RegistrationAdminNoticeName,
		Streams:    []string{"ACCESS"},
		EventTypes: events.Types(events.DashboardUserRegistered{}),
		MaxAge:     noticeMaxAge,
		Store:      store,
		DecideAt: func(ctx context.Context, h sagas.History, env events.Envelope, p events.Payload) ([]sagas.Message, error) {
			e, ok := p.(*events.DashboardUserRegistered)
			if !ok || len(admins) == 0 {
				return nil, nil
			}
			facts, err := h.Own(ctx)
			if err != nil || createdApproved(facts, env.Position) {
				return nil, err
			}
			return sagas.WhatsAppToAll(admins, RegistrationAdminText(e), sagas.SessionMain), nil
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
	b.WriteString("\nRole: " + sagas.OrDash(e.Role))
	b.WriteString("\nWhatsApp: " + sagas.OrDash(e.WhatsApp))
	if e.Email != "" {
		b.WriteString("\nEmail: " + e.Email)
	}
	b.WriteString("\nClient ID: " + sagas.OrDash(strings.Join(e.ClientIDs, ", ")))
	b.WriteString("\n\nBalas approvedash#" + e.Username + " untuk menyetujui atau denydash#" + e.Username + " untuk menolak.")
	return b.String()
}
