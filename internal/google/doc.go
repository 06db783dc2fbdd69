// Package google holds what Cicero's Google adapters share: their
// configuration (GOOGLE_* and the backup and contact settings of
// spec/access.md §6.6) and the client options that point a
// google.golang.org/api client at Google, or at another endpoint
// (GOOGLE_API_ENDPOINT, a staging or test server speaking the same JSON
// API). The adapters are its sub-packages: contacts (People API) and
// drivebackup (pg_dump → Drive). It imports only standard and chosen
// libraries.
package google
