package premium

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
)

// RequestPremium is a dashboard user's request for premium
// (POST /api/premium/request). DashboardUserID is the requester (from the
// session); the rest is the body. Checks, in the legacy order (spec
// access.md §3.4), each refusal's code and message:
//  1. the requester is a registered, approved dashboard user, else
//     Unauthorized "Dashboard user tidak valid";
//  2. client: the user has no clients → Forbidden "Dashboard user belum
//     memiliki relasi client"; a client_id not among the user's → Forbidden
//     "client_id tidak valid untuk pengguna ini" (compared
//     case-insensitively, unlike the legacy exact match, quirk #34); none
//     given and the user has one → that one; several → Invalid
//     "client_id wajib diisi";
//  3. bank_name, account_number, sender_name in that order → Invalid
//     "<field> wajib diisi";
//  4. an open request (pending or confirmed, deadline not reached) →
//     Conflict "Permintaan premium sebelumnya masih diproses. Tunggu hingga
//     selesai sebelum mengajukan kembali.".
//
// Then: status confirmed with a proof_url, else pending; the admin's
// deadline (expired_at) is now + 48 h / 24 h, or an earlier ExpiredAt
// override (one after that window, or not after now, is Invalid
// "expired_at tidak valid"). whatsapp defaults to the user's (stored 62…);
// transfer_amount is a decimal ("150000.50"); premium_tier is lower-cased
// and not checked (the admin names the granted tier); metadata must be a
// JSON object. A request whose deadline passed without the expiry job
// noticing is closed (PremiumRequestExpired) in the same message.
// RequestToken may be given (a UUID); the handler otherwise derives it from
// the command id (RequestTokenFor).
type RequestPremium struct {
	DashboardUserID       string          `json:"dashboard_user_id"`
	RequestToken          string          `json:"request_token,omitempty"`
	ClientID              string          `json:"client_id"`
	WhatsApp              string          `json:"whatsapp"`
	BankName              string          `json:"bank_name"`
	AccountNumber         string          `json:"account_number"`
	SenderName            string          `json:"sender_name"`
	TransferAmount        string          `json:"transfer_amount"`
	PremiumTier           string          `json:"premium_tier"`
	ProofURL              string          `json:"proof_url"`
	SubscriptionExpiresAt *time.Time      `json:"subscription_expires_at,omitempty"`
	ExpiredAt             *time.Time      `json:"expired_at,omitempty"`
	Metadata              json.RawMessage `json:"metadata,omitempty"`
}

func (cmd RequestPremium) decide(ctx context.Context, l *commands.Loader, d decision) ([]events.Commit, error) {
	unauthorized := &apperr.Error{Code: apperr.Unauthorized, Message: msgUserInvalid}
	id, err := parseUserID(cmd.DashboardUserID, unauthorized)
	if err != nil {
		return nil, err
	}
	token, ok := parseToken(cmd.RequestToken)
	if !ok || token == "" {
		return nil, invalid("request_token", msgRequestTokenInvalid)
	}
	p, v, err := Load(ctx, l, id)
	if err != nil {
		return nil, err
	}
	u, _, err := dashuser.Load(ctx, l, id)
	if err != nil {
		return nil, err
	}
	if !u.Registered || !u.Approved() {
		return nil, unauthorized
	}
	ev, err := cmd.event(u, d.now)
	if err != nil {
		return nil, err
	}
	if p.OpenRequest(d.now) != nil {
		return nil, &apperr.Error{Code: apperr.Conflict, Message: msgOpenRequest}
	}
	if p.Request(token) != nil {
		// Only a caller reusing a token lands here: derived tokens are unique.
		return nil, invalid("request_token", msgRequestTokenInvalid)
	}
	ev.DashboardUserID, ev.RequestToken = id, token
	var evs []events.Payload
	for _, r := range p.staleRequests(d.now) {
		evs = append(evs, events.PremiumRequestExpired{DashboardUserID: id, RequestToken: r.Token, At: d.now})
	}
	return p.commit(v, append(evs, ev)...), nil
}

// event validates the body against the requester (checks 2 and 3) and
// builds the event without its ids.
func (cmd RequestPremium) event(u dashuser.User, now time.Time) (events.PremiumRequested, error) {
	ev := events.PremiumRequested{Username: u.Username, SubscriptionExpiresAt: cmd.SubscriptionExpiresAt}
	var err error
	if ev.ClientID, err = resolveClient(u.ClientIDs, cmd.ClientID); err != nil {
		return ev, err
	}
	for _, f := range []struct {
		name string
		dst  *string
		v    string
	}{{"bank_name", &ev.BankName, cmd.BankName}, {"account_number", &ev.AccountNumber, cmd.AccountNumber},
		{"sender_name", &ev.SenderName, cmd.SenderName}, {"proof_url", &ev.ProofURL, cmd.ProofURL},
		{"premium_tier", &ev.PremiumTier, strings.ToLower(cmd.PremiumTier)}} {
		if *f.dst, err = text(f.name, f.v); err != nil {
			return ev, err
		}
		if *f.dst == "" && f.name != "proof_url" && f.name != "premium_tier" {
			return ev, required(f.name)
		}
	}
	if ev.TransferAmount, err = parseAmount(cmd.TransferAmount); err != nil {
		return ev, err
	}
	wa := cmd.WhatsApp
	if strings.TrimSpace(wa) == "" {
		wa = u.WhatsApp
	}
	if ev.WhatsApp, err = parseWhatsApp(wa); err != nil {
		return ev, err
	}
	if ev.Metadata, err = parseMetadata(cmd.Metadata); err != nil {
		return ev, err
	}
	window := pendingWindow
	ev.Status = events.PremiumStatusPending
	if ev.ProofURL != "" {
		ev.Status, window = events.PremiumStatusConfirmed, confirmedWindow
	}
	ev.ExpiredAt, err = deadline(now, cmd.ExpiredAt, window)
	return ev, err
}

// resolveClient picks the request's client among the user's (legacy
// resolution, compared case-insensitively, stored as the user's spelling).
func resolveClient(clientIDs []string, requested string) (string, error) {
	requested = strings.TrimSpace(requested)
	switch {
	case len(clientIDs) == 0:
		return "", &apperr.Error{Code: apperr.Forbidden, Field: "client_id", Message: msgNoClients}
	case requested != "":
		for _, c := range clientIDs {
			if strings.EqualFold(c, requested) {
				return c, nil
			}
		}
		return "", &apperr.Error{Code: apperr.Forbidden, Field: "client_id", Message: msgClientInvalid}
	case len(clientIDs) == 1:
		return clientIDs[0], nil
	}
	return "", required("client_id")
}
