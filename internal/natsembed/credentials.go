package natsembed

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nkeys"
)

// CredentialsFile is the name of the embedded server's user key in DATA_DIR.
const CredentialsFile = "nats.nk"

// The file is an nkey user seed, not a user and password: the server only
// ever holds the public key, a client proves it holds the seed by signing
// the server's nonce, so nothing secret crosses the socket (a password would,
// in clear, on every connect), and the format is the one the nats CLI takes
// (`nats --server 127.0.0.1:14222 --nkey $DATA_DIR/nats.nk stream ls`).
const credentialsHeader = "# Cicero's embedded NATS user (an nkey seed). Whoever can read this file can\n" +
	"# read and write every event stream: keep it mode 0600 and out of backups you share.\n"

// ErrCredentials is what every problem with the credentials file matches.
var ErrCredentials = errors.New("embedded NATS credentials")

// Credentials are the one user the embedded server admits. Their String
// never shows the seed, so they are safe to log or print.
type Credentials struct {
	path string
	kp   nkeys.KeyPair
	pub  string
}

// LoadOrCreateCredentials reads dir/nats.nk, generating it (mode 0600, a new
// random nkey) when it does not exist yet, so the first start creates it and
// every later start and CLI command uses the same one.
func LoadOrCreateCredentials(dir string) (*Credentials, error) {
	path := filepath.Join(dir, CredentialsFile)
	c, err := LoadCredentials(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return c, err
	}
	if err := createCredentials(dir, path); err != nil {
		return nil, fmt.Errorf("%w: create %s: %w", ErrCredentials, path, err)
	}
	return LoadCredentials(path)
}

// LoadCredentials reads an existing credentials file. A file others may read
// is refused rather than used: its secret may already have leaked.
func LoadCredentials(path string) (*Credentials, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCredentials, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: %s is not a regular file (%s)", ErrCredentials, path, fi.Mode().Type())
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("%w: %s has mode %04o, readable by other users; run chmod 600 %s (and consider deleting it so a new key is generated)",
			ErrCredentials, path, perm, path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCredentials, err)
	}
	defer wipe(data)
	kp, err := nkeys.ParseDecoratedUserNKey(data)
	if err != nil {
		// nkeys' messages never quote the seed.
		return nil, fmt.Errorf("%w: %s holds no valid nkey user seed (%w); it is damaged: stop serve, delete it and start serve again to generate a new one",
			ErrCredentials, path, err)
	}
	pub, err := kp.PublicKey()
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrCredentials, path, err)
	}
	return &Credentials{path: path, kp: kp, pub: pub}, nil
}

// createCredentials writes the whole file under a temporary name and links
// it into place, so a crash never leaves a half-written key and two
// processes starting at once end up sharing one (the loser's link fails).
func createCredentials(dir, path string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	kp, err := nkeys.CreateUser()
	if err != nil {
		return err
	}
	defer kp.Wipe()
	seed, err := kp.Seed()
	if err != nil {
		return err
	}
	content := append([]byte(credentialsHeader), seed...)
	content = append(content, '\n')
	defer wipe(seed)
	defer wipe(content)

	tmp, err := os.CreateTemp(dir, ".nats.nk-*") // created 0600
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(content); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	return syncDir(dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

func wipe(b []byte) {
	for i := range b {
		b[i] = 'x'
	}
}

// Path is the file the credentials came from.
func (c *Credentials) Path() string { return c.path }

// PublicKey is the user's public nkey (not secret).
func (c *Credentials) PublicKey() string { return c.pub }

// ConnectOption authenticates a client connection with these credentials.
func (c *Credentials) ConnectOption() nats.Option {
	return nats.Nkey(c.pub, c.kp.Sign)
}

// String names the user and the file, never the seed.
func (c *Credentials) String() string { return fmt.Sprintf("nkey user %s (%s)", c.pub, c.path) }

// GoString keeps %#v from printing the key pair.
func (c *Credentials) GoString() string { return c.String() }
