package otp_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/cicero/cicero/internal/otp"
	"github.com/cicero/cicero/internal/testkit"
)

const (
	nrp   = "75020001"
	email = "budi@polri.test"
)

var secret = []byte("0123456789abcdef0123456789abcdef")

type rig struct {
	rdb    *redis.Client
	s      *otp.Store
	prefix string
}

// newRig gives a test its own key prefix (removed at cleanup) and a store;
// tweak adjusts the config.
func newRig(t *testing.T, tweak func(*otp.Config)) rig {
	t.Helper()
	rdb := testkit.NewRedis(t)
	prefix := fmt.Sprintf("test:otp:%s:%d:", strings.ReplaceAll(t.Name(), "/", "_"), time.Now().UnixNano())
	cfg := otp.Config{Secret: secret, Prefix: prefix}
	if tweak != nil {
		tweak(&cfg)
	}
	s, err := otp.New(rdb, cfg)
	if err != nil {
		t.Fatalf("new store: %v", err)
	}
	t.Cleanup(func() {
		c := context.Background()
		keys, _ := rdb.Keys(c, prefix+"*").Result()
		if len(keys) > 0 {
			rdb.Del(c, keys...)
		}
	})
	return rig{rdb: rdb, s: s, prefix: prefix}
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return c
}

func (r rig) issue(t *testing.T, nrp, email string) otp.Issued {
	t.Helper()
	is, err := r.s.Issue(ctx(t), nrp, email)
	if err != nil {
		t.Fatalf("issue: %v", err)
	}
	return is
}

func (r rig) verify(t *testing.T, nrp, email, code string) otp.Result {
	t.Helper()
	res, err := r.s.Verify(ctx(t), nrp, email, code)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	return res
}

func wrong(code string) string {
	n, _ := strconv.Atoi(code)
	return strconv.Itoa(100000 + (n-100000+1)%900000)
}

func TestIssueStoresOnlyAMAC(t *testing.T) {
	r := newRig(t, nil)
	before := time.Now()
	is := r.issue(t, " 75.020.001 ", " Budi@Polri.TEST ")
	n, err := strconv.Atoi(is.Code)
	if err != nil || len(is.Code) != 6 || n < 100000 || n > 999999 {
		t.Fatalf("code %q is not 6 digits in 100000–999999", is.Code)
	}
	if d := is.ExpiresAt.Sub(before); d < otp.DefaultTTL-time.Second || d > otp.DefaultTTL+time.Second {
		t.Errorf("expires in %s, want %s", d, otp.DefaultTTL)
	}
	key := r.prefix + "otp:" + nrp
	h, err := r.rdb.HGetAll(ctx(t), key).Result()
	if err != nil || len(h) == 0 {
		t.Fatalf("no hash at %s: %v", key, err)
	}
	for f, v := range h {
		if strings.Contains(v, is.Code) || strings.Contains(strings.ToLower(v), "budi") {
			t.Errorf("field %s holds the code or the address: %q", f, v)
		}
	}
	if ttl := r.rdb.PTTL(ctx(t), key).Val(); ttl <= otp.DefaultTTL-2*time.Second || ttl > otp.DefaultTTL {
		t.Errorf("code TTL %s, want %s", ttl, otp.DefaultTTL)
	}
	// The normalised NRP and e-mail verify it.
	if res := r.verify(t, nrp, email, is.Code); !res.Verified {
		t.Fatalf("verify with normalised inputs: %+v", res)
	}
}

func TestCodesAreSpread(t *testing.T) {
	r := newRig(t, func(c *otp.Config) { c.MaxPerWindow = 1000; c.Cooldown = time.Millisecond })
	seen := map[string]bool{}
	for i := 0; i < 200; i++ {
		is := r.issue(t, strconv.Itoa(10000000+i), email) // distinct NRPs: no cooldown
		seen[is.Code] = true
	}
	if len(seen) < 190 {
		t.Fatalf("200 codes gave only %d distinct values", len(seen))
	}
}

func TestVerify(t *testing.T) {
	type step struct {
		code   func(good string) string
		email  string
		verify bool
		reason otp.Reason
		tries  int
	}
	good := func(c string) string { return c }
	bad := wrong
	padded := func(c string) string { return " " + c + "\n" }
	cases := []struct {
		name  string
		steps []step
	}{
		{"right code", []step{{good, email, true, "", 1}, {good, email, false, otp.ReasonNoCode, 0}}},
		{"surrounding space", []step{{padded, email, true, "", 1}}},
		{"other e-mail", []step{{good, "eve@polri.test", false, otp.ReasonMismatch, 1}, {good, email, true, "", 2}}},
		{"two wrong then right", []step{{bad, email, false, otp.ReasonMismatch, 1}, {bad, email, false, otp.ReasonMismatch, 2}, {good, email, true, "", 3}}},
		{"three wrong burn the code", []step{{bad, email, false, otp.ReasonMismatch, 1}, {bad, email, false, otp.ReasonMismatch, 2},
			{bad, email, false, otp.ReasonExhausted, 3}, {good, email, false, otp.ReasonNoCode, 0}}},
		{"empty code", []step{{func(string) string { return "" }, email, false, otp.ReasonMismatch, 1}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t, nil)
			is := r.issue(t, nrp, email)
			for i, s := range c.steps {
				res := r.verify(t, nrp, s.email, s.code(is.Code))
				want := otp.Result{Verified: s.verify, Reason: s.reason, Attempts: s.tries}
				if res != want {
					t.Fatalf("step %d: %+v, want %+v", i, res, want)
				}
			}
		})
	}
}

func TestVerifyWithoutCode(t *testing.T) {
	r := newRig(t, nil)
	if res := r.verify(t, nrp, email, "123456"); res != (otp.Result{Reason: otp.ReasonNoCode}) {
		t.Fatalf("%+v, want no code", res)
	}
	if ok, _ := r.s.IsVerified(ctx(t), nrp, email); ok {
		t.Fatal("verified without a code")
	}
}

// TestParallelGuessesCannotOverrunTheLimit fires many wrong codes at once:
// only MaxAttempts of them may be compared, and the code ends burnt.
func TestParallelGuessesCannotOverrunTheLimit(t *testing.T) {
	r := newRig(t, nil)
	is := r.issue(t, nrp, email)
	const n = 40
	results := make([]otp.Result, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			res, err := r.s.Verify(context.Background(), nrp, email, fmt.Sprintf("%06d", 100000+i*7919%900000))
			if err != nil {
				t.Error(err)
			}
			results[i] = res
		})
	}
	wg.Wait()
	compared := 0
	for _, res := range results {
		if res.Verified && res.Attempts > otp.DefaultMaxAttempts {
			t.Errorf("verified at attempt %d", res.Attempts)
		}
		if res.Reason == otp.ReasonMismatch || res.Verified || (res.Reason == otp.ReasonExhausted && res.Attempts <= otp.DefaultMaxAttempts) {
			compared++
		}
	}
	if compared > otp.DefaultMaxAttempts {
		t.Fatalf("%d submissions were compared, the limit is %d: %+v", compared, otp.DefaultMaxAttempts, results)
	}
	if res := r.verify(t, nrp, email, is.Code); res.Verified {
		t.Fatal("the right code still works after the limit was spent")
	}
}

// TestParallelRightCodeVerifiesOnce: a code is used at most once.
func TestParallelRightCodeVerifiesOnce(t *testing.T) {
	r := newRig(t, nil)
	is := r.issue(t, nrp, email)
	var mu sync.Mutex
	verified := 0
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			res, err := r.s.Verify(context.Background(), nrp, email, is.Code)
			if err != nil {
				t.Error(err)
			}
			if res.Verified {
				mu.Lock()
				verified++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if verified != 1 {
		t.Fatalf("code verified %d times, want once", verified)
	}
}

func TestReissueReplacesAndResetsAttempts(t *testing.T) {
	r := newRig(t, func(c *otp.Config) { c.Cooldown = time.Millisecond })
	first := r.issue(t, nrp, email)
	r.verify(t, nrp, email, wrong(first.Code))
	r.verify(t, nrp, email, wrong(first.Code))
	var second otp.Issued
	testkit.Eventually(t, 5*time.Second, func() error {
		var err error
		second, err = r.s.Issue(ctx(t), nrp, email)
		return err
	})
	if first.Code != second.Code {
		if res := r.verify(t, nrp, email, first.Code); res.Verified {
			t.Fatal("the replaced code still verifies")
		}
	}
	if res := r.verify(t, nrp, email, second.Code); !res.Verified {
		t.Fatalf("the new code: %+v", res)
	}
}

func TestThrottle(t *testing.T) {
	t.Run("cooldown", func(t *testing.T) {
		r := newRig(t, nil)
		r.issue(t, nrp, email)
		_, err := r.s.Issue(ctx(t), nrp, email)
		var te *otp.ThrottledError
		if !errors.As(err, &te) || !errors.Is(err, otp.ErrThrottled) {
			t.Fatalf("second request at once: %v, want throttled", err)
		}
		if te.RetryAfter <= otp.DefaultCooldown-2*time.Second || te.RetryAfter > otp.DefaultCooldown {
			t.Errorf("retry after %s, want about %s", te.RetryAfter, otp.DefaultCooldown)
		}
		// Another NRP is not affected.
		r.issue(t, "75020002", email)
	})
	t.Run("window", func(t *testing.T) {
		r := newRig(t, func(c *otp.Config) { c.Cooldown = time.Millisecond; c.MaxPerWindow = 3 })
		for i := 0; i < 3; i++ {
			testkit.Eventually(t, 5*time.Second, func() error { _, err := r.s.Issue(ctx(t), nrp, email); return err })
		}
		time.Sleep(5 * time.Millisecond) // past the cooldown
		_, err := r.s.Issue(ctx(t), nrp, email)
		var te *otp.ThrottledError
		if !errors.As(err, &te) {
			t.Fatalf("fourth request in the hour: %v, want throttled", err)
		}
		if te.RetryAfter < otp.DefaultWindow-time.Minute {
			t.Errorf("retry after %s, want about the hour", te.RetryAfter)
		}
	})
	t.Run("withdraw lifts the cooldown but still counts", func(t *testing.T) {
		r := newRig(t, func(c *otp.Config) { c.MaxPerWindow = 2 })
		is := r.issue(t, nrp, email)
		if err := r.s.Withdraw(ctx(t), nrp); err != nil {
			t.Fatal(err)
		}
		if res := r.verify(t, nrp, email, is.Code); res.Reason != otp.ReasonNoCode {
			t.Fatalf("withdrawn code: %+v", res)
		}
		r.issue(t, nrp, email) // at once: the cooldown went with the code
		if err := r.s.Withdraw(ctx(t), nrp); err != nil {
			t.Fatal(err)
		}
		if _, err := r.s.Issue(ctx(t), nrp, email); !errors.Is(err, otp.ErrThrottled) {
			t.Fatalf("third request with a window of 2: %v, want throttled", err)
		}
	})
}

func TestCodeExpires(t *testing.T) {
	r := newRig(t, func(c *otp.Config) { c.TTL = 150 * time.Millisecond })
	is := r.issue(t, nrp, email)
	testkit.Eventually(t, 5*time.Second, func() error {
		if n := r.rdb.Exists(ctx(t), r.prefix+"otp:"+nrp).Val(); n != 0 {
			return errors.New("code still stored")
		}
		return nil
	})
	if res := r.verify(t, nrp, email, is.Code); res.Reason != otp.ReasonNoCode {
		t.Fatalf("expired code: %+v", res)
	}
}

func TestVerification(t *testing.T) {
	r := newRig(t, nil)
	is := r.issue(t, nrp, email)
	r.verify(t, nrp, email, is.Code)
	check := func(email string, want bool) {
		t.Helper()
		got, err := r.s.IsVerified(ctx(t), nrp, email)
		if err != nil || got != want {
			t.Fatalf("IsVerified(%s) = %v, %v; want %v", email, got, err, want)
		}
	}
	check(email, true)
	check(" BUDI@polri.test ", true)
	check("eve@polri.test", false)
	key := r.prefix + "verified:" + nrp
	if v := r.rdb.Get(ctx(t), key).Val(); strings.Contains(v, "budi") {
		t.Errorf("verification stores the address: %q", v)
	}
	if ttl := r.rdb.PTTL(ctx(t), key).Val(); ttl <= otp.DefaultVerifiedTTL-2*time.Second || ttl > otp.DefaultVerifiedTTL {
		t.Errorf("verification TTL %s, want %s", ttl, otp.DefaultVerifiedTTL)
	}
	r.rdb.PExpire(ctx(t), key, time.Minute)
	if ok, _ := r.s.Refresh(ctx(t), nrp, "eve@polri.test"); ok {
		t.Error("refreshed another address's verification")
	}
	if ok, _ := r.s.Refresh(ctx(t), nrp, email); !ok {
		t.Error("refresh found no verification")
	}
	if ttl := r.rdb.PTTL(ctx(t), key).Val(); ttl <= otp.DefaultVerifiedTTL-2*time.Second {
		t.Errorf("TTL after refresh %s, want %s", ttl, otp.DefaultVerifiedTTL)
	}
	if err := r.s.Unverify(ctx(t), nrp); err != nil {
		t.Fatal(err)
	}
	check(email, false)
}

func TestSecretMatters(t *testing.T) {
	r := newRig(t, nil)
	is := r.issue(t, nrp, email)
	other, err := otp.New(r.rdb, otp.Config{Secret: []byte("another-secret-of-32-bytes......"), Prefix: r.prefix})
	if err != nil {
		t.Fatal(err)
	}
	if res, _ := other.Verify(ctx(t), nrp, email, is.Code); res.Verified {
		t.Fatal("a store with another secret accepted the code")
	}
	if _, err := otp.New(r.rdb, otp.Config{Secret: []byte("short")}); err == nil {
		t.Fatal("New accepted a short secret")
	}
}

// BenchmarkIssueVerify measures one code's life: issue, then verify.
func BenchmarkIssueVerify(b *testing.B) {
	rdb := testkit.NewRedis(b)
	prefix := fmt.Sprintf("bench:otp:%d:", time.Now().UnixNano())
	b.Cleanup(func() {
		if keys, _ := rdb.Keys(context.Background(), prefix+"*").Result(); len(keys) > 0 {
			rdb.Del(context.Background(), keys...)
		}
	})
	s, err := otp.New(rdb, otp.Config{Secret: secret, Prefix: prefix})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for i := range b.N {
		n := strconv.Itoa(10000000 + i)
		is, err := s.Issue(ctx, n, email)
		if err != nil {
			b.Fatal(err)
		}
		if res, err := s.Verify(ctx, n, email, is.Code); err != nil || !res.Verified {
			b.Fatalf("verify: %+v %v", res, err)
		}
	}
}
