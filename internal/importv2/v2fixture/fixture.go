// Package v2fixture builds an old Cicero_V2 database (its documented
// tables, in a schema of its own) for the import's tests and benchmark.
package v2fixture

import (
	"context"
	_ "embed"
	"fmt"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5"
)

//go:embed schema.sql
var schemaSQL string

// Create makes schema in the database at dbURL, creates the old tables
// there and returns a URL whose connections see them (search_path).
func Create(ctx context.Context, dbURL, schema string) (string, error) {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	ident := pgx.Identifier{schema}.Sanitize()
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+ident+"; SET search_path TO "+ident+"; "+schemaSQL); err != nil {
		return "", fmt.Errorf("create the old schema: %w", err)
	}
	u, err := url.Parse(dbURL)
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// Exec runs statements against the old database.
func Exec(ctx context.Context, oldURL string, stmts ...string) error {
	conn, err := pgx.Connect(ctx, oldURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, strings.Join(stmts, ";\n"))
	return err
}
