package directory

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// ContactName is the name a WhatsApp number (62…) is saved under in Google
// contacts (spec/access.md §6.10): the nama of the member of personnel
// whose number it is (active first, then by NRP); else "Admin <client>"
// when it is a dashboard user's number (its first client by id) or a
// client's operator; else "" (the saver then names the contact after the
// number). It reads dashboard_users too, the one table outside DIRECTORY,
// because the legacy rule names admins after their client.
func (q *Queries) ContactName(ctx context.Context, phone string) (string, error) {
	if phone == "" {
		return "", nil
	}
	var name string
	err := q.db.QueryRow(ctx, `
		SELECT name FROM (
			SELECT 1 AS rank, NOT p.status AS inactive, p.user_id AS k, p.nama AS name
			FROM personnel p WHERE p.whatsapp = $1 AND p.nama <> ''
			UNION ALL
			SELECT 2, false, c.client_id, 'Admin ' || c.nama
			FROM dashboard_users d JOIN clients c ON c.client_id = ANY (d.client_ids)
			WHERE d.whatsapp = $1
			UNION ALL
			SELECT 3, false, c.client_id, 'Admin ' || c.nama
			FROM clients c WHERE c.client_operator = $1
		) n
		ORDER BY rank, inactive, k
		LIMIT 1`, phone).Scan(&name)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("contact name: %w", err)
	}
	return name, nil
}

// ContactNumber is a number to save as a contact and the contact's name.
type ContactNumber struct{ Phone, Name string }

// ContactNumbers lists the active personnel with a WhatsApp number who
// opted in to notifications, by NRP: what the admin's `savecontact` pushes
// to Google contacts (spec/ops.md §3, it reuses the reminder's list).
func (q *Queries) ContactNumbers(ctx context.Context) ([]ContactNumber, error) {
	rows, err := q.db.Query(ctx, `SELECT whatsapp, nama FROM personnel
		WHERE status AND wa_notification_opt_in AND whatsapp <> '' ORDER BY user_id`)
	if err != nil {
		return nil, fmt.Errorf("contact numbers: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ContactNumber, error) {
		var c ContactNumber
		return c, r.Scan(&c.Phone, &c.Name)
	})
	if err != nil {
		return nil, fmt.Errorf("contact numbers: %w", err)
	}
	return out, nil
}
