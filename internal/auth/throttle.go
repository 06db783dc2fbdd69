package auth

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Throttle limits login and password-reset attempts (issue 8 §6), per
// account and per client address, each flow (dashboard, penmas, client,
// user, reset) counted on its own keys. An account has FreePerAccount
// attempts and an address FreePerAddress before each further attempt
// starts a back-off of Base, 2×Base, 4×Base … capped at Max; a count is
// forgotten Forget after its last attempt. An attempt made during a
// back-off is refused and not counted. The check, the count and the next
// back-off happen in one Lua script, so concurrent attempts cannot slip
// past the limit together (a burst gets FreePerAccount+1 through).
//
// Account names are keyed by HMAC-SHA256 under Secret, so Redis never holds
// a username, NRP or client id. Loopback addresses are not counted per
// address (the health checks and the CLI's loopback tools share them);
// accounts still are.
type Throttle struct {
	rdb redis.UniversalClient
	cfg ThrottleConfig
}

// ThrottleConfig configures a Throttle; zero values take the defaults.
type ThrottleConfig struct {
	// Prefix of every key; "" → "throttle:". Tests use one of their own.
	Prefix string
	// Secret keys the account hash; nil → plain SHA-256.
	Secret []byte
	// FreePerAccount and FreePerAddress: 5 and 20.
	FreePerAccount, FreePerAddress int
	// Base and Max of the back-off: 1 s and 15 min.
	Base, Max time.Duration
	// Forget is how long a count lives after its last attempt: 1 h.
	Forget time.Duration
	// Now is the clock; nil → time.Now.
	Now func() time.Time
}

// Throttle defaults (issue 8 §6).
const (
	DefaultFreePerAccount = 5
	DefaultFreePerAddress = 20
	DefaultThrottleBase   = time.Second
	DefaultThrottleMax    = 15 * time.Minute
	DefaultThrottleForget = time.Hour
)

// Flows a Throttle counts separately.
const (
	FlowDashboardLogin = "dashboard"
	FlowPenmasLogin    = "penmas"
	FlowClientLogin    = "client"
	FlowUserLogin      = "user"
	FlowPasswordReset  = "reset"
)

// NewThrottle returns a throttle over rdb.
func NewThrottle(rdb redis.UniversalClient, cfg ThrottleConfig) *Throttle {
	if cfg.Prefix == "" {
		cfg.Prefix = "throttle:"
	}
	if cfg.FreePerAccount <= 0 {
		cfg.FreePerAccount = DefaultFreePerAccount
	}
	if cfg.FreePerAddress <= 0 {
		cfg.FreePerAddress = DefaultFreePerAddress
	}
	if cfg.Base <= 0 {
		cfg.Base = DefaultThrottleBase
	}
	if cfg.Max <= 0 {
		cfg.Max = DefaultThrottleMax
	}
	if cfg.Forget <= 0 {
		cfg.Forget = DefaultThrottleForget
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Throttle{rdb: rdb, cfg: cfg}
}

// attemptScript refuses an attempt while any key is in its back-off
// (returning the longest wait in ms, nothing counted); otherwise it counts
// the attempt on every key, starts the next back-off on a key past its free
// attempts, and refreshes each key's lifetime.
// KEYS: account [, address]. ARGV: now ms, free per KEYS[1], free per
// KEYS[2], base ms, max ms, forget ms.
var attemptScript = redis.NewScript(`
local now = tonumber(ARGV[1])
local wait = 0
for _, k in ipairs(KEYS) do
  local nxt = tonumber(redis.call('HGET', k, 'next') or '0')
  if nxt - now > wait then wait = nxt - now end
end
if wait > 0 then return wait end
local base, max = tonumber(ARGV[4]), tonumber(ARGV[5])
for i, k in ipairs(KEYS) do
  local n = redis.call('HINCRBY', k, 'n', 1)
  local over = n - tonumber(ARGV[1 + i])
  if over > 0 then
    local d = max
    if over <= 40 then d = math.min(max, base * 2 ^ (over - 1)) end
    redis.call('HSET', k, 'next', now + d)
  end
  redis.call('PEXPIRE', k, ARGV[6])
end
return 0
`)

// Attempt counts one attempt of flow on account from addr. It answers 0
// when the attempt may go ahead, or how long to wait when a back-off is
// running (the attempt is then not counted). Errors are Redis failures: the
// caller refuses the attempt rather than let it through unthrottled.
func (t *Throttle) Attempt(ctx context.Context, flow, account, addr string) (time.Duration, error) {
	keys := []string{t.accountKey(flow, account)}
	args := []any{t.cfg.Now().UnixMilli(), t.cfg.FreePerAccount, t.cfg.FreePerAddress,
		t.cfg.Base.Milliseconds(), t.cfg.Max.Milliseconds(), t.cfg.Forget.Milliseconds()}
	if a, ok := countedAddress(addr); ok {
		keys = append(keys, t.cfg.Prefix+flow+":addr:"+a)
	}
	wait, err := attemptScript.Run(ctx, t.rdb, keys, args...).Int64()
	if err != nil {
		return 0, fmt.Errorf("throttle %s: %w", flow, err)
	}
	return time.Duration(wait) * time.Millisecond, nil
}

// Succeeded forgets the account's count of flow (a successful login); the
// address's count stays, so one good account does not reset a guesser.
func (t *Throttle) Succeeded(ctx context.Context, flow, account string) error {
	if err := t.rdb.Del(ctx, t.accountKey(flow, account)).Err(); err != nil && !errors.Is(err, redis.Nil) {
		return fmt.Errorf("throttle %s: forget: %w", flow, err)
	}
	return nil
}

func (t *Throttle) accountKey(flow, account string) string {
	account = strings.ToLower(strings.TrimSpace(account))
	var sum []byte
	if t.cfg.Secret != nil {
		m := hmac.New(sha256.New, t.cfg.Secret)
		m.Write([]byte(flow + "\x00" + account))
		sum = m.Sum(nil)
	} else {
		s := sha256.Sum256([]byte(flow + "\x00" + account))
		sum = s[:]
	}
	return t.cfg.Prefix + flow + ":acct:" + hex.EncodeToString(sum)
}

// countedAddress is the address's canonical text, and false for an address
// not counted: empty, unparsable or loopback.
func countedAddress(addr string) (string, bool) {
	a, err := netip.ParseAddr(strings.TrimSpace(addr))
	if err != nil {
		return "", false
	}
	a = a.Unmap()
	if a.IsLoopback() {
		return "", false
	}
	return a.String(), true
}

// RetryAfterSeconds is wait rounded up to whole seconds (at least 1), the
// Retry-After of a throttled answer.
func RetryAfterSeconds(wait time.Duration) int {
	s := int((wait + time.Second - 1) / time.Second)
	return max(s, 1)
}
