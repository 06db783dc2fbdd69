package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/internal/config"
	"github.com/cicero/cicero/internal/google"
	"github.com/cicero/cicero/internal/google/googletest"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/sagas"
)

// TestGoogleBackupJob: `cicero job` lists db-backup at 04:00; without
// credentials a run says backups are not configured; with a service
// account and GOOGLE_API_ENDPOINT it dumps the migrated database and
// uploads it, keeping BACKUP_KEEP.
func TestGoogleBackupJob(t *testing.T) {
	cfg := testEnv(t)
	if _, err := runCLI(t, "migrate"); err != nil {
		t.Fatal(err)
	}
	out, err := runCLI(t, "job", "list")
	if err != nil || !strings.Contains(out, "db-backup") || !strings.Contains(out, "0 4 * * *") {
		t.Fatalf("job list: %v\n%s", err, out)
	}
	out, err = runCLI(t, "job", "run", "-q", "db-backup")
	if err != nil || !strings.Contains(out, "not configured") {
		t.Fatalf("unconfigured run: %v\n%s", err, out)
	}

	srv := googletest.Start(t)
	t.Setenv("GOOGLE_SERVICE_ACCOUNT", srv.ServiceAccount(t))
	t.Setenv("GOOGLE_API_ENDPOINT", srv.URL)
	t.Setenv("GOOGLE_DRIVE_FOLDER_ID", "backups")
	t.Setenv("BACKUP_DIR", t.TempDir())
	t.Setenv("BACKUP_KEEP", "1")
	db := cfg.DatabaseURL[strings.LastIndex(cfg.DatabaseURL, "/")+1 : strings.Index(cfg.DatabaseURL, "?")]
	old := srv.AddFile(googletest.File{Name: db + "-2020-01-01T21-00-00-000Z.sql", Parents: []string{"backups"}})
	out, err = runCLI(t, "job", "run", "-q", "db-backup")
	if err != nil || !strings.Contains(out, "uploaded "+db+"-") || !strings.Contains(out, "deleted 1 old backup") {
		t.Fatalf("configured run: %v\n%s", err, out)
	}
	files := srv.Files()
	if len(files) != 1 || files[0].ID == old || !strings.Contains(string(files[0].Content), "CREATE TABLE public.personnel") {
		t.Fatalf("Drive holds %d files; want only the new dump of the migrated schema", len(files))
	}
}

// TestGoogleContactsThroughServe: with contact credentials configured,
// serve runs the google-contact saga and sender, so a person registered
// with a number becomes a Google contact named after them.
func TestGoogleContactsThroughServe(t *testing.T) {
	testEnv(t)
	srv := googletest.Start(t)
	t.Setenv("GOOGLE_CONTACTS_CREDENTIALS", srv.ServiceAccount(t))
	t.Setenv("GOOGLE_API_ENDPOINT", srv.URL)
	cfg, err := config.Load()
	if err != nil {
		t.Fatal(err)
	}
	startApp(t, cfg)
	for _, args := range [][]string{
		{"admin", "client", "create", "--id", "POLRESG", "--name", "POLRES G", "--type", "org"},
		{"admin", "person", "create", "--nrp", "75050001", "--name", "Budi Google", "--client", "POLRESG", "--whatsapp", "0812-5000-0001"},
		{"admin", "person", "create", "--nrp", "75050002", "--name", "Siti", "--client", "POLRESG"},
	} {
		if out, err := runCLI(t, args...); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	testkit.Eventually(t, 30*time.Second, func() error {
		cs := srv.Contacts()
		if len(cs) != 1 {
			return fmt.Errorf("%d contacts", len(cs))
		}
		if got := cs[0].Names[0].GivenName + " " + cs[0].PhoneNumbers[0].Value; got != "BUDI GOOGLE +6281250000001" {
			return fmt.Errorf("contact %q", got)
		}
		return nil
	})
	// A number given later by an update (the WhatsApp bind) is saved too,
	// named from the directory.
	if out, err := runCLI(t, "admin", "person", "update", "--nrp", "75050002", "--whatsapp", "6281250000002"); err != nil {
		t.Fatalf("update: %v\n%s", err, out)
	}
	testkit.Eventually(t, 30*time.Second, func() error {
		for _, c := range srv.Contacts() {
			if c.PhoneNumbers[0].Value == "+6281250000002" && c.Names[0].GivenName == "SITI" {
				return nil
			}
		}
		return fmt.Errorf("contacts %+v", srv.Contacts())
	})
}

// TestSaveAllContacts: the savecontact entry point answers
// ErrNotConfigured without credentials; with them, serve saves the active,
// opted-in personnel with a number through the outbox (the google-contact
// sender, named from the directory), and the same request again saves
// nothing twice and counts the same rows.
func TestSaveAllContacts(t *testing.T) {
	cfg := testEnv(t)
	if _, err := runCLI(t, "migrate"); err != nil {
		t.Fatal(err)
	}
	pool, err := pgxpool.New(context.Background(), cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	bare := &wiring{cfg: cfg, log: testkit.Logger(t), pool: pool, senders: map[string]sagas.Sender{}}
	if err := addGoogleSenders(bare); err != nil || len(bare.senders) != 0 {
		t.Fatalf("unconfigured: %v, senders %v", err, bare.senders)
	}
	if _, err := saveAllContacts(context.Background(), bare, commands.Meta{}, "savecontact/t/0"); !errors.Is(err, google.ErrNotConfigured) {
		t.Fatalf("unconfigured savecontact: %v", err)
	}

	srv := googletest.Start(t)
	cfg.Google.ContactsCredentials, cfg.Google.Endpoint = srv.ServiceAccount(t), srv.URL
	ctx, cancel := context.WithCancel(context.Background())
	app, err := NewApp(ctx, cfg, testkit.Logger(t))
	if err != nil {
		cancel()
		t.Fatalf("new app: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- app.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("app run: %v", err)
		}
		app.Close()
	})
	if app.wiring.senders[sagas.ChannelGoogleContact] == nil {
		t.Fatalf("configured: senders %v", app.wiring.senders)
	}
	// Read-model rows as the directory projection writes them (no history:
	// the registration saga would save a registered number by itself).
	if _, err := pool.Exec(context.Background(), `INSERT INTO personnel (user_id, nama, whatsapp, status, wa_notification_opt_in, version, created_at, updated_at)
		VALUES ('1', 'IN', '6281270000001', true, true, 1, now(), now()), ('2', 'OUT', '6281270000002', true, false, 1, now(), now()),
		       ('3', 'GONE', '6281270000003', false, true, 1, now(), now()), ('4', 'NONE', '', true, true, 1, now(), now())`); err != nil {
		t.Fatal(err)
	}
	waitCtx, stop := context.WithTimeout(context.Background(), 30*time.Second)
	defer stop()
	admin := commands.Meta{Actor: "wa:6281299990001"}
	r, err := saveAllContacts(waitCtx, app.wiring, admin, "savecontact/t/1")
	if err != nil || r.Saved != 1 || r.Failed != 0 {
		t.Fatalf("savecontact: %+v, %v", r, err)
	}
	if cs := srv.Contacts(); len(cs) != 1 || cs[0].Names[0].GivenName != "IN" || cs[0].PhoneNumbers[0].Value != "+6281270000001" {
		t.Fatalf("contacts %+v", cs)
	}
	var rows int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM outbox WHERE channel = 'google-contact'`).Scan(&rows); err != nil || rows != 1 {
		t.Fatalf("google-contact outbox rows = %d (%v), want 1", rows, err)
	}
	// The same request again (a redelivered message): same count, no new
	// row, no new contact.
	if r, err := saveAllContacts(waitCtx, app.wiring, admin, "savecontact/t/1"); err != nil || r.Saved != 1 {
		t.Fatalf("savecontact again: %+v, %v", r, err)
	}
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM outbox WHERE channel = 'google-contact'`).Scan(&rows); err != nil || rows != 1 || len(srv.Contacts()) != 1 {
		t.Fatalf("after the same request: %d rows (%v), %d contacts", rows, err, len(srv.Contacts()))
	}
}
