package auth_test

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/testkit"
)

// clock is a settable clock for the throttle's back-off.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

func newThrottle(t *testing.T) (*auth.Throttle, *redis.Client, *clock, string) {
	t.Helper()
	rdb := testkit.NewRedis(t)
	c := &clock{now: time.Unix(1_800_000_000, 0)}
	prefix := "test:throttle:" + randHex(t) + ":"
	th := auth.NewThrottle(rdb, auth.ThrottleConfig{Prefix: prefix, Secret: newSecret(t), Now: c.Now})
	t.Cleanup(func() {
		keys, _ := rdb.Keys(context.Background(), prefix+"*").Result()
		if len(keys) > 0 {
			rdb.Del(context.Background(), keys...)
		}
	})
	return th, rdb, c, prefix
}

func randHex(t *testing.T) string {
	b := newSecret(t)
	const digits = "0123456789abcdef"
	out := make([]byte, 16)
	for i := range out {
		out[i] = digits[b[i]&15]
	}
	return string(out)
}

// The back-off of issue 8 §6: five free attempts per account, then 1 s,
// 2 s, 4 s … capped at 15 minutes; an attempt during a back-off is refused
// and not counted; a success forgets the account's count; counts are
// forgotten an hour after the last attempt.
func TestThrottleBackOff(t *testing.T) {
	th, rdb, c, prefix := newThrottle(t)
	ctx := context.Background()
	attempt := func(account string) time.Duration {
		t.Helper()
		wait, err := th.Attempt(ctx, auth.FlowDashboardLogin, account, "127.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		return wait
	}
	steps := []struct {
		name    string
		advance time.Duration
		want    time.Duration
	}{
		{"1st", 0, 0}, {"2nd", 0, 0}, {"3rd", 0, 0}, {"4th", 0, 0}, {"5th", 0, 0},
		{"6th goes through and starts 1s", 0, 0},
		{"7th within 1s", 400 * time.Millisecond, 600 * time.Millisecond},
		{"7th after 1s, starts 2s", 600 * time.Millisecond, 0},
		{"within 2s", time.Second, time.Second},
		{"8th after 2s, starts 4s", time.Second, 0},
		{"within 4s", 0, 4 * time.Second},
	}
	for _, s := range steps {
		c.Add(s.advance)
		if got := attempt("Budi"); got != s.want {
			t.Fatalf("%s: wait %v, want %v", s.name, got, s.want)
		}
	}
	// The cap: many attempts later the back-off is 15 minutes.
	for range 30 {
		c.Add(16 * time.Minute)
		attempt("budi")
	}
	if got := attempt(" BUDI "); got != 15*time.Minute {
		t.Fatalf("capped wait %v, want 15m", got)
	}
	// A success forgets the account's count.
	if err := th.Succeeded(ctx, auth.FlowDashboardLogin, "budi"); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if got := attempt("budi"); got != 0 {
			t.Fatalf("after success, attempt %d waits %v", i+1, got)
		}
	}
	// Keys never hold the account name, and expire an hour after the last attempt.
	keys, err := rdb.Keys(ctx, prefix+"*").Result()
	if err != nil || len(keys) != 1 {
		t.Fatalf("keys %v %v, want one", keys, err)
	}
	if strings.Contains(strings.ToLower(keys[0]), "budi") {
		t.Errorf("key %q names the account", keys[0])
	}
	if ttl := rdb.PTTL(ctx, keys[0]).Val(); ttl <= 59*time.Minute || ttl > time.Hour {
		t.Errorf("ttl %v, want about 1h", ttl)
	}
}

// Per address: 20 free attempts over any accounts, then the back-off;
// loopback is not counted per address; each flow counts on its own, and a
// success clears the account but not the address.
func TestThrottleScopes(t *testing.T) {
	th, _, _, _ := newThrottle(t)
	ctx := context.Background()
	try := func(flow, account, addr string) time.Duration {
		t.Helper()
		wait, err := th.Attempt(ctx, flow, account, addr)
		if err != nil {
			t.Fatal(err)
		}
		return wait
	}
	for i := range 21 {
		if got := try(auth.FlowUserLogin, "nrp"+string(rune('a'+i)), "203.0.113.7"); got != 0 {
			t.Fatalf("attempt %d from one address waits %v", i+1, got)
		}
	}
	if got := try(auth.FlowUserLogin, "fresh", "203.0.113.7"); got != time.Second {
		t.Fatalf("22nd attempt from the address waits %v, want 1s", got)
	}
	if got := try(auth.FlowUserLogin, "fresh", "::ffff:203.0.113.8"); got != 0 {
		t.Fatalf("another address waits %v", got)
	}
	if got := try(auth.FlowPenmasLogin, "fresh", "203.0.113.7"); got != 0 {
		t.Fatalf("another flow from the address waits %v", got)
	}
	if err := th.Succeeded(ctx, auth.FlowUserLogin, "nrpa"); err != nil {
		t.Fatal(err)
	}
	if got := try(auth.FlowUserLogin, "nrpa", "203.0.113.7"); got == 0 {
		t.Fatal("a success cleared the address's back-off")
	}
	for i := range 40 {
		if got := try(auth.FlowClientLogin, "acct"+string(rune('a'+i)), "127.0.0.1"); got != 0 {
			t.Fatalf("loopback attempt %d waits %v", i+1, got)
		}
	}
	for range 6 {
		try(auth.FlowClientLogin, "one", "::1")
	}
	if got := try(auth.FlowClientLogin, "one", "::1"); got == 0 {
		t.Fatal("loopback escapes the per-account count")
	}
}

// A burst of concurrent attempts on one account gets at most six through.
func TestThrottleBurst(t *testing.T) {
	th, _, _, _ := newThrottle(t)
	var through atomic.Int32
	var wg sync.WaitGroup
	for range 40 {
		wg.Go(func() {
			wait, err := th.Attempt(context.Background(), auth.FlowDashboardLogin, "burst", "")
			if err != nil {
				t.Error(err)
			}
			if wait == 0 {
				through.Add(1)
			}
		})
	}
	wg.Wait()
	if n := through.Load(); n != auth.DefaultFreePerAccount+1 {
		t.Fatalf("%d attempts went through, want %d", n, auth.DefaultFreePerAccount+1)
	}
}

// Redis down: the attempt is an error, never a pass.
func TestThrottleRedisDown(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	t.Cleanup(func() { rdb.Close() })
	th := auth.NewThrottle(rdb, auth.ThrottleConfig{})
	if _, err := th.Attempt(context.Background(), auth.FlowDashboardLogin, "budi", "203.0.113.9"); err == nil {
		t.Fatal("no error with Redis down")
	}
}

func TestRetryAfterSeconds(t *testing.T) {
	for _, c := range []struct {
		wait time.Duration
		want int
	}{{time.Millisecond, 1}, {time.Second, 1}, {1001 * time.Millisecond, 2}, {15 * time.Minute, 900}} {
		if got := auth.RetryAfterSeconds(c.wait); got != c.want {
			t.Errorf("RetryAfterSeconds(%v) = %d, want %d", c.wait, got, c.want)
		}
	}
}
