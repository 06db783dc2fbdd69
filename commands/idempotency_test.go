package commands_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"golang.org/x/crypto/bcrypt"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/claim"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/commands/penmasuser"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/commands/personnelpremium"
	"github.com/cicero/cicero/commands/premium"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/testkit"
)

// heldLog is a real Postgres command log whose first Put of a held command
// id waits until the test lets it through: the slow log write after an
// append that lets a second request with the same id decide in between.
type heldLog struct {
	*commands.PGCommandLog
	mu   sync.Mutex
	held map[string]*hold
}

type hold struct {
	waiting chan struct{} // closed when the held Put is waiting
	release chan struct{}
	used    bool
}

var _ commands.CommandLog = (*heldLog)(nil)

func (l *heldLog) Put(ctx context.Context, id, command string, o commands.Outcome) error {
	l.mu.Lock()
	h := l.held[id]
	first := h != nil && !h.used
	if first {
		h.used = true
	}
	l.mu.Unlock()
	if first {
		close(h.waiting)
		select {
		case <-h.release:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return l.PGCommandLog.Put(ctx, id, command, o)
}

// hold makes the first Put of id wait for release.
func (l *heldLog) hold(id string) *hold {
	l.mu.Lock()
	defer l.mu.Unlock()
	h := &hold{waiting: make(chan struct{}), release: make(chan struct{})}
	l.held[id] = h
	return h
}

// idemEnv is every handler that registers something, over one runtime on a
// real JetStream and a real Postgres command log.
type idemEnv struct {
	nats     *testkit.NATS
	pool     *pgxpool.Pool
	log      *heldLog
	people   *person.Handlers
	clients  *client.Handlers
	dash     *dashuser.Handlers
	penmas   *penmasuser.Handlers
	premium  *premium.Handlers
	personal *personnelpremium.Handlers
	claims   *claim.Handlers
	seq      atomic.Int64
}

func newIdemEnv(t *testing.T, shortWindow bool) *idemEnv {
	t.Helper()
	n := testkit.StartNATS(t, testkit.FastSync())
	if shortWindow {
		shortDuplicateWindow(t, n)
	}
	pool, _ := testkit.NewDatabase(t)
	log := &heldLog{PGCommandLog: commands.NewPGCommandLog(pool), held: map[string]*hold{}}
	rt := commands.NewRuntime(n.Store, log, testkit.Logger(t))
	e := &idemEnv{nats: n, pool: pool, log: log, people: person.NewHandlers(rt), clients: client.NewHandlers(rt),
		dash:    dashuser.NewHandlers(rt, dashuser.WithHashCost(bcrypt.MinCost)),
		penmas:  penmasuser.NewHandlers(rt, penmasuser.WithHashCost(bcrypt.MinCost)),
		premium: premium.NewHandlers(rt, nil, nil), personal: personnelpremium.NewHandlers(rt, nil), claims: claim.NewHandlers(rt)}
	if _, err := e.clients.RegisterClient(ctxFor(t), commands.Meta{}, client.RegisterClient{ClientID: "POLRES_A", Nama: "POLRES A"}); err != nil {
		t.Fatal(err)
	}
	return e
}

// nrp returns an NRP no other step of the test uses.
func (e *idemEnv) nrp() string { return fmt.Sprint(75000000 + e.seq.Add(1)) }

// person registers a fresh person with budi@polri.go.id on file (a claim
// code goes only to an address on file).
func (e *idemEnv) person(t *testing.T) string {
	t.Helper()
	nrp := e.nrp()
	if _, err := e.people.RegisterPerson(ctxFor(t), commands.Meta{}, person.RegisterPerson{NRP: nrp, Nama: "Budi",
		ClientID: "POLRES_A", Email: "budi@polri.go.id"}); err != nil {
		t.Fatalf("register %s: %v", nrp, err)
	}
	return nrp
}

// run is one command of a case, under the command id the scenario chose.
type run func(ctx context.Context, meta commands.Meta) (commands.Outcome, error)

// registerCase is a command that registers something: setup prepares what
// it needs and returns it ready to run; it appends commits messages to stream.
type registerCase struct {
	name    string
	stream  string
	commits int
	setup   func(t *testing.T, e *idemEnv) run
}

var registerCases = []registerCase{
	{"person.RegisterPerson", "DIRECTORY", 1, func(t *testing.T, e *idemEnv) run {
		cmd := person.RegisterPerson{NRP: e.nrp(), Nama: "Budi", ClientID: "POLRES_A"}
		return func(ctx context.Context, m commands.Meta) (commands.Outcome, error) {
			return e.people.RegisterPerson(ctx, m, cmd)
		}
	}},
	{"person.RenumberPerson", "DIRECTORY", 2, func(t *testing.T, e *idemEnv) run {
		cmd := person.RenumberPerson{OldNRP: e.person(t), NewNRP: e.nrp()}
		return func(ctx context.Context, m commands.Meta) (commands.Outcome, error) {
			return e.people.RenumberPerson(ctx, m, cmd)
		}
	}},
	{"client.RegisterClient", "DIRECTORY", 1, func(t *testing.T, e *idemEnv) run {
		cmd := client.RegisterClient{ClientID: "POLRES_" + e.nrp(), Nama: "POLRES"}
		return func(ctx context.Context, m commands.Meta) (commands.Outcome, error) {
			return e.clients.RegisterClient(ctx, m, cmd)
		}
	}},
	{"dashuser.RegisterDashboardUser", "ACCESS", 2, func(t *testing.T, e *idemEnv) run {
		cmd := dashuser.RegisterDashboardUser{Username: "budi" + e.nrp(), Password: "rahasia123", WhatsApp: "081234567890",
			ClientIDs: []string{"POLRES_A"}}
		return func(ctx context.Context, m commands.Meta) (commands.Outcome, error) {
			_, o, err := e.dash.RegisterDashboardUser(ctx, m, cmd)
			return o, err
		}
	}},
	{"dashuser.CreateDashboardUser", "ACCESS", 2, func(t *testing.T, e *idemEnv) run {
		cmd := dashuser.CreateDashboardUser{Username: "ani" + e.nrp(), Password: "rahasia123", Role: dashuser.RoleOperator,
			ClientIDs: []string{"POLRES_A"}, ActorRole: dashuser.RoleAdmin}
		return func(ctx context.Context, m commands.Meta) (commands.Outcome, error) {
			_, o, err := e.dash.CreateDashboardUser(ctx, m, cmd)
			return o, err
		}
	}},
	{"penmasuser.Register", "ACCESS", 2, func(t *testing.T, e *idemEnv) run {
		cmd := penmasuser.Register{Username: "penulis" + e.nrp(), Password: "rahasia"}
		return func(ctx context.Context, m commands.Meta) (commands.Outcome, error) {
			_, o, err := e.penmas.Register(ctx, m, cmd)
			return o, err
		}
	}},
	{"premium.RequestPremium", "PREMIUM", 1, func(t *testing.T, e *idemEnv) run {
		id, _, err := e.dash.CreateDashboardUser(ctxFor(t), commands.Meta{}, dashuser.CreateDashboardUser{Username: "op" + e.nrp(),
			Password: "rahasia123", Role: dashuser.RoleOperator, ClientIDs: []string{"POLRES_A"}, ActorRole: dashuser.RoleAdmin})
		if err != nil {
			t.Fatal(err)
		}
		cmd := premium.RequestPremium{DashboardUserID: id, BankName: "BRI", AccountNumber: "123", SenderName: "Budi", TransferAmount: "150000"}
		return func(ctx context.Context, m commands.Meta) (commands.Outcome, error) {
			return e.premium.RequestPremium(ctx, m, cmd)
		}
	}},
	{"personnelpremium.RequestPremium", "PREMIUM", 1, func(t *testing.T, e *idemEnv) run {
		cmd := personnelpremium.RequestPremium{UserID: e.person(t), SenderName: "Budi", AccountNumber: "123", BankName: "BRI"}
		return func(ctx context.Context, m commands.Meta) (commands.Outcome, error) {
			return e.personal.RequestPremium(ctx, m, cmd)
		}
	}},
	{"claim.RequestOTP", "ACCESS", 1, func(t *testing.T, e *idemEnv) run {
		cmd := claim.RequestOTP{NRP: e.person(t), Email: "budi@polri.go.id", ExpiresAt: time.Now().Add(time.Hour)}
		return func(ctx context.Context, m commands.Meta) (commands.Outcome, error) {
			return e.claims.RequestOTP(ctx, m, cmd)
		}
	}},
	{"claim.VerifyOTP", "ACCESS", 1, func(t *testing.T, e *idemEnv) run {
		nrp := e.person(t)
		if _, err := e.claims.RequestOTP(ctxFor(t), commands.Meta{}, claim.RequestOTP{NRP: nrp, Email: "budi@polri.go.id",
			ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		cmd := claim.VerifyOTP{NRP: nrp, Email: "budi@polri.go.id", Verified: true}
		return func(ctx context.Context, m commands.Meta) (commands.Outcome, error) {
			return e.claims.VerifyOTP(ctx, m, cmd)
		}
	}},
}

// sameAppend compares outcomes by what they report stored (subjects,
// positions, event ids and types); Duplicate only tells which request
// stored it.
var sameAppend = cmpopts.IgnoreFields(events.Appended{}, "Duplicate")

func (e *idemEnv) head(t *testing.T, stream string) uint64 {
	t.Helper()
	h, err := e.nats.Store.StreamHead(ctxFor(t), stream)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// waitWindow waits until stream's duplicate window has forgotten message
// ids stored before the call.
func (e *idemEnv) waitWindow(t *testing.T, stream string) {
	t.Helper()
	ctx := ctxFor(t)
	js := e.nats.Store.JetStream()
	probeID := newID()
	probe := func() (*jetstream.PubAck, error) {
		m := nats.NewMsg(strings.ToLower(stream) + ".probe.window")
		m.Header.Set(jetstream.MsgIDHeader, probeID)
		return js.PublishMsg(ctx, m)
	}
	if _, err := probe(); err != nil {
		t.Fatal(err)
	}
	testkit.Eventually(t, 10*time.Second, func() error {
		ack, err := probe()
		if err != nil {
			return err
		}
		if ack.Duplicate {
			return errors.New("duplicate window still open")
		}
		return nil
	})
}

// checkOutcome checks that got is the first outcome and that the command
// log keeps it.
func (e *idemEnv) checkOutcome(t *testing.T, c registerCase, first, got commands.Outcome, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("same command id again: %v; want the first outcome %+v", err, first)
	}
	if d := cmp.Diff(first, got, sameAppend); d != "" {
		t.Fatalf("same command id again answered another outcome (-first +got):\n%s", d)
	}
	logged, ok, err := e.log.Get(ctxFor(t), first.CommandID)
	if err != nil || !ok {
		t.Fatalf("command log: ok=%v err=%v", ok, err)
	}
	if d := cmp.Diff(first, logged, sameAppend); d != "" {
		t.Fatalf("command log keeps another outcome (-first +logged):\n%s", d)
	}
}

// A command that registers something, retried with its command id after
// its command-log row was lost, answers with the append it made (every
// commit, at the same positions), appends nothing and records that outcome:
// inside JetStream's duplicate window and after it.
func TestIdempotentAfterLostLogRow(t *testing.T) {
	t.Parallel()
	for _, window := range []struct {
		name  string
		short bool
	}{{"inside the duplicate window", false}, {"after the duplicate window", true}} {
		t.Run(window.name, func(t *testing.T) {
			t.Parallel()
			e := newIdemEnv(t, window.short)
			for _, c := range registerCases {
				t.Run(c.name, func(t *testing.T) {
					do := c.setup(t, e)
					meta := commands.Meta{CommandID: newID(), Actor: "test"}
					before := e.head(t, c.stream)
					first, err := do(ctxFor(t), meta)
					if err != nil || len(first.Appended) != c.commits {
						t.Fatalf("first run: %+v, %v; want %d commits", first, err, c.commits)
					}
					after := e.head(t, c.stream)
					if after-before != uint64(c.commits) {
						t.Fatalf("first run stored %d messages, want %d", after-before, c.commits)
					}
					if _, err := e.pool.Exec(ctxFor(t), `DELETE FROM command_log WHERE command_id = $1`, meta.CommandID); err != nil {
						t.Fatal(err)
					}
					if window.short {
						e.waitWindow(t, c.stream)
						after = e.head(t, c.stream) // the probe's own messages
					}
					again, err := do(ctxFor(t), meta)
					e.checkOutcome(t, c, first, again, err)
					if h := e.head(t, c.stream); h != after {
						t.Fatalf("stream head %d → %d; the retry appended", after, h)
					}
				})
			}
		})
	}
}

// Two requests with one command id: the second decides while the first has
// appended but not yet recorded its outcome. Both answer the first append,
// nothing is appended twice, and the log keeps that append (not a refusal
// of the second). Also when the second comes after the duplicate window.
func TestIdempotentConcurrentSameID(t *testing.T) {
	t.Parallel()
	for _, window := range []struct {
		name  string
		short bool
	}{{"inside the duplicate window", false}, {"after the duplicate window", true}} {
		t.Run(window.name, func(t *testing.T) {
			t.Parallel()
			e := newIdemEnv(t, window.short)
			for _, c := range registerCases {
				t.Run(c.name, func(t *testing.T) {
					do := c.setup(t, e)
					meta := commands.Meta{CommandID: newID(), Actor: "test"}
					h := e.log.hold(meta.CommandID)
					before := e.head(t, c.stream)
					var first commands.Outcome
					var ferr error
					done := make(chan struct{})
					go func() {
						defer close(done)
						first, ferr = do(ctxFor(t), meta)
					}()
					select {
					case <-h.waiting: // appended, outcome not yet recorded
					case <-done:
						t.Fatalf("first request ended without recording its outcome: %+v, %v", first, ferr)
					}
					stored := e.head(t, c.stream)
					if window.short {
						e.waitWindow(t, c.stream)
					}
					probes := e.head(t, c.stream) - stored
					second, serr := do(ctxFor(t), meta)
					close(h.release)
					<-done
					if ferr != nil || len(first.Appended) != c.commits {
						t.Fatalf("first request: %+v, %v; want %d commits", first, ferr, c.commits)
					}
					if stored-before != uint64(c.commits) {
						t.Fatalf("first request stored %d messages, want %d", stored-before, c.commits)
					}
					e.checkOutcome(t, c, first, second, serr)
					if h := e.head(t, c.stream) - probes; h != stored {
						t.Fatalf("stream head %d → %d; the second request appended", stored, h)
					}
				})
			}
		})
	}
}
