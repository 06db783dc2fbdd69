package premium

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/sagas"
)

// UserNoticeName names the premium requester notices saga.
const UserNoticeName = "premium-user-notice"

// Legacy texts of the requester notices (spec/access.md §3.5, §3.8;
// spec/ops.md §3.7).
const (
	grantedText          = "✅ Permintaan premium dashboard Anda disetujui. Silakan login ulang untuk memuat hak akses terbaru."
	deniedText           = "❌ Permintaan premium dashboard Anda ditolak. Silakan hubungi admin untuk informasi lebih lanjut."
	personnelGrantedText = "✅ Langganan premium Anda aktif."
	personnelDeniedText  = "❌ Permintaan langganan Anda ditolak."
)

// UserNotice tells the people premium is about what happened, each at the
// number history gives for them at the event, with the legacy texts:
//   - a dashboard request approved or denied: the number of the request
//     (main session); a grant without a request (an admin's direct grant)
//     tells nobody, as the legacy had no such path;
//   - a dashboard subscription ended by the expiry job: the dashboard
//     user's number, tier and end in Jakarta (the legacy fallback chain,
//     so no session);
//   - a dashboard request expired unanswered: its number (fallback chain),
//     unless the user's new request closed it in the same message;
//   - a personnel request granted or denied (grantsub#/denysub# or the
//     REST approval): the person's number in the directory at that moment
//     (main session).
//
// No number, or one too short to be a chat, means no message.
func UserNotice(store sagas.HistoryStore) sagas.Saga {
	return sagas.Saga{
		Name:    UserNoticeName,
		Streams: []string{"PREMIUM"},
		EventTypes: events.Types(events.PremiumGranted{}, events.PremiumRequestRejected{}, events.PremiumExpired{},
			events.PremiumRequestExpired{}, events.PersonnelPremiumGranted{}, events.PersonnelPremiumRequestRejected{}),
		MaxAge:   noticeMaxAge,
		Store:    store,
		DecideAt: decideUserNotice,
	}
}

func decideUserNotice(ctx context.Context, h sagas.History, env events.Envelope, p events.Payload) ([]sagas.Message, error) {
	switch e := p.(type) {
	case *events.PremiumGranted:
		return requesterNotice(ctx, h, e.RequestToken, grantedText)
	case *events.PremiumRequestRejected:
		return requesterNotice(ctx, h, e.RequestToken, deniedText)
	case *events.PremiumExpired:
		return subscriptionEnded(ctx, h, e)
	case *events.PremiumRequestExpired:
		if closed, err := requestedAt(ctx, h, env.Position); err != nil || closed {
			return nil, err
		}
		prem, ids, err := dashboardPremium(ctx, h)
		if err != nil {
			return nil, err
		}
		r := prem.Request(e.RequestToken)
		if r == nil {
			return nil, nil
		}
		text := fmt.Sprintf("⏰ Permintaan premium dashboard Anda kedaluwarsa.\nID: %d\nTier: %s\n"+
			"Silakan ajukan ulang jika masih memerlukan akses premium.", ids[r.Token], sagas.OrDash(r.PremiumTier))
		return sagas.WhatsAppTo(r.WhatsApp, text, ""), nil
	case *events.PersonnelPremiumGranted:
		return personNotice(ctx, h, e.UserID, personnelGrantedText)
	case *events.PersonnelPremiumRequestRejected:
		return personNotice(ctx, h, e.UserID, personnelDeniedText)
	}
	return nil, nil
}

// requesterNotice sends text to the number of the dashboard request token.
func requesterNotice(ctx context.Context, h sagas.History, token, text string) ([]sagas.Message, error) {
	if token == "" {
		return nil, nil
	}
	prem, _, err := dashboardPremium(ctx, h)
	if err != nil {
		return nil, err
	}
	r := prem.Request(token)
	if r == nil {
		return nil, nil
	}
	return sagas.WhatsAppTo(r.WhatsApp, text, sagas.SessionMain), nil
}

// subscriptionEnded is the legacy cronDashboardSubscriptionExpiry message
// to the dashboard user's number. An event closing several subscriptions
// says each in one message (one row per event and recipient).
func subscriptionEnded(ctx context.Context, h sagas.History, e *events.PremiumExpired) ([]sagas.Message, error) {
	prem, _, err := dashboardPremium(ctx, h)
	if err != nil {
		return nil, err
	}
	u, err := dashboardUser(ctx, h, e.DashboardUserID)
	if err != nil {
		return nil, err
	}
	var texts []string
	for _, s := range prem.Subscriptions {
		if slices.Contains(e.SubscriptionIDs, s.ID) {
			texts = append(texts, SubscriptionEndedText(s.Tier, s.ExpiresAt))
		}
	}
	if len(texts) == 0 {
		return nil, nil
	}
	return sagas.WhatsAppTo(u.WhatsApp, strings.Join(texts, "\n\n"), ""), nil
}

// personNotice sends text to the person's number in the directory as it
// stood at the event.
func personNotice(ctx context.Context, h sagas.History, nrp, text string) ([]sagas.Message, error) {
	p, err := personOf(ctx, h, nrp)
	if err != nil {
		return nil, err
	}
	return sagas.WhatsAppTo(p.WhatsApp, text, sagas.SessionMain), nil
}

// SubscriptionEndedText is the legacy subscription-ended message: the tier
// in bold (left out when there is none) and the end as an id-ID long date
// and short time in Jakarta.
func SubscriptionEndedText(tier string, expiresAt time.Time) string {
	label := ""
	if tier != "" {
		label = " *" + tier + "*"
	}
	return "🔔 Langganan dashboard Anda sudah berakhir.\nPaket" + label + " berakhir pada " +
		jakarta.LongDateTime(expiresAt) + ".\nSilakan hubungi admin untuk memperpanjang akses."
}
