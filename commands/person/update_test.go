package person_test

import (
	"testing"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
)

func TestUpdatePerson(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	if _, err := h.h.RegisterPerson(ctx(t), commands.Meta{}, person.RegisterPerson{NRP: "75020001", Nama: "Budi",
		Title: "BRIPKA", ClientID: "POLRES_A", WhatsApp: "628123456789", Email: "budi@polri.go.id"}); err != nil {
		t.Fatal(err)
	}
	subj := events.PersonSubject("75020001")
	reg := h.registered("75020001")

	// Only real changes are carried: title and whatsapp equal after normalisation.
	out, err := h.h.UpdatePerson(ctx(t), commands.Meta{}, person.UpdatePerson{NRP: "75020001",
		Nama: ptr("budi s"), Title: ptr(" bripka "), Jabatan: ptr("kanit"), ClientID: ptr("polres_b"),
		WhatsApp: ptr("0812-3456-789"), Email: ptr("")})
	h.do(1)(out, err)
	// The same again changes nothing and appends nothing.
	out, err = h.h.UpdatePerson(ctx(t), commands.Meta{}, person.UpdatePerson{NRP: "75020001",
		Nama: ptr("BUDI S"), Jabatan: ptr("Kanit"), ClientID: ptr("POLRES_B"), Email: ptr(" ")})
	h.do(0)(out, err)
	// Clearing the client is allowed (no client to check).
	out, err = h.h.UpdatePerson(ctx(t), commands.Meta{}, person.UpdatePerson{NRP: "75020001", ClientID: ptr("")})
	h.do(1)(out, err)
	h.wantEvents(subj, reg,
		&events.PersonUpdated{NRP: "75020001", Changes: events.PersonFields{Nama: ptr("BUDI S"),
			Jabatan: ptr("KANIT"), ClientID: ptr("POLRES_B"), Email: ptr("")}},
		&events.PersonUpdated{NRP: "75020001", Changes: events.PersonFields{ClientID: ptr("")}},
	)

	cases := []struct {
		name  string
		cmd   person.UpdatePerson
		code  apperr.Code
		field string
		msg   string
	}{
		{"unknown person", person.UpdatePerson{NRP: "75029999", Nama: ptr("x")}, apperr.NotFound, "user_id", "user tidak ditemukan"},
		{"bad nrp", person.UpdatePerson{NRP: "", Nama: ptr("x")}, apperr.Invalid, "user_id", "nrp wajib diisi"},
		{"unknown client", person.UpdatePerson{NRP: "75020001", ClientID: ptr("polres_x")}, apperr.Invalid, "client_id", "client_id tidak ditemukan"},
		{"blank nama", person.UpdatePerson{NRP: "75020001", Nama: ptr(" ")}, apperr.Invalid, "nama", "nama wajib diisi"},
		{"bad whatsapp", person.UpdatePerson{NRP: "75020001", WhatsApp: ptr("12345")}, apperr.Invalid, "whatsapp", "whatsapp tidak valid"},
		{"bad email", person.UpdatePerson{NRP: "75020001", Email: ptr("budi")}, apperr.Invalid, "email", msgEmail},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := h.head()
			out, err := h.h.UpdatePerson(ctx(t), commands.Meta{}, c.cmd)
			wantRejected(t, out, err, c.code, c.field, c.msg)
			if h.head() != before {
				t.Fatal("rejected update appended")
			}
		})
	}
}

func TestSetHandle(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRegister("75020001")
	subj := events.PersonSubject("75020001")
	want := []events.Payload{h.registered("75020001")}
	steps := []struct {
		platform, in string
		event        *events.PersonHandleChanged // nil: no-op
	}{
		{"instagram", "https://www.instagram.com/Budi.IG/?igsh=x", &events.PersonHandleChanged{NRP: "75020001", Platform: "instagram", Handle: "budi.ig"}},
		{"IG", "@budi.ig", nil},
		{"tiktok", "https://www.tiktok.com/@Budi_TT/video/7312", &events.PersonHandleChanged{NRP: "75020001", Platform: "tiktok", Handle: "budi_tt"}},
		{" TT ", "budi_tt", nil},
		{"insta", "", &events.PersonHandleChanged{NRP: "75020001", Platform: "instagram", Handle: ""}},
		{"instagram", "  ", nil},
	}
	for i, s := range steps {
		out, err := h.h.SetHandle(ctx(t), commands.Meta{}, person.SetHandle{NRP: "75020001", Platform: s.platform, Handle: s.in})
		n := 0
		if s.event != nil {
			n = 1
			want = append(want, s.event)
		}
		if err != nil || len(out.Appended) != n {
			t.Fatalf("step %d: %v, appended %d want %d", i, err, len(out.Appended), n)
		}
	}
	h.wantEvents(subj, want...)

	cases := []struct {
		name  string
		cmd   person.SetHandle
		code  apperr.Code
		field string
		msg   string
	}{
		{"platform", person.SetHandle{NRP: "75020001", Platform: "facebook", Handle: "budi"}, apperr.Invalid, "platform", "platform tidak valid"},
		{"insta chars", person.SetHandle{NRP: "75020001", Platform: "instagram", Handle: "budi!"}, apperr.Invalid, "insta", msgInsta},
		{"insta too long", person.SetHandle{NRP: "75020001", Platform: "instagram", Handle: "abcdefghijklmnopqrstuvwxyz12345"}, apperr.Invalid, "insta", msgInsta},
		{"tiktok too long", person.SetHandle{NRP: "75020001", Platform: "tiktok", Handle: "abcdefghijklmnopqrstuvwxy"}, apperr.Invalid, "tiktok", msgTiktok},
		{"tiktok short link", person.SetHandle{NRP: "75020001", Platform: "tiktok", Handle: "https://vt.tiktok.com/ZS1/"}, apperr.Invalid, "tiktok", msgTiktok},
		{"reserved", person.SetHandle{NRP: "75020001", Platform: "instagram", Handle: "instagram.com/cicero_devs"}, apperr.Invalid, "insta", "username instagram tidak valid"},
		{"unknown person", person.SetHandle{NRP: "75029999", Platform: "instagram", Handle: "x"}, apperr.NotFound, "user_id", "user tidak ditemukan"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := h.head()
			out, err := h.h.SetHandle(ctx(t), commands.Meta{}, c.cmd)
			wantRejected(t, out, err, c.code, c.field, c.msg)
			if h.head() != before {
				t.Fatal("rejected command appended")
			}
		})
	}
}
