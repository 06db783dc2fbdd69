// Package seal keeps short secrets (an OTP code, a password-reset token)
// unreadable on their way to the one who must receive them: the event that
// makes the message due and the outbox row that carries it hold the secret
// sealed, and only the dispatcher opens it, just before it sends. A sealed
// secret in the history is useless once its code expired, and useless
// without the key.
package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
)

// ErrOpen: the text was not sealed with this key, or was altered.
var ErrOpen = errors.New("sealed secret cannot be opened")

// Box seals and opens secrets with AES-256-GCM under one key.
type Box struct {
	aead cipher.AEAD
}

// New returns a box for a 32-byte key (derive it from a configured secret;
// never log it).
func New(key []byte) (*Box, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("seal key must be 32 bytes, got %d", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("seal key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("seal key: %w", err)
	}
	return &Box{aead: aead}, nil
}

// Seal returns secret sealed under a fresh random nonce, as URL-safe base64.
func (b *Box) Seal(secret string) string {
	nonce := make([]byte, b.aead.NonceSize(), b.aead.NonceSize()+len(secret)+b.aead.Overhead())
	_, _ = rand.Read(nonce) // crypto/rand.Read never fails (Go ≥ 1.24)
	return base64.RawURLEncoding.EncodeToString(b.aead.Seal(nonce, nonce, []byte(secret), nil))
}

// Open returns the secret sealed in s; ErrOpen when s was not sealed with
// this key or was altered.
func (b *Box) Open(s string) (string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	n := b.aead.NonceSize()
	if err != nil || len(raw) < n+b.aead.Overhead() {
		return "", ErrOpen
	}
	plain, err := b.aead.Open(nil, raw[:n], raw[n:], nil)
	if err != nil {
		return "", ErrOpen
	}
	return string(plain), nil
}
