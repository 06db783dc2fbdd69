package dashuser_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/crypto/bcrypt"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
)

const (
	msgRequired = "username, password, dan whatsapp atau email wajib diisi"
	msgEmail    = "Format email tidak valid. Pastikan menulis alamat lengkap seperti nama@contoh.com"
)

func TestRegisterValidation(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	taken := h.mustRegister("Budi.Op")
	cases := []struct {
		name  string
		edit  func(*dashuser.RegisterDashboardUser)
		code  apperr.Code
		field string
		msg   string
	}{
		{"username blank", func(c *dashuser.RegisterDashboardUser) { c.Username = "  " }, apperr.Invalid, "username", msgRequired},
		{"password blank", func(c *dashuser.RegisterDashboardUser) { c.Password = "" }, apperr.Invalid, "password", msgRequired},
		{"no contact", func(c *dashuser.RegisterDashboardUser) { c.WhatsApp, c.Email = " ", "" }, apperr.Invalid, "whatsapp", msgRequired},
		{"username control", func(c *dashuser.RegisterDashboardUser) { c.Username = "budi\nop" }, apperr.Invalid, "username", "username tidak valid"},
		{"username long", func(c *dashuser.RegisterDashboardUser) { c.Username = strings.Repeat("é", 101) }, apperr.Invalid, "username", "username maksimal 100 karakter"},
		{"whatsapp short", func(c *dashuser.RegisterDashboardUser) { c.WhatsApp = "0812-34" }, apperr.Invalid, "whatsapp", "whatsapp tidak valid"},
		{"email", func(c *dashuser.RegisterDashboardUser) { c.Email = "budi@polri" }, apperr.Invalid, "email", msgEmail},
		{"password short", func(c *dashuser.RegisterDashboardUser) { c.Password = "1234567" }, apperr.Invalid, "password", "password minimal 8 karakter"},
		{"password long", func(c *dashuser.RegisterDashboardUser) { c.Password = strings.Repeat("x", 73) }, apperr.Invalid, "password", "password maksimal 72 karakter"},
		{"role admin", func(c *dashuser.RegisterDashboardUser) { c.Role = " Admin " }, apperr.Invalid, "role", "role tidak valid"},
		{"role unknown", func(c *dashuser.RegisterDashboardUser) { c.Role = "penulis" }, apperr.Invalid, "role", "role tidak valid"},
		{"role chars", func(c *dashuser.RegisterDashboardUser) { c.Role = "dit binmas" }, apperr.Invalid, "role", "role tidak valid"},
		{"operator without clients", func(c *dashuser.RegisterDashboardUser) { c.ClientIDs = []string{" ", ""} }, apperr.Invalid, "client_ids", "minimal satu client harus dipilih"},
		{"unknown client", func(c *dashuser.RegisterDashboardUser) { c.ClientIDs = []string{"polres_a", "polres_x"} }, apperr.Invalid, "client_ids", "client_id tidak ditemukan"},
		{"id not a uuid", func(c *dashuser.RegisterDashboardUser) { c.DashboardUserID = "budi" }, apperr.Invalid, "dashboard_user_id", "dashboard_user_id tidak valid"},
		{"id taken", func(c *dashuser.RegisterDashboardUser) { c.DashboardUserID = strings.ToUpper(taken) }, apperr.Conflict, "dashboard_user_id", "dashboard_user_id sudah terdaftar"},
		{"username taken, other case", func(c *dashuser.RegisterDashboardUser) { c.Username = " BUDI.op " }, apperr.Conflict, "username", "username sudah terpakai"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := h.head()
			cmd := validRegistration("Siti.Op")
			c.edit(&cmd)
			_, out, err := h.h.RegisterDashboardUser(ctx(t), commands.Meta{}, cmd)
			wantRejected(t, out, err, c.code, c.field, c.msg)
			if after := h.head(); after != before {
				t.Fatalf("stream moved from %d to %d", before, after)
			}
		})
	}
	if evs := h.events(events.UsernameSubject("siti.op")); len(evs) != 0 {
		t.Fatalf("refused registrations reserved the name: %v", evs)
	}
	if n := len(h.events(events.DashboardUserSubject(taken))); n != 1 {
		t.Fatalf("refusals changed the first account: %d events", n)
	}
}

func TestRegisterDashboardUser(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id, out, err := h.h.RegisterDashboardUser(ctx(t), commands.Meta{Actor: "anon"}, dashuser.RegisterDashboardUser{
		Username: "  Budi.Op ", Password: "rahasia123", WhatsApp: "0812 3456 7890", Email: " Budi@Polri.GO.ID ",
		ClientIDs: []string{"polres_b", " POLRES_A", "Polres_B"},
	})
	h.do(2)(out, err)
	h.wantEvents(events.DashboardUserSubject(id), &events.DashboardUserRegistered{
		DashboardUserID: id, Username: "Budi.Op", Role: "operator", WhatsApp: "6281234567890",
		Email: "budi@polri.go.id", ClientIDs: []string{"POLRES_A", "POLRES_B"}, Status: "pending"})
	h.wantEvents(events.UsernameSubject("BUDI.OP"), &events.DashboardUsernameReserved{DashboardUserID: id})
	if out.Appended[0].Sequence != out.Appended[1].Sequence-1 {
		t.Fatalf("user and reservation not in one batch: %+v", out.Appended)
	}

	u := h.user(id)
	if !dashuser.VerifyPassword(u, "rahasia123") || dashuser.VerifyPassword(u, "Rahasia123") {
		t.Fatal("stored hash does not verify the password (and only it)")
	}
	if strings.Contains(u.PasswordHash, "rahasia") {
		t.Fatal("password stored in clear")
	}
	if cost, err := bcrypt.Cost([]byte(u.PasswordHash)); err != nil || cost != bcrypt.MinCost {
		t.Fatalf("hash cost %d (%v), want the configured %d", cost, err, bcrypt.MinCost)
	}
	if u.Approved() || u.Status != events.DashboardStatusPending {
		t.Fatalf("new account status %q", u.Status)
	}

	// A directorate account needs no client; an e-mail alone is a contact.
	id2, out, err := h.h.RegisterDashboardUser(ctx(t), commands.Meta{}, dashuser.RegisterDashboardUser{
		Username: "binmas", Password: "rahasia123", Role: "DITBINMAS", Email: "binmas@polri.go.id"})
	h.do(2)(out, err)
	h.wantEvents(events.DashboardUserSubject(id2), &events.DashboardUserRegistered{
		DashboardUserID: id2, Username: "binmas", Role: "ditbinmas", Email: "binmas@polri.go.id",
		ClientIDs: []string{}, Status: "pending"})

	// An id the caller names is kept in canonical form.
	given := "0190A8A0-0000-7000-8000-0000000000C1"
	id3, out, err := h.h.RegisterDashboardUser(ctx(t), commands.Meta{}, dashuser.RegisterDashboardUser{
		DashboardUserID: given, Username: "lantas", Password: "rahasia123", WhatsApp: "6281111111", Role: "ditlantas"})
	h.do(2)(out, err)
	if id3 != strings.ToLower(given) {
		t.Fatalf("id %q, want %q", id3, strings.ToLower(given))
	}
}

func TestRegisterIdempotent(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	meta := commands.Meta{CommandID: "0190a8a0-0000-7000-8000-0000000000aa"}
	id, first, err := h.h.RegisterDashboardUser(ctx(t), meta, validRegistration("budi"))
	h.do(2)(first, err)
	id2, second, err := h.h.RegisterDashboardUser(ctx(t), meta, validRegistration("budi"))
	if err != nil {
		t.Fatalf("repeat must return the first outcome, got %v", err)
	}
	if id2 != id {
		t.Fatalf("repeat named another account: %s vs %s", id2, id)
	}
	if d := cmp.Diff(first, second); d != "" {
		t.Fatalf("outcomes differ:\n%s", d)
	}

	// Even when the command log lost the outcome, the same command id
	// answers with the append it already made (both commits, at their
	// positions) and appends nothing.
	if _, err := h.pool.Exec(ctx(t), `DELETE FROM command_log WHERE command_id = $1`, meta.CommandID); err != nil {
		t.Fatal(err)
	}
	id3, third, err := h.h.RegisterDashboardUser(ctx(t), meta, validRegistration("budi"))
	h.do(2)(third, err)
	if d := cmp.Diff(first, third, cmpopts.IgnoreFields(events.Appended{}, "Duplicate")); d != "" {
		t.Fatalf("retry after a lost log row answered another outcome:\n%s", d)
	}
	if id3 != id {
		t.Fatalf("retry after a lost log row named another account: %s vs %s", id3, id)
	}
	if n := len(h.events(events.DashboardUserSubject(id))); n != 1 {
		t.Fatalf("%d events, want 1", n)
	}

	// A refusal is an outcome too: the same command id keeps its answer.
	rmeta := commands.Meta{CommandID: "0190a8a0-0000-7000-8000-0000000000bb"}
	_, out, err := h.h.RegisterDashboardUser(ctx(t), rmeta, validRegistration("BUDI"))
	wantRejected(t, out, err, apperr.Conflict, "username", "username sudah terpakai")
	_, out, err = h.h.RegisterDashboardUser(ctx(t), rmeta, validRegistration("another"))
	wantRejected(t, out, err, apperr.Conflict, "username", "username sudah terpakai")
	if evs := h.events(events.UsernameSubject("another")); len(evs) != 0 {
		t.Fatalf("replayed refusal reserved a name: %v", evs)
	}
}

// TestRegisterSameNameConcurrently: ten registrations of one name in
// different cases race; the atomic batch with the reservation lets exactly
// one land.
func TestRegisterSameNameConcurrently(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	names := []string{"budi", "BUDI", "Budi", "bUdi", "buDi", "budI", "BUdi", "buDI", "BuDi", "bUdI"}
	type result struct {
		id  string
		out commands.Outcome
		err error
	}
	results := make([]result, len(names))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, name := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			id, out, err := h.h.RegisterDashboardUser(ctx(t), commands.Meta{}, validRegistration(name))
			results[i] = result{id, out, err}
		}()
	}
	close(start)
	wg.Wait()
	var winner string
	for _, r := range results {
		if r.err == nil {
			if winner != "" {
				t.Fatalf("two registrations won: %s and %s", winner, r.id)
			}
			winner = r.id
			continue
		}
		wantRejected(t, r.out, r.err, apperr.Conflict, "username", "username sudah terpakai")
	}
	if winner == "" {
		t.Fatal("no registration won")
	}
	h.wantEvents(events.UsernameSubject("budi"), &events.DashboardUsernameReserved{DashboardUserID: winner})
	var registered int
	err := h.n.Store.ReadStream(ctx(t), "ACCESS", 1, "access.dashuser.>", func(e events.Envelope) error {
		if e.Type == "DashboardUserRegistered" {
			registered++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if registered != 1 {
		t.Fatalf("%d accounts registered, want 1", registered)
	}
	if got, err := h.h.IDByUsername(ctx(t), " BuDI "); err != nil || got != winner {
		t.Fatalf("IDByUsername = %q, %v; want %q", got, err, winner)
	}
}

func TestIDByUsername(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id := h.mustRegister("Op.Jombang")
	for _, name := range []string{"Op.Jombang", "op.jombang", " OP.JOMBANG "} {
		if got, err := h.h.IDByUsername(ctx(t), name); err != nil || got != id {
			t.Fatalf("IDByUsername(%q) = %q, %v", name, got, err)
		}
	}
	for _, name := range []string{"op.jombang2", "", "op jombang"} {
		_, err := h.h.IDByUsername(ctx(t), name)
		if apperr.CodeOf(err) != apperr.NotFound || apperr.MessageOf(err) != "pengguna dashboard tidak ditemukan" {
			t.Fatalf("IDByUsername(%q): want NotFound, got %v", name, err)
		}
	}
}

func TestCreateDashboardUser(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id, out, err := h.h.CreateDashboardUser(ctx(t), commands.Meta{Actor: "system:cli"}, dashuser.CreateDashboardUser{ActorRole: "admin",
		Username: "Admin", Password: "rahasia123", Role: "ADMIN", ClientIDs: []string{"polres_a"}})
	out = h.do(2)(out, err)
	h.wantEvents(events.DashboardUserSubject(id),
		&events.DashboardUserRegistered{DashboardUserID: id, Username: "Admin", Role: "admin",
			ClientIDs: []string{"POLRES_A"}, Status: "pending"},
		&events.DashboardUserApproved{DashboardUserID: id, By: "system:cli"})
	envs := h.envelopes(events.DashboardUserSubject(id))
	if envs[0].Position != envs[1].Position {
		t.Fatalf("registered and approved in two messages (%d, %d)", envs[0].Position, envs[1].Position)
	}
	if u := h.user(id); !u.Approved() || u.Role != "admin" {
		t.Fatalf("created account: status %q role %q", u.Status, u.Role)
	}

	// No actor: the system approves. The name rules are registration's.
	id2, out, err := h.h.CreateDashboardUser(ctx(t), commands.Meta{}, dashuser.CreateDashboardUser{ActorRole: "admin",
		Username: "penmas_ed", Password: "rahasia123", Role: "penmas_editor"})
	h.do(2)(out, err)
	h.wantEvents(events.DashboardUserSubject(id2),
		&events.DashboardUserRegistered{DashboardUserID: id2, Username: "penmas_ed", Role: "penmas_editor",
			ClientIDs: []string{}, Status: "pending"},
		&events.DashboardUserApproved{DashboardUserID: id2, By: "system"})
	for _, c := range []struct {
		cmd        dashuser.CreateDashboardUser
		code       apperr.Code
		field, msg string
	}{
		{dashuser.CreateDashboardUser{ActorRole: "admin", Username: "ADMIN", Password: "rahasia123", Role: "ditbinmas"}, apperr.Conflict, "username", "username sudah terpakai"},
		{dashuser.CreateDashboardUser{ActorRole: "admin", Username: "op", Password: "rahasia123", Role: "operator"}, apperr.Invalid, "client_ids", "minimal satu client harus dipilih"},
		{dashuser.CreateDashboardUser{ActorRole: "admin", Username: "x", Password: "rahasia123", Role: "a-b"}, apperr.Invalid, "role", "role tidak valid"},
		{dashuser.CreateDashboardUser{ActorRole: "admin", Username: "x", Password: "short", Role: "admin"}, apperr.Invalid, "password", "password minimal 8 karakter"},
		{dashuser.CreateDashboardUser{ActorRole: "operator", Username: "x", Password: "rahasia123", Role: "admin"}, apperr.Forbidden, "", "Forbidden"},
		{dashuser.CreateDashboardUser{Username: "x", Password: "rahasia123", Role: "admin"}, apperr.Forbidden, "", "Forbidden"},
	} {
		_, out, err := h.h.CreateDashboardUser(ctx(t), commands.Meta{}, c.cmd)
		wantRejected(t, out, err, c.code, c.field, c.msg)
	}
}
