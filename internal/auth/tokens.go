package auth

import (
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// DefaultTTL is the life of a token and of its session (spec/access.md §2.1).
const DefaultTTL = 2 * time.Hour

// maxTokenLen bounds what we parse; real tokens are a few hundred bytes.
const maxTokenLen = 8 << 10

// Tokens signs and verifies HS256 JWTs. Only HS256 is accepted, expiry is
// required, and base64 must be canonical, so one token has one spelling
// (the spelling is the Redis session key).
type Tokens struct {
	secret []byte
	ttl    time.Duration
	now    func() time.Time
	parser *jwt.Parser
}

// NewTokens builds a signer/verifier. ttl <= 0 means DefaultTTL; now nil
// means time.Now.
func NewTokens(secret []byte, ttl time.Duration, now func() time.Time) (*Tokens, error) {
	if len(secret) == 0 {
		return nil, errors.New("auth: JWT_SECRET is empty")
	}
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	if now == nil {
		now = time.Now
	}
	t := &Tokens{secret: append([]byte(nil), secret...), ttl: ttl, now: now}
	t.parser = jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithStrictDecoding(),
		jwt.WithTimeFunc(func() time.Time { return t.now() }),
	)
	return t, nil
}

// TTL is the life of the tokens this signer issues.
func (t *Tokens) TTL() time.Duration { return t.ttl }

// Issue signs c with iat = now, exp = now + TTL and a fresh jti (two logins in
// the same second must not share a token, or one logout would end both). It
// returns the token and the claims as signed.
func (t *Tokens) Issue(c Claims) (string, Claims, error) {
	now := t.now()
	c.IssuedAt = jwt.NewNumericDate(now)
	c.ExpiresAt = jwt.NewNumericDate(now.Add(t.ttl))
	c.ID = uuid.NewString()
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, &c).SignedString(t.secret)
	if err != nil {
		return "", Claims{}, fmt.Errorf("sign token: %w", err)
	}
	return s, c, nil
}

// Parse verifies s and returns its claims. Errors are *TokenError:
// ErrExpiredToken for a genuine token past its expiry, ErrInvalidToken for
// everything else (bad signature, other algorithm, no exp, malformed).
func (t *Tokens) Parse(s string) (*Claims, error) {
	if len(s) > maxTokenLen {
		return nil, invalid(errors.New("token too long"))
	}
	var c Claims
	_, err := t.parser.ParseWithClaims(s, &c, t.key)
	switch {
	case err == nil:
		return &c, nil
	case errors.Is(err, jwt.ErrTokenExpired):
		// The signature was checked before the claims (jwt/v5 order), so an
		// expired token is one we issued.
		return nil, expired(err)
	default:
		return nil, invalid(err)
	}
}

func (t *Tokens) key(tok *jwt.Token) (any, error) {
	// WithValidMethods already refused other algorithms; this keeps the key
	// from ever meeting a non-HMAC method should that option be lost.
	if _, ok := tok.Method.(*jwt.SigningMethodHMAC); !ok {
		return nil, fmt.Errorf("unexpected signing method %v", tok.Header["alg"])
	}
	return t.secret, nil
}
