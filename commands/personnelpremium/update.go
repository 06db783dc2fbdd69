package personnelpremium

import (
	"context"
	"fmt"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
)

// UpdateRequest is the requester's change to one of their requests (PUT
// /api/premium-requests/:id), typically the screenshot of the transfer.
// A nil or blank field is left as it is; the others are checked as for
// RequestPremium. Refusals: Unauthorized "User tidak valid" (no NRP);
// NotFound "not found" when the id is not one of the requester's requests
// (someone else's too, so ids reveal nothing — the legacy API let anyone
// change any request); Invalid "Request sudah memiliki status <status>"
// once an admin decided; then the field checks. Nothing changed → nothing
// is appended.
//
// The legacy API told the admins over WhatsApp when screenshot_url arrived;
// that notice belongs to a saga following these events (WhatsApp issue).
type UpdateRequest struct {
	UserID        string  `json:"user_id"`
	RequestID     string  `json:"request_id"`
	SenderName    *string `json:"sender_name,omitempty"`
	AccountNumber *string `json:"account_number,omitempty"`
	BankName      *string `json:"bank_name,omitempty"`
	ScreenshotURL *string `json:"screenshot_url,omitempty"`
}

func (cmd UpdateRequest) decide(ctx context.Context, l *commands.Loader, _ decision) ([]events.Commit, error) {
	nrp, err := parseNRP(cmd.UserID, &apperr.Error{Code: apperr.Unauthorized, Message: msgUserInvalid})
	if err != nil {
		return nil, err
	}
	notFound := &apperr.Error{Code: apperr.NotFound, Message: msgNotFound}
	id, ok := parseID(cmd.RequestID)
	if !ok {
		return nil, notFound
	}
	p, v, err := Load(ctx, l, nrp)
	if err != nil {
		return nil, err
	}
	r := p.Request(id)
	if r == nil {
		return nil, notFound
	}
	if r.Status != events.PersonnelRequestPending {
		return nil, invalid("request_id", fmt.Sprintf(msgRequestStatus, r.Status))
	}
	ev := events.PersonnelPremiumRequestUpdated{UserID: nrp, RequestID: id}
	changed := false
	for _, f := range []struct {
		name string
		v    *string
		cur  string
		dst  **string
	}{{"sender_name", cmd.SenderName, r.SenderName, &ev.SenderName},
		{"account_number", cmd.AccountNumber, r.AccountNumber, &ev.AccountNumber},
		{"bank_name", cmd.BankName, r.BankName, &ev.BankName},
		{"screenshot_url", cmd.ScreenshotURL, r.ScreenshotURL, &ev.ScreenshotURL}} {
		if f.v == nil {
			continue
		}
		var s string
		if f.name == "screenshot_url" {
			s, err = screenshot(*f.v)
		} else {
			s, err = text(f.name, *f.v, maxText)
		}
		if err != nil {
			return nil, err
		}
		if s != "" && s != f.cur {
			*f.dst, changed = &s, true
		}
	}
	if !changed {
		return nil, nil
	}
	return p.commit(v, ev), nil
}
