package person_test

import (
	"slices"
	"testing"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/auth"
)

const msgHumasUnknown = "role humas tidak dikenal; role yang tersedia: operator, ditbinmas, ditlantas, bidhumas, ditsamapta, ditintelkam"

// The roles a person can be given are a closed set (issue 8 §6): every
// command that gives a role refuses any other name and appends nothing.
func TestRolesAreAClosedSet(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRegister("75020001", "operator")
	h.mustRegister("75020002", "operator")
	h.do(1)(h.h.Deactivate(ctx(t), commands.Meta{}, person.Deactivate{NRP: "75020002"}))
	for _, tc := range []struct {
		name  string
		field string
		run   func() (commands.Outcome, error)
	}{
		{"register", "roles", func() (commands.Outcome, error) {
			return h.h.RegisterPerson(ctx(t), commands.Meta{}, person.RegisterPerson{NRP: "75020003", Nama: "BARU",
				ClientID: "POLRES_A", Roles: []string{"operator", "Humas"}})
		}},
		{"grant", "role", func() (commands.Outcome, error) {
			return h.h.GrantRole(ctx(t), commands.Meta{}, person.GrantRole{NRP: "75020001", Role: " HUMAS "})
		}},
		{"reactivate-reset", "roles", func() (commands.Outcome, error) {
			return h.h.Reactivate(ctx(t), commands.Meta{}, person.Reactivate{NRP: "75020002", ResetRoles: []string{"humas"}})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := h.head()
			out, err := tc.run()
			wantRejected(t, out, err, apperr.Invalid, tc.field, msgHumasUnknown)
			if h.head() != before {
				t.Fatal("refused command appended")
			}
		})
	}
}

// A role imported from the legacy open set can still be revoked.
func TestRevokeImportedRole(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRegister("75020001", "operator")
	subject := events.PersonSubject("75020001")
	_, v, err := h.n.Store.Load(ctx(t), subject)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.n.Store.AppendAtomic(ctx(t), events.Meta{}, []events.Commit{{Subject: subject, AggregateID: "75020001",
		Expected: v, Events: []events.Payload{events.PersonRoleGranted{NRP: "75020001", Role: "satker_khusus"}}}}); err != nil {
		t.Fatalf("import an ad-hoc role: %v", err)
	}
	h.do(1)(h.h.RevokeRole(ctx(t), commands.Meta{}, person.RevokeRole{NRP: "75020001", Role: "SATKER_KHUSUS"}))
	h.do(1)(h.h.Deactivate(ctx(t), commands.Meta{}, person.Deactivate{NRP: "75020001", Role: "operator"}))
}

// KnownRoles is operator plus the directorates internal/auth branches on.
func TestKnownRolesMatchAuth(t *testing.T) {
	want := append([]string{auth.RoleOperator}, auth.DirectorateRoles...)
	if !slices.Equal(person.KnownRoles, want) {
		t.Fatalf("person.KnownRoles = %v, want %v", person.KnownRoles, want)
	}
}
