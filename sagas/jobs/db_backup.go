package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"google.golang.org/api/drive/v3"

	"github.com/cicero/cicero/internal/google"
	"github.com/cicero/cicero/internal/google/drivebackup"
	"github.com/cicero/cicero/internal/schedule"
)

// Name and schedule of the database backup (spec/ops.md §5.3 #1, legacy
// job key ./src/cron/cronDbBackup.js): 04:00 daily, Asia/Jakarta.
const (
	DBBackupJob  = "db-backup"
	DBBackupCron = "0 4 * * *"
)

// DBBackup dumps the database to Google Drive (internal/google/drivebackup).
// Without GOOGLE_SERVICE_ACCOUNT a run logs that backups are not
// configured and does nothing.
type DBBackup struct {
	cfg         google.Config
	databaseURL string
	log         *slog.Logger
}

// NewDBBackup returns the job for the database at databaseURL.
func NewDBBackup(cfg google.Config, databaseURL string, log *slog.Logger) *DBBackup {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &DBBackup{cfg: cfg, databaseURL: databaseURL, log: log}
}

// Job is the scheduled job.
func (b *DBBackup) Job() schedule.Job {
	return schedule.Job{Name: DBBackupJob, Legacy: legacy("cronDbBackup"), Cron: DBBackupCron, Run: b.run}
}

func (b *DBBackup) run(ctx context.Context, args schedule.Args) error {
	report := func(line string) {
		if args.Report != nil {
			args.Report(line)
		}
	}
	opts, err := b.cfg.DriveOptions()
	if errors.Is(err, google.ErrNotConfigured) {
		b.log.Info("database backup not configured: GOOGLE_SERVICE_ACCOUNT is empty")
		report("backup not configured (GOOGLE_SERVICE_ACCOUNT is empty): nothing done")
		return nil
	}
	if err != nil {
		return fmt.Errorf("database backup: %w", err)
	}
	svc, err := drive.NewService(ctx, opts...)
	if err != nil {
		return fmt.Errorf("database backup: drive client: %w", err)
	}
	bk, err := drivebackup.New(svc, drivebackup.Options{DatabaseURL: b.databaseURL, FolderID: b.cfg.DriveFolderID,
		Keep: b.cfg.BackupKeep, Dir: b.cfg.BackupDir, PgDump: b.cfg.PgDump, Log: b.log})
	if err != nil {
		return fmt.Errorf("database backup: %w", err)
	}
	start := time.Now()
	res, err := bk.Run(ctx)
	if err != nil {
		return fmt.Errorf("database backup: %w", err)
	}
	b.log.Info("database backup uploaded", "file", res.Name, "bytes", res.Bytes,
		"old_deleted", len(res.Deleted), "took", time.Since(start).Round(time.Millisecond))
	report(fmt.Sprintf("uploaded %s (%d bytes); deleted %d old backup(s)", res.Name, res.Bytes, len(res.Deleted)))
	return nil
}
