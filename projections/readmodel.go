package projections

import (
	"context"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5"
)

// What the read models of every context share: the not-found sentinel
// their queries return, the querier they read through, and the SQL helpers
// their set-based writes use.

// ErrNotFound: the row asked for is not in the read model. Each context's
// queries return it (wrapped), so the APIs test one sentinel.
var ErrNotFound = errors.New("not found")

// Querier runs read queries: a pool, a connection or a transaction.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Ident quotes a (possibly schema-qualified) table name: read models write
// to names the runner hands them (live or rebuild shadow tables).
func Ident(table string) string {
	return pgx.Identifier(strings.Split(table, ".")).Sanitize()
}

// Nullable maps "" to NULL.
func Nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// TextArray writes a Postgres text[] literal with every element quoted.
func TextArray(xs []string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, x := range xs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		for j := 0; j < len(x); j++ {
			if x[j] == '"' || x[j] == '\\' {
				b.WriteByte('\\')
			}
			b.WriteByte(x[j])
		}
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

// Assign sets *dst to *v when an event names the field (v != nil): the
// "changed fields only" shape of the update events.
func Assign[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}
