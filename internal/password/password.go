// Package password hashes and checks dashboard passwords (bcrypt), for the
// commands that store a hash and the login endpoint that checks one read
// from the dashboard_users read model.
package password

import (
	"fmt"

	"golang.org/x/crypto/bcrypt"
)

// DefaultCost is the bcrypt cost of the legacy system (10); hashes it wrote
// verify unchanged.
const DefaultCost = 10

// Policy bounds. bcrypt reads only the first 72 bytes of a password, so a
// longer one is refused rather than silently truncated.
const (
	MinLength = 8
	MaxBytes  = 72
)

// Hasher hashes with a fixed bcrypt cost. The zero value uses DefaultCost;
// tests may lower the cost (bcrypt.MinCost) because the race detector makes
// cost 10 take about a second.
type Hasher struct {
	Cost int
}

// Hash returns the bcrypt hash of pw. It fails for a password longer than
// MaxBytes.
func (h Hasher) Hash(pw string) (string, error) {
	cost := h.Cost
	if cost == 0 {
		cost = DefaultCost
	}
	b, err := bcrypt.GenerateFromPassword([]byte(pw), cost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(b), nil
}

// Hash hashes pw at DefaultCost.
func Hash(pw string) (string, error) { return Hasher{}.Hash(pw) }

// Verify reports whether pw matches hash (any bcrypt cost). A malformed or
// empty hash never matches.
func Verify(hash, pw string) bool {
	if hash == "" {
		return false
	}
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
}

// TooShort and TooLong check the policy; the callers word the refusal.
func TooShort(pw string) bool { return len([]rune(pw)) < MinLength }

// TooLong reports a password bcrypt would truncate.
func TooLong(pw string) bool { return len(pw) > MaxBytes }
