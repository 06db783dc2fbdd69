package access_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/sagas"
	"github.com/cicero/cicero/sagas/access"
	"github.com/cicero/cicero/sagas/sagatest"
)

// History brought over by the import (the commands it runs, under its
// actor and the old rows' times) sends nothing: the old system sent those
// notices when they happened. What happens to an imported account
// afterwards is news like any other. The same run's own registration is
// told, so the silence is the import's, not a saga that saw nothing.
func TestImportedAccountsAreNotAnnounced(t *testing.T) {
	r := newRig(t)
	hash, err := bcrypt.GenerateFromPassword([]byte("rahasia123"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	imported := func(username, wa string, approved bool) string {
		t.Helper()
		id := uuid.NewString()
		meta := commands.Meta{CommandID: uuid.NewString(), Actor: sagas.ImportActor,
			OccurredAt: time.Date(2024, 5, 1, 3, 0, 0, 0, time.UTC)}
		r.must(r.users.ImportDashboardUser(bg(t), meta, dashuser.ImportDashboardUser{DashboardUserID: id, Username: username,
			PasswordHash: string(hash), Role: "operator", WhatsApp: wa, ClientIDs: []string{"POLRES_A"}, Approved: approved,
			By: sagas.ImportActor}))
		return id
	}
	imported("lama", "081200003333", true)
	pending := imported("tunggu", "081200004444", false)
	baru := r.register(dashuser.RegisterDashboardUser{Username: "baru", WhatsApp: "081200005555", ClientIDs: []string{"POLRES_A"}})
	// An admin answers the imported pending account here: that is news.
	r.must(r.users.ApproveDashboardUser(bg(t), admin, dashuser.ApproveDashboardUser{DashboardUserID: pending, ActorRole: dashuser.RoleAdmin}))

	users := access.DashboardNotice(r.n.Store)
	sagatest.RunToHeads(t, r.pool, r.n.Store, users)
	want := map[string][]string{
		"6281200005555@s.whatsapp.net": {"📋 Permintaan registrasi dashboard Anda telah diterima dan menunggu persetujuan admin."},
		"6281200004444@s.whatsapp.net": {"✅ Registrasi dashboard Anda telah disetujui.\nUsername: tunggu"},
	}
	if d := cmp.Diff(sagatest.Sorted(want), sagatest.Texts(sagatest.Rows(t, r.pool, users.Name))); d != "" {
		t.Errorf("user notices (-want +got):\n%s", d)
	}

	adm := access.RegistrationAdminNotice(r.n.Store, admins)
	sagatest.RunToHeads(t, r.pool, r.n.Store, adm)
	ask := "📋 Permintaan User Approval dengan data sebagai berikut :\nUsername: baru\nID: " + baru +
		"\nRole: operator\nWhatsApp: 6281200005555\nClient ID: POLRES_A\n\nBalas approvedash#baru untuk menyetujui atau denydash#baru untuk menolak."
	if d := cmp.Diff(map[string][]string{adminA: {ask}, adminB: {ask}}, sagatest.Texts(sagatest.Rows(t, r.pool, adm.Name))); d != "" {
		t.Errorf("admin notices (-want +got):\n%s", d)
	}
}
