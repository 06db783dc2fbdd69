package otp

import (
	"context"
	"crypto/hmac"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/redis/go-redis/v9"
)

// attemptScript counts one submission against the live code and hands its
// MAC back for the comparison, which happens in Go in constant time.
// KEYS: code. ARGV: max attempts. Returns {state, n, mac}: state 0
// without a code, 2 when the allowed attempts are already taken, 1 with
// the stored mac otherwise; n = attempts including this one. An attempt
// over the limit does not delete the code: the comparisons still in
// flight decide (the one that takes the last attempt burns it on a
// mismatch), so a right code sent twice at once is not lost to its twin.
var attemptScript = redis.NewScript(`
local mac = redis.call('HGET', KEYS[1], 'mac')
if not mac then return {0, 0, ''} end
local n = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
if n > tonumber(ARGV[1]) then return {2, n, ''} end
return {1, n, mac}
`)

// acceptScript consumes the code (if it is still the one compared) and
// marks the verification. KEYS: code, verified. ARGV: mac, verified mac,
// verified ttl ms. Returns 1 when accepted.
var acceptScript = redis.NewScript(`
if redis.call('HGET', KEYS[1], 'mac') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
return 1
`)

// burnScript deletes the code if it is still the one compared. KEYS: code.
// ARGV: mac.
var burnScript = redis.NewScript(`
if redis.call('HGET', KEYS[1], 'mac') == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`)

// Verify checks code against the live code of (nrp, email). A match
// deletes the code and marks (nrp, email) verified for VerifiedTTL. Every
// submission against a live code counts; the one that reaches MaxAttempts
// and fails burns the code. Only Redis failures are errors.
func (s *Store) Verify(ctx context.Context, nrp, email, code string) (Result, error) {
	nrp, email = norm(nrp, email)
	codeKey := s.key("otp:", nrp)
	raw, err := attemptScript.Run(ctx, s.rdb, []string{codeKey}, s.cfg.MaxAttempts).Slice()
	if err != nil {
		return Result{}, fmt.Errorf("otp: verify: %w", err)
	}
	state, attempts, stored, err := attemptReply(raw)
	if err != nil {
		return Result{}, err
	}
	switch state {
	case 0:
		return Result{Reason: ReasonNoCode}, nil
	case 2:
		return Result{Reason: ReasonExhausted, Attempts: attempts}, nil
	}
	if macEqual(stored, s.codeMAC(nrp, email, strings.TrimSpace(code))) {
		ok, err := acceptScript.Run(ctx, s.rdb, []string{codeKey, s.key("verified:", nrp)},
			stored, s.verifiedMAC(nrp, email), s.cfg.VerifiedTTL.Milliseconds()).Int()
		if err != nil {
			return Result{}, fmt.Errorf("otp: verify: %w", err)
		}
		if ok != 1 { // replaced or spent by a concurrent request meanwhile
			return Result{Reason: ReasonNoCode, Attempts: attempts}, nil
		}
		return Result{Verified: true, Attempts: attempts}, nil
	}
	if attempts >= s.cfg.MaxAttempts {
		if err := burnScript.Run(ctx, s.rdb, []string{codeKey}, stored).Err(); err != nil {
			return Result{}, fmt.Errorf("otp: burn: %w", err)
		}
		return Result{Reason: ReasonExhausted, Attempts: attempts}, nil
	}
	return Result{Reason: ReasonMismatch, Attempts: attempts}, nil
}

func attemptReply(raw []any) (state, attempts int, mac string, err error) {
	if len(raw) != 3 {
		return 0, 0, "", fmt.Errorf("otp: verify: unexpected reply %v", raw)
	}
	st, ok1 := raw[0].(int64)
	n, ok2 := raw[1].(int64)
	mac, ok3 := raw[2].(string)
	if !ok1 || !ok2 || !ok3 {
		return 0, 0, "", fmt.Errorf("otp: verify: unexpected reply %v", raw)
	}
	return int(st), int(n), mac, nil
}

// macEqual compares two hex MACs in constant time.
func macEqual(a, b string) bool {
	x, err1 := hex.DecodeString(a)
	y, err2 := hex.DecodeString(b)
	return err1 == nil && err2 == nil && hmac.Equal(x, y)
}

// IsVerified reports whether (nrp, email) passed Verify within VerifiedTTL
// (or the last Refresh).
func (s *Store) IsVerified(ctx context.Context, nrp, email string) (bool, error) {
	nrp, email = norm(nrp, email)
	v, err := s.rdb.Get(ctx, s.key("verified:", nrp)).Result()
	if errors.Is(err, redis.Nil) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("otp: is verified: %w", err)
	}
	return macEqual(v, s.verifiedMAC(nrp, email)), nil
}

// refreshScript extends a verification of the same e-mail. KEYS: verified.
// ARGV: verified mac, ttl ms.
var refreshScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`)

// Refresh gives a live verification of (nrp, email) another VerifiedTTL
// (after a successful update, as before). It reports whether there was one.
func (s *Store) Refresh(ctx context.Context, nrp, email string) (bool, error) {
	nrp, email = norm(nrp, email)
	n, err := refreshScript.Run(ctx, s.rdb, []string{s.key("verified:", nrp)},
		s.verifiedMAC(nrp, email), s.cfg.VerifiedTTL.Milliseconds()).Int()
	if err != nil {
		return false, fmt.Errorf("otp: refresh: %w", err)
	}
	return n == 1, nil
}

// Unverify ends the NRP's verification (whatever the e-mail).
func (s *Store) Unverify(ctx context.Context, nrp string) error {
	nrp, _ = norm(nrp, "")
	if err := s.rdb.Del(ctx, s.key("verified:", nrp)).Err(); err != nil {
		return fmt.Errorf("otp: unverify: %w", err)
	}
	return nil
}
