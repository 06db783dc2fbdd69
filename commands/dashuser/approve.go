package dashuser

import (
	"context"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
)

// ApproveDashboardUser lets a pending (or earlier rejected) account in.
// ActorRole is the caller's role as the caller established it (the stored
// role, not the directorate-normalised one of spec access.md §7.1 #7); only
// admin may approve. By names the approver (default: the command's actor).
// Approving an approved account appends nothing.
// Refusals: Forbidden "Forbidden", Invalid "dashboard_user_id tidak valid",
// NotFound "pengguna dashboard tidak ditemukan".
type ApproveDashboardUser struct {
	DashboardUserID string `json:"dashboard_user_id"`
	ActorRole       string `json:"-"`
	By              string `json:"-"`
}

func (cmd ApproveDashboardUser) decide(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
	if err := requireAdmin(cmd.ActorRole); err != nil {
		return nil, err
	}
	u, v, err := loadExisting(ctx, l, cmd.DashboardUserID)
	if err != nil {
		return nil, err
	}
	if u.Approved() {
		return nil, nil
	}
	return one(u.commit(v, events.DashboardUserApproved{DashboardUserID: u.ID, By: cmd.By})), nil
}
