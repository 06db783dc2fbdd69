package jobs

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/cicero/cicero/internal/google"
	"github.com/cicero/cicero/internal/google/googletest"
	"github.com/cicero/cicero/internal/schedule"
	"github.com/cicero/cicero/internal/testkit"
)

func TestDBBackupJob(t *testing.T) {
	pool, url := testkit.NewDatabase(t)
	if _, err := pool.Exec(context.Background(), `CREATE TABLE backup_job_probe (id int)`); err != nil {
		t.Fatal(err)
	}
	srv := googletest.Start(t)
	dir := t.TempDir()
	var lines []string
	args := schedule.Args{Report: func(l string) { lines = append(lines, l) }}

	// Not configured: a report, no error, nobody called.
	off := NewDBBackup(google.Config{BackupKeep: 14, Endpoint: srv.URL, BackupDir: dir}, url, testkit.Logger(t)).Job()
	if off.Name != "db-backup" || off.Cron != "0 4 * * *" {
		t.Fatalf("job %s at %q", off.Name, off.Cron)
	}
	if err := off.Run(context.Background(), args); err != nil {
		t.Fatal(err)
	}
	if len(lines) != 1 || !strings.Contains(lines[0], "not configured") || len(srv.Calls()) != 0 {
		t.Fatalf("unconfigured run reported %q and made %d calls", lines, len(srv.Calls()))
	}

	// Configured: signs in with the service account, uploads into the
	// folder, keeps one.
	cfg := google.Config{ServiceAccount: srv.ServiceAccount(t), Endpoint: srv.URL, DriveFolderID: "f1",
		BackupKeep: 1, BackupDir: dir, PgDump: "pg_dump"}
	job := NewDBBackup(cfg, url, testkit.Logger(t)).Job()
	for range 2 {
		if err := job.Run(context.Background(), args); err != nil {
			t.Fatal(err)
		}
	}
	files := srv.Files()
	if len(files) != 1 || !strings.Contains(string(files[0].Content), "CREATE TABLE public.backup_job_probe") ||
		files[0].Parents[0] != "f1" {
		t.Fatalf("Drive holds %d files (want the newest only, with the dump, in f1)", len(files))
	}
	if len(lines) != 3 || !strings.Contains(lines[2], "deleted 1 old backup") {
		t.Fatalf("reports %q", lines)
	}
	if toks := srv.Tokens(); len(toks) == 0 || toks[0].Scope != google.DriveFileScope {
		t.Fatalf("tokens %+v: want the service account signed in for drive.file", toks)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Fatalf("local files left: %v", left)
	}
}
