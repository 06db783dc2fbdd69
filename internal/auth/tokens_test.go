package auth_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/cicero/cicero/internal/auth"
)

func newTokens(t *testing.T, now func() time.Time) (*auth.Tokens, []byte) {
	t.Helper()
	secret := newSecret(t)
	tk, err := auth.NewTokens(secret, 0, now)
	if err != nil {
		t.Fatal(err)
	}
	return tk, secret
}

func TestTokensRoundTrip(t *testing.T) {
	tk, _ := newTokens(t, nil)
	one := 1
	tier := "tier1"
	tok, signed, err := tk.Issue(auth.Claims{Kind: auth.KindDashboard, DashboardUserID: "d1", Role: "operator", RoleID: &one, ClientIDs: []string{"A", "B"}, PremiumTier: &tier})
	if err != nil {
		t.Fatal(err)
	}
	c, err := tk.Parse(tok)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	if c.DashboardUserID != "d1" || c.Role != "operator" || *c.RoleID != 1 || len(c.ClientIDs) != 2 || *c.PremiumTier != "tier1" || c.Kind != auth.KindDashboard {
		t.Fatalf("claims lost in round trip: %+v", c)
	}
	life := c.ExpiresAt.Sub(c.IssuedAt.Time)
	if life != 2*time.Hour {
		t.Fatalf("token life %s, want 2h", life)
	}
	if c.ID == "" || c.ID != signed.ID {
		t.Fatalf("jti %q, signed %q", c.ID, signed.ID)
	}
	tok2, _, _ := tk.Issue(auth.Claims{Kind: auth.KindDashboard, DashboardUserID: "d1"})
	tok3, _, _ := tk.Issue(auth.Claims{Kind: auth.KindDashboard, DashboardUserID: "d1"})
	if tok2 == tok3 {
		t.Fatal("two logins in the same second got the same token")
	}
}

func TestNewTokensRefusesEmptySecret(t *testing.T) {
	if _, err := auth.NewTokens(nil, 0, nil); err == nil {
		t.Fatal("empty secret accepted")
	}
}

func TestParseRefusesOtherAlgorithms(t *testing.T) {
	tk, secret := newTokens(t, nil)
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	claims := func() jwt.MapClaims {
		return jwt.MapClaims{"kind": "dashboard", "dashboard_user_id": "d1", "role": "admin", "exp": time.Now().Add(time.Hour).Unix()}
	}
	sign := func(m jwt.SigningMethod, key any) string {
		s, err := jwt.NewWithClaims(m, claims()).SignedString(key)
		if err != nil {
			t.Fatalf("sign %s: %v", m.Alg(), err)
		}
		return s
	}
	cases := map[string]string{
		"none":               sign(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType),
		"HS384 same secret":  sign(jwt.SigningMethodHS384, secret),
		"HS512 same secret":  sign(jwt.SigningMethodHS512, secret),
		"RS256":              sign(jwt.SigningMethodRS256, rsaKey),
		"HS256 other secret": sign(jwt.SigningMethodHS256, []byte("not-the-secret")),
		// The classic confusion: alg HS256 keyed with the RSA public key.
		"HS256 keyed by public key": sign(jwt.SigningMethodHS256, rsaKey.PublicKey.N.Bytes()),
	}
	for name, tok := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := tk.Parse(tok)
			if !errors.Is(err, auth.ErrInvalidToken) {
				t.Fatalf("got %v, want invalid_token", err)
			}
		})
	}
	// Control: the same claims with HS256 and our secret pass.
	if _, err := tk.Parse(sign(jwt.SigningMethodHS256, secret)); err != nil {
		t.Fatalf("control token refused: %v", err)
	}
}

func TestParseExpiredAndMissingExpiry(t *testing.T) {
	past := func() time.Time { return time.Now().Add(-3 * time.Hour) }
	old, secret := newTokens(t, past)
	tok, _, err := old.Issue(auth.Claims{Kind: auth.KindUser, UserID: "123"})
	if err != nil {
		t.Fatal(err)
	}
	current, err := auth.NewTokens(secret, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = current.Parse(tok)
	if !errors.Is(err, auth.ErrExpiredToken) {
		t.Fatalf("expired token: got %v, want expired_token", err)
	}
	var te *auth.TokenError
	if !errors.As(err, &te) || te.Reason != "expired_token" {
		t.Fatalf("reason: %v", err)
	}

	// Expired and signed by someone else: invalid, not expired.
	forged, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"user_id": "1", "exp": time.Now().Add(-time.Hour).Unix()}).SignedString([]byte("x"))
	if _, err := current.Parse(forged); !errors.Is(err, auth.ErrInvalidToken) {
		t.Fatalf("forged expired token: got %v, want invalid_token", err)
	}

	noExp, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"user_id": "1"}).SignedString(secret)
	if _, err := current.Parse(noExp); !errors.Is(err, auth.ErrInvalidToken) {
		t.Fatalf("token without exp: got %v, want invalid_token", err)
	}
}

func TestParseTampered(t *testing.T) {
	tk, _ := newTokens(t, nil)
	tok, _, err := tk.Issue(auth.Claims{Kind: auth.KindDashboard, DashboardUserID: "d1", Role: "operator"})
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(tok, ".")
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	escalated := base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(payload), `"operator"`, `"admin"`, 1)))
	lastSig := parts[2][len(parts[2])-1]
	flip := byte('A')
	if lastSig == 'A' {
		flip = 'B'
	}
	cases := map[string]string{
		"payload changed":     parts[0] + "." + escalated + "." + parts[2],
		"signature changed":   parts[0] + "." + parts[1] + "." + parts[2][:len(parts[2])-1] + string(flip),
		"signature dropped":   parts[0] + "." + parts[1] + ".",
		"two segments":        parts[0] + "." + parts[1],
		"padded base64":       tok + "=",
		"garbage":             "not a token",
		"oversized":           tok + strings.Repeat("A", 9000),
		"header alg switched": base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + parts[1] + ".",
	}
	for name, bad := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := tk.Parse(bad); !errors.Is(err, auth.ErrInvalidToken) {
				t.Fatalf("got %v, want invalid_token", err)
			}
		})
	}
}
