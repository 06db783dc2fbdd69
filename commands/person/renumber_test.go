package person_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
)

func TestRenumberPerson(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	if _, err := h.h.RegisterPerson(ctx(t), commands.Meta{}, person.RegisterPerson{NRP: "75020001", Nama: "Budi",
		ClientID: "POLRES_A", Insta: "budi", WhatsApp: "08123456789", Roles: []string{"operator"}}); err != nil {
		t.Fatal(err)
	}
	h.do(1)(h.h.Deactivate(ctx(t), commands.Meta{}, person.Deactivate{NRP: "75020001"}))
	h.do(1)(h.h.SetException(ctx(t), commands.Meta{}, person.SetException{NRP: "75020001", Exception: true}))
	oldEvents := h.events(events.PersonSubject("75020001"))

	out := h.do(2)(h.h.RenumberPerson(ctx(t), commands.Meta{}, person.RenumberPerson{OldNRP: "75020001", NewNRP: "85.020.001"}))
	if out.Appended[0].Subject != events.PersonSubject("75020001") || out.Appended[1].Subject != events.PersonSubject("85020001") {
		t.Fatalf("appended to %s and %s", out.Appended[0].Subject, out.Appended[1].Subject)
	}
	moved := &events.PersonRenumbered{OldNRP: "75020001", NewNRP: "85020001", Person: events.PersonSnapshot{
		Active: false, PersonRegistered: events.PersonRegistered{NRP: "85020001", Nama: "BUDI", ClientID: "POLRES_A",
			Insta: "budi", WhatsApp: "628123456789", Roles: []string{"operator"}, Exception: true}}}
	h.wantEvents(events.PersonSubject("75020001"), append(oldEvents, moved)...)
	h.wantEvents(events.PersonSubject("85020001"), moved)

	// The old aggregate has moved and refuses; the new one carries on from the snapshot.
	before := h.head()
	r, err := h.h.GrantRole(ctx(t), commands.Meta{}, person.GrantRole{NRP: "75020001", Role: "ditbinmas"})
	wantRejected(t, r, err, apperr.NotFound, "user_id", "user tidak ditemukan: nrp telah diganti menjadi 85020001")
	r, err = h.h.RenumberPerson(ctx(t), commands.Meta{}, person.RenumberPerson{OldNRP: "75020001", NewNRP: "95020001"})
	wantRejected(t, r, err, apperr.NotFound, "user_id", "user tidak ditemukan: nrp telah diganti menjadi 85020001")
	if h.head() != before {
		t.Fatal("moved aggregate appended")
	}
	h.do(0)(h.h.GrantRole(ctx(t), commands.Meta{}, person.GrantRole{NRP: "85020001", Role: "operator"}))
	h.do(0)(h.h.SetException(ctx(t), commands.Meta{}, person.SetException{NRP: "85020001", Exception: true}))
	h.do(1)(h.h.Reactivate(ctx(t), commands.Meta{}, person.Reactivate{NRP: "85020001"}))

	// A renumbering can be undone: the old NRP is free again.
	h.do(2)(h.h.RenumberPerson(ctx(t), commands.Meta{}, person.RenumberPerson{OldNRP: "85020001", NewNRP: "75020001"}))
	h.do(1)(h.h.SetHandle(ctx(t), commands.Meta{}, person.SetHandle{NRP: "75020001", Platform: "tiktok", Handle: "budi"}))
	back := h.events(events.PersonSubject("75020001"))
	snap := back[len(back)-2].(*events.PersonRenumbered).Person
	if !snap.Active || snap.NRP != "75020001" || snap.Insta != "budi" {
		t.Fatalf("snapshot after undo: %+v", snap)
	}
	// …and the NRP moved away from may be registered by someone else.
	h.do(1)(h.h.RegisterPerson(ctx(t), commands.Meta{}, person.RegisterPerson{NRP: "85020001", Nama: "Ani"}))
	h.do(1)(h.h.GrantRole(ctx(t), commands.Meta{}, person.GrantRole{NRP: "85020001", Role: "ditlantas"}))
}

func TestRenumberRefusals(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRegister("75020001")
	h.mustRegister("75020002")
	cases := []struct {
		name  string
		cmd   person.RenumberPerson
		code  apperr.Code
		field string
		msg   string
	}{
		{"new used", person.RenumberPerson{OldNRP: "75020001", NewNRP: "75-020-002"}, apperr.Conflict, "new_user_id", "nrp sudah terdaftar"},
		{"same", person.RenumberPerson{OldNRP: "75020001", NewNRP: " 75020001"}, apperr.Invalid, "new_user_id", "nrp baru sama dengan nrp lama"},
		{"old unknown", person.RenumberPerson{OldNRP: "75029999", NewNRP: "85020001"}, apperr.NotFound, "user_id", "user tidak ditemukan"},
		{"old blank", person.RenumberPerson{OldNRP: "", NewNRP: "85020001"}, apperr.Invalid, "old_user_id", "nrp wajib diisi"},
		{"new short", person.RenumberPerson{OldNRP: "75020001", NewNRP: "85"}, apperr.Invalid, "new_user_id", "nrp harus terdiri dari 6-18 digit"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := h.head()
			out, err := h.h.RenumberPerson(ctx(t), commands.Meta{}, c.cmd)
			wantRejected(t, out, err, c.code, c.field, c.msg)
			if h.head() != before {
				t.Fatal("refused renumbering appended")
			}
		})
	}

	// A user's renumbering decided on a stale version of the old NRP: 409,
	// and neither subject changes.
	_, v, err := h.n.Store.Load(ctx(t), events.PersonSubject("75020001"))
	if err != nil {
		t.Fatal(err)
	}
	stale := v
	h.do(1)(h.h.GrantRole(ctx(t), commands.Meta{}, person.GrantRole{NRP: "75020001", Role: "operator"}))
	before := h.head()
	_, err = h.h.RenumberPerson(ctx(t), commands.Meta{ExpectedVersion: &stale}, person.RenumberPerson{OldNRP: "75020001", NewNRP: "85020001"})
	if !errors.Is(err, commands.ErrConflict) {
		t.Fatalf("want commands.ErrConflict, got %v", err)
	}
	if h.head() != before {
		t.Fatal("stale renumbering appended")
	}
	h.wantEvents(events.PersonSubject("85020001"))
}

// A renumbering into an NRP races a registration of that NRP. Whatever the
// interleaving, exactly one wins, and a renumbering is on both subjects or
// on neither.
func TestRenumberRacesRegistration(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const rounds = 8
	for i := range rounds {
		oldNRP, newNRP := fmt.Sprintf("7502%04d", i), fmt.Sprintf("8502%04d", i)
		h.mustRegister(oldNRP)
		var wg sync.WaitGroup
		var renumErr, regErr error
		wg.Add(2)
		go func() {
			defer wg.Done()
			_, renumErr = h.h.RenumberPerson(ctx(t), commands.Meta{}, person.RenumberPerson{OldNRP: oldNRP, NewNRP: newNRP})
		}()
		go func() {
			defer wg.Done()
			_, regErr = h.h.RegisterPerson(ctx(t), commands.Meta{}, person.RegisterPerson{NRP: newNRP, Nama: "Other"})
		}()
		wg.Wait()
		if (renumErr == nil) == (regErr == nil) {
			t.Fatalf("round %d: renumber err %v, register err %v: exactly one must win", i, renumErr, regErr)
		}
		for _, err := range []error{renumErr, regErr} {
			if err != nil && apperr.CodeOf(err) != apperr.Conflict {
				t.Fatalf("round %d: loser must be refused as a conflict, got %v", i, err)
			}
		}
		oldEvs, newEvs := h.events(events.PersonSubject(oldNRP)), h.events(events.PersonSubject(newNRP))
		_, oldMoved := oldEvs[len(oldEvs)-1].(*events.PersonRenumbered)
		_, newFromMove := newEvs[0].(*events.PersonRenumbered)
		if oldMoved != (renumErr == nil) || newFromMove != (renumErr == nil) || len(newEvs) != 1 {
			t.Fatalf("round %d: old moved %v, new from move %v, %d new events, renumber err %v",
				i, oldMoved, newFromMove, len(newEvs), renumErr)
		}
	}
}
