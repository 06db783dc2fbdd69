// Package drivebackup is the daily database backup (spec/access.md §6.11,
// spec/ops.md §5.4 #1): pg_dump of the database into a local file named as
// the legacy job named it, uploaded to a Google Drive folder through the
// Drive v3 API, after which only the newest N of our backups stay in the
// folder and the local file is removed.
//
// It imports only standard and chosen libraries.
package drivebackup
