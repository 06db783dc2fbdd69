package events

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

func apiErr(code jetstream.ErrorCode) error {
	// jetstream wraps pub-ack errors like this.
	return fmt.Errorf("nats: %w", &jetstream.APIError{ErrorCode: code, Description: "test"})
}

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		name     string
		err      error
		conflict bool
		retry    bool
	}{
		{"wrong last sequence", apiErr(10071), true, false},
		{"wrong last sequence, replicated", apiErr(10164), true, false},
		{"cluster not available", apiErr(10008), false, true},
		{"message id in process", apiErr(10158), false, true},
		{"expected sequence not ready", apiErr(10163), false, true},
		{"atomic publish too many in flight", apiErr(10210), false, true},
		{"stream not found", apiErr(10059), false, false},
		{"batch holds a duplicate", apiErr(10201), false, false},
		{"timeout", nats.ErrTimeout, false, true},
		{"deadline", fmt.Errorf("publish: %w", context.DeadlineExceeded), false, true},
		{"no stream response", jetstream.ErrNoStreamResponse, false, true},
		{"no responders", nats.ErrNoResponders, false, true},
		{"other", errors.New("boom"), false, false},
	} {
		out, retry := classify(tc.err)
		if errors.Is(out, ErrConflict) != tc.conflict || retry != tc.retry {
			t.Errorf("%s: conflict=%v retry=%v, want conflict=%v retry=%v", tc.name, errors.Is(out, ErrConflict), retry, tc.conflict, tc.retry)
		}
	}
}

func testStore(budget time.Duration) *Store {
	return &Store{log: slog.New(slog.NewTextHandler(io.Discard, nil)), now: time.Now, retryBudget: budget, attemptTimeout: time.Second}
}

func TestRetry(t *testing.T) {
	ctx := context.Background()
	t.Run("retryable answers are retried until success", func(t *testing.T) {
		s := testStore(5 * time.Second)
		answers := []error{apiErr(10008), apiErr(10158), apiErr(10163), nats.ErrTimeout, nil}
		n := 0
		err := s.retry(ctx, func(context.Context) error { n++; return answers[n-1] })
		if err != nil || n != len(answers) {
			t.Fatalf("err %v after %d attempts, want success after %d", err, n, len(answers))
		}
	})
	t.Run("a conflict is final", func(t *testing.T) {
		s := testStore(5 * time.Second)
		n := 0
		err := s.retry(ctx, func(context.Context) error { n++; return apiErr(10071) })
		if !errors.Is(err, ErrConflict) || n != 1 {
			t.Fatalf("err %v after %d attempts, want ErrConflict after 1", err, n)
		}
	})
	t.Run("the budget ends in ErrUnavailable, not a conflict", func(t *testing.T) {
		s := testStore(30 * time.Millisecond)
		n := 0
		err := s.retry(ctx, func(context.Context) error { n++; return apiErr(10163) })
		if !errors.Is(err, ErrUnavailable) || errors.Is(err, ErrConflict) || n < 2 {
			t.Fatalf("err %v after %d attempts, want ErrUnavailable after several", err, n)
		}
	})
	t.Run("each attempt has its own deadline", func(t *testing.T) {
		s := testStore(5 * time.Second)
		s.attemptTimeout = 20 * time.Millisecond
		n := 0
		err := s.retry(ctx, func(actx context.Context) error {
			n++
			if n < 3 {
				<-actx.Done() // a request lost in a fail-over
				return actx.Err()
			}
			return nil
		})
		if err != nil || n != 3 {
			t.Fatalf("err %v after %d attempts, want success on the third", err, n)
		}
	})
	t.Run("a cancelled caller stops the retries", func(t *testing.T) {
		s := testStore(5 * time.Second)
		cctx, cancel := context.WithCancel(ctx)
		n := 0
		err := s.retry(cctx, func(context.Context) error {
			n++
			cancel()
			return apiErr(10008)
		})
		if !errors.Is(err, context.Canceled) || n != 1 {
			t.Fatalf("err %v after %d attempts, want context.Canceled after 1", err, n)
		}
	})
}

func TestCheckSubject(t *testing.T) {
	for subj, ok := range map[string]bool{
		"directory.person.1":          true,
		"directory.person.budi~2Eig":  true,
		"messaging.delivery.7":        true,
		"":                            false,
		"directory":                   false,
		"directory.":                  false,
		".directory.x":                false,
		"directory..x":                false,
		"directory.person.*":          false,
		"directory.>":                 false,
		"directory.person.a b":        false,
		"directory.person.a\tb":       false,
		"directory.person.a\r\nPUB x": false,
	} {
		if err := checkSubject(subj); (err == nil) != ok {
			t.Errorf("checkSubject(%q) = %v, want ok=%v", subj, err, ok)
		}
	}
}

func TestHasNUL(t *testing.T) {
	for in, want := range map[string]bool{
		`{"a":"x\u0000y"}`:   true,
		`{"a":"x\\u0000y"}`:  false, // a literal backslash followed by u0000
		`{"a":"x\\\u0000y"}`: true,
		`{"a":"plain"}`:      false,
	} {
		if got := hasNUL([]byte(in)); got != want {
			t.Errorf("hasNUL(%s) = %v, want %v", in, got, want)
		}
	}
}
