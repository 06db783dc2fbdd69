package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// listBaselineSQL is the query GET /api/users/list runs for scope org:
// directory.Queries.PersonnelByClient with its personSelect,
// copied so the baseline is the handler's own statement. Arguments: client,
// role, include inactive (false), region (empty) and strict (true).
// TestLoadgenAgainstServer fails when the two part ways.
const listBaselineSQL = `SELECT p.user_id, p.nama, p.title, p.divisi, p.jabatan, p.desa, p.client_id, p.insta, p.tiktok,
	p.whatsapp, p.email, p.status, p.exception, p.wa_notification_opt_in, p.roles, p.version, p.created_at, p.updated_at,
	c.nama, c.regional_id,
	'ditbinmas' = ANY(p.roles), 'ditlantas' = ANY(p.roles), 'bidhumas' = ANY(p.roles),
	'ditsamapta' = ANY(p.roles), 'ditintelkam' = ANY(p.roles), 'operator' = ANY(p.roles)
	FROM personnel p LEFT JOIN clients c ON upper(c.client_id) = upper(p.client_id)
		WHERE ($3 OR p.status)
		  AND ($4 = '' OR upper(c.regional_id) = upper($4))
		  AND CASE
			WHEN $5 THEN upper(p.client_id) = upper($1) AND ($2 = '' OR $2 = ANY(p.roles))
			WHEN (SELECT lower(client_type) FROM clients WHERE client_id = $1) = 'direktorat'
				THEN coalesce(nullif($2, ''), lower($1)) = ANY(p.roles)
			ELSE (upper(p.client_id) = upper($1) OR lower($1) = ANY(p.roles))
				AND ($2 NOT IN ('ditbinmas', 'ditlantas', 'bidhumas', 'ditsamapta', 'operator') OR $2 = ANY(p.roles))
		  END
		ORDER BY p.nama, p.user_id`

const listBaselineStmt = "loadgen_users_list"

// listBaseline runs listBaselineSQL, prepared on every connection of its
// own pool, for the list's client and the caller's role.
type listBaseline struct {
	pool         *pgxpool.Pool
	client, role string
}

// openListBaseline connects to dbURL (loopback or a local socket only)
// with conns connections, each with the statement prepared.
func openListBaseline(ctx context.Context, dbURL string, conns int, client, role string) (*listBaseline, error) {
	pc, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		return nil, fmt.Errorf("baseline: DATABASE_URL: %w", err)
	}
	hosts := []string{pc.ConnConfig.Host}
	for _, fb := range pc.ConnConfig.Fallbacks {
		hosts = append(hosts, fb.Host)
	}
	for _, h := range hosts {
		if strings.HasPrefix(h, "/") {
			continue // a unix socket is on this machine
		}
		if err := requireLoopback(ctx, h); err != nil {
			return nil, fmt.Errorf("baseline: DATABASE_URL: %w", err)
		}
	}
	pc.MaxConns, pc.MinConns = int32(conns), int32(conns)
	pc.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
		_, err := c.Prepare(ctx, listBaselineStmt, listBaselineSQL)
		return err
	}
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("baseline: connect: %w", err)
	}
	b := &listBaseline{pool: pool, client: client, role: strings.ToLower(strings.TrimSpace(role))}
	// Once before measuring: opens the connections and fails fast.
	if _, err := b.query(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("baseline: %w", err)
	}
	return b, nil
}

func (b *listBaseline) Close() { b.pool.Close() }

// query runs the statement once, decoding every row as the handler does,
// and returns the number of rows.
func (b *listBaseline) query(ctx context.Context) (int, error) {
	rows, err := b.pool.Query(ctx, listBaselineStmt, b.client, b.role, false, "", true)
	if err != nil {
		return 0, err
	}
	n := 0
	for rows.Next() {
		if _, err := rows.Values(); err != nil {
			rows.Close()
			return n, err
		}
		n++
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return n, err
	}
	if n == 0 {
		return 0, errors.New("the list query returned no rows")
	}
	return n, nil
}

func (b *listBaseline) op() loadOp {
	return func(ctx context.Context, _ int) (func() error, error) {
		_, err := b.query(ctx)
		return nil, err
	}
}
