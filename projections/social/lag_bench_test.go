package social_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/post"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/projections"
	"github.com/cicero/cicero/projections/social"
)

// lagRate is the command rate the lag is measured at (issue: a fetch
// recording likes at ~1,000 commands/s).
const lagRate = 1000

// BenchmarkCommandToReadLag measures how long after a RecordLikes command
// returns its likes are in social_engagements, while commands arrive at
// lagRate per second from 16 workers over 400 posts (each command 20 new
// likers, the size of a busy post's fetch between two runs), with the
// default durability (fsync before every acknowledgement) and the social
// read models running as serve runs them. A watcher polls the
// engagements checkpoint every millisecond; a command's lag is from its
// return to the first poll that sees its position. It reports p50/p99 lag,
// the achieved command rate and the process's peak RSS (NATS, runtime,
// projections and Postgres client all in this one process).
//
//	go test -run '^$' -bench BenchmarkCommandToReadLag -benchtime 10000x ./projections/social/
func BenchmarkCommandToReadLag(b *testing.B) {
	n := testkit.StartNATS(b)
	pool, _ := testkit.NewDatabase(b)
	log := testkit.Logger(b)
	reg := n.Store.Registry()
	m, err := projections.NewManager(pool, n.Store, projections.RunnerOptions{Logger: log, LagInterval: time.Second},
		social.NewPosts(reg), social.NewEngagements(reg), social.NewAccounts(reg))
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = m.Run(ctx) }()
	defer func() { cancel(); <-done }()

	rt := commands.NewRuntime(n.Store, commands.NewPGCommandLog(pool), log)
	if _, err := client.NewHandlers(rt).RegisterClient(ctx, commands.Meta{}, client.RegisterClient{ClientID: "POLRESA", Nama: "POLRES A"}); err != nil {
		b.Fatal(err)
	}
	h := post.NewHandlers(rt, nil)
	const posts = 400
	day := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	var last commands.Outcome
	for i := range posts {
		last, err = h.IngestPost(ctx, commands.Meta{Actor: "bench"}, post.IngestPost{Platform: events.PlatformInstagram,
			PostID: fmt.Sprintf("Clag%05d", i), ClientID: "POLRESA", Account: "polres_a", PublishedAt: day, ObservedAt: day})
		if err != nil {
			b.Fatal(err)
		}
	}
	if err := m.WaitForAll(ctx, last.Positions(), time.Minute); err != nil {
		b.Fatal(err)
	}

	var (
		mu      sync.Mutex
		pending []pendingCmd // by position
		lags    []time.Duration
	)
	watchDone := make(chan struct{})
	go func() {
		defer close(watchDone)
		ckpt := projections.NewCheckpoints(pool)
		for ctx.Err() == nil {
			p, err := ckpt.Position(ctx, social.EngagementsName, "SOCIAL")
			seen := time.Now()
			if err == nil {
				mu.Lock()
				k := 0
				for _, c := range pending {
					if c.seq <= p {
						lags = append(lags, seen.Sub(c.at))
					} else {
						pending[k] = c
						k++
					}
				}
				pending = pending[:k]
				mu.Unlock()
			}
			time.Sleep(time.Millisecond)
		}
	}()

	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	next := make(chan int)
	for w := range 16 {
		wg.Go(func() {
			for i := range next {
				names := make([]string, 20)
				for j := range names {
					names[j] = fmt.Sprintf("u%d_%d", i, j)
				}
				at := day.Add(time.Duration(i) * time.Millisecond)
				out, _, err := h.RecordLikes(ctx, commands.Meta{Actor: "bench"}, post.RecordLikes{Platform: events.PlatformInstagram,
					PostID: fmt.Sprintf("Clag%05d", (i*16+w)%posts), Usernames: names, ObservedAt: at, WindowStart: at, WindowEnd: at})
				if err != nil {
					b.Error(err)
					return
				}
				ps := out.Positions()
				if len(ps) == 0 {
					continue
				}
				mu.Lock()
				pending = append(pending, pendingCmd{seq: ps[len(ps)-1].Sequence, at: time.Now()})
				mu.Unlock()
			}
		})
	}
	tick := time.Second / lagRate
	for i := range b.N {
		time.Sleep(time.Until(start.Add(time.Duration(i) * tick)))
		next <- i
	}
	close(next)
	wg.Wait()
	elapsed := time.Since(start)
	deadline := time.Now().Add(30 * time.Second)
	for {
		mu.Lock()
		left := len(pending)
		mu.Unlock()
		if left == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	b.StopTimer()
	cancel()
	<-watchDone

	mu.Lock()
	defer mu.Unlock()
	if len(pending) > 0 {
		b.Fatalf("%d commands never reached the read model", len(pending))
	}
	slices.Sort(lags)
	pct := func(q float64) float64 {
		if len(lags) == 0 {
			return 0
		}
		return float64(lags[min(len(lags)-1, int(q*float64(len(lags))))].Microseconds()) / 1000
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "cmd/s")
	b.ReportMetric(pct(0.50), "lag-p50-ms")
	b.ReportMetric(pct(0.99), "lag-p99-ms")
	b.ReportMetric(peakRSSMiB(), "peak-rss-MiB")
}

type pendingCmd struct {
	seq uint64
	at  time.Time
}

// peakRSSMiB is the process's peak resident set (VmHWM), 0 where /proc
// has none.
func peakRSSMiB() float64 {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}
