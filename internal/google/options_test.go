package google

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/api/drive/v3"
	"google.golang.org/api/people/v1"

	"github.com/cicero/cicero/internal/google/googletest"
)

// lastAuth is the Authorization header of the last call to path.
func lastAuth(srv *googletest.Server, path string) string {
	out := ""
	for _, c := range srv.Calls() {
		if c.Path == path {
			out = c.Authorization
		}
	}
	return out
}

// The configured service account (as JSON or as a path) signs in at its
// token endpoint with the right scope, impersonating the configured user
// for contacts only, and the clients call GOOGLE_API_ENDPOINT with the
// token.
func TestOptionsAuthenticateAgainstTheEndpoint(t *testing.T) {
	srv := googletest.Start(t)
	sa := srv.ServiceAccount(t)
	path := filepath.Join(t.TempDir(), "sa.json")
	if err := os.WriteFile(path, []byte(sa), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i, cred := range []string{sa, path} {
		cfg := Config{ServiceAccount: cred, ImpersonateEmail: "humas@polri.test", Endpoint: srv.URL,
			ContactScope: "https://www.googleapis.com/auth/contacts"}
		opts, err := cfg.DriveOptions()
		if err != nil {
			t.Fatal(err)
		}
		d, err := drive.NewService(ctx, opts...)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.Files.List().Q("trashed = false").Context(ctx).Do(); err != nil {
			t.Fatal(err)
		}
		opts, err = cfg.PeopleOptions()
		if err != nil {
			t.Fatal(err)
		}
		p, err := people.NewService(ctx, opts...)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.People.SearchContacts().Query("").ReadMask("names").Context(ctx).Do(); err != nil {
			t.Fatal(err)
		}
		toks := srv.Tokens()
		if len(toks) != 2*(i+1) {
			t.Fatalf("%d tokens issued, want %d", len(toks), 2*(i+1))
		}
		dt, pt := toks[2*i], toks[2*i+1]
		if dt.Scope != DriveFileScope || dt.Subject != "" || dt.Issuer != "backup@cicero-test.iam.gserviceaccount.com" {
			t.Errorf("drive token %+v", dt)
		}
		if pt.Scope != cfg.ContactScope || pt.Subject != "humas@polri.test" {
			t.Errorf("people token %+v", pt)
		}
		if got := lastAuth(srv, "/drive/v3/files"); got != "Bearer "+dt.AccessToken {
			t.Errorf("drive call authorised with %q, want %q", got, dt.AccessToken)
		}
		if got := lastAuth(srv, "/v1/people:searchContacts"); got != "Bearer "+pt.AccessToken {
			t.Errorf("people call authorised with %q, want %q", got, pt.AccessToken)
		}
	}
}

func TestOptionsRefuse(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		want string
	}{
		{"nothing configured", Config{}, ErrNotConfigured.Error()},
		{"missing file", Config{ServiceAccount: "/nonexistent/sa.json"}, "read Google credentials file"},
		{"not JSON", Config{ServiceAccount: "{oops"}, "neither JSON"},
		{"another credential type", Config{ServiceAccount: `{"type":"external_account"}`}, `"external_account"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.cfg.DriveOptions()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want %q", err, tc.want)
			}
			if _, err := tc.cfg.PeopleOptions(); err == nil {
				t.Fatal("people options without usable credentials")
			}
			if tc.cfg.ServiceAccount == "" && !errors.Is(err, ErrNotConfigured) {
				t.Fatalf("err %v is not ErrNotConfigured", err)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	ok := Config{BackupKeep: 14, ContactCacheTTLMS: 1, ContactCooldownMS: 1}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []Config{
		{BackupKeep: 0},
		{BackupKeep: 1, ContactCooldownMS: -1},
		{BackupKeep: 1, Endpoint: "localhost:9000"},
	} {
		if bad.Validate() == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}
