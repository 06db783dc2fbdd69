package premium

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/waid"
	"github.com/cicero/cicero/sagas"
)

// AdminNoticeName names the premium admin notices saga.
const AdminNoticeName = "premium-admin-notice"

// noticeMaxAge: a premium notice not sent within half a day is stale; a
// saga started late, or replaying history, skips it.
const noticeMaxAge = 12 * time.Hour

// AdminNotice tells the admins (ADMIN_WHATSAPP as waid.Admins gives them,
// from the main session, like the legacy sendWAReport):
//   - of each new dashboard premium request (buildDashboardPremiumRequestMessage,
//     with the grant access#/deny access reply hint). A later confirmation
//     is not broadcast again: the legacy re-broadcast only when the first
//     broadcast had not gone out, and ours always goes out through the
//     outbox;
//   - of each request that expired without an answer: the legacy summary
//     of an expiry run, one per request ("⏰ 1 dashboard premium request
//     kedaluwarsa" and its line). The expiry job records one event per
//     request and nothing marks a run's end, so a run-wide summary could
//     not be decided from history alone; a request closed by the same
//     user's new request is not reported (its broadcast tells the admins);
//   - of a personnel premium request whose transfer screenshot was
//     uploaded (the legacy PUT /api/premium-requests/:id notice, with the
//     grantsub#/denysub# hint).
func AdminNotice(store sagas.HistoryStore, admins []string) sagas.Saga {
	return sagas.Saga{
		Name:    AdminNoticeName,
		Streams: []string{"PREMIUM"},
		EventTypes: events.Types(events.PremiumRequested{}, events.PremiumRequestExpired{},
			events.PersonnelPremiumRequestUpdated{}),
		MaxAge: noticeMaxAge,
		Store:  store,
		DecideAt: func(ctx context.Context, h sagas.History, env events.Envelope, p events.Payload) ([]sagas.Message, error) {
			if len(admins) == 0 {
				return nil, nil
			}
			text, err := adminText(ctx, h, env, p)
			if err != nil || text == "" {
				return nil, err
			}
			return sagas.WhatsAppToAll(admins, text, sagas.SessionMain), nil
		},
	}
}

func adminText(ctx context.Context, h sagas.History, env events.Envelope, p events.Payload) (string, error) {
	switch e := p.(type) {
	case *events.PremiumRequested:
		return RequestBroadcastText(e, env.Position), nil
	case *events.PremiumRequestExpired:
		if closed, err := requestedAt(ctx, h, env.Position); err != nil || closed {
			return "", err
		}
		prem, _, err := dashboardPremium(ctx, h)
		if err != nil {
			return "", err
		}
		r := prem.Request(e.RequestToken)
		if r == nil {
			return "", nil // no such request in history: nothing to report
		}
		who := r.Username
		if who == "" {
			who = e.DashboardUserID
		}
		return fmt.Sprintf("⏰ 1 dashboard premium request kedaluwarsa\n- %s (%s)\n  %s | %s | %s", who, r.Token,
			sagas.OrDash(r.ClientID), sagas.OrDash(r.PremiumTier), sagas.OrDash(r.WhatsApp)), nil
	case *events.PersonnelPremiumRequestUpdated:
		if e.ScreenshotURL == nil || *e.ScreenshotURL == "" {
			return "", nil
		}
		prem, err := personnelPremium(ctx, h)
		if err != nil {
			return "", err
		}
		r := prem.Request(e.RequestID)
		if r == nil {
			return "", nil
		}
		return ScreenshotText(e.UserID, r.SenderName, r.AccountNumber, r.BankName, r.ID), nil
	}
	return "", nil
}

// RequestBroadcastText is the legacy admins' message of a new dashboard
// premium request; requestID is the request's number (the stream
// position of its PremiumRequested, as the read model's request_id). The
// WhatsApp line shows the number as the legacy did ("<digits>@c.us").
func RequestBroadcastText(e *events.PremiumRequested, requestID uint64) string {
	who := e.Username
	if who == "" {
		who = e.DashboardUserID
	}
	if who == "" {
		who = "unknown"
	}
	wa := "-"
	if n := waid.Number(e.WhatsApp); n != "" {
		wa = n + "@" + waid.LegacyUserServer
	}
	proofStatus, proofLink := "belum upload bukti transfer", "Belum upload bukti"
	if e.ProofURL != "" {
		proofStatus, proofLink = "sudah upload bukti transfer", e.ProofURL
	}
	return strings.Join([]string{
		"📢 permintaan akses premium",
		"User dashboard:",
		"- Username: " + who,
		"- WhatsApp: " + wa,
		"- Dashboard User ID: " + sagas.OrDash(e.DashboardUserID),
		"Detail permintaan:",
		"- Tier: " + sagas.OrDash(e.PremiumTier),
		"- Client ID: " + sagas.OrDash(e.ClientID),
		"- Username (request): " + who,
		"- Dashboard User ID (request): " + sagas.OrDash(e.DashboardUserID),
		"- Request Token (request): " + sagas.OrDash(e.RequestToken),
		"- Status Bukti Transfer: " + proofStatus,
		"Detail transfer:",
		"- Bank: " + sagas.OrDash(e.BankName),
		"- Nomor Rekening: " + sagas.OrDash(e.AccountNumber),
		"- Nama Pengirim: " + sagas.OrDash(e.SenderName),
		"- Jumlah Transfer: " + rupiah(e.TransferAmount),
		"- Bukti Transfer: " + proofLink,
		fmt.Sprintf("Request ID: %d", requestID),
		"Balas dengan <response pesan grant access#" + who + "> untuk menyetujui atau <response pesan deny access" + who + "> untuk menolak.",
	}, "\n")
}

// ScreenshotText is the legacy admins' notice of a personnel premium
// request with its transfer screenshot.
func ScreenshotText(userID, senderName, account, bank, requestID string) string {
	return fmt.Sprintf("🔔 Permintaan subscription\nUser: %s\nNama: %s\nRek: %s\nBank: %s\nID: %s\n"+
		"Balas grantsub#%s untuk menyetujui atau denysub#%s untuk menolak.",
		userID, senderName, account, bank, requestID, requestID, requestID)
}
