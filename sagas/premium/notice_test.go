package premium_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.uber.org/goleak"
	"golang.org/x/crypto/bcrypt"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/commands/personnelpremium"
	"github.com/cicero/cicero/commands/premium"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/internal/waid"
	"github.com/cicero/cicero/sagas"
	premiumsaga "github.com/cicero/cicero/sagas/premium"
	"github.com/cicero/cicero/sagas/sagatest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	adminA = "628111000001@s.whatsapp.net"
	adminB = "628111000002@s.whatsapp.net"
)

var admins = waid.Admins("08111000001,628111000002")

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type rig struct {
	t         *testing.T
	n         *testkit.NATS
	pool      *pgxpool.Pool
	clk       *clock
	users     *dashuser.Handlers
	people    *person.Handlers
	premium   *premium.Handlers
	personnel *personnelpremium.Handlers
}

func newRig(t *testing.T) *rig {
	t.Helper()
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	rt := commands.NewRuntime(n.Store, commands.NewPGCommandLog(pool), testkit.Logger(t))
	if _, err := client.NewHandlers(rt).RegisterClient(bg(t), commands.Meta{}, client.RegisterClient{ClientID: "POLRES_A", Nama: "POLRES A"}); err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)}
	return &rig{t: t, n: n, pool: pool, clk: clk, users: dashuser.NewHandlers(rt, dashuser.WithHashCost(bcrypt.MinCost)),
		people: person.NewHandlers(rt), premium: premium.NewHandlers(rt, []string{"tier1"}, clk.now),
		personnel: personnelpremium.NewHandlers(rt, clk.now)}
}

func bg(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

func (r *rig) must(out commands.Outcome, err error) commands.Outcome {
	r.t.Helper()
	if err != nil {
		r.t.Fatal(err)
	}
	return out
}

// user creates an approved dashboard user with a WhatsApp number.
func (r *rig) user(name, wa string) string {
	r.t.Helper()
	id, _, err := r.users.CreateDashboardUser(bg(r.t), commands.Meta{Actor: "admin-1"}, dashuser.CreateDashboardUser{Username: name,
		Password: "rahasia123", Role: "operator", WhatsApp: wa, ClientIDs: []string{"POLRES_A"}, ActorRole: dashuser.RoleAdmin})
	if err != nil {
		r.t.Fatal(err)
	}
	return id
}

// request files a dashboard premium request and returns its token and
// number (the stream position of its PremiumRequested).
func (r *rig) request(id string, cmd premium.RequestPremium) (string, uint64) {
	r.t.Helper()
	cmd.DashboardUserID, cmd.RequestToken = id, uuid.NewString()
	out := r.must(r.premium.RequestPremium(bg(r.t), commands.Meta{Actor: id}, cmd))
	return cmd.RequestToken, out.Appended[0].Sequence
}

var admin = premium.Actor{ID: "admin-1", Role: "admin"}

// The dashboard premium flow through the real commands: every admin gets
// each request's broadcast and each unanswered expiry; the requester gets
// the approval, the denial and the expiry at the request's number; the
// subscriber gets the end of the subscription with its tier and Jakarta
// time. A stale request closed by its owner's new request is not news.
func TestDashboardPremiumNotices(t *testing.T) {
	r := newRig(t)
	budi, siti, ani, dodi := r.user("budi", "081234567890"), r.user("siti", "6281298765432"), r.user("ani", "081200002222"), r.user("dodi", "")
	budiTok, budiNo := r.request(budi, premium.RequestPremium{ClientID: "POLRES_A", BankName: "BRI", AccountNumber: "0123456",
		SenderName: "Budi S", TransferAmount: "150000.5", PremiumTier: "tier1", ProofURL: "https://files.test/bukti.jpg"})
	sitiTok, sitiNo := r.request(siti, premium.RequestPremium{BankName: "BNI", AccountNumber: "999", SenderName: "Siti"})
	aniTok, aniNo := r.request(ani, premium.RequestPremium{BankName: "BCA", AccountNumber: "777", SenderName: "Ani", PremiumTier: "tier1"})
	_, dodiNo := r.request(dodi, premium.RequestPremium{BankName: "BCA", AccountNumber: "555", SenderName: "Dodi"})
	ends := r.clk.now().Add(30 * 24 * time.Hour)
	r.must(r.premium.ApprovePremium(bg(t), commands.Meta{Actor: "admin-1"}, premium.ApprovePremium{DashboardUserID: budi,
		RequestToken: budiTok, ExpiresAt: &ends, By: admin}))
	r.must(r.premium.RejectPremium(bg(t), commands.Meta{Actor: "admin-1"}, premium.RejectPremium{DashboardUserID: siti,
		RequestToken: sitiTok, By: admin}))
	r.clk.advance(31 * 24 * time.Hour)
	r.must(r.premium.ExpirePremium(bg(t), commands.Meta{Actor: "system:test"}, premium.ExpirePremium{DashboardUserID: budi}))
	r.must(r.premium.ExpireRequest(bg(t), commands.Meta{Actor: "system:test"}, premium.ExpireRequest{DashboardUserID: ani, RequestToken: aniTok}))
	// An admin's direct grant answers no request: siti, who has a number
	// and was told of her denial, hears nothing of it.
	if out := r.must(r.premium.GrantPremium(bg(t), commands.Meta{Actor: "admin-1"}, premium.GrantPremium{DashboardUserID: siti,
		Tier: "tier1", Days: 30, By: admin})); len(out.Appended) == 0 {
		t.Fatal("the direct grant appended nothing")
	}
	// dodi's stale request is closed by his new one, in the same message.
	_, dodiNo2 := r.request(dodi, premium.RequestPremium{BankName: "BCA", AccountNumber: "556", SenderName: "Dodi"})

	users := premiumsaga.UserNotice(r.n.Store)
	sagatest.RunToHeads(t, r.pool, r.n.Store, users)
	rows := sagatest.Rows(t, r.pool, users.Name)
	want := map[string][]string{
		"6281234567890@s.whatsapp.net": {
			"✅ Permintaan premium dashboard Anda disetujui. Silakan login ulang untuk memuat hak akses terbaru.",
			// ends is 2026-12-31 02:00 UTC: 09.00 in Jakarta.
			"🔔 Langganan dashboard Anda sudah berakhir.\nPaket *tier1* berakhir pada 31 Desember 2026 pukul 09.00" +
				".\nSilakan hubungi admin untuk memperpanjang akses."},
		"6281298765432@s.whatsapp.net": {"❌ Permintaan premium dashboard Anda ditolak. Silakan hubungi admin untuk informasi lebih lanjut."},
		"6281200002222@s.whatsapp.net": {fmt.Sprintf("⏰ Permintaan premium dashboard Anda kedaluwarsa.\nID: %d\nTier: tier1\n"+
			"Silakan ajukan ulang jika masih memerlukan akses premium.", aniNo)},
	}
	if d := cmp.Diff(sagatest.Sorted(want), sagatest.Texts(rows)); d != "" {
		t.Errorf("requester notices (-want +got):\n%s", d)
	}
	// The legacy sent the expiry messages through the fallback chain, the
	// decisions from the main session.
	for _, row := range rows {
		fallback := strings.HasPrefix(row.Content.Text, "⏰") || strings.HasPrefix(row.Content.Text, "🔔")
		if (row.Content.Session == "") != fallback || row.Channel != sagas.ChannelWhatsApp {
			t.Errorf("row %q: session %q", row.Content.Text, row.Content.Session)
		}
	}
	sagatest.ReplaySendsNothingTwice(t, r.pool, r.n.Store, users, 4)

	adm := premiumsaga.AdminNotice(r.n.Store, admins)
	sagatest.RunToHeads(t, r.pool, r.n.Store, adm)
	broadcast := func(name, id, wa, tier, token, proofState, bank, acct, sender, amount, proof string, no uint64) string {
		return "📢 permintaan akses premium\nUser dashboard:\n- Username: " + name + "\n- WhatsApp: " + wa +
			"\n- Dashboard User ID: " + id + "\nDetail permintaan:\n- Tier: " + tier + "\n- Client ID: POLRES_A" +
			"\n- Username (request): " + name + "\n- Dashboard User ID (request): " + id +
			"\n- Request Token (request): " + token + "\n- Status Bukti Transfer: " + proofState +
			"\nDetail transfer:\n- Bank: " + bank + "\n- Nomor Rekening: " + acct + "\n- Nama Pengirim: " + sender +
			"\n- Jumlah Transfer: " + amount + "\n- Bukti Transfer: " + proof + fmt.Sprintf("\nRequest ID: %d", no) +
			"\nBalas dengan <response pesan grant access#" + name + "> untuk menyetujui atau <response pesan deny access" +
			name + "> untuk menolak."
	}
	none := "belum upload bukti transfer"
	texts := []string{
		broadcast("budi", budi, "6281234567890@c.us", "tier1", budiTok, "sudah upload bukti transfer", "BRI", "0123456",
			"Budi S", "Rp 150.000,5", "https://files.test/bukti.jpg", budiNo),
		broadcast("siti", siti, "6281298765432@c.us", "-", sitiTok, none, "BNI", "999", "Siti", "-", "Belum upload bukti", sitiNo),
		broadcast("ani", ani, "6281200002222@c.us", "tier1", aniTok, none, "BCA", "777", "Ani", "-", "Belum upload bukti", aniNo),
		"⏰ 1 dashboard premium request kedaluwarsa\n- ani (" + aniTok + ")\n  POLRES_A | tier1 | 6281200002222",
	}
	got := sagatest.Texts(sagatest.Rows(t, r.pool, adm.Name))
	// dodi's two requests: two broadcasts (no number: "-"), no expiry line.
	for _, no := range []uint64{dodiNo, dodiNo2} {
		found := false
		for _, s := range got[adminA] {
			if strings.Contains(s, fmt.Sprintf("\nRequest ID: %d\n", no)) && strings.Contains(s, "- WhatsApp: -\n") {
				found = true
			}
		}
		if !found {
			t.Errorf("no broadcast of dodi's request %d", no)
		}
	}
	for _, a := range []string{adminA, adminB} {
		var mine []string
		for _, s := range got[a] {
			if !strings.Contains(s, "- Username: dodi\n") {
				mine = append(mine, s)
			}
		}
		if d := cmp.Diff(sagatest.Sorted(map[string][]string{a: texts})[a], mine); d != "" {
			t.Errorf("admin %s notices (-want +got):\n%s", a, d)
		}
		if len(got[a]) != len(texts)+2 {
			t.Errorf("admin %s: %d notices, want %d", a, len(got[a]), len(texts)+2)
		}
	}

	sagatest.ReplaySendsNothingTwice(t, r.pool, r.n.Store, adm, 2*(len(texts)+2))
}

// person registers a member of personnel with a WhatsApp number ("" none).
func (r *rig) person(nrp, wa string) {
	r.t.Helper()
	r.must(r.people.RegisterPerson(bg(r.t), commands.Meta{Actor: "admin-1"}, person.RegisterPerson{NRP: nrp, Nama: "ANGGOTA " + nrp,
		ClientID: "POLRES_A", WhatsApp: wa}))
}

// personnelRequest files a personnel premium request and returns its id.
func (r *rig) personnelRequest(nrp string, cmd personnelpremium.RequestPremium) string {
	r.t.Helper()
	cmd.UserID = nrp
	meta := commands.Meta{Actor: nrp, CommandID: uuid.NewString()}
	r.must(r.personnel.RequestPremium(bg(r.t), meta, cmd))
	return personnelpremium.RequestIDFor(meta.CommandID)
}

var personnelAdmin = personnelpremium.Actor{ID: "admin-1", Role: "admin"}

// The personnel (mobile) premium flow: the admins hear of a request once
// its transfer screenshot is uploaded, with the grantsub#/denysub# hint;
// the person hears of the grant or denial at the number the directory had
// for him at that moment; a person without a number hears nothing.
func TestPersonnelPremiumNotices(t *testing.T) {
	r := newRig(t)
	r.person("75020001", "081277770001")
	r.person("75020002", "081277770002")
	r.person("75020003", "")
	one := r.personnelRequest("75020001", personnelpremium.RequestPremium{SenderName: "Budi", AccountNumber: "111", BankName: "BRI"})
	shot := "https://files.test/ss.jpg"
	r.must(r.personnel.UpdateRequest(bg(t), commands.Meta{Actor: "75020001"}, personnelpremium.UpdateRequest{UserID: "75020001",
		RequestID: one, ScreenshotURL: &shot}))
	// A later number: the grant goes there, not to the old one.
	newNumber := "081277770009"
	r.must(r.people.UpdatePerson(bg(t), commands.Meta{Actor: "admin-1"}, person.UpdatePerson{NRP: "75020001", WhatsApp: &newNumber}))
	r.must(r.personnel.ApproveRequest(bg(t), commands.Meta{Actor: "admin-1"}, personnelpremium.ApproveRequest{UserID: "75020001",
		RequestID: one, By: personnelAdmin}))
	two := r.personnelRequest("75020002", personnelpremium.RequestPremium{SenderName: "Siti", AccountNumber: "222", BankName: "BNI"})
	r.must(r.personnel.RejectRequest(bg(t), commands.Meta{Actor: "admin-1"}, personnelpremium.RejectRequest{UserID: "75020002",
		RequestID: two, By: personnelAdmin}))
	// A number the directory gains after the denial is not where the
	// denial went.
	later := "081277770022"
	r.must(r.people.UpdatePerson(bg(t), commands.Meta{Actor: "admin-1"}, person.UpdatePerson{NRP: "75020002", WhatsApp: &later}))
	three := r.personnelRequest("75020003", personnelpremium.RequestPremium{SenderName: "Ani", AccountNumber: "333", BankName: "BCA"})
	r.must(r.personnel.ApproveRequest(bg(t), commands.Meta{Actor: "admin-1"}, personnelpremium.ApproveRequest{UserID: "75020003",
		RequestID: three, By: personnelAdmin}))

	users := premiumsaga.UserNotice(r.n.Store)
	sagatest.RunToHeads(t, r.pool, r.n.Store, users)
	want := map[string][]string{
		"6281277770009@s.whatsapp.net": {"✅ Langganan premium Anda aktif."},
		"6281277770002@s.whatsapp.net": {"❌ Permintaan langganan Anda ditolak."},
	}
	if d := cmp.Diff(sagatest.Sorted(want), sagatest.Texts(sagatest.Rows(t, r.pool, users.Name))); d != "" {
		t.Errorf("personnel notices (-want +got):\n%s", d)
	}
	sagatest.ReplaySendsNothingTwice(t, r.pool, r.n.Store, users, 2)

	adm := premiumsaga.AdminNotice(r.n.Store, admins)
	sagatest.RunToHeads(t, r.pool, r.n.Store, adm)
	notice := "🔔 Permintaan subscription\nUser: 75020001\nNama: Budi\nRek: 111\nBank: BRI\nID: " + one +
		"\nBalas grantsub#" + one + " untuk menyetujui atau denysub#" + one + " untuk menolak."
	if d := cmp.Diff(map[string][]string{adminA: {notice}, adminB: {notice}}, sagatest.Texts(sagatest.Rows(t, r.pool, adm.Name))); d != "" {
		t.Errorf("admin notices (-want +got):\n%s", d)
	}
	sagatest.ReplaySendsNothingTwice(t, r.pool, r.n.Store, adm, 2)
}
