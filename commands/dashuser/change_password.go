package dashuser

import (
	"context"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/password"
)

// ChangePassword is the user changing their own password: old_password
// must match the stored hash, new_password follows the policy (8
// characters at least, 72 bytes at most). It spends a pending reset token.
// Refusals: Invalid "password lama salah" (old_password), "password
// minimal 8 karakter" / "password maksimal 72 karakter" (new_password),
// Invalid id, NotFound.
type ChangePassword struct {
	DashboardUserID string `json:"dashboard_user_id"`
	OldPassword     string `json:"old_password"`
	NewPassword     string `json:"new_password"`
}

func (cmd ChangePassword) decide(ctx context.Context, l *commands.Loader, hasher password.Hasher) ([]events.Commit, error) {
	if err := checkNewPassword("new_password", cmd.NewPassword); err != nil {
		return nil, err
	}
	u, v, err := loadExisting(ctx, l, cmd.DashboardUserID)
	if err != nil {
		return nil, err
	}
	if !VerifyPassword(u, cmd.OldPassword) {
		return nil, invalid("old_password", msgPasswordWrong)
	}
	hash, err := hasher.Hash(cmd.NewPassword)
	if err != nil {
		return nil, err
	}
	return one(u.commit(v, events.DashboardPasswordChanged{DashboardUserID: u.ID, PasswordHash: hash})), nil
}
