package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// loadOp is one iteration of a load run. The time until it returns is the
// iteration's latency; verify, when not nil, checks what it received and
// runs outside the clock, so decoding a large answer to check it does not
// count as the server's time.
type loadOp func(ctx context.Context, i int) (verify func() error, err error)

// abortError stops a whole run: repeating the iteration cannot succeed.
type abortError struct{ err error }

func (e abortError) Error() string { return e.err.Error() }
func (e abortError) Unwrap() error { return e.err }

// abortRun marks err as one that ends the run.
func abortRun(err error) error { return abortError{err} }

// loadResult is what runLoad measured.
type loadResult struct {
	Requests int
	// Latencies are the successful iterations' latencies, sorted.
	Latencies []time.Duration
	Errors    int
	FirstErr  error
	// Aborted is the error that stopped the run early, if one did.
	Aborted error
	Elapsed time.Duration
}

// runLoad runs op requests times over concurrency workers (at least one, at
// most requests) and collects the latencies. It stops early when ctx ends
// or an op returns an abortRun error.
func runLoad(ctx context.Context, requests, concurrency int, op loadOp) loadResult {
	concurrency = max(1, min(concurrency, requests))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		next    atomic.Int64
		mu      sync.Mutex
		res     = loadResult{Requests: requests}
		perWork = make([][]time.Duration, concurrency)
		wg      sync.WaitGroup
	)
	fail := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		res.Errors++
		if res.FirstErr == nil {
			res.FirstErr = err
		}
		if _, ok := errors.AsType[abortError](err); ok && res.Aborted == nil {
			res.Aborted = err
			cancel()
		}
	}
	start := time.Now()
	for w := range concurrency {
		lat := make([]time.Duration, 0, requests/concurrency+1)
		wg.Go(func() {
			defer func() { perWork[w] = lat }()
			for {
				i := int(next.Add(1) - 1)
				if i >= requests || ctx.Err() != nil {
					return
				}
				t0 := time.Now()
				verify, err := op(ctx, i)
				d := time.Since(t0)
				if err == nil && verify != nil {
					err = verify()
				}
				if err != nil {
					fail(fmt.Errorf("request %d: %w", i, err))
					continue
				}
				lat = append(lat, d)
			}
		})
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	res.Latencies = slices.Concat(perWork...)
	slices.Sort(res.Latencies)
	return res
}

// Percentile is the nearest-rank p-th percentile (0 < p <= 100) of the
// successful iterations; 0 when none succeeded.
func (r loadResult) Percentile(p float64) time.Duration {
	n := len(r.Latencies)
	if n == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(n)))
	return r.Latencies[min(max(rank, 1), n)-1]
}

// Throughput is successful iterations per second of wall time.
func (r loadResult) Throughput() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(len(r.Latencies)) / r.Elapsed.Seconds()
}

// Print writes the summary of a run named name.
func (r loadResult) Print(w io.Writer, name string) {
	fmt.Fprintf(w, "%s: %d requests, %d ok, %d errors in %s (%.1f req/s)\n", name, r.Requests,
		len(r.Latencies), r.Errors, r.Elapsed.Round(time.Millisecond), r.Throughput())
	for _, p := range []struct {
		label string
		pct   float64
	}{{"p50", 50}, {"p95", 95}, {"p99", 99}, {"max", 100}} {
		fmt.Fprintf(w, "  %-4s %s\n", p.label, r.Percentile(p.pct).Round(time.Microsecond))
	}
	if r.FirstErr != nil {
		fmt.Fprintf(w, "  first error: %v\n", r.FirstErr)
	}
}
