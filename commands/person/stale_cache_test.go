package person_test

import (
	"slices"
	"testing"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/testkit"
)

// TestDecisionsOnAStaleCache: a second process (its own store, so its own
// cache) changes a person behind the first one's back. The first process's
// next decisions, made from its cached history, must still be right: an
// append conflicts and is re-decided, and a "nothing to change" or a refusal
// made from the cache is checked against the server's history.
func TestDecisionsOnAStaleCache(t *testing.T) {
	h := newHarness(t)
	pool, _ := testkit.NewDatabase(t)
	other := person.NewHandlers(commands.NewRuntime(testkit.MustStore(t, h.n.Conn), commands.NewPGCommandLog(pool), testkit.Logger(t)))
	const nrp = "75020001"
	mustOK := func(_ commands.Outcome, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	mustOK(h.h.RegisterPerson(ctx(t), commands.Meta{}, person.RegisterPerson{NRP: nrp, Nama: "BUDI", ClientID: "POLRES_A", Roles: []string{"operator"}}))
	mustOK(h.h.GrantRole(ctx(t), commands.Meta{}, person.GrantRole{NRP: nrp, Role: "ditbinmas"})) // cached here

	// Behind our back: ditbinmas revoked, title changed.
	mustOK(other.RevokeRole(ctx(t), commands.Meta{}, person.RevokeRole{NRP: nrp, Role: "ditbinmas"}))

	// Our cache still shows ditbinmas held; granting it must not be a no-op.
	out, err := h.h.GrantRole(ctx(t), commands.Meta{}, person.GrantRole{NRP: nrp, Role: "ditbinmas"})
	if err != nil || len(out.Appended) != 1 {
		t.Fatalf("grant on a stale cache: %+v %v, want one PersonRoleGranted", out, err)
	}
	// And an append on the stale cache conflicts, re-decides, lands once.
	mustOK(other.RevokeRole(ctx(t), commands.Meta{}, person.RevokeRole{NRP: nrp, Role: "operator"}))
	mustOK(h.h.GrantRole(ctx(t), commands.Meta{}, person.GrantRole{NRP: nrp, Role: "bidhumas"}))

	var roles []string
	for _, p := range h.events(events.PersonSubject(nrp)) {
		switch e := p.(type) {
		case *events.PersonRegistered:
			roles = append(roles, e.Roles...)
		case *events.PersonRoleGranted:
			roles = append(roles, e.Role)
		case *events.PersonRoleRevoked:
			roles = slices.DeleteFunc(roles, func(r string) bool { return r == e.Role })
		}
	}
	slices.Sort(roles)
	if !slices.Equal(roles, []string{"bidhumas", "ditbinmas"}) {
		t.Fatalf("roles from history = %v, want [bidhumas ditbinmas]", roles)
	}
}
