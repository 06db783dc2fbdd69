package premium

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
)

// ConfirmRequest is the requester's proof of transfer for one of their
// requests (PUT /api/premium/request/:token/confirm). proof_url is
// required (Invalid "proof_url wajib diisi"); the other fields, when
// given, replace the request's. Refusals: NotFound "Request tidak
// ditemukan" (no such token among the user's requests — the write API may
// tell "Request tidak ditemukan untuk pengguna ini" from the read model);
// Invalid "Request sudah memiliki status <status>" when the request is no
// longer open (an open one past its deadline counts as expired).
//
// The request becomes confirmed with a deadline of now + 48 h (or an
// earlier ExpiredAt override in (now, now+48 h]). A request already
// confirmed keeps its deadline: the legacy API pushed it 48 h further on
// every repeat (quirk #33). Nothing changes → nothing is appended.
type ConfirmRequest struct {
	DashboardUserID       string          `json:"dashboard_user_id"`
	RequestToken          string          `json:"request_token"`
	ProofURL              string          `json:"proof_url"`
	TransferAmount        string          `json:"transfer_amount"`
	BankName              string          `json:"bank_name"`
	AccountNumber         string          `json:"account_number"`
	SenderName            string          `json:"sender_name"`
	PremiumTier           string          `json:"premium_tier"`
	SubscriptionExpiresAt *time.Time      `json:"subscription_expires_at,omitempty"`
	ExpiredAt             *time.Time      `json:"expired_at,omitempty"`
	Metadata              json.RawMessage `json:"metadata,omitempty"`
}

func (cmd ConfirmRequest) decide(ctx context.Context, l *commands.Loader, d decision) ([]events.Commit, error) {
	id, err := parseUserID(cmd.DashboardUserID, &apperr.Error{Code: apperr.Unauthorized, Message: msgUserInvalid})
	if err != nil {
		return nil, err
	}
	proof, err := text("proof_url", cmd.ProofURL)
	if err != nil {
		return nil, err
	}
	if proof == "" {
		return nil, required("proof_url")
	}
	notFound := &apperr.Error{Code: apperr.NotFound, Message: msgRequestNotFound}
	token, ok := parseToken(cmd.RequestToken)
	if !ok || token == "" {
		return nil, notFound
	}
	p, v, err := Load(ctx, l, id)
	if err != nil {
		return nil, err
	}
	r := p.Request(token)
	if r == nil {
		return nil, notFound
	}
	if !r.Open(d.now) {
		return nil, invalid("request_token", fmt.Sprintf(msgRequestStatus, r.EffectiveStatus(d.now)))
	}
	ev := events.PremiumRequestConfirmed{DashboardUserID: id, RequestToken: token, ProofURL: proof, ExpiredAt: r.ExpiredAt}
	if ev.Changes, err = cmd.changes(r); err != nil {
		return nil, err
	}
	if ev.Metadata, err = parseMetadata(cmd.Metadata); err != nil {
		return nil, err
	}
	if r.Status != events.PremiumStatusConfirmed {
		if ev.ExpiredAt, err = deadline(d.now, cmd.ExpiredAt, confirmedWindow); err != nil {
			return nil, err
		}
	} else if ev.Changes == (events.PremiumRequestChanges{}) && ev.Metadata == nil && proof == r.ProofURL {
		return nil, nil
	}
	return p.commit(v, ev), nil
}

// changes lists the given fields that differ from the request.
func (cmd ConfirmRequest) changes(r *Request) (events.PremiumRequestChanges, error) {
	var c events.PremiumRequestChanges
	amount, err := parseAmount(cmd.TransferAmount)
	if err != nil {
		return c, err
	}
	for _, f := range []struct {
		name string
		v    string
		cur  string
		dst  **string
	}{{"transfer_amount", amount, r.TransferAmount, &c.TransferAmount},
		{"bank_name", cmd.BankName, r.BankName, &c.BankName},
		{"account_number", cmd.AccountNumber, r.AccountNumber, &c.AccountNumber},
		{"sender_name", cmd.SenderName, r.SenderName, &c.SenderName},
		{"premium_tier", strings.ToLower(cmd.PremiumTier), r.PremiumTier, &c.PremiumTier}} {
		v, err := text(f.name, f.v)
		if err != nil {
			return c, err
		}
		if v != "" && v != f.cur {
			*f.dst = &v
		}
	}
	if s := cmd.SubscriptionExpiresAt; s != nil && (r.SubscriptionExpiresAt == nil || !s.Equal(*r.SubscriptionExpiresAt)) {
		c.SubscriptionExpiresAt = s
	}
	return c, nil
}
