package otp

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// issueScript throttles and stores a code in one step.
// KEYS: code, cooldown, window. ARGV: mac, ttl ms, cooldown ms, window ms,
// max per window. Returns {1, 0} when stored, {0, retry-after ms} when
// throttled.
var issueScript = redis.NewScript(`
local cd = redis.call('PTTL', KEYS[2])
if cd > 0 then return {0, cd} end
local n = tonumber(redis.call('GET', KEYS[3]) or '0')
if n >= tonumber(ARGV[5]) then
  local w = redis.call('PTTL', KEYS[3])
  if w < 0 then
    redis.call('PEXPIRE', KEYS[3], ARGV[4])
    w = tonumber(ARGV[4])
  end
  return {0, w}
end
if redis.call('INCR', KEYS[3]) == 1 or redis.call('PTTL', KEYS[3]) < 0 then
  redis.call('PEXPIRE', KEYS[3], ARGV[4])
end
redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'mac', ARGV[1], 'attempts', 0)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {1, 0}
`)

// Issue draws a new code for (nrp, email), replacing any live one, unless
// the NRP is throttled (a *ThrottledError). The caller sends the code to
// email; if it cannot, Withdraw takes the code and the cooldown back.
func (s *Store) Issue(ctx context.Context, nrp, email string) (Issued, error) {
	nrp, email = norm(nrp, email)
	if nrp == "" || email == "" {
		return Issued{}, errors.New("otp: issue needs an NRP and an e-mail")
	}
	code, err := newCode()
	if err != nil {
		return Issued{}, err
	}
	now := s.cfg.Now()
	res, err := issueScript.Run(ctx, s.rdb,
		[]string{s.key("otp:", nrp), s.key("otp:cooldown:", nrp), s.key("otp:window:", nrp)},
		s.codeMAC(nrp, email, code), s.cfg.TTL.Milliseconds(), s.cfg.Cooldown.Milliseconds(),
		s.cfg.Window.Milliseconds(), s.cfg.MaxPerWindow).Int64Slice()
	if err != nil {
		return Issued{}, fmt.Errorf("otp: issue: %w", err)
	}
	if len(res) != 2 {
		return Issued{}, fmt.Errorf("otp: issue: unexpected reply %v", res)
	}
	if res[0] == 0 {
		return Issued{}, &ThrottledError{RetryAfter: time.Duration(res[1]) * time.Millisecond}
	}
	return Issued{Code: code, ExpiresAt: now.Add(s.cfg.TTL)}, nil
}

// Withdraw deletes the NRP's live code and its cooldown, for a code that
// could not be delivered: the member may ask again at once. The hourly
// count stays, so a failing mail server cannot be used to flood.
func (s *Store) Withdraw(ctx context.Context, nrp string) error {
	nrp, _ = norm(nrp, "")
	if err := s.rdb.Del(ctx, s.key("otp:", nrp), s.key("otp:cooldown:", nrp)).Err(); err != nil {
		return fmt.Errorf("otp: withdraw: %w", err)
	}
	return nil
}
