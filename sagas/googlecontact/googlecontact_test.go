package googlecontact

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/api/option"
	"google.golang.org/api/people/v1"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/google/contacts"
	"github.com/cicero/cicero/internal/google/googletest"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/projections"
	"github.com/cicero/cicero/projections/directory"
	pt "github.com/cicero/cicero/projections/projectiontest"
	"github.com/cicero/cicero/sagas"
)

// rig is the directory read model, the saga and a dispatcher whose
// google-contact sender calls a fake People API.
type rig struct {
	n    *testkit.NATS
	pool *pgxpool.Pool
	srv  *googletest.Server
	a    *pt.Appender
}

func newRig(t *testing.T) *rig {
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	return &rig{n: n, pool: pool, srv: googletest.Start(t), a: pt.NewAppender(n.Store)}
}

// run brings the directory read model to the head (the sender names
// number-only binds from it), then runs the saga and a dispatcher until the
// test ends; stop stops the saga runner.
func (r *rig) run(t *testing.T) (stopSaga func()) {
	t.Helper()
	pt.StartRunner(t, projections.NewRunner(r.pool, r.n.Store, directory.New(r.n.Store.Registry()), pt.QuietOpts(t)))
	pt.WaitCheckpoint(t, r.pool, directory.Name, r.a.Head())
	stopSaga = r.runSaga(t)
	svc, err := people.NewService(context.Background(), option.WithEndpoint(r.srv.URL+"/"),
		option.WithHTTPClient(r.srv.Client()), option.WithoutAuthentication())
	if err != nil {
		t.Fatal(err)
	}
	saver := contacts.New(svc, r.pool, contacts.Options{Cooldown: 300 * time.Millisecond, Log: testkit.Logger(t)})
	sender := NewSender(saver, directory.NewQueries(r.pool).ContactName)
	d, err := sagas.NewDispatcher(r.pool, r.n.Store, map[string]sagas.Sender{sagas.ChannelGoogleContact: sender},
		testkit.Logger(t), sagas.DispatcherOptions{PollInterval: 10 * time.Millisecond, Lease: 10 * time.Second,
			SendTimeout: 5 * time.Second, MaxAttempts: 20, Backoff: func(int) time.Duration { return 50 * time.Millisecond }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = d.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	return stopSaga
}

func (r *rig) runSaga(t *testing.T) func() {
	return pt.StartRunner(t, projections.NewRunner(r.pool, r.n.Store, Saga().Projection(r.n.Store.Registry(), time.Now), pt.QuietOpts(t)))
}

// rows lists the saga's outbox rows as "recipient status".
func (r *rig) rows(t *testing.T) []string {
	t.Helper()
	rows, err := r.pool.Query(context.Background(), `SELECT recipient || ' ' || status FROM outbox WHERE saga = $1 ORDER BY id`, Name)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// waitRows waits until the outbox holds exactly want.
func (r *rig) waitRows(t *testing.T, want ...string) {
	t.Helper()
	testkit.Eventually(t, 20*time.Second, func() error {
		if got := r.rows(t); !slices.Equal(got, want) {
			return fmt.Errorf("outbox rows %q, want %q", got, want)
		}
		return nil
	})
}

// contacts lists the address book as "name number".
func (r *rig) contacts() []string {
	var out []string
	for _, p := range r.srv.Contacts() {
		out = append(out, p.Names[0].GivenName+" "+p.PhoneNumbers[0].Value)
	}
	slices.Sort(out)
	return out
}

// A bound number becomes a contact once: at registration and at a
// number-only update (named from the directory); a number already in the
// address book is adopted; a quota refusal is retried after the cooldown;
// replaying the saga's history queues nothing new; another person given a
// saved number saves nothing.
func TestBoundNumbersBecomeContactsOnce(t *testing.T) {
	r := newRig(t)
	r.a.Person(t, r.a.At(1), "75040001", events.PersonRegistered{NRP: "75040001", Nama: "BUDI", WhatsApp: "6281211110001"})
	r.a.Person(t, r.a.At(2), "75040002", events.PersonRegistered{NRP: "75040002", Nama: "ANDI"})
	r.a.Person(t, r.a.At(3), "75040002", events.PersonUpdated{NRP: "75040002", Changes: events.PersonFields{WhatsApp: ptr("6281211110002")}})
	r.a.Person(t, r.a.At(4), "75040001", events.PersonUpdated{NRP: "75040001", Changes: events.PersonFields{Jabatan: ptr("KANIT")}})
	r.a.Person(t, r.a.At(5), "75040003", events.PersonRegistered{NRP: "75040003", Nama: "SITI", WhatsApp: "6281211110003"})
	r.srv.AddContact(googletest.Person{Names: []googletest.Name{{GivenName: "Bu Siti"}},
		PhoneNumbers: []googletest.PhoneNumber{{Value: "+6281211110003"}}})
	r.srv.FailNext("createContact", http.StatusTooManyRequests, "rateLimitExceeded")

	stopSaga := r.run(t)
	r.waitRows(t, "6281211110001 sent", "6281211110002 sent", "6281211110003 sent")
	want := []string{"ANDI +6281211110002", "BUDI +6281211110001", "Bu Siti +6281211110003"}
	if got := r.contacts(); !slices.Equal(got, want) {
		t.Fatalf("contacts %q, want %q", got, want)
	}
	if n := r.srv.CallsTo("createContact"); n != 3 { // BUDI refused once, BUDI, ANDI
		t.Fatalf("%d createContact calls, want 3", n)
	}

	// Replay the saga from the start: no new row, nothing sent.
	stopSaga()
	if _, err := r.pool.Exec(context.Background(), `DELETE FROM projection_checkpoints WHERE projection = $1`, Name); err != nil {
		t.Fatal(err)
	}
	calls := len(r.srv.Calls())
	r.runSaga(t)
	pt.WaitCheckpoint(t, r.pool, Name, r.a.Head())
	r.waitRows(t, "6281211110001 sent", "6281211110002 sent", "6281211110003 sent")

	// Another person given BUDI's number: a row, but Google is not called.
	r.a.Person(t, r.a.At(6), "75040004", events.PersonRegistered{NRP: "75040004", Nama: "BUDI DUA", WhatsApp: "081211110001"})
	r.waitRows(t, "6281211110001 sent", "6281211110002 sent", "6281211110003 sent", "6281211110001 sent")
	if n := len(r.srv.Calls()); n != calls {
		t.Fatalf("%d Google calls after the replay and a known number, want none", n-calls)
	}
	if got := r.contacts(); !slices.Equal(got, want) {
		t.Fatalf("contacts %q, want still %q", got, want)
	}
}

// A request Google refuses for good fails the row at once and saves
// nothing.
func TestRefusedContactFailsForGood(t *testing.T) {
	r := newRig(t)
	r.a.Person(t, r.a.At(1), "75040011", events.PersonRegistered{NRP: "75040011", Nama: "BUDI", WhatsApp: "6281211110011"})
	r.srv.FailNext("createContact", http.StatusBadRequest, "badRequest")
	r.run(t)
	r.waitRows(t, "6281211110011 failed")
	if n := r.srv.CallsTo("createContact"); n != 1 || len(r.srv.Contacts()) != 0 {
		t.Fatalf("%d creates, %d contacts: want one refused create and none", n, len(r.srv.Contacts()))
	}
}
