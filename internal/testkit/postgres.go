package testkit

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cicero/cicero/internal/pgdb"
	"github.com/cicero/cicero/migrations"
)

var dbSeq atomic.Int64

// PostgresURL is the server the tests use (CICERO_TEST_PG or the local one).
func PostgresURL(db string) string {
	base := os.Getenv("CICERO_TEST_PG")
	if base == "" {
		base = "postgres://postgres@127.0.0.1:5432"
	}
	return strings.TrimRight(base, "/") + "/" + db + "?sslmode=disable"
}

// NewDatabase creates a fresh database for one test, cloned from a template
// that holds every migration (built once per set of migration files), and
// drops it at cleanup. It returns the pool and the database's URL.
func NewDatabase(tb testing.TB) (*pgxpool.Pool, string) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	tpl := ensureTemplate(ctx, tb)
	name := fmt.Sprintf("t_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9, dbSeq.Add(1))
	admin := mustConnect(ctx, tb, PostgresURL("postgres"))
	defer admin.Close(ctx)
	var err error
	for i := 0; i < 20; i++ { // the template may be briefly in use by another package's clone
		_, err = admin.Exec(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, tpl))
		if err == nil || !strings.Contains(err.Error(), "being accessed") {
			break
		}
		time.Sleep(time.Duration(50*(i+1)) * time.Millisecond)
	}
	if err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	url := PostgresURL(name)
	pool, err := pgdb.Open(ctx, url)
	if err != nil {
		tb.Fatalf("open test database: %v", err)
	}
	tb.Cleanup(func() {
		pool.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, PostgresURL("postgres"))
		if err != nil {
			return
		}
		defer c.Close(ctx)
		_, _ = c.Exec(ctx, fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", name))
	})
	return pool, url
}

// ensureTemplate builds (once across all test processes, under an advisory
// lock) a database migrated to the current migration files.
func ensureTemplate(ctx context.Context, tb testing.TB) string {
	tb.Helper()
	h := sha256.New()
	_ = fs.WalkDir(migrations.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(migrations.FS, p)
			h.Write([]byte(p))
			h.Write(b)
		}
		return nil
	})
	tpl := fmt.Sprintf("cicero_tpl_%x", h.Sum(nil)[:6])
	admin := mustConnect(ctx, tb, PostgresURL("postgres"))
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, `SELECT pg_advisory_lock(774411)`); err != nil {
		tb.Fatalf("template lock: %v", err)
	}
	defer admin.Exec(ctx, `SELECT pg_advisory_unlock(774411)`) //nolint:errcheck
	var exists bool
	if err := admin.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname=$1 AND datistemplate)`, tpl).Scan(&exists); err != nil {
		tb.Fatalf("look up template: %v", err)
	}
	if exists {
		return tpl
	}
	if _, err := admin.Exec(ctx, fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", tpl)); err != nil {
		tb.Fatalf("drop stale template: %v", err)
	}
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+tpl); err != nil {
		tb.Fatalf("create template: %v", err)
	}
	pool, err := pgdb.Open(ctx, PostgresURL(tpl))
	if err != nil {
		tb.Fatalf("open template: %v", err)
	}
	err = pgdb.Migrate(ctx, pool, Logger(tb))
	pool.Close()
	if err != nil {
		tb.Fatalf("migrate template: %v", err)
	}
	if _, err := admin.Exec(ctx, fmt.Sprintf("ALTER DATABASE %s WITH is_template true", tpl)); err != nil {
		tb.Fatalf("mark template: %v", err)
	}
	return tpl
}

func mustConnect(ctx context.Context, tb testing.TB, url string) *pgx.Conn {
	tb.Helper()
	c, err := pgx.Connect(ctx, url)
	if err != nil {
		tb.Fatalf("connect %s: %v (is PostgreSQL running? `make services`)", url, err)
	}
	return c
}
