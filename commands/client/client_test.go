package client_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
)

const (
	msgInsta  = "Format username Instagram tidak valid. Gunakan tautan profil atau username seperti instagram.com/username atau @username."
	msgTiktok = "Format username TikTok tidak valid. Gunakan tautan profil atau username seperti tiktok.com/@username atau @username."
)

func TestRegisterClientValidation(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRegister(client.RegisterClient{ClientID: "POLDA_JATIM", Nama: "POLDA JATIM", ClientType: "polda"})
	ok := client.RegisterClient{ClientID: "X_OK", Nama: "X"}
	cases := []struct {
		name  string
		edit  func(*client.RegisterClient)
		code  apperr.Code
		field string
		msg   string
	}{
		{"blank id", func(c *client.RegisterClient) { c.ClientID = "  " }, apperr.Invalid, "client_id", "client_id wajib diisi"},
		{"blank nama", func(c *client.RegisterClient) { c.Nama = " " }, apperr.Invalid, "nama", "nama wajib diisi"},
		{"bad type", func(c *client.RegisterClient) { c.ClientType = "mabes" }, apperr.Invalid, "client_type", "client_type tidak valid"},
		{"bad insta", func(c *client.RegisterClient) { c.ClientInsta = "polres jombang" }, apperr.Invalid, "client_insta", msgInsta},
		{"tiktok link as insta", func(c *client.RegisterClient) { c.ClientInsta = "https://tiktok.com/@x" }, apperr.Invalid, "client_insta", msgInsta},
		{"bad tiktok", func(c *client.RegisterClient) { c.ClientTiktok = "https://www.tiktok.com/video/1" }, apperr.Invalid, "client_tiktok", msgTiktok},
		{"short operator", func(c *client.RegisterClient) { c.ClientOperator = "0812" }, apperr.Invalid, "client_operator", "client_operator tidak valid"},
		{"unknown parent", func(c *client.RegisterClient) { c.ParentClientID = "polda_jabar" }, apperr.Invalid, "parent_client_id", "parent_client_id tidak ditemukan"},
		{"self parent", func(c *client.RegisterClient) { c.ParentClientID = "x_ok" }, apperr.Invalid, "parent_client_id", "parent_client_id tidak valid"},
		{"duplicate", func(c *client.RegisterClient) { c.ClientID = " polda_jatim " }, apperr.Conflict, "client_id", "client_id sudah terdaftar"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := h.head()
			cmd := ok
			c.edit(&cmd)
			out, err := h.h.RegisterClient(ctx(t), commands.Meta{}, cmd)
			wantRejected(t, out, err, c.code, c.field, c.msg)
			if after := h.head(); after != before {
				t.Fatalf("stream moved from %d to %d", before, after)
			}
		})
	}
	h.wantEvents(events.ClientSubject("X_OK"))
}

func TestRegisterClient(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRegister(client.RegisterClient{ClientID: "POLDA_JATIM", Nama: "POLDA JATIM", ClientType: "POLDA"})
	out, err := h.h.RegisterClient(ctx(t), commands.Meta{Actor: "user:1"}, client.RegisterClient{
		ClientID: " polres_jombang ", Nama: " Polres Jombang ", ClientType: " ORG ",
		ClientInsta: "https://www.instagram.com/PolresJombang/", ClientTiktok: "@PolresJombang",
		TiktokStatus: ptr(false), ClientOperator: "0812-3456-7890", ClientGroup: " 1203@g.us ",
		RegionalID: "jatim", ParentClientID: "polda_jatim", ClientLevel: "Premium_1",
		TiktokSecUID: " MS4w ", ClientSuper: " 08123456789, 628987654321 ",
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Appended) != 1 || out.Appended[0].Subject != events.ClientSubject("POLRES_JOMBANG") {
		t.Fatalf("appended %+v", out.Appended)
	}
	h.wantEvents(events.ClientSubject("POLRES_JOMBANG"), &events.ClientRegistered{
		ClientID: "POLRES_JOMBANG", Nama: "Polres Jombang", ClientType: "org",
		ClientInsta: "polresjombang", ClientTiktok: "polresjombang",
		InstaStatus: true, TiktokStatus: false, AmplifyStatus: true,
		ClientOperator: "6281234567890", ClientGroup: "1203@g.us", RegionalID: "JATIM",
		ParentClientID: "POLDA_JATIM", ClientLevel: "Premium_1", TiktokSecUID: "MS4w",
		ClientSuper: "08123456789, 628987654321",
	})
	// Blank type is org; directorates and satker are accepted.
	for id, typ := range map[string]string{"A": "", "DITBINMAS": "Direktorat", "SAT": "satker"} {
		h.mustRegister(client.RegisterClient{ClientID: id, Nama: id, ClientType: typ})
	}
	want := map[string]string{"A": "org", "DITBINMAS": "direktorat", "SAT": "satker"}
	for id, typ := range want {
		got := h.events(events.ClientSubject(id))[0].(*events.ClientRegistered).ClientType
		if got != typ {
			t.Errorf("%s type %q, want %q", id, got, typ)
		}
	}
}

func TestRegisterClientIdempotent(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	meta := commands.Meta{CommandID: "0190a8a0-0000-7000-8000-000000000001", Actor: "test"}
	cmd := client.RegisterClient{ClientID: "BATU", Nama: "Polres Batu"}
	first, err := h.h.RegisterClient(ctx(t), meta, cmd)
	if err != nil {
		t.Fatal(err)
	}
	second, err := h.h.RegisterClient(ctx(t), meta, cmd)
	if err != nil {
		t.Fatalf("repeat must give the first outcome, got %v", err)
	}
	if d := cmp.Diff(first, second); d != "" {
		t.Fatalf("outcomes differ:\n%s", d)
	}
	if n := len(h.events(events.ClientSubject("BATU"))); n != 1 {
		t.Fatalf("%d events, want 1", n)
	}
	// A new command id is a new decision: now a duplicate.
	out, err := h.h.RegisterClient(ctx(t), commands.Meta{}, cmd)
	wantRejected(t, out, err, apperr.Conflict, "client_id", "client_id sudah terdaftar")
}

func TestUpdateClient(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRegister(client.RegisterClient{ClientID: "POLDA", Nama: "Polda"})
	h.mustRegister(client.RegisterClient{ClientID: "RES", Nama: "Polres", ParentClientID: "POLDA",
		ClientInsta: "res", ClientOperator: "628111222333"})
	subj := events.ClientSubject("RES")

	// Only what really changes is carried; equal values after normalisation are dropped.
	out, err := h.h.UpdateClient(ctx(t), commands.Meta{}, client.UpdateClient{ActorRole: client.RoleAdmin, ClientID: "res",
		Nama: ptr("Polres Baru"), ClientInsta: ptr("@RES"), ClientOperator: ptr("0811-1222-333"),
		InstaStatus: ptr(true), AmplifyStatus: ptr(false), RegionalID: ptr("jatim"), ClientType: ptr("DIREKTORAT")})
	if err != nil || len(out.Appended) != 1 {
		t.Fatalf("update: %v %+v", err, out)
	}
	// Nothing changes: nothing appended.
	out, err = h.h.UpdateClient(ctx(t), commands.Meta{}, client.UpdateClient{ActorRole: client.RoleAdmin, ClientID: "RES",
		Nama: ptr(" Polres Baru "), AmplifyStatus: ptr(false), ParentClientID: ptr("polda")})
	if err != nil || len(out.Appended) != 0 || out.Rejected != nil {
		t.Fatalf("no-op update: %v %+v", err, out)
	}
	// Clearing the parent is a change.
	if _, err := h.h.UpdateClient(ctx(t), commands.Meta{}, client.UpdateClient{ActorRole: client.RoleAdmin, ClientID: "RES", ParentClientID: ptr("")}); err != nil {
		t.Fatal(err)
	}
	reg := h.events(subj)[0]
	h.wantEvents(subj, reg,
		&events.ClientUpdated{ClientID: "RES", Changes: events.ClientFields{Nama: ptr("Polres Baru"),
			ClientType: ptr("direktorat"), AmplifyStatus: ptr(false), RegionalID: ptr("JATIM")}},
		&events.ClientUpdated{ClientID: "RES", Changes: events.ClientFields{ParentClientID: ptr("")}},
	)

	cases := []struct {
		name  string
		cmd   client.UpdateClient
		code  apperr.Code
		field string
		msg   string
	}{
		{"unknown client", client.UpdateClient{ActorRole: client.RoleAdmin, ClientID: "NOPE", Nama: ptr("x")}, apperr.NotFound, "client_id", "client tidak ditemukan"},
		{"blank nama", client.UpdateClient{ActorRole: client.RoleAdmin, ClientID: "RES", Nama: ptr("")}, apperr.Invalid, "nama", "nama wajib diisi"},
		{"bad type", client.UpdateClient{ActorRole: client.RoleAdmin, ClientID: "RES", ClientType: ptr("kodim")}, apperr.Invalid, "client_type", "client_type tidak valid"},
		{"bad operator", client.UpdateClient{ActorRole: client.RoleAdmin, ClientID: "RES", ClientOperator: ptr("12")}, apperr.Invalid, "client_operator", "client_operator tidak valid"},
		{"unknown parent", client.UpdateClient{ActorRole: client.RoleAdmin, ClientID: "RES", ParentClientID: ptr("NOPE")}, apperr.Invalid, "parent_client_id", "parent_client_id tidak ditemukan"},
		// Placement and the operator's number are the admins' (issue 8 §6).
		{"operator changes client_operator", client.UpdateClient{ActorRole: "operator", ClientID: "RES", ClientOperator: ptr("0812-9999-0000")},
			apperr.Forbidden, "client_operator", "client_operator hanya dapat diubah oleh admin"},
		{"directorate changes client_level", client.UpdateClient{ActorRole: "ditbinmas", ClientID: "RES", ClientLevel: ptr("premium_3")},
			apperr.Forbidden, "client_level", "client_level hanya dapat diubah oleh admin"},
		{"no role changes parent_client_id", client.UpdateClient{ClientID: "RES", ParentClientID: ptr("POLDA")},
			apperr.Forbidden, "parent_client_id", "parent_client_id hanya dapat diubah oleh admin"},
		{"operator changes regional_id", client.UpdateClient{ActorRole: "operator", ClientID: "RES", RegionalID: ptr("jateng")},
			apperr.Forbidden, "regional_id", "regional_id hanya dapat diubah oleh admin"},
		{"operator changes client_type", client.UpdateClient{ActorRole: "operator", ClientID: "RES", ClientType: ptr("org")},
			apperr.Forbidden, "client_type", "client_type hanya dapat diubah oleh admin"},
		{"operator changes client_super", client.UpdateClient{ActorRole: "operator", ClientID: "RES", Nama: ptr("Lain"), ClientSuper: ptr("x")},
			apperr.Forbidden, "client_super", "client_super hanya dapat diubah oleh admin"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := h.head()
			out, err := h.h.UpdateClient(ctx(t), commands.Meta{}, c.cmd)
			wantRejected(t, out, err, c.code, c.field, c.msg)
			if h.head() != before {
				t.Fatal("rejected update appended")
			}
		})
	}
	// The whole row sent back by a non-admin: the admin-only fields equal
	// the stored ones after normalisation, so only nama changes.
	out, err = h.h.UpdateClient(ctx(t), commands.Meta{}, client.UpdateClient{ActorRole: "operator", ClientID: "RES",
		Nama: ptr("Polres Lagi"), ClientType: ptr(" Direktorat "), ClientOperator: ptr("+62 811 1222 333"), RegionalID: ptr("Jatim"),
		ParentClientID: ptr(""), ClientLevel: ptr(""), ClientSuper: ptr("")})
	if err != nil || len(out.Appended) != 1 {
		t.Fatalf("non-admin update of an unchanged row: %v %+v", err, out)
	}

	// A loop in the hierarchy is refused: POLDA → RES while RES → POLDA.
	if _, err := h.h.UpdateClient(ctx(t), commands.Meta{}, client.UpdateClient{ActorRole: client.RoleAdmin, ClientID: "RES", ParentClientID: ptr("POLDA")}); err != nil {
		t.Fatal(err)
	}
	out, err = h.h.UpdateClient(ctx(t), commands.Meta{}, client.UpdateClient{ActorRole: client.RoleAdmin, ClientID: "POLDA", ParentClientID: ptr("RES")})
	wantRejected(t, out, err, apperr.Invalid, "parent_client_id", "parent_client_id tidak valid")
}

func TestSetClientStatus(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRegister(client.RegisterClient{ClientID: "RES", Nama: "Polres"})
	steps := []struct {
		active   bool
		appended int
	}{{true, 0}, {false, 1}, {false, 0}, {true, 1}}
	for i, s := range steps {
		out, err := h.h.SetClientStatus(ctx(t), commands.Meta{}, client.SetClientStatus{ClientID: " res ", Active: s.active})
		if err != nil || len(out.Appended) != s.appended {
			t.Fatalf("step %d: %v, appended %d want %d", i, err, len(out.Appended), s.appended)
		}
	}
	reg := h.events(events.ClientSubject("RES"))[0]
	h.wantEvents(events.ClientSubject("RES"), reg, &events.ClientDeactivated{ClientID: "RES"}, &events.ClientActivated{ClientID: "RES"})

	out, err := h.h.SetClientStatus(ctx(t), commands.Meta{}, client.SetClientStatus{ClientID: "NOPE"})
	wantRejected(t, out, err, apperr.NotFound, "client_id", "client tidak ditemukan")
}

func TestClientStaleExpectedVersion(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRegister(client.RegisterClient{ClientID: "RES", Nama: "Polres"})
	_, v, err := h.n.Store.Load(ctx(t), events.ClientSubject("RES"))
	if err != nil {
		t.Fatal(err)
	}
	stale := v
	if _, err := h.h.UpdateClient(ctx(t), commands.Meta{ExpectedVersion: &v}, client.UpdateClient{ClientID: "RES", Nama: ptr("A")}); err != nil {
		t.Fatalf("current version must pass: %v", err)
	}
	before := h.head()
	_, err = h.h.UpdateClient(ctx(t), commands.Meta{ExpectedVersion: &stale}, client.UpdateClient{ClientID: "RES", Nama: ptr("B")})
	if !errors.Is(err, commands.ErrConflict) || apperr.CodeOf(err) != apperr.Conflict {
		t.Fatalf("want commands.ErrConflict, got %v", err)
	}
	if h.head() != before {
		t.Fatal("stale command appended")
	}
}
