package person_test

import (
	"testing"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
)

func TestDeactivateReactivate(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRegister("75020001", "operator", "ditbinmas")
	nrp := "75020001"
	deact := func(role string) (commands.Outcome, error) {
		return h.h.Deactivate(ctx(t), commands.Meta{}, person.Deactivate{NRP: nrp, Role: role})
	}
	react := func(roles []string) (commands.Outcome, error) {
		return h.h.Reactivate(ctx(t), commands.Meta{}, person.Reactivate{NRP: nrp, ResetRoles: roles})
	}
	h.do(0)(react(nil))           // already active
	h.do(1)(deact("Operator"))    // one of two roles: only revoked
	out, err := deact("operator") // no longer held: the legacy refusal
	wantRejected(t, out, err, apperr.NotFound, "role", "Role operator tidak ditemukan untuk user")
	h.do(1)(deact("ditbinmas"))          // last role: revoked and deactivated together
	h.do(0)(deact(""))                   // already inactive
	h.do(1)(react([]string{"Operator"})) // reactivated with exactly the requester's role
	h.do(1)(deact(""))                   // plain deactivation keeps roles
	h.do(1)(react(nil))                  // plain reactivation keeps roles
	h.wantEvents(events.PersonSubject(nrp), h.registered(nrp),
		&events.PersonRoleRevoked{NRP: nrp, Role: "operator"},
		&events.PersonRoleRevoked{NRP: nrp, Role: "ditbinmas"},
		&events.PersonDeactivated{NRP: nrp},
		&events.PersonReactivated{NRP: nrp},
		&events.PersonRoleGranted{NRP: nrp, Role: "operator"},
		&events.PersonDeactivated{NRP: nrp},
		&events.PersonReactivated{NRP: nrp},
	)
	// The two events of one command travel in one message.
	envs, _, err := h.n.Store.Load(ctx(t), events.PersonSubject(nrp))
	if err != nil {
		t.Fatal(err)
	}
	if envs[2].Position != envs[3].Position || envs[4].Position != envs[5].Position {
		t.Fatalf("multi-event commands split across messages: %d/%d %d/%d",
			envs[2].Position, envs[3].Position, envs[4].Position, envs[5].Position)
	}

	// Reactivating with a reset revokes what is not wanted.
	h.mustRegister("75020002", "operator", "ditlantas")
	h.do(1)(h.h.Deactivate(ctx(t), commands.Meta{}, person.Deactivate{NRP: "75020002"}))
	h.do(1)(h.h.Reactivate(ctx(t), commands.Meta{}, person.Reactivate{NRP: "75020002", ResetRoles: []string{"ditbinmas"}}))
	evs := h.events(events.PersonSubject("75020002"))
	h.wantEvents(events.PersonSubject("75020002"), evs[0], evs[1],
		&events.PersonReactivated{NRP: "75020002"},
		&events.PersonRoleRevoked{NRP: "75020002", Role: "operator"},
		&events.PersonRoleRevoked{NRP: "75020002", Role: "ditlantas"},
		&events.PersonRoleGranted{NRP: "75020002", Role: "ditbinmas"},
	)

	before := h.head()
	out, err = h.h.Deactivate(ctx(t), commands.Meta{}, person.Deactivate{NRP: "75029999"})
	wantRejected(t, out, err, apperr.NotFound, "user_id", "user tidak ditemukan")
	out, err = h.h.Reactivate(ctx(t), commands.Meta{}, person.Reactivate{NRP: nrp, ResetRoles: []string{"a b"}})
	wantRejected(t, out, err, apperr.Invalid, "roles", "role tidak valid")
	if h.head() != before {
		t.Fatal("rejected command appended")
	}
}

func TestSetException(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRegister("75020001")
	set := func(v bool) (commands.Outcome, error) {
		return h.h.SetException(ctx(t), commands.Meta{}, person.SetException{NRP: "75020001", Exception: v})
	}
	h.do(0)(set(false))
	h.do(1)(set(true))
	h.do(0)(set(true))
	h.do(1)(set(false))
	h.wantEvents(events.PersonSubject("75020001"), h.registered("75020001"),
		&events.PersonExceptionChanged{NRP: "75020001", Exception: true},
		&events.PersonExceptionChanged{NRP: "75020001", Exception: false})
	out, err := h.h.SetException(ctx(t), commands.Meta{}, person.SetException{NRP: "123", Exception: true})
	wantRejected(t, out, err, apperr.Invalid, "user_id", "nrp harus terdiri dari 6-18 digit")
}

func TestSetWhatsAppOptIn(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRegister("75020001") // no WhatsApp number
	if _, err := h.h.RegisterPerson(ctx(t), commands.Meta{}, person.RegisterPerson{NRP: "75020002", Nama: "Ani", WhatsApp: "081234567890"}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		cmd   person.SetWhatsAppOptIn
		code  apperr.Code
		field string
		msg   string
	}{
		{"no number", person.SetWhatsAppOptIn{NRP: "75020001", OptIn: true, WhatsApp: "081234567890"}, apperr.Invalid, "whatsapp", "user belum memiliki nomor WhatsApp yang terdaftar"},
		{"other number", person.SetWhatsAppOptIn{NRP: "75020002", OptIn: true, WhatsApp: "081299999999"}, apperr.Invalid, "whatsapp", "nomor WhatsApp tidak sesuai dengan data user"},
		{"unknown", person.SetWhatsAppOptIn{NRP: "75029999", OptIn: true}, apperr.NotFound, "user_id", "user tidak ditemukan"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := h.head()
			out, err := h.h.SetWhatsAppOptIn(ctx(t), commands.Meta{}, c.cmd)
			wantRejected(t, out, err, c.code, c.field, c.msg)
			if h.head() != before {
				t.Fatal("rejected command appended")
			}
		})
	}
	opt := func(v bool, wa string) (commands.Outcome, error) {
		return h.h.SetWhatsAppOptIn(ctx(t), commands.Meta{}, person.SetWhatsAppOptIn{NRP: "75020002", OptIn: v, WhatsApp: wa})
	}
	h.do(1)(opt(true, "+62 812-3456-7890")) // same number in another spelling
	h.do(0)(opt(true, ""))
	h.do(1)(opt(false, ""))
	h.wantEvents(events.PersonSubject("75020002"), h.registered("75020002"),
		&events.PersonWhatsAppOptInChanged{NRP: "75020002", OptIn: true},
		&events.PersonWhatsAppOptInChanged{NRP: "75020002", OptIn: false})
}
