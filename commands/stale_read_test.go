package commands_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/claim"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/events/storetest"
	"github.com/cicero/cicero/internal/testkit"
)

// Refusals and "nothing to change" are never answered from a direct get
// that is behind the stream leader: with every DIRECTORY direct get
// answered by a replica frozen before the changes below, a fresh process
// (no cache, so every load is a direct get) still decides on the leader's
// state. On the old runtime each of these was answered from the frozen
// state (a no-op, NotFound, an Invalid parent, a 409 after 20 conflicts).
func TestDecisionsOnAStaleReplica(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := ctxFor(t)
	people, clients := person.NewHandlers(e.rt), client.NewHandlers(e.rt)
	mustOK := func(_ commands.Outcome, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	mustOK(clients.RegisterClient(ctx, commands.Meta{}, client.RegisterClient{ClientID: "POLRES_A", Nama: "A"}))
	mustOK(people.RegisterPerson(ctx, commands.Meta{}, person.RegisterPerson{NRP: "75020001", Nama: "Budi", ClientID: "POLRES_A",
		Roles: []string{"operator", "ditbinmas"}}))
	// Every DIRECTORY direct get is answered by a copy frozen here.
	storetest.FreezeReplica(t, e.nats, "DIRECTORY").DirectGets()

	// What the frozen replica does not have.
	mustOK(people.RevokeRole(ctx, commands.Meta{}, person.RevokeRole{NRP: "75020001", Role: "ditbinmas"}))
	mustOK(people.RegisterPerson(ctx, commands.Meta{}, person.RegisterPerson{NRP: "75020002", Nama: "Ani", ClientID: "POLRES_A", Email: "ani@polri.go.id"}))
	mustOK(clients.RegisterClient(ctx, commands.Meta{}, client.RegisterClient{ClientID: "POLDA_X", Nama: "X", ClientType: client.TypePolda}))
	registered := commands.Meta{CommandID: newID()}
	first, err := people.RegisterPerson(ctx, registered, person.RegisterPerson{NRP: "75020003", Nama: "Citra"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.pool.Exec(ctx, `DELETE FROM command_log WHERE command_id = $1`, registered.CommandID); err != nil {
		t.Fatal(err)
	}

	// The stale read is certain: a fresh store's load is behind the leader.
	probe := testkit.MustStore(t, e.nats.Conn)
	_, stale, err := probe.Load(ctx, events.PersonSubject("75020001"))
	if err != nil {
		t.Fatal(err)
	}
	if leader, err := probe.LeaderVersion(ctx, events.PersonSubject("75020001")); err != nil || leader <= stale {
		t.Fatalf("direct get saw %d, leader %d (%v): the replica is not behind", stale, leader, err)
	}

	fresh := func() *commands.Runtime {
		return commands.NewRuntime(testkit.MustStore(t, e.nats.Conn), commands.NewPGCommandLog(e.pool), testkit.Logger(t))
	}
	for _, tc := range []struct {
		name   string
		stream string
		run    func(rt *commands.Runtime) (commands.Outcome, error)
		want   commands.Outcome // when set: this earlier append, nothing new
	}{
		{"grant a role revoked meanwhile (stale: already held, no-op)", "DIRECTORY", func(rt *commands.Runtime) (commands.Outcome, error) {
			return person.NewHandlers(rt).GrantRole(ctx, commands.Meta{}, person.GrantRole{NRP: "75020001", Role: "ditbinmas"})
		}, commands.Outcome{}},
		{"claim by a person registered meanwhile (stale: NotFound)", "ACCESS", func(rt *commands.Runtime) (commands.Outcome, error) {
			return claim.NewHandlers(rt).RequestOTP(ctx, commands.Meta{}, claim.RequestOTP{NRP: "75020002", Email: "ani@polri.go.id",
				ExpiresAt: time.Now().Add(time.Hour)})
		}, commands.Outcome{}},
		{"client under a parent registered meanwhile (stale: Invalid parent)", "DIRECTORY", func(rt *commands.Runtime) (commands.Outcome, error) {
			return client.NewHandlers(rt).RegisterClient(ctx, commands.Meta{}, client.RegisterClient{ClientID: "POLRES_X", Nama: "X",
				ParentClientID: "POLDA_X"})
		}, commands.Outcome{}},
		{"retry of a registration whose log row was lost (stale: not registered)", "DIRECTORY", func(rt *commands.Runtime) (commands.Outcome, error) {
			return person.NewHandlers(rt).RegisterPerson(ctx, registered, person.RegisterPerson{NRP: "75020003", Nama: "Citra"})
		}, first},
	} {
		t.Run(tc.name, func(t *testing.T) {
			head, err := e.nats.Store.StreamHead(ctx, tc.stream)
			if err != nil {
				t.Fatal(err)
			}
			out, err := tc.run(fresh())
			if err != nil {
				t.Fatalf("decided on the stale replica: %v", err)
			}
			if tc.want.CommandID != "" {
				if d := cmp.Diff(tc.want, out, sameAppend); d != "" || e.head(t) != head {
					t.Fatalf("retry (head %d → %d) answered another outcome than the first (-first +got):\n%s", head, e.head(t), d)
				}
				return
			}
			if len(out.Appended) != 1 || out.Appended[0].Sequence != head+1 {
				t.Fatalf("outcome %+v, want one append after %d", out, head)
			}
		})
	}
}
