package natsembed_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nkeys"

	"github.com/cicero/cicero/internal/natsembed"
)

func mustCredentials(t *testing.T, dir string) *natsembed.Credentials {
	t.Helper()
	c, err := natsembed.LoadOrCreateCredentials(dir)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func startWithCredentials(t *testing.T, listen string, c *natsembed.Credentials) *natsembed.Server {
	t.Helper()
	srv, err := natsembed.Start(natsembed.Options{Name: "auth", Listen: listen, StoreDir: filepath.Join(t.TempDir(), "js"), Credentials: c})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// The listening server admits its own user only: no anonymous client, no
// other key. The right key gets JetStream.
func TestCredentialsRequiredOnListener(t *testing.T) {
	t.Parallel()
	own := mustCredentials(t, t.TempDir())
	other := mustCredentials(t, t.TempDir())
	srv := startWithCredentials(t, "127.0.0.1:-1", own)

	for name, opts := range map[string][]nats.Option{
		"anonymous":   nil,
		"another key": {other.ConnectOption()},
		"user+pass":   {nats.UserInfo(own.PublicKey(), "guess")},
	} {
		nc, err := nats.Connect(srv.ClientURL(), append(opts, nats.NoReconnect())...)
		if err == nil {
			nc.Close()
			t.Fatalf("%s connection to the embedded server was accepted", name)
		}
		if !errors.Is(err, nats.ErrAuthorization) {
			t.Fatalf("%s connection: %v, want an authorization violation", name, err)
		}
	}

	nc, err := nats.Connect(srv.ClientURL(), own.ConnectOption(), nats.NoReconnect())
	if err != nil {
		t.Fatalf("the server's own credentials: %v", err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := js.AccountInfo(ctx); err != nil {
		t.Fatalf("JetStream for the authenticated user: %v", err)
	}
	// Server.Connect authenticates by itself.
	nc2, err := srv.Connect("self")
	if err != nil {
		t.Fatalf("Server.Connect: %v", err)
	}
	nc2.Close()
}

// In-process connections go through the same authentication. (The refusal
// takes the server's 10s write deadline: over the synchronous in-process
// pipe the server's -ERR waits for a client that is still writing.)
func TestCredentialsRequiredInProcess(t *testing.T) {
	t.Parallel()
	own := mustCredentials(t, t.TempDir())
	srv := startWithCredentials(t, "", own)
	nc, err := nats.Connect("", nats.InProcessServer(srv.Server), nats.NoReconnect())
	if err == nil {
		nc.Close()
		t.Fatal("anonymous in-process connection was accepted")
	}
	nc, err = srv.Connect("self")
	if err != nil {
		t.Fatalf("Server.Connect in-process: %v", err)
	}
	nc.Close()
}

// The file is created once, 0600, and every later load (and restart of the
// server on the same data) uses the same key.
func TestCredentialsFileCreatedOnceAndReused(t *testing.T) {
	t.Parallel()
	dataDir := filepath.Join(t.TempDir(), "data") // not there yet, as on a first start
	first := mustCredentials(t, dataDir)
	path := filepath.Join(dataDir, natsembed.CredentialsFile)
	if first.Path() != path {
		t.Fatalf("credentials at %s, want %s", first.Path(), path)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("credentials file mode %04o, want 0600", fi.Mode().Perm())
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	kp, err := nkeys.ParseDecoratedUserNKey(raw)
	if err != nil {
		t.Fatalf("the file is not an nkey user seed the nats tools read: %v", err)
	}
	if pub, _ := kp.PublicKey(); pub != first.PublicKey() {
		t.Fatalf("file holds %s, credentials say %s", pub, first.PublicKey())
	}

	storeDir := filepath.Join(dataDir, "jetstream")
	srv, err := natsembed.Start(natsembed.Options{Name: "restart", Listen: "127.0.0.1:-1", StoreDir: storeDir, Credentials: first})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	nc, err := srv.Connect("before")
	if err != nil {
		srv.Close()
		t.Fatal(err)
	}
	js, _ := jetstream.New(nc)
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "KEPT", Subjects: []string{"kept.>"}}); err != nil {
		t.Fatal(err)
	}
	nc.Close()
	srv.Close()

	again := mustCredentials(t, dataDir)
	if again.PublicKey() != first.PublicKey() {
		t.Fatalf("second start generated a new key %s (first %s)", again.PublicKey(), first.PublicKey())
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(after, raw) {
		t.Fatal("loading the credentials rewrote the file")
	}
	srv, err = natsembed.Start(natsembed.Options{Name: "restart", Listen: "127.0.0.1:-1", StoreDir: storeDir, Credentials: again})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	nc, err = nats.Connect(srv.ClientURL(), again.ConnectOption(), nats.NoReconnect())
	if err != nil {
		t.Fatalf("reconnect after restart: %v", err)
	}
	defer nc.Close()
	js, _ = jetstream.New(nc)
	if _, err := js.Stream(ctx, "KEPT"); err != nil {
		t.Fatalf("stream after restart: %v", err)
	}
}

// Processes starting together on a fresh DATA_DIR agree on one key.
func TestCredentialsConcurrentFirstStart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	keys := make([]string, 8)
	errs := make([]error, 8)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := natsembed.LoadOrCreateCredentials(dir)
			if err == nil {
				keys[i] = c.PublicKey()
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for i := range keys {
		if errs[i] != nil || keys[i] != keys[0] {
			t.Fatalf("start %d: key %s err %v; start 0: key %s", i, keys[i], errs[i], keys[0])
		}
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".nats.nk-*"))
	if len(left) != 0 {
		t.Fatalf("temporary files left behind: %v", left)
	}
}

// A damaged, unreadable or exposed file is an error that names the file and
// the remedy, never a silently generated new key.
func TestCredentialsFileProblems(t *testing.T) {
	t.Parallel()
	accountSeed := func() []byte {
		kp, _ := nkeys.CreateAccount()
		s, _ := kp.Seed()
		return s
	}
	cases := []struct {
		name    string
		prepare func(t *testing.T, path string)
		want    string
	}{
		{"garbage", func(t *testing.T, path string) { write(t, path, []byte("not a key\n"), 0o600) }, "holds no valid nkey user seed"},
		{"truncated seed", func(t *testing.T, path string) { write(t, path, []byte("SUAM\n"), 0o600) }, "holds no valid nkey user seed"},
		{"account seed", func(t *testing.T, path string) { write(t, path, accountSeed(), 0o600) }, "holds no valid nkey user seed"},
		{"empty", func(t *testing.T, path string) { write(t, path, nil, 0o600) }, "holds no valid nkey user seed"},
		{"directory", func(t *testing.T, path string) {
			if err := os.Mkdir(path, 0o700); err != nil {
				t.Fatal(err)
			}
		}, "is not a regular file"},
		{"readable by others", func(t *testing.T, path string) {
			c := mustCredentials(t, t.TempDir())
			raw, _ := os.ReadFile(c.Path())
			write(t, path, raw, 0o644)
		}, "has mode 0644, readable by other users; run chmod 600"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			path := filepath.Join(dir, natsembed.CredentialsFile)
			tc.prepare(t, path)
			before, _ := os.ReadFile(path)
			c, err := natsembed.LoadOrCreateCredentials(dir)
			if err == nil {
				t.Fatalf("loaded %v from a bad file", c)
			}
			if !errors.Is(err, natsembed.ErrCredentials) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q, want ErrCredentials naming %s and %q", err, path, tc.want)
			}
			if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
				t.Fatal("the bad file was replaced")
			}
		})
	}
}

func write(t *testing.T, path string, data []byte, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, data, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // past the umask
		t.Fatal(err)
	}
}

// However the credentials are printed or logged, the seed stays out.
func TestCredentialsNeverShowTheSeed(t *testing.T) {
	t.Parallel()
	c := mustCredentials(t, t.TempDir())
	raw, err := os.ReadFile(c.Path())
	if err != nil {
		t.Fatal(err)
	}
	kp, err := nkeys.ParseDecoratedUserNKey(raw)
	if err != nil {
		t.Fatal(err)
	}
	seed, _ := kp.Seed()
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("creds", "c", c)
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("creds", "c", c)
	shown := fmt.Sprintf("%v %+v %#v %s", c, c, c, c) + logged.String()
	if bytes.Contains([]byte(shown), seed) || !strings.Contains(shown, c.PublicKey()) {
		t.Fatalf("printed credentials: %s", shown)
	}
}
