package personnelpremium

import (
	"context"
	"fmt"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
)

// RequestPremium is a person's request for premium (POST
// /api/premium-requests). UserID is the requester's NRP (from the session);
// the rest is the body. Checks, first to last:
//  1. the requester is a registered person (not renumbered away), else
//     Unauthorized "User tidak valid" — the legacy premium_request.user_id
//     was a foreign key to "user";
//  2. sender_name, account_number, bank_name in that order → Invalid
//     "<field> wajib diisi" (the legacy API accepted empty requests that no
//     admin could check against a transfer);
//  3. each text is trimmed and at most 200 characters (screenshot_url: an
//     http(s) URL of at most 2000) → Invalid "<field> maksimal N karakter" /
//     "screenshot_url harus berupa URL http(s)".
//
// The request is pending; status is not the requester's to choose (the
// legacy API let the body set it). Its id is derived from the command id
// (RequestIDFor), so ids are unique across people and a re-decided retry
// of the same command finds its own request and appends nothing.
type RequestPremium struct {
	UserID        string `json:"user_id"`
	SenderName    string `json:"sender_name"`
	AccountNumber string `json:"account_number"`
	BankName      string `json:"bank_name"`
	ScreenshotURL string `json:"screenshot_url"`
}

func (cmd RequestPremium) decide(ctx context.Context, l *commands.Loader, d decision) ([]events.Commit, error) {
	unauthorized := &apperr.Error{Code: apperr.Unauthorized, Message: msgUserInvalid}
	nrp, err := parseNRP(cmd.UserID, unauthorized)
	if err != nil {
		return nil, err
	}
	id := RequestIDFor(d.commandID)
	p, v, err := Load(ctx, l, nrp)
	if err != nil {
		return nil, err
	}
	who, _, err := person.Load(ctx, l, nrp)
	if err != nil {
		return nil, err
	}
	if !who.Registered || who.MovedTo != "" {
		return nil, unauthorized
	}
	ev, err := cmd.event()
	if err != nil {
		return nil, err
	}
	if p.Request(id) != nil {
		// This very command, re-decided (a retry whose command-log row
		// was lost): it is done.
		return nil, nil
	}
	ev.UserID, ev.RequestID = nrp, id
	return p.commit(v, ev), nil
}

// event checks the body (checks 2 and 3) and builds the event without ids.
func (cmd RequestPremium) event() (events.PersonnelPremiumRequested, error) {
	var ev events.PersonnelPremiumRequested
	for _, f := range []struct {
		name string
		dst  *string
		v    string
	}{{"sender_name", &ev.SenderName, cmd.SenderName}, {"account_number", &ev.AccountNumber, cmd.AccountNumber},
		{"bank_name", &ev.BankName, cmd.BankName}} {
		s, err := text(f.name, f.v, maxText)
		if err != nil {
			return ev, err
		}
		if s == "" {
			return ev, invalid(f.name, fmt.Sprintf(msgRequired, f.name))
		}
		*f.dst = s
	}
	var err error
	ev.ScreenshotURL, err = screenshot(cmd.ScreenshotURL)
	return ev, err
}
