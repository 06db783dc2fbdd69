package rapidapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cicero/cicero/internal/rapidapi"
)

func TestRetry(t *testing.T) {
	retryable := &rapidapi.Error{Code: rapidapi.CodeStatus, Status: 500}
	permanent := &rapidapi.Error{Code: rapidapi.CodeStatus, Status: 404}
	tests := []struct {
		name     string
		results  []error
		wantRuns int
		wantErr  error
	}{
		{"first try", []error{nil}, 1, nil},
		{"third try", []error{retryable, retryable, nil}, 3, nil},
		{"gives up after 3", []error{retryable, retryable, retryable, nil}, 3, retryable},
		{"permanent stops at once", []error{permanent, nil}, 1, permanent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var waits []time.Duration
			runs := 0
			err := rapidapi.Retry(context.Background(), 3,
				func(n int) time.Duration { waits = append(waits, time.Duration(n)); return time.Millisecond },
				rapidapi.IsRetryable, func(context.Context) error {
					runs++
					return tt.results[runs-1]
				})
			if runs != tt.wantRuns || !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Errorf("runs %d err %v; want %d %v", runs, err, tt.wantRuns, tt.wantErr)
			}
			if len(waits) != runs-1 && tt.wantErr != permanent {
				t.Errorf("waits %v after %d runs", waits, runs)
			}
		})
	}
	if got := rapidapi.Linear(time.Second)(3); got != 3*time.Second {
		t.Errorf("Linear(1s)(3) = %s", got)
	}
	if got := rapidapi.Exponential(500 * time.Millisecond)(3); got != 2*time.Second {
		t.Errorf("Exponential(500ms)(3) = %s", got)
	}
}

func TestSleepAndRetryStopOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	start := time.Now()
	err := rapidapi.Retry(ctx, 5, rapidapi.Linear(time.Hour), rapidapi.IsRetryable, func(context.Context) error {
		return &rapidapi.Error{Code: rapidapi.CodeTimeout}
	})
	if !errors.Is(err, context.Canceled) || time.Since(start) > 2*time.Second {
		t.Errorf("err %v after %s", err, time.Since(start))
	}
}

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

func TestNormalizeUsername(t *testing.T) {
	tests := map[string]string{
		"":                "",
		"   ":             "",
		"@":               "",
		" @Budi.Santoso ": "budi.santoso",
		"@@budi":          "budi",
		"bu@di":           "budi", // every '@', as the SQL matching did
		"POLRES_X":        "polres_x",
	}
	for in, want := range tests {
		if got := rapidapi.NormalizeUsername(in); got != want {
			t.Errorf("NormalizeUsername(%q) = %q, want %q", in, got, want)
		}
	}
	got := rapidapi.NormalizeUsernames([]string{"@A", "a", "", " b ", "@", "B"})
	if len(got) != 2 || got[0] != "a" || got[1] != "b" {
		t.Errorf("NormalizeUsernames = %q", got)
	}
}

func TestJSONReaders(t *testing.T) {
	var v any
	if err := json.Unmarshal([]byte(`{"a":[{"b":"x"}],"n":"1.234 rb","e":""}`), &v); err != nil {
		t.Fatal(err)
	}
	if got := rapidapi.Str(rapidapi.At(v, "a", 0, "b")); got != "x" {
		t.Errorf("At = %q", got)
	}
	if rapidapi.At(v, "a", 1, "b") != nil || rapidapi.At(v, "a", "b") != nil {
		t.Error("At off the shape is not nil")
	}
	if n, ok := rapidapi.Digits(rapidapi.At(v, "n")); !ok || n != 1234 {
		t.Errorf("Digits = %d %v", n, ok)
	}
	if _, ok := rapidapi.Num(rapidapi.At(v, "n")); ok {
		t.Error("Num took a string")
	}
	if got := rapidapi.FirstString(rapidapi.At(v, "e"), rapidapi.At(v, "missing"), "z"); got != "z" {
		t.Errorf("FirstString = %q", got)
	}
	if got := rapidapi.Coalesce(nil, rapidapi.At(v, "e"), "z"); got != "" {
		t.Errorf("Coalesce = %v", got)
	}
}
