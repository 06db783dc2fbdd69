package person_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
)

const (
	msgInsta  = "Format username Instagram tidak valid. Gunakan tautan profil atau username seperti instagram.com/username atau @username."
	msgTiktok = "Format username TikTok tidak valid. Gunakan tautan profil atau username seperti tiktok.com/@username atau @username."
	msgEmail  = "Format email tidak valid. Pastikan menulis alamat lengkap seperti nama@contoh.com"
)

func TestRegisterPersonValidation(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRegister("75020001")
	ok := person.RegisterPerson{NRP: "75020099", Nama: "Budi", ClientID: "POLRES_A"}
	cases := []struct {
		name  string
		edit  func(*person.RegisterPerson)
		code  apperr.Code
		field string
		msg   string
	}{
		{"nrp blank", func(c *person.RegisterPerson) { c.NRP = " " }, apperr.Invalid, "user_id", "nrp wajib diisi"},
		{"nrp no digits", func(c *person.RegisterPerson) { c.NRP = "abc" }, apperr.Invalid, "user_id", "nrp wajib diisi"},
		{"nrp 5 digits", func(c *person.RegisterPerson) { c.NRP = "12.345" }, apperr.Invalid, "user_id", "nrp harus terdiri dari 6-18 digit"},
		{"nrp 19 digits", func(c *person.RegisterPerson) { c.NRP = "1234567890123456789" }, apperr.Invalid, "user_id", "nrp harus terdiri dari 6-18 digit"},
		{"nama blank", func(c *person.RegisterPerson) { c.Nama = "  " }, apperr.Invalid, "nama", "nama wajib diisi"},
		{"whatsapp short", func(c *person.RegisterPerson) { c.WhatsApp = "0812-34" }, apperr.Invalid, "whatsapp", "whatsapp tidak valid"},
		{"email", func(c *person.RegisterPerson) { c.Email = "budi@polri" }, apperr.Invalid, "email", msgEmail},
		{"insta", func(c *person.RegisterPerson) { c.Insta = "budi santoso" }, apperr.Invalid, "insta", msgInsta},
		{"insta post link", func(c *person.RegisterPerson) { c.Insta = "https://instagram.com/p/Cx1/" }, apperr.Invalid, "insta", msgInsta},
		{"insta reserved", func(c *person.RegisterPerson) { c.Insta = "@Cicero_Devs" }, apperr.Invalid, "insta", "username instagram tidak valid"},
		{"tiktok", func(c *person.RegisterPerson) { c.Tiktok = "budi-tt" }, apperr.Invalid, "tiktok", msgTiktok},
		{"tiktok reserved", func(c *person.RegisterPerson) { c.Tiktok = "cicero_devs" }, apperr.Invalid, "tiktok", "username tiktok tidak valid"},
		{"role blank", func(c *person.RegisterPerson) { c.Roles = []string{"operator", " "} }, apperr.Invalid, "roles", "role wajib diisi"},
		{"role chars", func(c *person.RegisterPerson) { c.Roles = []string{"dit binmas"} }, apperr.Invalid, "roles", "role tidak valid"},
		{"unknown client", func(c *person.RegisterPerson) { c.ClientID = "polres_x" }, apperr.Invalid, "client_id", "client_id tidak ditemukan"},
		{"duplicate nrp", func(c *person.RegisterPerson) { c.NRP = "75.020.001" }, apperr.Conflict, "user_id", "nrp sudah terdaftar"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := h.head()
			cmd := ok
			c.edit(&cmd)
			out, err := h.h.RegisterPerson(ctx(t), commands.Meta{}, cmd)
			wantRejected(t, out, err, c.code, c.field, c.msg)
			if after := h.head(); after != before {
				t.Fatalf("stream moved from %d to %d", before, after)
			}
		})
	}
	h.wantEvents(events.PersonSubject("75020099"))
	if n := len(h.events(events.PersonSubject("75020001"))); n != 1 {
		t.Fatalf("duplicate changed the first person: %d events", n)
	}
}

func TestRegisterPerson(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	out, err := h.h.RegisterPerson(ctx(t), commands.Meta{Actor: "user:op"}, person.RegisterPerson{
		NRP: " 75.020-001 ", Nama: " Budi Santoso ", Title: "bripka", Divisi: "Sat Binmas", Jabatan: "ba",
		Desa: "sumberejo", ClientID: " polres_a ", Insta: "https://www.instagram.com/Budi.Santoso/",
		Tiktok: "tiktok.com/@Budi_TT", WhatsApp: "0812 3456 7890", Email: " Budi@Polri.GO.ID ",
		Roles: []string{"Operator", "ditbinmas", "OPERATOR"}, Exception: true, WhatsAppOptIn: true,
	})
	h.do(1)(out, err)
	h.wantEvents(events.PersonSubject("75020001"), &events.PersonRegistered{
		NRP: "75020001", Nama: "BUDI SANTOSO", Title: "BRIPKA", Divisi: "SAT BINMAS", Jabatan: "BA",
		Desa: "SUMBEREJO", ClientID: "POLRES_A", Insta: "budi.santoso", Tiktok: "budi_tt",
		WhatsApp: "6281234567890", Email: "budi@polri.go.id", Roles: []string{"operator", "ditbinmas"},
		Exception: true, WhatsAppOptIn: true,
	})

	// The minimum: no client, no roles (stored as an empty list), nothing optional.
	out, err = h.h.RegisterPerson(ctx(t), commands.Meta{}, person.RegisterPerson{NRP: "198001012005011001", Nama: "siti"})
	h.do(1)(out, err)
	h.wantEvents(events.PersonSubject("198001012005011001"), &events.PersonRegistered{
		NRP: "198001012005011001", Nama: "SITI", Roles: []string{}})
}

func TestPersonIdempotent(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	meta := commands.Meta{CommandID: "0190a8a0-0000-7000-8000-0000000000aa", Actor: "test"}
	cmd := person.RegisterPerson{NRP: "75020001", Nama: "Budi", ClientID: "POLRES_A"}
	first, err := h.h.RegisterPerson(ctx(t), meta, cmd)
	h.do(1)(first, err)
	second, err := h.h.RegisterPerson(ctx(t), meta, cmd)
	if err != nil {
		t.Fatalf("repeat must return the first outcome, got %v", err)
	}
	if d := cmp.Diff(first, second); d != "" {
		t.Fatalf("outcomes differ:\n%s", d)
	}
	if n := len(h.events(events.PersonSubject("75020001"))); n != 1 {
		t.Fatalf("%d events, want 1", n)
	}

	// A refusal is an outcome too: the same command id keeps its answer even
	// after the reason is gone.
	rmeta := commands.Meta{CommandID: "0190a8a0-0000-7000-8000-0000000000bb"}
	rcmd := person.RegisterPerson{NRP: "75020002", Nama: "Ani", ClientID: "POLRES_NEW"}
	out, err := h.h.RegisterPerson(ctx(t), rmeta, rcmd)
	wantRejected(t, out, err, apperr.Invalid, "client_id", "client_id tidak ditemukan")
	if _, err := h.clients.RegisterClient(ctx(t), commands.Meta{}, client.RegisterClient{ClientID: "POLRES_NEW", Nama: "x"}); err != nil {
		t.Fatal(err)
	}
	out, err = h.h.RegisterPerson(ctx(t), rmeta, rcmd)
	wantRejected(t, out, err, apperr.Invalid, "client_id", "client_id tidak ditemukan")
	h.wantEvents(events.PersonSubject("75020002"))
	// A new command id decides afresh.
	out, err = h.h.RegisterPerson(ctx(t), commands.Meta{}, rcmd)
	h.do(1)(out, err)
}
