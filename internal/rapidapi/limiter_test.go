package rapidapi_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cicero/cicero/internal/rapidapi"
)

func TestLimiter(t *testing.T) {
	lim := rapidapi.NewLimiter(3)
	var cur, peak atomic.Int32
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = lim.Do(context.Background(), func(context.Context) error {
				n := cur.Add(1)
				for {
					p := peak.Load()
					if n <= p || peak.CompareAndSwap(p, n) {
						break
					}
				}
				time.Sleep(2 * time.Millisecond)
				cur.Add(-1)
				return nil
			})
		}()
	}
	wg.Wait()
	if p := peak.Load(); p < 1 || p > 3 {
		t.Errorf("peak concurrency %d, limit 3", p)
	}

	full := rapidapi.NewLimiter(1)
	_ = full.Acquire(context.Background())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if err := full.Acquire(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Acquire on a full limiter = %v", err)
	}
	full.Release()
}
