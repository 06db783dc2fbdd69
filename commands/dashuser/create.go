package dashuser

import "strings"

// CreateDashboardUser is `cicero admin dashboard-user create`: an account
// created already approved (DashboardUserRegistered + DashboardUserApproved
// in one message), with any valid role name including admin. whatsapp and
// email are optional; the other rules are RegisterDashboardUser's. Only an
// admin may create (ActorRole as in ApproveDashboardUser; the CLI passes
// RoleAdmin). The approval names By, else the command's actor, else
// "system".
// Refusals: Forbidden "Forbidden", else as RegisterDashboardUser.
type CreateDashboardUser struct {
	DashboardUserID string   `json:"dashboard_user_id"`
	Username        string   `json:"username"`
	Password        string   `json:"password"`
	Role            string   `json:"role"`
	WhatsApp        string   `json:"whatsapp"`
	Email           string   `json:"email"`
	ClientIDs       []string `json:"client_ids"`
	ActorRole       string   `json:"-"`
	By              string   `json:"-"`
}

func (cmd CreateDashboardUser) parse() (registration, error) {
	if err := requireAdmin(cmd.ActorRole); err != nil {
		return registration{}, err
	}
	r, err := parseRegistration(cmd.DashboardUserID, cmd.Username, cmd.Password, cmd.Role, cmd.WhatsApp, cmd.Email,
		cmd.ClientIDs, nil, false)
	if err != nil {
		return r, err
	}
	r.approvedBy = strings.TrimSpace(cmd.By)
	if r.approvedBy == "" {
		r.approvedBy = defaultApproverName
	}
	return r, nil
}
