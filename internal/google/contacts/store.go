package contacts

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// store is the saved_contact table: numbers saved for good, with the
// contact's resource name (migrations/00019_saved_contact.sql).
type store struct{ pool *pgxpool.Pool }

// lookup returns the number's resource name, "" when it has none.
func (s store) lookup(ctx context.Context, phone string) (string, error) {
	var rn *string
	err := s.pool.QueryRow(ctx, `SELECT resource_name FROM saved_contact WHERE phone_number = $1`, phone).Scan(&rn)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && rn == nil) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("look up saved contact: %w", err)
	}
	return *rn, nil
}

// put records the number's contact.
func (s store) put(ctx context.Context, phone, resource string) error {
	_, err := s.pool.Exec(ctx, `
		INSERT INTO saved_contact (phone_number, resource_name) VALUES ($1, $2)
		ON CONFLICT (phone_number) DO UPDATE SET resource_name = EXCLUDED.resource_name`, phone, resource)
	if err != nil {
		return fmt.Errorf("record saved contact: %w", err)
	}
	return nil
}
