package google

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"cloud.google.com/go/auth"
	"cloud.google.com/go/auth/credentials"
	"google.golang.org/api/option"
)

// ErrNotConfigured: the adapter has no credentials, so it is off.
var ErrNotConfigured = errors.New("google credentials not configured")

// DriveFileScope lets the backup see and delete only the files it created
// (spec/access.md §6.11).
const DriveFileScope = "https://www.googleapis.com/auth/drive.file"

// DriveOptions are the backup's Drive client options: the service account
// with the drive.file scope, and the endpoint override.
func (c Config) DriveOptions() ([]option.ClientOption, error) {
	if !c.BackupConfigured() {
		return nil, ErrNotConfigured
	}
	creds, err := c.credentials(c.ServiceAccount, DriveFileScope, "")
	if err != nil {
		return nil, err
	}
	return c.withEndpoint([]option.ClientOption{option.WithAuthCredentials(creds)}, "/drive/v3/"), nil
}

// PeopleOptions are the contact saver's People API client options.
func (c Config) PeopleOptions() ([]option.ClientOption, error) {
	if !c.ContactsConfigured() {
		return nil, ErrNotConfigured
	}
	creds, err := c.credentials(c.contactsCredentials(), c.ContactScope, c.ImpersonateEmail)
	if err != nil {
		return nil, err
	}
	return c.withEndpoint([]option.ClientOption{option.WithAuthCredentials(creds)}, "/"), nil
}

// withEndpoint points the client at GOOGLE_API_ENDPOINT, when set, with the
// service's base path under it (Drive's generated code puts its upload path
// next to the base path's host, so one server can answer both APIs).
func (c Config) withEndpoint(opts []option.ClientOption, basePath string) []option.ClientOption {
	if c.Endpoint == "" {
		return opts
	}
	return append(opts, option.WithEndpoint(strings.TrimRight(c.Endpoint, "/")+basePath))
}

// credentials loads a service account key or an authorized-user refresh
// token (nothing else: a credential file may not name an arbitrary token
// exchange) for scope, impersonating subject when given.
func (c Config) credentials(src, scope, subject string) (*auth.Credentials, error) {
	b, err := credentialJSON(src)
	if err != nil {
		return nil, err
	}
	var head struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return nil, errors.New("google credentials are neither JSON nor the path of a JSON file")
	}
	opts := &credentials.DetectOptions{Scopes: []string{scope}}
	var typ credentials.CredType
	switch head.Type {
	case string(credentials.ServiceAccount):
		typ, opts.Subject = credentials.ServiceAccount, subject
	case string(credentials.AuthorizedUser):
		typ = credentials.AuthorizedUser
	default:
		return nil, fmt.Errorf("google credentials of type %q: want service_account or authorized_user", head.Type)
	}
	creds, err := credentials.NewCredentialsFromJSON(typ, b, opts)
	if err != nil {
		return nil, fmt.Errorf("load google %s credentials: %w", head.Type, err)
	}
	return creds, nil
}
