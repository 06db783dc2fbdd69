// Package otp issues and checks the one-time codes of the personnel claim
// flow (spec access.md §4.1, with the fixes of SPEC.md §5.12):
//
//   - codes are 6 digits (100000–999999, as before) from crypto/rand;
//   - Redis holds only an HMAC-SHA256 of (NRP, e-mail, code) under a server
//     secret, never the code or the address, at key otp:<nrp> for TTL
//     (5 min); a new code replaces the old one;
//   - every submission against a live code counts, atomically in Redis, so
//     parallel guesses cannot overrun the limit: MaxAttempts (3) are
//     compared, and the code is burnt when the last of them fails;
//   - a match is compared in constant time; it deletes the code and marks
//     verified:<nrp> (an HMAC of the e-mail) for VerifiedTTL (10 min);
//   - requests are throttled per NRP: one per Cooldown (60 s) and at most
//     MaxPerWindow (5) per Window (1 h). The legacy system had no limit;
//     these numbers are ours: enough for a typo and a late mail, too few
//     to flood a mailbox.
//
// Keys live in one Redis (the scripts touch several keys of one NRP; on a
// Redis Cluster they would need a hash tag).
package otp

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/cicero/cicero/internal/normalize"
)

// Defaults of Config.
const (
	DefaultTTL          = 5 * time.Minute
	DefaultVerifiedTTL  = 10 * time.Minute
	DefaultMaxAttempts  = 3
	DefaultCooldown     = 60 * time.Second
	DefaultMaxPerWindow = 5
	DefaultWindow       = time.Hour
)

// MinSecretLen is the shortest HMAC key New accepts.
const MinSecretLen = 16

// Config tunes a Store; zero values take the defaults.
type Config struct {
	// Secret keys the HMACs; required. Changing it invalidates codes and
	// verifications in flight, nothing else.
	Secret       []byte
	TTL          time.Duration
	VerifiedTTL  time.Duration
	MaxAttempts  int
	Cooldown     time.Duration
	MaxPerWindow int
	Window       time.Duration
	// Prefix goes in front of every key (tests use a unique one).
	Prefix string
	// Now stamps Issued.ExpiresAt (default time.Now); the TTLs themselves
	// run on Redis' clock.
	Now func() time.Time
}

// Store keeps codes and verifications in Redis.
type Store struct {
	rdb redis.UniversalClient
	cfg Config
}

// New checks cfg and returns a store over rdb.
func New(rdb redis.UniversalClient, cfg Config) (*Store, error) {
	if len(cfg.Secret) < MinSecretLen {
		return nil, fmt.Errorf("otp: secret must be at least %d bytes", MinSecretLen)
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&cfg.TTL, DefaultTTL)
	def(&cfg.VerifiedTTL, DefaultVerifiedTTL)
	def(&cfg.Cooldown, DefaultCooldown)
	def(&cfg.Window, DefaultWindow)
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = DefaultMaxAttempts
	}
	if cfg.MaxPerWindow <= 0 {
		cfg.MaxPerWindow = DefaultMaxPerWindow
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.Secret = append([]byte(nil), cfg.Secret...)
	return &Store{rdb: rdb, cfg: cfg}, nil
}

// Config returns the effective settings (defaults filled in).
func (s *Store) Config() Config { return s.cfg }

// ErrThrottled matches every *ThrottledError.
var ErrThrottled = errors.New("otp: too many code requests")

// ThrottledError refuses a request; another is allowed after RetryAfter.
type ThrottledError struct {
	RetryAfter time.Duration
}

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("otp: too many code requests, retry after %s", e.RetryAfter.Round(time.Second))
}

// Is makes errors.Is(err, ErrThrottled) hold.
func (e *ThrottledError) Is(target error) bool { return target == ErrThrottled }

// Issued is a new code, to be sent to the address it was issued for.
type Issued struct {
	Code      string
	ExpiresAt time.Time
}

// Reason says why Verify refused.
type Reason string

const (
	// ReasonNoCode: no live code (never issued, expired, replaced, used or burnt).
	ReasonNoCode Reason = "no_code"
	// ReasonMismatch: wrong code, or the code of another e-mail address.
	ReasonMismatch Reason = "mismatch"
	// ReasonExhausted: this was the last allowed attempt and it failed;
	// the code is burnt.
	ReasonExhausted Reason = "attempts_exhausted"
)

// Result is what Verify found.
type Result struct {
	Verified bool
	Reason   Reason // empty when Verified
	// Attempts counts the submissions against this code, this one included
	// (0 when there was no code).
	Attempts int
}

func (s *Store) key(kind, nrp string) string { return s.cfg.Prefix + kind + nrp }

func (s *Store) mac(parts ...string) string {
	m := hmac.New(sha256.New, s.cfg.Secret)
	m.Write([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(m.Sum(nil))
}

func (s *Store) codeMAC(nrp, email, code string) string {
	return s.mac("otp", nrp, email, code)
}

func (s *Store) verifiedMAC(nrp, email string) string { return s.mac("verified", nrp, email) }

// newCode draws a 6-digit code from crypto/rand.
func newCode() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(900000))
	if err != nil {
		return "", fmt.Errorf("otp: random code: %w", err)
	}
	return fmt.Sprintf("%06d", n.Int64()+100000), nil
}

// norm gives the NRP and e-mail in their stored forms; keys and MACs use them.
func norm(nrp, email string) (string, string) { return normalize.NRP(nrp), normalize.Email(email) }
