package drivebackup

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// FileName is the backup's name: <db>-<UTC ISO instant with ':' and '.'
// as '-'>.sql, e.g. cicero-2025-01-01T21-00-00-000Z.sql (the legacy name,
// JavaScript's toISOString with its separators replaced).
func FileName(db string, at time.Time) string {
	ts := at.UTC().Format("2006-01-02T15:04:05.000Z")
	return db + "-" + strings.NewReplacer(":", "-", ".", "-").Replace(ts) + ".sql"
}

// databaseName is the database a connection string names.
func databaseName(databaseURL string) (string, error) {
	cfg, err := pgconn.ParseConfig(databaseURL)
	if err != nil {
		return "", fmt.Errorf("parse DATABASE_URL: %w", err)
	}
	if cfg.Database == "" {
		return "", fmt.Errorf("DATABASE_URL names no database")
	}
	return cfg.Database, nil
}

// pgxOnlyParams are connection-string parameters of pgx that libpq (and so
// pg_dump) refuses.
var pgxOnlyParams = []string{"pool_", "statement_cache_capacity", "description_cache_capacity",
	"default_query_exec_mode", "target_session_attrs_pgx"}

// dumpTarget is pg_dump's --dbname and environment for databaseURL: a URL's
// password moves to PGPASSWORD so it never shows in the process list, and
// pgx's own parameters are dropped. A key=value string passes unchanged.
func dumpTarget(databaseURL string) (dbname string, env []string) {
	u, err := url.Parse(databaseURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return databaseURL, nil
	}
	if pw, ok := u.User.Password(); ok {
		env = append(env, "PGPASSWORD="+pw)
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	for k := range q {
		for _, p := range pgxOnlyParams {
			if strings.HasPrefix(k, p) {
				q.Del(k)
			}
		}
	}
	u.RawQuery = q.Encode()
	return u.String(), env
}

// dump runs pg_dump (plain SQL, as the legacy job) into dir/name.
func dump(ctx context.Context, pgDump, databaseURL, dir, name string) (string, error) {
	path := filepath.Join(dir, name)
	dbname, env := dumpTarget(databaseURL)
	cmd := exec.CommandContext(ctx, pgDump, "--no-password", "--file="+path, "--dbname="+dbname)
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		_ = os.Remove(path)
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 500 {
			msg = msg[:500]
		}
		return "", fmt.Errorf("pg_dump: %w: %s", err, msg)
	}
	return path, nil
}
