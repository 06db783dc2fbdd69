package dashuser

import (
	"context"
	"slices"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
)

// AssignClients replaces the set of clients a dashboard user may see
// (legacy scripts/updateDashboardUserClients.js, and the admin pages).
// client_ids are upper-cased and deduplicated and must name registered
// clients; an operator keeps at least one. Only admin may assign (ActorRole
// as in ApproveDashboardUser). The same set again appends nothing.
// Refusals: Forbidden, Invalid (id, "client_id tidak ditemukan",
// "minimal satu client harus dipilih"), NotFound.
type AssignClients struct {
	DashboardUserID string   `json:"dashboard_user_id"`
	ClientIDs       []string `json:"client_ids"`
	ActorRole       string   `json:"-"`
}

func (cmd AssignClients) decide(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
	if err := requireAdmin(cmd.ActorRole); err != nil {
		return nil, err
	}
	u, v, err := loadExisting(ctx, l, cmd.DashboardUserID)
	if err != nil {
		return nil, err
	}
	ids := parseClientIDs(cmd.ClientIDs)
	if slices.Equal(ids, u.ClientIDs) {
		return nil, nil
	}
	if err := checkClients(ctx, l, u.Role, ids); err != nil {
		return nil, err
	}
	return one(u.commit(v, events.DashboardUserClientsAssigned{DashboardUserID: u.ID, ClientIDs: ids})), nil
}
