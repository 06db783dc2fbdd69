package drivebackup

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"google.golang.org/api/drive/v3"
)

// backupFile is one of our backups in the folder.
type backupFile struct{ ID, Name string }

// quote makes s a Drive query string literal.
func quote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// ours matches the names FileName gives for db, and no other file.
func ours(db string) *regexp.Regexp {
	return regexp.MustCompile(`^` + regexp.QuoteMeta(db) + `-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z\.sql$`)
}

// listBackups lists our backups of db in the folder, newest first (by the
// instant in their names). With the drive.file scope Drive shows the app
// only files it created; the name check leaves anything else alone too.
func (b *Backup) listBackups(ctx context.Context, db string) ([]backupFile, error) {
	q := "name contains " + quote(db+"-") + " and trashed = false"
	if b.o.FolderID != "" {
		q += " and " + quote(b.o.FolderID) + " in parents"
	}
	re := ours(db)
	var out []backupFile
	err := b.drive.Files.List().Q(q).OrderBy("createdTime desc").PageSize(100).
		Fields("nextPageToken", "files(id,name,createdTime)").
		SupportsAllDrives(true).IncludeItemsFromAllDrives(true).
		Pages(ctx, func(l *drive.FileList) error {
			for _, f := range l.Files {
				if re.MatchString(f.Name) {
					out = append(out, backupFile{ID: f.Id, Name: f.Name})
				}
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("list backups in Drive: %w", err)
	}
	// The names' instants order the backups; Drive's createdTime is only
	// the order the list came in.
	slices.SortStableFunc(out, func(x, y backupFile) int { return strings.Compare(y.Name, x.Name) })
	return out, nil
}

// prune deletes our backups beyond the newest Keep, never the one just
// uploaded, and returns the names deleted.
func (b *Backup) prune(ctx context.Context, db, keepID string) ([]string, error) {
	files, err := b.listBackups(ctx, db)
	if err != nil {
		return nil, err
	}
	var deleted []string
	kept := 0
	for _, f := range files {
		if f.ID == keepID || kept < b.o.Keep {
			kept++
			continue
		}
		if err := b.drive.Files.Delete(f.ID).SupportsAllDrives(true).Context(ctx).Do(); err != nil {
			return deleted, fmt.Errorf("delete old backup %s: %w", f.Name, err)
		}
		deleted = append(deleted, f.Name)
	}
	return deleted, nil
}
