package access_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.uber.org/goleak"
	"golang.org/x/crypto/bcrypt"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/commands/penmasuser"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/internal/waid"
	"github.com/cicero/cicero/sagas"
	"github.com/cicero/cicero/sagas/access"
	"github.com/cicero/cicero/sagas/sagatest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	adminA = "628111000001@s.whatsapp.net"
	adminB = "628111000002@s.whatsapp.net"
)

// admins is ADMIN_WHATSAPP as serve reads it (waid.Admins): two spellings
// of two numbers and one entry that is no number.
var admins = waid.Admins("08111000001, 628111000002@c.us, bad")

type rig struct {
	t      *testing.T
	n      *testkit.NATS
	pool   *pgxpool.Pool
	users  *dashuser.Handlers
	penmas *penmasuser.Handlers
}

func newRig(t *testing.T) *rig {
	t.Helper()
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	rt := commands.NewRuntime(n.Store, commands.NewPGCommandLog(pool), testkit.Logger(t))
	for _, c := range []client.RegisterClient{{ClientID: "POLRES_A", Nama: "POLRES A"}, {ClientID: "POLRES_B", Nama: "POLRES B"}} {
		if _, err := client.NewHandlers(rt).RegisterClient(bg(t), commands.Meta{}, c); err != nil {
			t.Fatal(err)
		}
	}
	return &rig{t: t, n: n, pool: pool, users: dashuser.NewHandlers(rt, dashuser.WithHashCost(bcrypt.MinCost)),
		penmas: penmasuser.NewHandlers(rt, penmasuser.WithHashCost(bcrypt.MinCost))}
}

func bg(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

func (r *rig) register(cmd dashuser.RegisterDashboardUser) string {
	r.t.Helper()
	cmd.Password = "rahasia123"
	id, _, err := r.users.RegisterDashboardUser(bg(r.t), commands.Meta{Actor: "test"}, cmd)
	if err != nil {
		r.t.Fatalf("register %s: %v", cmd.Username, err)
	}
	return id
}

var admin = commands.Meta{Actor: "admin-1"}

func (r *rig) must(_ commands.Outcome, err error) {
	r.t.Helper()
	if err != nil {
		r.t.Fatal(err)
	}
}

// Registration, approval and rejection through the real commands: the
// registrant and the admins get the legacy texts at their user JIDs; an
// account created already approved, and one without a usable number, get
// nothing; a crash-and-replay sends nothing twice.
func TestDashboardNotices(t *testing.T) {
	r := newRig(t)
	budi := r.register(dashuser.RegisterDashboardUser{Username: "budi", WhatsApp: "0812-3456-7890", ClientIDs: []string{"POLRES_A"}})
	siti := r.register(dashuser.RegisterDashboardUser{Username: "Siti", WhatsApp: "6281298765432", Role: "operator",
		ClientIDs: []string{"POLRES_A", "POLRES_B"}})
	// Registered by e-mail only: no WhatsApp to tell, the admins still asked.
	mail := r.register(dashuser.RegisterDashboardUser{Username: "surel", Email: "surel@polri.test", ClientIDs: []string{"POLRES_B"}})
	if _, _, err := r.users.CreateDashboardUser(bg(t), admin, dashuser.CreateDashboardUser{Username: "dibuat", Password: "rahasia123",
		Role: "operator", WhatsApp: "081200001111", ClientIDs: []string{"POLRES_A"}, ActorRole: dashuser.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	r.must(r.users.ApproveDashboardUser(bg(t), admin, dashuser.ApproveDashboardUser{DashboardUserID: budi, ActorRole: dashuser.RoleAdmin}))
	r.must(r.users.RejectDashboardUser(bg(t), admin, dashuser.RejectDashboardUser{DashboardUserID: siti, ActorRole: dashuser.RoleAdmin}))
	r.must(r.users.ApproveDashboardUser(bg(t), admin, dashuser.ApproveDashboardUser{DashboardUserID: mail, ActorRole: dashuser.RoleAdmin}))

	users := access.DashboardNotice(r.n.Store)
	sagatest.RunToHeads(t, r.pool, r.n.Store, users)
	received := "📋 Permintaan registrasi dashboard Anda telah diterima dan menunggu persetujuan admin."
	want := map[string][]string{
		"6281234567890@s.whatsapp.net": {received, "✅ Registrasi dashboard Anda telah disetujui.\nUsername: budi"},
		"6281298765432@s.whatsapp.net": {received, "❌ Registrasi dashboard Anda ditolak.\nUsername: Siti"},
	}
	rows := sagatest.Rows(t, r.pool, users.Name)
	if d := cmp.Diff(sagatest.Sorted(want), sagatest.Texts(rows)); d != "" {
		t.Errorf("user notices (-want +got):\n%s", d)
	}
	for _, row := range rows {
		if row.Channel != sagas.ChannelWhatsApp || row.Content.Session != sagas.SessionMain {
			t.Errorf("row %+v: want WhatsApp from the main session", row)
		}
	}

	sagatest.ReplaySendsNothingTwice(t, r.pool, r.n.Store, users, 4)

	adm := access.RegistrationAdminNotice(r.n.Store, admins)
	sagatest.RunToHeads(t, r.pool, r.n.Store, adm)
	ask := func(u, id, wa, email, clients string) string {
		s := "📋 Permintaan User Approval dengan data sebagai berikut :\nUsername: " + u + "\nID: " + id +
			"\nRole: operator\nWhatsApp: " + wa
		if email != "" {
			s += "\nEmail: " + email
		}
		return s + "\nClient ID: " + clients + "\n\nBalas approvedash#" + u + " untuk menyetujui atau denydash#" + u + " untuk menolak."
	}
	asks := []string{ask("budi", budi, "6281234567890", "", "POLRES_A"), ask("Siti", siti, "6281298765432", "", "POLRES_A, POLRES_B"),
		ask("surel", mail, "-", "surel@polri.test", "POLRES_B")}
	if d := cmp.Diff(sagatest.Sorted(map[string][]string{adminA: asks, adminB: asks}), sagatest.Texts(sagatest.Rows(t, r.pool, adm.Name))); d != "" {
		t.Errorf("admin notices (-want +got):\n%s", d)
	}
	sagatest.ReplaySendsNothingTwice(t, r.pool, r.n.Store, adm, 6)
}

// Dashboard and Penmas logins reach every admin with the account's name,
// role, clients and the login's Jakarta time; without admins nothing is due.
func TestLoginNotices(t *testing.T) {
	r := newRig(t)
	id, _, err := r.users.CreateDashboardUser(bg(t), admin, dashuser.CreateDashboardUser{Username: "budi", Password: "rahasia123",
		Role: "operator", ClientIDs: []string{"POLRES_B", "POLRES_A"}, ActorRole: dashuser.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	one, _, err := r.users.CreateDashboardUser(bg(t), admin, dashuser.CreateDashboardUser{Username: "ani", Password: "rahasia123",
		Role: "operator", ClientIDs: []string{"POLRES_A"}, ActorRole: dashuser.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	pid, _, err := r.penmas.Register(bg(t), commands.Meta{}, penmasuser.Register{Username: "penulis1", Password: "rahasia123", Role: "validator"})
	if err != nil {
		t.Fatal(err)
	}
	// A fixed instant: the expected "Waktu" is written out, not computed
	// by the formatter under test (02:05:07 UTC is 09.05.07 in Jakarta).
	at := time.Date(2026, 12, 3, 2, 5, 7, 0, time.UTC)
	r.must(r.users.RecordLogin(bg(t), commands.Meta{}, dashuser.RecordLogin{DashboardUserID: id, At: at}))
	r.must(r.users.RecordLogin(bg(t), commands.Meta{}, dashuser.RecordLogin{DashboardUserID: one, At: at}))
	r.must(r.penmas.RecordLogin(bg(t), commands.Meta{}, penmasuser.RecordLogin{UserID: pid, At: at}))

	s := access.LoginNotice(r.n.Store, admins)
	sagatest.RunToHeads(t, r.pool, r.n.Store, s)
	when := "\nWaktu: 3/12/2026, 09.05.07"
	texts := []string{
		"🔑 Login dashboard: budi (operator)\nClient IDs: POLRES_A, POLRES_B" + when,
		"🔑 Login dashboard: ani (operator)\nClient ID: POLRES_A" + when,
		"🔑 Login Penmas: penulis1 (validator)" + when,
	}
	if d := cmp.Diff(sagatest.Sorted(map[string][]string{adminA: texts, adminB: texts}), sagatest.Texts(sagatest.Rows(t, r.pool, s.Name))); d != "" {
		t.Errorf("login notices (-want +got):\n%s", d)
	}
	// Later history changes what a decision from today's state would
	// say, to the same admins: a replay must still say what was true at
	// each login (ReplaySendsNothingTwice decides afresh and compares).
	r.must(r.users.AssignClients(bg(t), admin, dashuser.AssignClients{DashboardUserID: one, ClientIDs: []string{"POLRES_A", "POLRES_B"},
		ActorRole: dashuser.RoleAdmin}))
	sagatest.ReplaySendsNothingTwice(t, r.pool, r.n.Store, s, 6)

	// No admins configured: the saga passes the logins and writes nothing.
	none := access.LoginNotice(r.n.Store, nil)
	none.Name = "access-login-notice-without-admins"
	sagatest.RunToHeads(t, r.pool, r.n.Store, none)
	if rows := sagatest.Rows(t, r.pool, none.Name); len(rows) != 0 {
		t.Errorf("without admins: %d rows", len(rows))
	}
}
