package person_test

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
)

func TestRoles(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRegister("75020001", "operator")
	grant := func(role string) (commands.Outcome, error) {
		return h.h.GrantRole(ctx(t), commands.Meta{}, person.GrantRole{NRP: "75020001", Role: role})
	}
	revoke := func(role string) (commands.Outcome, error) {
		return h.h.RevokeRole(ctx(t), commands.Meta{}, person.RevokeRole{NRP: "75020001", Role: role})
	}
	h.do(0)(grant(" OPERATOR ")) // held since registration
	h.do(1)(grant("DitBinmas"))  // new
	h.do(0)(grant("ditbinmas"))  // held
	h.do(1)(grant("ditlantas"))  // new
	h.do(1)(revoke("operator"))  // held
	h.do(0)(revoke("operator"))  // no longer held
	h.do(0)(revoke("bidhumas"))  // never held
	h.wantEvents(events.PersonSubject("75020001"), h.registered("75020001"),
		&events.PersonRoleGranted{NRP: "75020001", Role: "ditbinmas"},
		&events.PersonRoleGranted{NRP: "75020001", Role: "ditlantas"},
		&events.PersonRoleRevoked{NRP: "75020001", Role: "operator"},
	)

	before := h.head()
	out, err := grant("")
	wantRejected(t, out, err, apperr.Invalid, "role", "role wajib diisi")
	out, err = revoke("dit-binmas")
	wantRejected(t, out, err, apperr.Invalid, "role", "role tidak valid")
	out, err = h.h.GrantRole(ctx(t), commands.Meta{}, person.GrantRole{NRP: "75029999", Role: "operator"})
	wantRejected(t, out, err, apperr.NotFound, "user_id", "user tidak ditemukan")
	if h.head() != before {
		t.Fatal("rejected role command appended")
	}
}

// System commands (no expected version) on one person race; each conflict is
// re-decided on fresh state, so every role lands exactly once.
func TestConcurrentRoleGrants(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRegister("75020001")
	n := len(person.KnownRoles)
	var wg sync.WaitGroup
	errs := make(chan error, 2*n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			meta := commands.Meta{Actor: "system:test"}
			role := person.KnownRoles[i]
			if _, err := h.h.GrantRole(ctx(t), meta, person.GrantRole{NRP: "75020001", Role: role}); err != nil {
				errs <- err
			}
			// The same role granted again by another command is a no-op.
			if out, err := h.h.GrantRole(ctx(t), commands.Meta{}, person.GrantRole{NRP: "75020001", Role: role}); err != nil || len(out.Appended) != 0 {
				errs <- fmt.Errorf("repeat grant %s: %v %+v", role, err, out)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	var granted []string
	for _, ev := range h.events(events.PersonSubject("75020001"))[1:] {
		g, ok := ev.(*events.PersonRoleGranted)
		if !ok {
			t.Fatalf("unexpected event %T", ev)
		}
		granted = append(granted, g.Role)
	}
	slices.Sort(granted)
	want := slices.Sorted(slices.Values(person.KnownRoles))
	if !slices.Equal(granted, want) {
		t.Fatalf("granted %v, want %v", granted, want)
	}
}

func TestPersonStaleExpectedVersion(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRegister("75020001")
	_, v, err := h.n.Store.Load(ctx(t), events.PersonSubject("75020001"))
	if err != nil {
		t.Fatal(err)
	}
	stale := v
	h.do(1)(h.h.GrantRole(ctx(t), commands.Meta{ExpectedVersion: &v}, person.GrantRole{NRP: "75020001", Role: "operator"}))
	before := h.head()
	_, err = h.h.GrantRole(ctx(t), commands.Meta{ExpectedVersion: &stale}, person.GrantRole{NRP: "75020001", Role: "ditbinmas"})
	if !errors.Is(err, commands.ErrConflict) || apperr.CodeOf(err) != apperr.Conflict {
		t.Fatalf("want commands.ErrConflict, got %v", err)
	}
	if h.head() != before {
		t.Fatal("stale command appended")
	}
}
