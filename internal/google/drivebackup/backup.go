package drivebackup

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"google.golang.org/api/drive/v3"
	"google.golang.org/api/googleapi"
)

// Options configure a Backup.
type Options struct {
	// DatabaseURL is the database dumped (DATABASE_URL).
	DatabaseURL string
	// FolderID is the Drive folder (GOOGLE_DRIVE_FOLDER_ID; empty: the
	// account's root).
	FolderID string
	// Keep is how many of our backups stay in the folder (at least 1).
	Keep int
	// Dir holds the dump while it uploads (empty: os.TempDir()).
	Dir string
	// PgDump is the pg_dump program (default "pg_dump").
	PgDump string
	// ChunkSize is the upload chunk: a dump that fits in one goes up in a
	// single multipart request, a larger one in a resumable session of
	// chunks (0: the client's default, 16 MiB; at least 256 KiB).
	ChunkSize int
	// Now stamps the file name (default time.Now).
	Now func() time.Time
	Log *slog.Logger
}

// Backup dumps the database to Drive.
type Backup struct {
	drive *drive.Service
	o     Options
}

// Result is what one run did.
type Result struct {
	Name    string   // the uploaded file's name
	FileID  string   // its Drive id
	Bytes   int64    // its size
	Deleted []string // old backups deleted
}

// MimeType is the uploaded files' type (the legacy job's).
const MimeType = "application/octet-stream"

// New returns a backup writing through svc.
func New(svc *drive.Service, o Options) (*Backup, error) {
	if o.Keep < 1 {
		return nil, fmt.Errorf("backup: keep %d backups? at least 1", o.Keep)
	}
	if o.DatabaseURL == "" {
		return nil, errors.New("backup: no database URL")
	}
	if o.Dir == "" {
		o.Dir = os.TempDir()
	}
	if o.PgDump == "" {
		o.PgDump = "pg_dump"
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return &Backup{drive: svc, o: o}, nil
}

// Run dumps the database, uploads the dump, deletes our backups beyond the
// newest Keep, and removes the local file whatever happened (a dump of
// personal data is not left lying in a temporary directory; the next run
// makes a fresh one).
func (b *Backup) Run(ctx context.Context) (Result, error) {
	db, err := databaseName(b.o.DatabaseURL)
	if err != nil {
		return Result{}, err
	}
	res := Result{Name: FileName(db, b.o.Now())}
	path, err := dump(ctx, b.o.PgDump, b.o.DatabaseURL, b.o.Dir, res.Name)
	if err != nil {
		return res, err
	}
	defer func() {
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			b.o.Log.Warn("backup: remove local dump", "err", err)
		}
	}()
	if res.FileID, res.Bytes, err = b.upload(ctx, path, res.Name); err != nil {
		return res, err
	}
	res.Deleted, err = b.prune(ctx, db, res.FileID)
	return res, err
}

// upload sends the file to the folder.
func (b *Backup) upload(ctx context.Context, path, name string) (id string, size int64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, fmt.Errorf("open dump: %w", err)
	}
	defer f.Close()
	meta := &drive.File{Name: name, MimeType: MimeType}
	if b.o.FolderID != "" {
		meta.Parents = []string{b.o.FolderID}
	}
	media := []googleapi.MediaOption{googleapi.ContentType(MimeType)}
	if b.o.ChunkSize > 0 {
		media = append(media, googleapi.ChunkSize(b.o.ChunkSize))
	}
	up, err := b.drive.Files.Create(meta).Media(f, media...).SupportsAllDrives(true).
		Fields("id", "name", "size").Context(ctx).Do()
	if err != nil {
		return "", 0, fmt.Errorf("upload %s to Drive: %w", name, err)
	}
	return up.Id, up.Size, nil
}
