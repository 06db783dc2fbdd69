package dashuser

import (
	"context"
	"strings"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
)

// RecordLogin records a successful dashboard login (audit, and
// last_login_at of the read model). The login endpoint has checked the
// password against the read model; the aggregate only refuses accounts
// that are not approved. At defaults to the command's business time (else
// now), Source to "web".
// Refusals: Forbidden "Akun belum disetujui", Invalid id, NotFound.
type RecordLogin struct {
	DashboardUserID string    `json:"dashboard_user_id"`
	At              time.Time `json:"at"`
	Source          string    `json:"source"`
}

func (cmd RecordLogin) decide(ctx context.Context, l *commands.Loader, now func() time.Time) ([]events.Commit, error) {
	u, v, err := loadExisting(ctx, l, cmd.DashboardUserID)
	if err != nil {
		return nil, err
	}
	if !u.Approved() {
		return nil, &apperr.Error{Code: apperr.Forbidden, Message: msgNotApproved}
	}
	at, src := cmd.At, strings.ToLower(strings.TrimSpace(cmd.Source))
	if at.IsZero() {
		at = now()
	}
	if src == "" {
		src = defaultLoginSource
	}
	return one(u.commit(v, events.DashboardUserLoggedIn{DashboardUserID: u.ID, At: at, Source: src})), nil
}
