package drivebackup

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/api/drive/v3"
	"google.golang.org/api/option"

	"github.com/cicero/cicero/internal/google/googletest"
	"github.com/cicero/cicero/internal/testkit"
)

const folder = "folder-backups"

type rig struct {
	srv  *googletest.Server
	pool *pgxpool.Pool
	url  string
	db   string
	dir  string
	now  time.Time
}

func newRig(t *testing.T) *rig {
	t.Helper()
	pool, url := testkit.NewDatabase(t)
	db, err := databaseName(url)
	if err != nil {
		t.Fatal(err)
	}
	return &rig{srv: googletest.Start(t), pool: pool, url: url, db: db, dir: t.TempDir(),
		now: time.Date(2026, 3, 1, 21, 0, 0, 123e6, time.UTC)}
}

func (r *rig) backup(t *testing.T, keep, chunk int) *Backup {
	t.Helper()
	svc, err := drive.NewService(context.Background(), option.WithEndpoint(r.srv.URL+"/drive/v3/"),
		option.WithHTTPClient(r.srv.Client()), option.WithoutAuthentication())
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(svc, Options{DatabaseURL: r.url, FolderID: folder, Keep: keep, Dir: r.dir, ChunkSize: chunk,
		Now: func() time.Time { return r.now }, Log: testkit.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// mustProbe creates a table with rows of pad bytes each, so the dump holds
// its CREATE TABLE and a known size.
func (r *rig) mustProbe(t *testing.T, rows, pad int) {
	t.Helper()
	_, err := r.pool.Exec(context.Background(), fmt.Sprintf(`CREATE TABLE backup_probe (id int PRIMARY KEY, note text);
		INSERT INTO backup_probe SELECT g, 'probe-' || g || '-' || repeat(md5(g::text), %d) FROM generate_series(1, %d) g`, pad/32+1, rows))
	if err != nil {
		t.Fatal(err)
	}
}

// seedOld puts older files in the folder: n backups of ours a day apart
// (oldest first) and files that are not ours.
func (r *rig) seedOld(n int) (ours []string) {
	for i := n; i >= 1; i-- {
		at := r.now.AddDate(0, 0, -i)
		name := FileName(r.db, at)
		r.srv.AddFile(googletest.File{Name: name, Parents: []string{folder}, CreatedTime: at, Content: []byte("old")})
		ours = append(ours, name)
	}
	old := r.now.AddDate(-1, 0, 0)
	for _, f := range []googletest.File{
		{Name: "notes.txt", Parents: []string{folder}},
		{Name: r.db + "-manual.sql", Parents: []string{folder}},
		{Name: FileName(r.db, old), Parents: []string{"another-folder"}},
		{Name: FileName(r.db+"x", old), Parents: []string{folder}},
	} {
		f.CreatedTime = old
		r.srv.AddFile(f)
	}
	return ours
}

func (r *rig) names() []string {
	var out []string
	for _, f := range r.srv.Files() {
		out = append(out, f.Name)
	}
	slices.Sort(out)
	return out
}

func (r *rig) mustDirEmpty(t *testing.T) {
	t.Helper()
	left, err := os.ReadDir(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 0 {
		t.Fatalf("local files left behind: %v", left)
	}
}

func TestFileName(t *testing.T) {
	if got := FileName("cicero_db", time.Date(2025, 1, 1, 21, 0, 0, 0, time.FixedZone("WIB", 7*3600))); got != "cicero_db-2025-01-01T14-00-00-000Z.sql" {
		t.Fatalf("got %q", got)
	}
}

func TestBackupUploadsTheDumpAndKeepsTheNewest(t *testing.T) {
	for _, tc := range []struct {
		name       string
		rows, pad  int
		chunk      int
		uploadType string
	}{
		{"small dump in one multipart request", 10, 10, 0, "multipart"},
		{"large dump in resumable chunks", 2000, 400, 256 << 10, "resumable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t)
			r.mustProbe(t, tc.rows, tc.pad)
			old := r.seedOld(4)
			res, err := r.backup(t, 3, tc.chunk).Run(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			want := r.db + "-2026-03-01T21-00-00-123Z.sql"
			if res.Name != want {
				t.Fatalf("name %q, want %q", res.Name, want)
			}
			var up *googletest.File
			for _, f := range r.srv.Files() {
				if f.ID == res.FileID {
					up = &f
				}
			}
			if up == nil {
				t.Fatalf("uploaded file %s not in Drive", res.FileID)
			}
			dump := string(up.Content)
			for _, s := range []string{"PostgreSQL database dump", "CREATE TABLE public.backup_probe", fmt.Sprintf("probe-%d-", tc.rows)} {
				if !strings.Contains(dump, s) {
					t.Fatalf("uploaded dump (%d bytes) lacks %q", len(dump), s)
				}
			}
			if up.Name != want || up.MimeType != MimeType || !slices.Equal(up.Parents, []string{folder}) ||
				up.UploadType != tc.uploadType || res.Bytes != int64(len(up.Content)) {
				t.Fatalf("uploaded %s %s %v by %s (%d bytes, result %d): want %s %s [%s] by %s", up.Name, up.MimeType,
					up.Parents, up.UploadType, len(up.Content), res.Bytes, want, MimeType, folder, tc.uploadType)
			}
			if tc.uploadType == "resumable" && r.srv.CallsTo("/upload/drive/v3/files") < 3 {
				t.Fatalf("a resumable upload of %d bytes in 256 KiB chunks took %d requests", len(dump), r.srv.CallsTo("/upload/"))
			}
			// Kept: the new one and the two newest old ones; deleted: the
			// two oldest; the files that are not ours stay.
			if !slices.Equal(res.Deleted, []string{old[1], old[0]}) {
				t.Fatalf("deleted %v, want %v", res.Deleted, old[:2])
			}
			wantNames := []string{want, old[2], old[3], "notes.txt", r.db + "-manual.sql",
				FileName(r.db, r.now.AddDate(-1, 0, 0)), FileName(r.db+"x", r.now.AddDate(-1, 0, 0))}
			slices.Sort(wantNames)
			if got := r.names(); !slices.Equal(got, wantNames) {
				t.Fatalf("Drive holds %v, want %v", got, wantNames)
			}
			r.mustDirEmpty(t)
		})
	}
}

func TestBackupFailures(t *testing.T) {
	t.Run("upload refused: nothing deleted, local file gone", func(t *testing.T) {
		r := newRig(t)
		r.mustProbe(t, 1, 1)
		r.seedOld(4)
		before := r.names()
		r.srv.FailNext("/upload/drive/v3/files", http.StatusForbidden, "storageQuotaExceeded")
		if _, err := r.backup(t, 1, 0).Run(context.Background()); err == nil || !strings.Contains(err.Error(), "upload") {
			t.Fatalf("err %v, want the upload's", err)
		}
		if got := r.names(); !slices.Equal(got, before) {
			t.Fatalf("Drive changed to %v", got)
		}
		for _, c := range r.srv.Calls() {
			if strings.HasPrefix(c.Path, "/drive/") {
				t.Fatalf("%s %s after a failed upload", c.Method, c.Path)
			}
		}
		r.mustDirEmpty(t)
	})
	t.Run("pg_dump fails: nothing uploaded", func(t *testing.T) {
		r := newRig(t)
		r.url = strings.Replace(r.url, "/"+r.db+"?", "/"+r.db+"_missing?", 1)
		_, err := r.backup(t, 1, 0).Run(context.Background())
		if err == nil || !strings.Contains(err.Error(), "pg_dump") || !strings.Contains(err.Error(), "does not exist") {
			t.Fatalf("err %v, want pg_dump's", err)
		}
		if n := len(r.srv.Calls()); n != 0 {
			t.Fatalf("%d Google calls", n)
		}
		r.mustDirEmpty(t)
	})
}

func TestDumpTarget(t *testing.T) {
	for _, tc := range []struct{ in, dbname, env string }{
		{"postgres://u:s3cret@db:5432/cicero?sslmode=require&pool_max_conns=20", "postgres://u@db:5432/cicero?sslmode=require", "PGPASSWORD=s3cret"},
		{"postgresql://u@db/cicero", "postgresql://u@db/cicero", ""},
		{"host=db dbname=cicero", "host=db dbname=cicero", ""},
	} {
		dbname, env := dumpTarget(tc.in)
		if dbname != tc.dbname || strings.Join(env, " ") != tc.env {
			t.Errorf("dumpTarget(%q) = %q %q, want %q %q", tc.in, dbname, env, tc.dbname, tc.env)
		}
	}
}
