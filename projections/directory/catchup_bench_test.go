package directory

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/natsembed"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/projections"
	pt "github.com/cicero/cicero/projections/projectiontest"
)

// benchEvents is the size of the catch-up benchmark's stream
// (CICERO_BENCH_EVENTS, default 1,000,000).
func benchEvents(b *testing.B) int {
	if v := os.Getenv("CICERO_BENCH_EVENTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1000 {
			b.Fatalf("CICERO_BENCH_EVENTS=%q: want a number ≥ 1000", v)
		}
		return n
	}
	return 1_000_000
}

// seedDirectory appends total directory events, one event per message as
// real commands do: 50 clients, then registrations for a tenth of the
// total (100k people for 1M), then handle changes, role grants and
// revocations, field updates, status flips spread over everyone. Workers
// own disjoint sets of people, so each knows its subjects' versions and
// appends with the same optimistic-concurrency header as the commands.
func seedDirectory(b *testing.B, store *events.Store, total int) {
	ctx := context.Background()
	const clients, workers = 50, 48
	at := pt.T0
	for c := range clients {
		id := fmt.Sprintf("POLRES_%02d", c)
		if _, err := store.Append(ctx, events.Meta{Actor: "bench", OccurredAt: at}, events.Commit{Subject: events.ClientSubject(id),
			AggregateID: id, Events: []events.Payload{events.ClientRegistered{ClientID: id, Nama: "POLRES " + id, ClientType: "org",
				RegionalID: "JATIM", InstaStatus: true, TiktokStatus: true, AmplifyStatus: true}}}); err != nil {
			b.Fatal(err)
		}
	}
	people := max((total-clients)/10, workers)
	changes := total - clients - people
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			if err := seedWorker(ctx, store, w, workers, people, changes, clients); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
}

func seedWorker(ctx context.Context, store *events.Store, w, workers, people, changes, clients int) error {
	rng := rand.New(rand.NewPCG(uint64(w), 99))
	version := map[string]uint64{}
	var mine []string
	for i := w; i < people; i += workers {
		mine = append(mine, strconv.Itoa(80000000+i))
	}
	appendOne := func(nrp string, at time.Time, ev events.Payload) error {
		s := events.PersonSubject(nrp)
		res, err := store.Append(ctx, events.Meta{Actor: "bench", OccurredAt: at},
			events.Commit{Subject: s, AggregateID: nrp, Expected: version[s], Events: []events.Payload{ev}})
		if err != nil {
			return err
		}
		version[s] = res.Sequence
		return nil
	}
	at := pt.T0.Add(time.Hour)
	for _, nrp := range mine {
		at = at.Add(time.Millisecond)
		if err := appendOne(nrp, at, events.PersonRegistered{NRP: nrp, Nama: "PERSON " + nrp, Title: "BRIPDA",
			Divisi: "SAT SAMAPTA", Jabatan: "BANIT", ClientID: fmt.Sprintf("POLRES_%02d", rng.IntN(clients)),
			Insta: "p" + nrp, WhatsApp: "62812" + nrp, Roles: []string{"operator"}}); err != nil {
			return err
		}
	}
	n := changes / workers
	if w < changes%workers {
		n++
	}
	for i := range n {
		at = at.Add(time.Millisecond)
		nrp := mine[rng.IntN(len(mine))]
		var ev events.Payload
		switch rng.IntN(10) {
		case 0, 1, 2:
			ev = events.PersonHandleChanged{NRP: nrp, Platform: events.PlatformInstagram, Handle: fmt.Sprintf("ig.%s.%d", nrp, i)}
		case 3:
			ev = events.PersonHandleChanged{NRP: nrp, Platform: events.PlatformTiktok, Handle: "@tt_" + nrp}
		case 4, 5:
			ev = events.PersonRoleGranted{NRP: nrp, Role: pt.RoleNames[rng.IntN(len(pt.RoleNames))]}
		case 6:
			ev = events.PersonRoleRevoked{NRP: nrp, Role: pt.RoleNames[rng.IntN(len(pt.RoleNames))]}
		case 7, 8:
			j := fmt.Sprintf("JABATAN %d", i)
			ev = events.PersonUpdated{NRP: nrp, Changes: events.PersonFields{Jabatan: &j}}
		default:
			ev = events.PersonWhatsAppOptInChanged{NRP: nrp, OptIn: rng.IntN(2) == 0}
		}
		if err := appendOne(nrp, at, ev); err != nil {
			return err
		}
	}
	return nil
}

// benchStore starts the embedded JetStream for the benchmark. With
// CICERO_BENCH_NATS_DIR it keeps its files there, so later runs with the
// same event count skip the set-up.
func benchStore(b *testing.B) *events.Store {
	dir := os.Getenv("CICERO_BENCH_NATS_DIR")
	if dir == "" {
		return testkit.StartNATS(b, testkit.FastSync()).Store
	}
	srv, err := natsembed.Start(natsembed.Options{Name: "bench", StoreDir: dir, SyncInterval: time.Second})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(srv.Close)
	nc, err := srv.Connect("bench")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(nc.Close)
	return testkit.MustStore(b, nc)
}

// BenchmarkCatchUp measures, on one stream of CICERO_BENCH_EVENTS directory
// events: (a) the raw ordered-consumer rate (read and decode, no Postgres)
// and (b) the directory projection's catch-up from 0 to the head through
// the Runner into a fresh database. Run it with -benchtime=1x;
// CICERO_BENCH_NATS_DIR=<dir> keeps the seeded stream for the next run
// (delete the directory when changing CICERO_BENCH_EVENTS).
func BenchmarkCatchUp(b *testing.B) {
	total := benchEvents(b)
	store := benchStore(b)
	ctx := context.Background()
	head, err := store.StreamHead(ctx, pt.DirectoryStream)
	if err != nil {
		b.Fatal(err)
	}
	if head == 0 {
		start := time.Now()
		seedDirectory(b, store, total)
		if head, err = store.StreamHead(ctx, pt.DirectoryStream); err != nil {
			b.Fatal(err)
		}
		b.Logf("seeded %d events in %s", head, time.Since(start).Round(time.Millisecond))
	} else {
		b.Logf("reusing %d seeded events", head)
	}
	b.ResetTimer()
	for b.Loop() {
		b.ReportMetric(consumeRate(b, store, head), "consume-events/s")
		b.ReportMetric(catchUpRate(b, store, head), "catchup-events/s")
	}
}

// consumeRate is the baseline: one ordered consumer reading and decoding
// the whole stream, nothing written.
func consumeRate(b *testing.B, store *events.Store, head uint64) float64 {
	start := time.Now()
	count := 0
	err := store.ReadStream(context.Background(), pt.DirectoryStream, 1, "", func(events.Envelope) error {
		count++
		return nil
	})
	el := time.Since(start)
	if err != nil {
		b.Fatal(err)
	}
	if uint64(count) < head {
		b.Fatalf("consumed %d events, want at least %d", count, head)
	}
	b.Logf("consumed %d events in %s", count, el.Round(time.Millisecond))
	return float64(count) / el.Seconds()
}

func catchUpRate(b *testing.B, store *events.Store, head uint64) float64 {
	pool, _ := testkit.NewDatabase(b)
	opts := projections.RunnerOptions{Logger: testkit.Logger(b)}
	if v := os.Getenv("CICERO_BENCH_BATCH"); v != "" {
		opts.BatchSize, _ = strconv.Atoi(v)
	}
	r := projections.NewRunner(pool, store, New(store.Registry()), opts)
	start := time.Now()
	stop := pt.StartRunner(b, r)
	ckpt := projections.NewCheckpoints(pool)
	for {
		p, err := ckpt.Position(context.Background(), Name, pt.DirectoryStream)
		if err != nil {
			b.Fatal(err)
		}
		if p >= head {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	el := time.Since(start)
	stop()
	var people int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM personnel`).Scan(&people); err != nil {
		b.Fatal(err)
	}
	b.Logf("caught up %d events (%d personnel rows) in %s", head, people, el.Round(time.Millisecond))
	return float64(head) / el.Seconds()
}
