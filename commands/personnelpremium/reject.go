package personnelpremium

import (
	"context"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
)

// RejectRequest is an admin's denial of a pending request (WhatsApp
// denysub#<id>, POST /api/premium-requests/:id/deny); Note is optional (at
// most 500 characters). Refusals as for ApproveRequest: Forbidden, Invalid
// "user_id tidak valid", Invalid "Request <id> tidak valid." (unknown or
// already decided: the legacy command rejected any request, even an
// approved one).
type RejectRequest struct {
	UserID    string `json:"user_id"`
	RequestID string `json:"request_id"`
	Note      string `json:"note,omitempty"`
	By        Actor  `json:"by"`
	// RequestVersion as for ApproveRequest.
	RequestVersion *uint64 `json:"request_version,omitempty"`
}

func (cmd RejectRequest) decide(ctx context.Context, l *commands.Loader, d decision) ([]events.Commit, error) {
	by, err := cmd.By.admin(d.actor)
	if err != nil {
		return nil, err
	}
	nrp, err := parseNRP(cmd.UserID, invalid("user_id", msgUserIDInvalid))
	if err != nil {
		return nil, err
	}
	note, err := text("note", cmd.Note, maxNote)
	if err != nil {
		return nil, err
	}
	p, v, r, err := loadPending(ctx, l, nrp, cmd.RequestID, cmd.RequestVersion)
	if err != nil {
		return nil, err
	}
	return p.commit(v, events.PersonnelPremiumRequestRejected{UserID: nrp, RequestID: r.ID, By: by, Note: note}), nil
}
