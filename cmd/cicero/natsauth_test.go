package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/cicero/cicero/internal/config"
	"github.com/cicero/cicero/internal/natsembed"
	"github.com/cicero/cicero/internal/testkit"
)

// serve's NATS_LISTEN admits the user in DATA_DIR/nats.nk only: anonymous
// clients are refused, CLI commands sharing DATA_DIR get in, and a CLI with
// other credentials is refused instead of starting a second server.
func TestServeNATSRequiresCredentials(t *testing.T) {
	cfg := testEnv(t)
	startApp(t, cfg)

	nc, err := nats.Connect("nats://"+cfg.NATSListen, nats.NoReconnect())
	if err == nil {
		nc.Close()
		t.Fatal("an anonymous client connected to serve's NATS")
	}
	if !errors.Is(err, nats.ErrAuthorization) {
		t.Fatalf("anonymous client: %v, want an authorization violation", err)
	}
	path := filepath.Join(cfg.DataDir, natsembed.CredentialsFile)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("%s has mode %04o, want 0600", path, fi.Mode().Perm())
	}
	if _, err := runCLI(t, "events", "--json"); err != nil {
		t.Fatalf("CLI with serve running: %v", err)
	}

	otherDir := t.TempDir()
	t.Setenv("DATA_DIR", otherDir)
	_, err = runCLI(t, "events", "--json")
	if err == nil || !errors.Is(err, nats.ErrAuthorization) {
		t.Fatalf("CLI with other credentials: %v, want refused", err)
	}
	mustContain(t, "the refusal", err.Error(), "NATS_LISTEN="+cfg.NATSListen, filepath.Join(otherDir, natsembed.CredentialsFile), "DATA_DIR of the running serve")
	if _, err := os.Stat(filepath.Join(otherDir, "jetstream")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the refused CLI started its own server on %s (%v)", otherDir, err)
	}
}

// The credentials are generated on the first start and the same ones are
// used after a restart, by serve and by the CLI.
func TestNATSCredentialsSurviveRestart(t *testing.T) {
	cfg := testEnv(t)
	path := filepath.Join(cfg.DataDir, natsembed.CredentialsFile)
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("credentials before the first start: %v", err)
	}
	app, err := NewApp(context.Background(), cfg, testkit.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	first, err := os.ReadFile(path)
	app.Close()
	if err != nil {
		t.Fatalf("first start left no credentials: %v", err)
	}

	startApp(t, cfg)
	if _, err := runCLI(t, "events", "--json"); err != nil {
		t.Fatalf("CLI after serve restarted: %v", err)
	}
	again, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(first, again) {
		t.Fatalf("credentials changed across a restart (err %v)", err)
	}
}

// A damaged or exposed credentials file stops serve and the CLI with the
// file and the remedy named; it is never replaced silently.
func TestDamagedNATSCredentialsStopStart(t *testing.T) {
	cases := []struct {
		name string
		data []byte
		mode os.FileMode
		want string
	}{
		{"damaged", []byte("SUAXXXX-not-a-seed\n"), 0o600, "holds no valid nkey user seed"},
		{"readable by others", nil, 0o640, "has mode 0640, readable by other users; run chmod 600"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testEnv(t)
			path := filepath.Join(cfg.DataDir, natsembed.CredentialsFile)
			data := tc.data
			if data == nil {
				c, err := natsembed.LoadOrCreateCredentials(t.TempDir())
				if err != nil {
					t.Fatal(err)
				}
				data, _ = os.ReadFile(c.Path())
			}
			if err := os.WriteFile(path, data, tc.mode); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, tc.mode); err != nil {
				t.Fatal(err)
			}
			_, err := NewApp(context.Background(), cfg, testkit.Logger(t))
			if !errors.Is(err, natsembed.ErrCredentials) {
				t.Fatalf("serve with %s credentials: %v", tc.name, err)
			}
			mustContain(t, "serve's error", err.Error(), path, tc.want)
			_, err = runCLI(t, "events", "--json")
			if !errors.Is(err, natsembed.ErrCredentials) {
				t.Fatalf("CLI with %s credentials: %v", tc.name, err)
			}
			mustContain(t, "the CLI's error", err.Error(), path, tc.want)
			if after, _ := os.ReadFile(path); !bytes.Equal(after, data) {
				t.Fatal("the credentials file was replaced")
			}
		})
	}
}

// `serve` with the default NATS_SYNC_INTERVAL fsyncs before every
// acknowledgement, through the same config → openNATS path; an interval
// turns that off. Fails if natsembed.Start stops setting SyncAlways or the
// configuration's default changes.
func TestServeSyncsBeforeAckByDefault(t *testing.T) {
	cases := []struct {
		name     string
		interval string // "" = not set
		always   bool
	}{
		{"default", "", true},
		{"interval", "1s", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			testEnv(t)
			t.Setenv("NATS_SYNC_INTERVAL", tc.interval)
			if tc.interval == "" {
				os.Unsetenv("NATS_SYNC_INTERVAL") // restored by t.Setenv
			}
			cfg, err := config.Load()
			if err != nil {
				t.Fatal(err)
			}
			app, err := NewApp(context.Background(), cfg, testkit.Logger(t))
			if err != nil {
				t.Fatal(err)
			}
			defer app.Close()
			js := app.deps.server.JetStreamConfig()
			if js.SyncAlways != tc.always {
				t.Fatalf("serve's JetStream SyncAlways = %v, want %v", js.SyncAlways, tc.always)
			}
			if !tc.always && js.SyncInterval != time.Second {
				t.Fatalf("serve's JetStream SyncInterval = %v, want 1s", js.SyncInterval)
			}
			testkit.CheckFsyncBeforeAck(t, app.deps.nc, tc.always)
		})
	}
}
