// Package projectiontest holds the helpers that the tests of the projection
// runtime and of every context's read models share: an appender that
// tracks expected versions, a seeded directory workload, a runner starter,
// checkpoint waits, table dumps and a deliberately non-idempotent counting
// projection (a double-applied event shows in its totals).
package projectiontest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/projections"
)

const DirectoryStream = "DIRECTORY"

var T0 = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

// Appender appends commits with the right expected versions, as the
// command runtime would after loading each aggregate.
type Appender struct {
	store    *events.Store
	mu       sync.Mutex
	versions map[string]uint64
	n        int // events appended
	last     uint64
}

func NewAppender(store *events.Store) *Appender {
	return &Appender{store: store, versions: map[string]uint64{}}
}

// UseStore makes later appends go to store (a restarted process's
// connection), keeping the versions appended so far.
func (a *Appender) UseStore(store *events.Store) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.store = store
}

func (a *Appender) At(i int) time.Time { return T0.Add(time.Duration(i) * time.Minute) }

// add appends one message carrying evs to subject.
func (a *Appender) Add(tb testing.TB, at time.Time, subject, agg string, evs ...events.Payload) events.Appended {
	tb.Helper()
	a.mu.Lock()
	defer a.mu.Unlock()
	res, err := a.store.Append(context.Background(), events.Meta{Actor: "test", OccurredAt: at},
		events.Commit{Subject: subject, AggregateID: agg, Expected: a.versions[subject], Events: evs})
	if err != nil {
		tb.Fatalf("append %s: %v", subject, err)
	}
	a.versions[subject] = res.Sequence
	a.n += len(evs)
	a.last = max(a.last, res.Sequence)
	return res
}

func (a *Appender) Client(tb testing.TB, at time.Time, id string, ev events.Payload) events.Appended {
	return a.Add(tb, at, events.ClientSubject(id), id, ev)
}

func (a *Appender) Person(tb testing.TB, at time.Time, nrp string, ev events.Payload) events.Appended {
	return a.Add(tb, at, events.PersonSubject(nrp), nrp, ev)
}

// renumber appends PersonRenumbered to the old and the new NRP atomically.
func (a *Appender) Renumber(tb testing.TB, at time.Time, e events.PersonRenumbered) {
	tb.Helper()
	a.mu.Lock()
	defer a.mu.Unlock()
	oldS, newS := events.PersonSubject(e.OldNRP), events.PersonSubject(e.NewNRP)
	res, err := a.store.AppendAtomic(context.Background(), events.Meta{Actor: "test", OccurredAt: at}, []events.Commit{
		{Subject: oldS, AggregateID: e.OldNRP, Expected: a.versions[oldS], Events: []events.Payload{e}},
		{Subject: newS, AggregateID: e.NewNRP, Expected: a.versions[newS], Events: []events.Payload{e}},
	})
	if err != nil {
		tb.Fatalf("renumber: %v", err)
	}
	a.versions[oldS], a.versions[newS] = res[0].Sequence, res[1].Sequence
	a.n += 2
	a.last = max(a.last, res[1].Sequence)
}

// head is the highest sequence appended: the DIRECTORY head in the tests
// that append to DIRECTORY only.
func (a *Appender) Head() uint64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.last
}

func (a *Appender) Count() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.n
}

// Workload appends n pseudo-random directory commands (seeded), the mix a
// running system produces: registrations, updates, handle changes, role
// grants and revocations, status flips and renumberings.
type Workload struct {
	a       *Appender
	rng     *rand.Rand
	clients []string
	people  []string
	next    int // next fresh NRP
	i       int // event clock
}

func NewWorkload(a *Appender, seed uint64) *Workload {
	return &Workload{a: a, rng: rand.New(rand.NewPCG(seed, 7)), next: 70000000 + int(seed%1000)*10000}
}

func (w *Workload) Run(tb testing.TB, n int) {
	tb.Helper()
	for k := 0; k < n; k++ {
		w.step(tb)
	}
}

var RoleNames = []string{"operator", "ditbinmas", "ditlantas", "bidhumas", "ditsamapta", "ditintelkam"}

func (w *Workload) step(tb testing.TB) {
	tb.Helper()
	w.i++
	at := w.a.At(w.i)
	r := w.rng.IntN(100)
	switch {
	case len(w.clients) < 3 || r < 3:
		id := fmt.Sprintf("POLRES_%02d", len(w.clients))
		w.clients = append(w.clients, id)
		w.a.Client(tb, at, id, events.ClientRegistered{ClientID: id, Nama: "POLRES " + id, ClientType: "org",
			InstaStatus: true, TiktokStatus: true, AmplifyStatus: true, RegionalID: "JATIM", ClientInsta: "polres." + strings.ToLower(id)})
	case r < 6:
		id := w.clients[w.rng.IntN(len(w.clients))]
		nama := fmt.Sprintf("POLRES %s %d", id, w.i)
		w.a.Client(tb, at, id, events.ClientUpdated{ClientID: id, Changes: events.ClientFields{Nama: &nama}})
	case r < 7:
		id := w.clients[w.rng.IntN(len(w.clients))]
		if w.rng.IntN(2) == 0 {
			w.a.Client(tb, at, id, events.ClientDeactivated{ClientID: id})
		} else {
			w.a.Client(tb, at, id, events.ClientActivated{ClientID: id})
		}
	case len(w.people) < 5 || r < 30:
		w.next++
		nrp := fmt.Sprint(w.next)
		w.people = append(w.people, nrp)
		w.a.Person(tb, at, nrp, events.PersonRegistered{NRP: nrp, Nama: "PERSON " + nrp, Title: "BRIPDA", Divisi: "SAT BINMAS",
			ClientID: w.clients[w.rng.IntN(len(w.clients))], Insta: "@P" + nrp, Roles: []string{"operator"}, WhatsApp: "62812" + nrp})
	case r < 32:
		k := w.rng.IntN(len(w.people))
		old := w.people[k]
		w.next++
		nrp := fmt.Sprint(w.next)
		w.people[k] = nrp
		w.a.Renumber(tb, at, events.PersonRenumbered{OldNRP: old, NewNRP: nrp, Person: events.PersonSnapshot{
			PersonRegistered: events.PersonRegistered{NRP: nrp, Nama: "RENUMBERED " + old, Roles: []string{"operator", "ditlantas"}},
			Active:           true}})
	default:
		nrp := w.people[w.rng.IntN(len(w.people))]
		w.a.Person(tb, at, nrp, w.personEvent(nrp))
	}
}

func (w *Workload) personEvent(nrp string) events.Payload {
	switch w.rng.IntN(8) {
	case 0:
		j := fmt.Sprintf("JABATAN %d", w.i)
		return events.PersonUpdated{NRP: nrp, Changes: events.PersonFields{Jabatan: &j}}
	case 1:
		c := w.clients[w.rng.IntN(len(w.clients))]
		return events.PersonUpdated{NRP: nrp, Changes: events.PersonFields{ClientID: &c}}
	case 2:
		return events.PersonHandleChanged{NRP: nrp, Platform: events.PlatformInstagram, Handle: fmt.Sprintf("ig_%s_%d", nrp, w.i)}
	case 3:
		return events.PersonHandleChanged{NRP: nrp, Platform: events.PlatformTiktok, Handle: fmt.Sprintf("@TT_%s", nrp)}
	case 4:
		return events.PersonRoleGranted{NRP: nrp, Role: RoleNames[w.rng.IntN(len(RoleNames))]}
	case 5:
		return events.PersonRoleRevoked{NRP: nrp, Role: RoleNames[w.rng.IntN(len(RoleNames))]}
	case 6:
		if w.rng.IntN(2) == 0 {
			return events.PersonDeactivated{NRP: nrp}
		}
		return events.PersonReactivated{NRP: nrp}
	default:
		if w.rng.IntN(2) == 0 {
			return events.PersonExceptionChanged{NRP: nrp, Exception: w.rng.IntN(2) == 0}
		}
		return events.PersonWhatsAppOptInChanged{NRP: nrp, OptIn: w.rng.IntN(2) == 0}
	}
}

// StartRunner runs r until the returned stop is called (also at cleanup).
func StartRunner(tb testing.TB, r *projections.Runner) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = r.Run(ctx)
	}()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			<-done
		})
	}
	tb.Cleanup(stop)
	return stop
}

// StartManager runs a Manager of ps (tests' options: 50 ms standby, lag
// every second) until cleanup.
func StartManager(tb testing.TB, pool *pgxpool.Pool, store *events.Store, ps ...projections.Projection) *projections.Manager {
	tb.Helper()
	m, err := projections.NewManager(pool, store, projections.RunnerOptions{Logger: testkit.Logger(tb),
		Standby: 50 * time.Millisecond, LagInterval: time.Second}, ps...)
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = m.Run(ctx) }()
	tb.Cleanup(func() { cancel(); <-done })
	return m
}

func QuietOpts(tb testing.TB) projections.RunnerOptions {
	return projections.RunnerOptions{Logger: testkit.Logger(tb), Standby: 50 * time.Millisecond, LagInterval: 50 * time.Millisecond}
}

// WaitCheckpoint waits until projection has applied DIRECTORY up to seq.
func WaitCheckpoint(tb testing.TB, pool *pgxpool.Pool, projection string, seq uint64) {
	tb.Helper()
	WaitProjection(tb, pool, projection, DirectoryStream, seq)
}

// WaitProjection waits until projection has applied stream up to seq.
func WaitProjection(tb testing.TB, pool *pgxpool.Pool, projection, stream string, seq uint64) {
	tb.Helper()
	c := projections.NewCheckpoints(pool)
	testkit.Eventually(tb, 30*time.Second, func() error {
		p, err := c.Position(context.Background(), projection, stream)
		if err != nil {
			return err
		}
		if p < seq {
			return fmt.Errorf("%s at %d in %s, want %d", projection, p, stream, seq)
		}
		return nil
	})
}

// Ptr returns a pointer to v (optional event fields).
func Ptr[T any](v T) *T { return &v }

// Dump reads every row of the tables as JSON text in key order: two read
// models are equal when their dumps are.
func Dump(tb testing.TB, pool *pgxpool.Pool, tables ...string) map[string][]string {
	tb.Helper()
	out := map[string][]string{}
	for _, t := range tables {
		rows, err := pool.Query(context.Background(), `SELECT row_to_json(t)::text FROM `+projections.Ident(t)+` t ORDER BY 1`)
		if err != nil {
			tb.Fatalf("Dump %s: %v", t, err)
		}
		out[t], err = pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			tb.Fatalf("Dump %s: %v", t, err)
		}
	}
	return out
}

func DumpDirectory(tb testing.TB, pool *pgxpool.Pool) map[string][]string {
	return Dump(tb, pool, "clients", "personnel")
}

func CheckpointOf(tb testing.TB, pool *pgxpool.Pool, projection string) uint64 {
	tb.Helper()
	p, err := projections.NewCheckpoints(pool).Position(context.Background(), projection, DirectoryStream)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// Counter is a test projection that counts events per subject in table
// test_counts: a double-applied or lost event shows in the totals, which
// an idempotent upsert read model would hide.
type Counter struct {
	ID string   // the projection's name
	Of []string // streams read; DIRECTORY when empty
}

func (c Counter) Name() string { return c.ID }
func (c Counter) Streams() []string {
	if len(c.Of) == 0 {
		return []string{DirectoryStream}
	}
	return c.Of
}
func (Counter) Tables() []string { return []string{"test_counts"} }

// EventTypes: it counts every event, whatever its type.
func (Counter) EventTypes() []string { return nil }
func (c Counter) Apply(ctx context.Context, tx pgx.Tx, t projections.Tables, batch []events.Envelope) error {
	n := map[string]int64{}
	for _, e := range batch {
		n[e.Subject]++
	}
	var subj []string
	var cnt []int64
	for s, k := range n {
		subj, cnt = append(subj, s), append(cnt, k)
	}
	_, err := tx.Exec(ctx, `INSERT INTO `+projections.Ident(t["test_counts"])+` AS c (subject, n)
		SELECT * FROM unnest($1::text[], $2::bigint[]) ON CONFLICT (subject) DO UPDATE SET n = c.n + EXCLUDED.n`, subj, cnt)
	return err
}

func CreateCounterTable(tb testing.TB, pool *pgxpool.Pool) {
	tb.Helper()
	_, err := pool.Exec(context.Background(), `CREATE TABLE test_counts (subject text PRIMARY KEY, n bigint NOT NULL);
		CREATE INDEX test_counts_n_idx ON test_counts (n)`)
	if err != nil {
		tb.Fatal(err)
	}
}

func CountedEvents(tb testing.TB, pool *pgxpool.Pool) int {
	tb.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT coalesce(sum(n), 0) FROM test_counts`).Scan(&n); err != nil {
		tb.Fatal(err)
	}
	return n
}
