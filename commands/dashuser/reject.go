package dashuser

import (
	"context"
	"strings"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
)

// RejectDashboardUser refuses a pending registration or withdraws an
// approval (the legacy deny set status false whatever it was); the account
// and its username stay, and a later approval can let it in again. Only
// admin may reject (ActorRole as in ApproveDashboardUser). Note is kept
// trimmed. Rejecting a rejected account appends nothing, whatever the note.
// Refusals: as ApproveDashboardUser.
type RejectDashboardUser struct {
	DashboardUserID string `json:"dashboard_user_id"`
	Note            string `json:"note"`
	ActorRole       string `json:"-"`
	By              string `json:"-"`
}

func (cmd RejectDashboardUser) decide(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
	if err := requireAdmin(cmd.ActorRole); err != nil {
		return nil, err
	}
	u, v, err := loadExisting(ctx, l, cmd.DashboardUserID)
	if err != nil {
		return nil, err
	}
	if u.Status == events.DashboardStatusRejected {
		return nil, nil
	}
	return one(u.commit(v, events.DashboardUserRejected{DashboardUserID: u.ID, By: cmd.By,
		Note: strings.TrimSpace(cmd.Note)})), nil
}
