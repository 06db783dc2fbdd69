package google

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// Config is the Google adapters' part of the process configuration.
type Config struct {
	// ServiceAccount is a service account key, as JSON or as the path of a
	// JSON file (the legacy GOOGLE_SERVICE_ACCOUNT). Empty: no backups and no
	// contact saving.
	ServiceAccount string `env:"GOOGLE_SERVICE_ACCOUNT"`
	// ImpersonateEmail is the Workspace user whose contacts the service
	// account writes (domain-wide delegation). Without it a service account
	// saves contacts into its own address book, which no phone sees.
	ImpersonateEmail string `env:"GOOGLE_IMPERSONATE_EMAIL"`
	// ContactsCredentials, when set, are the contacts' own credentials (JSON
	// or path): a service account key, or an "authorized_user" refresh-token
	// file (what the legacy credentials.json + token.json amount to).
	// Empty: ServiceAccount.
	ContactsCredentials string `env:"GOOGLE_CONTACTS_CREDENTIALS"`
	// ContactScope is the OAuth scope of contact saving.
	ContactScope string `env:"GOOGLE_CONTACT_SCOPE" envDefault:"https://www.googleapis.com/auth/contacts"`
	// Endpoint replaces https://people.googleapis.com and
	// https://www.googleapis.com as the APIs' root (scheme://host[:port]).
	Endpoint string `env:"GOOGLE_API_ENDPOINT"`

	// DriveFolderID is the Drive folder backups go to (empty: the account's
	// root).
	DriveFolderID string `env:"GOOGLE_DRIVE_FOLDER_ID"`
	// BackupKeep is how many of our backups the folder keeps; older ones
	// are deleted after each upload.
	BackupKeep int `env:"BACKUP_KEEP" envDefault:"14"`
	// BackupDir holds the dump while it uploads (empty: the system's
	// temporary directory).
	BackupDir string `env:"BACKUP_DIR"`
	// PgDump is the pg_dump program.
	PgDump string `env:"PG_DUMP" envDefault:"pg_dump"`

	// ContactCacheTTLMS is how long a number once handled is not looked at
	// again by this process (legacy CONTACT_CACHE_TTL_MS).
	ContactCacheTTLMS int `env:"CONTACT_CACHE_TTL_MS" envDefault:"300000"`
	// ContactCooldownMS is how long contact saving pauses after Google
	// refused our credentials or quota (legacy CONTACT_AUTH_COOLDOWN_MS).
	ContactCooldownMS int `env:"CONTACT_AUTH_COOLDOWN_MS" envDefault:"300000"`
}

// BackupConfigured reports whether backups can run.
func (c Config) BackupConfigured() bool { return strings.TrimSpace(c.ServiceAccount) != "" }

// ContactsConfigured reports whether contact saving can run: with its own
// credentials, or with the service account and a user to impersonate (a
// service account's own address book is no phone's).
func (c Config) ContactsConfigured() bool {
	return strings.TrimSpace(c.ContactsCredentials) != "" ||
		(c.BackupConfigured() && strings.TrimSpace(c.ImpersonateEmail) != "")
}

func (c Config) contactsCredentials() string {
	if strings.TrimSpace(c.ContactsCredentials) != "" {
		return c.ContactsCredentials
	}
	return c.ServiceAccount
}

// ContactCacheTTL is ContactCacheTTLMS as a duration.
func (c Config) ContactCacheTTL() time.Duration {
	return time.Duration(c.ContactCacheTTLMS) * time.Millisecond
}

// ContactCooldown is ContactCooldownMS as a duration.
func (c Config) ContactCooldown() time.Duration {
	return time.Duration(c.ContactCooldownMS) * time.Millisecond
}

// Validate rejects settings that cannot work.
func (c Config) Validate() error {
	var errs []error
	if c.BackupKeep < 1 {
		errs = append(errs, fmt.Errorf("BACKUP_KEEP must be at least 1, got %d", c.BackupKeep))
	}
	if c.ContactCacheTTLMS < 0 || c.ContactCooldownMS < 0 {
		errs = append(errs, errors.New("CONTACT_CACHE_TTL_MS and CONTACT_AUTH_COOLDOWN_MS must not be negative"))
	}
	if c.Endpoint != "" && !strings.HasPrefix(c.Endpoint, "http://") && !strings.HasPrefix(c.Endpoint, "https://") {
		errs = append(errs, fmt.Errorf("GOOGLE_API_ENDPOINT must be an http(s) URL, got %q", c.Endpoint))
	}
	return errors.Join(errs...)
}

// credentialJSON reads a credential given as JSON or as a file path.
func credentialJSON(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "{") {
		return []byte(s), nil
	}
	b, err := os.ReadFile(s)
	if err != nil {
		// The path is configuration, not a secret; the content would be.
		return nil, fmt.Errorf("read Google credentials file %s: %w", s, err)
	}
	return b, nil
}
