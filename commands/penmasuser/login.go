package penmasuser

import (
	"context"
	"strings"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
)

// RecordLogin records a successful Penmas login (the legacy login_log row,
// and last_login_at of the read model). The login endpoint has checked the
// password; the aggregate only refuses unknown accounts. At defaults to
// the command's business time (else now), Source to "web".
// Refusals: Invalid id, NotFound.
type RecordLogin struct {
	UserID string    `json:"user_id"`
	At     time.Time `json:"at"`
	Source string    `json:"source"`
}

func (cmd RecordLogin) decide(ctx context.Context, l *commands.Loader, now func() time.Time) ([]events.Commit, error) {
	id, err := parseID(cmd.UserID)
	if err != nil {
		return nil, err
	}
	u, v, err := Load(ctx, l, id)
	if err != nil {
		return nil, err
	}
	if !u.Registered {
		return nil, &apperr.Error{Code: apperr.NotFound, Field: "user_id", Message: msgNotFound}
	}
	at, src := cmd.At, strings.ToLower(strings.TrimSpace(cmd.Source))
	if at.IsZero() {
		at = now()
	}
	if src == "" {
		src = defaultLoginSource
	}
	return []events.Commit{u.commit(v, events.PenmasUserLoggedIn{UserID: u.ID, At: at, Source: src})}, nil
}
