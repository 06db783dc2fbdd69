package rapidapi

import (
	"context"
	"fmt"
	"time"
)

// Sleep waits d or until ctx ends, whichever comes first; the pauses
// between pages must not hold a cancelled job.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Retry runs fn up to attempts times. After failed attempt n it waits
// backoff(n) — unless retry(err) is false, in which case it stops at once
// and returns err. The last error is returned wrapped with the attempt
// count; ctx ending during a wait returns ctx's error.
func Retry(ctx context.Context, attempts int, backoff func(attempt int) time.Duration,
	retry func(error) bool, fn func(ctx context.Context) error) error {
	if attempts < 1 {
		attempts = 1
	}
	for n := 1; ; n++ {
		err := fn(ctx)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil || !retry(err) {
			return err
		}
		if n >= attempts {
			return fmt.Errorf("after %d attempts: %w", n, err)
		}
		if err := Sleep(ctx, backoff(n)); err != nil {
			return err
		}
	}
}

// Linear is the backoff base × attempt (1 s, 2 s, … for base 1 s).
func Linear(base time.Duration) func(int) time.Duration {
	return func(n int) time.Duration { return base * time.Duration(n) }
}

// Exponential is the backoff base × 2^(attempt−1) (500 ms, 1 s, 2 s, …).
func Exponential(base time.Duration) func(int) time.Duration {
	return func(n int) time.Duration { return base << (n - 1) }
}
