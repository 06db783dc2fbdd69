package access

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// ByWhatsApp lists the accounts registered with a WhatsApp number (digits,
// 62…), oldest first: who the WhatsApp directorate menu lets in.
func (q *DashboardUserQueries) ByWhatsApp(ctx context.Context, number string) ([]DashboardUser, error) {
	if number == "" {
		return nil, nil
	}
	rows, err := q.db.Query(ctx, dashUserSelect+` WHERE d.whatsapp = $1 AND d.whatsapp <> '' ORDER BY d.created_at, d.dashboard_user_id`, number)
	if err != nil {
		return nil, fmt.Errorf("dashboard users by whatsapp: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (DashboardUser, error) { return scanDashUser(r) })
	if err != nil {
		return nil, fmt.Errorf("dashboard users by whatsapp: %w", err)
	}
	return out, nil
}
