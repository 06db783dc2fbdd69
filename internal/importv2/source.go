package importv2

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
)

// requiredTables must exist in the old database: without them there is
// nothing coherent to import, and the run stops before appending anything.
var requiredTables = []string{"clients", "user", "user_roles", "roles"}

// optionalTables are imported when present (older databases lack some).
var optionalTables = []string{"dashboard_user", "dashboard_user_clients", "dashboard_user_subscriptions",
	"dashboard_premium_request", "premium_request",
	"insta_post", "insta_post_roles", "insta_like", "tiktok_post", "tiktok_post_roles", "tiktok_comment", "insta_profile",
	"link_report", "insta_post_khusus", "link_report_khusus",
	"penmas_user", "editorial_event", "press_release_detail", "approval_request", "change_log"}

// Source is the old database in one consistent, read-only snapshot.
type Source struct {
	conn   *pgx.Conn
	tx     pgx.Tx
	tables map[string]bool
	cols   map[string]map[string]bool
}

// Open connects to url and starts the snapshot. It fails with a clear
// error when the database cannot be reached or a required table is
// missing.
func Open(ctx context.Context, url string) (*Source, error) {
	if strings.TrimSpace(url) == "" {
		return nil, errors.New("--from is required: the postgres URL of the old Cicero_V2 database")
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("connect to the old database: %w", err)
	}
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		conn.Close(ctx)
		return nil, fmt.Errorf("start a read-only snapshot: %w", err)
	}
	s := &Source{conn: conn, tx: tx}
	if err := s.inspect(ctx); err != nil {
		s.Close(ctx)
		return nil, err
	}
	return s, nil
}

// Close ends the snapshot (read only: nothing to commit).
func (s *Source) Close(ctx context.Context) {
	_ = s.tx.Rollback(ctx)
	_ = s.conn.Close(ctx)
}

func (s *Source) inspect(ctx context.Context) error {
	rows, err := s.tx.Query(ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema()`)
	if err != nil {
		return fmt.Errorf("read the old schema: %w", err)
	}
	s.tables, s.cols = map[string]bool{}, map[string]map[string]bool{}
	for rows.Next() {
		var t, c string
		if err := rows.Scan(&t, &c); err != nil {
			return err
		}
		s.tables[t] = true
		if s.cols[t] == nil {
			s.cols[t] = map[string]bool{}
		}
		s.cols[t][c] = true
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read the old schema: %w", err)
	}
	var missing []string
	for _, t := range requiredTables {
		if !s.tables[t] {
			missing = append(missing, t)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("not a Cicero_V2 database: table(s) %s missing (schema %q)", strings.Join(missing, ", "), s.schema(ctx))
	}
	return nil
}

func (s *Source) schema(ctx context.Context) string {
	var name string
	_ = s.tx.QueryRow(ctx, `SELECT current_schema()`).Scan(&name)
	return name
}

// Has reports whether the old database has table.
func (s *Source) Has(table string) bool { return s.tables[table] }

// Missing lists the optional tables the old database lacks.
func (s *Source) Missing() []string {
	var out []string
	for _, t := range optionalTables {
		if !s.tables[t] {
			out = append(out, t)
		}
	}
	return out
}

// col is column c of table as a select expression: the column itself, or
// NULL cast to typ when this database's table lacks it (older schemas).
func (s *Source) col(table, alias, c, typ string) string {
	if s.cols[table][c] {
		return alias + "." + pgx.Identifier{c}.Sanitize()
	}
	return "NULL::" + typ
}

// Query runs a query in the snapshot.
func (s *Source) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	return s.tx.Query(ctx, sql, args...)
}

// Count counts a table's rows (for the progress bars).
func (s *Source) Count(ctx context.Context, table string) (int, error) {
	if !s.tables[table] {
		return 0, nil
	}
	var n int
	err := s.tx.QueryRow(ctx, `SELECT count(*) FROM `+pgx.Identifier{table}.Sanitize()).Scan(&n)
	return n, err
}

// sortedKeys is for stable reports.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
