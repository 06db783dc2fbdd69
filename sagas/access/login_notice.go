package access

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/commands/penmasuser"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/sagas"
)

// LoginNoticeName names the admins' login notices saga.
const LoginNoticeName = "access-login-notice"

// loginMaxAge: a login notice is news for minutes; one not sent within the
// hour is dropped.
const loginMaxAge = time.Hour

// LoginNotice tells the admins (ADMIN_WHATSAPP) of every dashboard and
// Penmas login, with the legacy texts (spec/access.md §2.7, §2.9;
// spec/ops.md §1.4) and the login's time in Jakarta. The login events name
// only the account; username, role and clients come from the account's own
// history up to the login. Personnel (mobile) and client-operator logins
// record no event, so they have no notice.
func LoginNotice(store sagas.HistoryStore, admins []string) sagas.Saga {
	return sagas.Saga{
		Name:       LoginNoticeName,
		Streams:    []string{"ACCESS"},
		EventTypes: events.Types(events.DashboardUserLoggedIn{}, events.PenmasUserLoggedIn{}),
		MaxAge:     loginMaxAge,
		Store:      store,
		DecideAt: func(ctx context.Context, h sagas.History, _ events.Envelope, p events.Payload) ([]sagas.Message, error) {
			if len(admins) == 0 {
				return nil, nil
			}
			facts, err := h.Own(ctx)
			if err != nil {
				return nil, err
			}
			var text string
			switch e := p.(type) {
			case *events.DashboardUserLoggedIn:
				var u dashuser.User
				for _, f := range facts {
					u.Apply(f.Payload)
				}
				text = DashboardLoginText(u.Username, u.Role, u.ClientIDs, e.At)
			case *events.PenmasUserLoggedIn:
				var u penmasuser.User
				for _, f := range facts {
					u.Apply(f.Payload)
				}
				text = fmt.Sprintf("🔑 Login Penmas: %s (%s)\nWaktu: %s", u.Username, u.Role, jakarta.LocaleString(e.At))
			default:
				return nil, nil
			}
			return sagas.WhatsAppToAll(admins, text, sagas.SessionMain), nil
		},
	}
}

// DashboardLoginText is the legacy dashboard login notice: "Client ID" for
// one client, "Client IDs" joined with ", " for several.
func DashboardLoginText(username, role string, clients []string, at time.Time) string {
	label := "Client IDs"
	if len(clients) == 1 {
		label = "Client ID"
	}
	return fmt.Sprintf("🔑 Login dashboard: %s (%s)\n%s: %s\nWaktu: %s", username, role, label,
		strings.Join(clients, ", "), jakarta.LocaleString(at))
}
