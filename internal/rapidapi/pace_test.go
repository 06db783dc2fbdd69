package rapidapi_test

import (
	"context"
	"errors"
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
