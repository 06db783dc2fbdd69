package inbound_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/commands/personnelpremium"
	"github.com/cicero/cicero/commands/post"
	"github.com/cicero/cicero/commands/premium"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/projections/directory"
	"github.com/cicero/cicero/projections/recap"
	"github.com/cicero/cicero/sagas"
	"github.com/cicero/cicero/sagas/inbound/readmodels"
)

// adminRig adds what the admin commands decide on: two pending dashboard
// registrations, an approved directorate user with an open premium
// request, and a personnel premium request.
type adminRig struct {
	*rig
	oprA, oprB, dit, ditB string // dashboard user ids
	subRequest            string // personnel premium request id
}

func newAdminRig(t *testing.T) *adminRig {
	r := &adminRig{rig: newRig(t)}
	r.seed()
	meta := commands.Meta{Actor: "test"}
	reg := func(username, role string) string {
		id, _, err := r.cmds.DashUser.RegisterDashboardUser(bg(), meta, dashuser.RegisterDashboardUser{Username: username,
			Password: "rahasia123", Role: role, WhatsApp: "6281300000001", ClientIDs: []string{"POLRESA"}})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	r.oprA, r.oprB, r.dit, r.ditB = reg("opr_a", "operator"), reg("opr_b", "operator"), reg("dit_a", "ditbinmas"), reg("dit_b", "ditbinmas")
	for _, id := range []string{r.dit, r.ditB} {
		r.must(r.cmds.DashUser.ApproveDashboardUser(bg(), meta, dashuser.ApproveDashboardUser{DashboardUserID: id,
			ActorRole: dashuser.RoleAdmin, By: "test"}))
	}
	r.must(r.cmds.Premium.RequestPremium(bg(), commands.Meta{Actor: r.dit}, premium.RequestPremium{DashboardUserID: r.dit,
		ClientID: "POLRESA", BankName: "BRI", AccountNumber: "123", SenderName: "DIT A", PremiumTier: "tier1"}))
	r.must(r.cmds.Premium.RequestPremium(bg(), commands.Meta{Actor: r.ditB}, premium.RequestPremium{DashboardUserID: r.ditB,
		RequestToken: ditBToken, ClientID: "POLRESA", BankName: "BRI", AccountNumber: "789", SenderName: "DIT B"}))
	out := r.must(r.cmds.PersonnelPremium.RequestPremium(bg(), meta, personnelpremium.RequestPremium{UserID: "75020001",
		SenderName: "BUDI", AccountNumber: "456", BankName: "BNI"}))
	envs, _, err := r.n.Store.Load(bg(), out.Appended[0].Subject)
	if err != nil {
		t.Fatal(err)
	}
	p, err := r.n.Store.Registry().Decode(&envs[len(envs)-1])
	if err != nil {
		t.Fatal(err)
	}
	r.subRequest = p.(*events.PersonnelPremiumRequested).RequestID
	r.settle()
	return r
}

const ditBToken = "0195f3a0-1111-7000-8000-0000000000b2"

// Admin # commands: each from an ADMIN_WHATSAPP number (happy path: the
// command's event with the admin as actor and the exact reply; bad input:
// a clear reply and no event) and from anyone else (refused, no event).
func TestAdminCommands(t *testing.T) {
	r := newAdminRig(t)
	admin := "wa:" + adminNo
	noAccess := []string{"❌ Anda tidak memiliki akses ke sistem ini."}
	clientB := events.ClientSubject("POLRESB")
	for _, tt := range []struct {
		name, from, text string
		subject          string
		want             []string
		events           []string
	}{
		{"addnewclient by a non-admin", personNo, "addnewclient#POLRESB#Polres B", clientB, noAccess, nil},
		{"clientrequest by a non-admin (it was open to anyone)", strangerNo, "clientrequest", clientB, noAccess, nil},
		{"grant access by a non-admin", operatorNo, "grant access#dit_a", events.PremiumSubject(r.dit), noAccess, nil},
		{"approvedash by a non-admin", operatorNo, "approvedash#opr_a", events.DashboardUserSubject(r.oprA), noAccess, nil},
		{"grantsub by a non-admin", personNo, "grantsub#" + r.subRequest, events.PersonnelPremiumSubject("75020001"), noAccess, nil},
		{"addnewclient", adminNo, "addnewclient#polresb#Polres B", clientB,
			[]string{"✅ Client *POLRESB* (Polres B) berhasil ditambahkan."}, []string{"ClientRegistered by " + admin}},
		{"addnewclient twice", adminNo, "addnewclient#POLRESB#Lagi", clientB, []string{"❌ client_id sudah terdaftar"}, nil},
		{"addnewclient without a name", adminNo, "addnewclient#POLRESC", clientB,
			[]string{"Format salah! Gunakan: addnewclient#<client_id>#<nama>"}, nil},
		{"updateclient", adminNo, "updateclient#POLRESB#client_insta#PolresB.IG", clientB,
			[]string{"✅ Client *POLRESB* diperbarui: client_insta = PolresB.IG."}, []string{"ClientUpdated by " + admin}},
		{"updateclient status flag", adminNo, "UpdateClient#polresb#client_insta_status#true", clientB,
			[]string{"✅ Client *POLRESB* diperbarui: client_insta_status = true."}, []string{"ClientUpdated by " + admin}},
		{"updateclient bad boolean", adminNo, "updateclient#POLRESB#client_tiktok_status#mungkin", clientB,
			[]string{"❌ Nilai client_tiktok_status harus true atau false."}, nil},
		{"updateclient unknown field", adminNo, "updateclient#POLRESB#warna#biru", clientB,
			[]string{"❌ Field warna tidak dikenal. Field yang dapat diubah: nama, client_type, client_insta, client_tiktok, " +
				"client_operator, client_group, client_super, regional_id, parent_client_id, client_level, tiktok_secuid, " +
				"client_status, client_insta_status, client_tiktok_status, client_amplify_status."}, nil},
		{"updateclient bad value", adminNo, "updateclient#POLRESB#client_type#kapal", clientB,
			[]string{"❌ client_type tidak valid"}, nil},
		{"updateclient unknown client", adminNo, "updateclient#NOPE#nama#X", events.ClientSubject("NOPE"),
			[]string{"❌ client tidak ditemukan"}, nil},
		{"deactivate", adminNo, "updateclient#POLRESB#client_status#false", clientB,
			[]string{"✅ Client *POLRESB* diperbarui: client_status = false."}, []string{"ClientDeactivated by " + admin}},
		{"clientinfo", adminNo, "clientinfo#polresb", clientB, []string{lines("🏢 *Informasi Client*",
			"*Client ID*: POLRESB", "*Nama*: Polres B", "*Tipe*: org", "*Status*: Nonaktif",
			"*Instagram*: @polresb.ig (Aktif)", "*TikTok*: - (Nonaktif)", "*Amplifikasi*: Nonaktif", "*Operator*: -",
			"*Super Admin*: -", "*Grup*: -", "*Regional*: -", "*Induk*: -", "*Level*: -", "*TikTok SecUID*: -")}, nil},
		{"clientinfo unknown", adminNo, "clientinfo#nope", clientB, []string{"❌ Client *NOPE* tidak ditemukan."}, nil},
		{"removeclient is not offered", adminNo, "removeclient#POLRESB", clientB, []string{
			"❌ removeclient# tidak tersedia: riwayat client tidak dihapus. Nonaktifkan client dengan updateclient#<client_id>#client_status#false."}, nil},
		{"approvedash", adminNo, "approvedash#OPR_A", events.DashboardUserSubject(r.oprA),
			[]string{"✅ Registrasi dashboard *OPR_A* disetujui."}, []string{"DashboardUserApproved by " + admin}},
		{"denydash", adminNo, "denydash#opr_b", events.DashboardUserSubject(r.oprB),
			[]string{"❌ Registrasi dashboard *opr_b* ditolak."}, []string{"DashboardUserRejected by " + admin}},
		{"approvedash unknown user", adminNo, "approvedash#ghost", events.DashboardUserSubject(r.oprA),
			[]string{"❌ Username dashboard *ghost* tidak ditemukan."}, nil},
		{"approvedash without a name", adminNo, "approvedash#", events.DashboardUserSubject(r.oprA),
			[]string{"Format salah! Gunakan: approvedash#<username>"}, nil},
		{"grant access without a name", adminNo, "grant access#", events.PremiumSubject(r.dit),
			[]string{"Format salah! Gunakan: grant access#<username/dashboard_user_id> atau grantdashsub#<token>"}, nil},
		{"grant access with a tier not allowed", adminNo, "grant access#dit_a#gold", events.PremiumSubject(r.dit),
			[]string{"❌ Gagal memproses persetujuan: tier gold tidak diizinkan; gunakan salah satu: tier1, tier2, premium_1"}, nil},
		{"grant access", adminNo, "Grant  Access dit_a", events.PremiumSubject(r.dit),
			[]string{"✅ Request dashboard premium disetujui untuk dit_a."}, []string{"PremiumGranted by " + admin}},
		{"deny access after the grant", adminNo, "deny access#" + r.dit, events.PremiumSubject(r.dit),
			[]string{"❌ Gagal menolak request: Request tidak ditemukan atau sudah tidak aktif"}, nil},
		{"grant access for nobody", adminNo, "grant access#ghost", events.PremiumSubject(r.dit),
			[]string{"❌ Request tidak ditemukan atau sudah tidak aktif."}, nil},
		{"grantdashsub unknown token", adminNo, "grantdashsub#0195f3a0-0000-7000-8000-000000000000", events.PremiumSubject(r.dit),
			[]string{"❌ Request tidak ditemukan atau sudah tidak aktif."}, nil},
		{"grantdashsub without a tier on the request", adminNo, "grantdashsub#" + ditBToken, events.PremiumSubject(r.ditB),
			[]string{"❌ Gagal memproses persetujuan: tier wajib diisi"}, nil},
		{"denydashsub", adminNo, "denydashsub#" + ditBToken, events.PremiumSubject(r.ditB),
			[]string{"❌ Request dashboard premium ditolak untuk dit_b."}, []string{"PremiumRequestRejected by " + admin}},
		{"grantdashsub after the denial", adminNo, "grantdashsub#" + ditBToken + "#Tier2", events.PremiumSubject(r.ditB),
			[]string{"❌ Gagal memproses persetujuan: Request sudah memiliki status denied"}, nil},
		{"grantsub", adminNo, "grantsub#" + r.subRequest, events.PersonnelPremiumSubject("75020001"),
			[]string{"✅ Request " + r.subRequest + " disetujui."}, []string{"PersonnelPremiumGranted by " + admin}},
		{"denysub after the grant", adminNo, "denysub#" + r.subRequest, events.PersonnelPremiumSubject("75020001"),
			[]string{"❌ Request " + r.subRequest + " tidak valid."}, nil},
		{"grantsub unknown", adminNo, "grantsub#abc", events.PersonnelPremiumSubject("75020001"),
			[]string{"❌ Request abc tidak valid."}, nil},
		{"grantsub without an id", adminNo, "grantsub#", events.PersonnelPremiumSubject("75020001"),
			[]string{"Format salah! Gunakan: grantsub#id"}, nil},
	} {
		id := "a-" + tt.name
		before := r.history(tt.subject)
		r.send(sagas.SessionMain, dm(tt.from, id, tt.text))
		got := r.replies(sagas.SessionMain, id)
		diff(t, tt.name+": replies", tt.want, texts(got))
		for _, g := range got {
			if g.To != jid(tt.from) {
				t.Errorf("%s: reply to %s", tt.name, g.To)
			}
		}
		want := tt.events
		if want == nil {
			want = []string{}
		}
		diff(t, tt.name+": events", want, since(before, r.history(tt.subject)))
		// The same message again: nothing more.
		r.send(sagas.SessionMain, dm(tt.from, id, tt.text))
		diff(t, tt.name+": replies after redelivery", tt.want, texts(r.replies(sagas.SessionMain, id)))
		diff(t, tt.name+": events after redelivery", want, since(before, r.history(tt.subject)))
	}
}

// fetch commands run the fetch job (registered in a real scheduler) for
// the client and platform and answer when it starts and when it ends.
func TestAdminFetch(t *testing.T) {
	r := newRig(t)
	r.seed()
	for _, tt := range []struct {
		name, from, text string
		want             []string
		runs             []string
	}{
		{"fetchlikes by a non-admin", operatorNo, "fetchlikes#POLRESA", []string{"❌ Anda tidak memiliki akses ke sistem ini."}, []string{}},
		{"fetchinsta", adminNo, "fetchinsta#polresa", []string{
			"⏳ Fetch Instagram client *POLRESA* dimulai. Hasilnya dikirim setelah selesai.",
			"✅ Fetch Instagram client *POLRESA* selesai.\nposts=2 likes=10"}, []string{"POLRESA/instagram"}},
		{"fetchcomments", adminNo, "fetchcomments#POLRESA", []string{
			"⏳ Fetch TikTok client *POLRESA* dimulai. Hasilnya dikirim setelah selesai.",
			"✅ Fetch TikTok client *POLRESA* selesai.\nposts=2 likes=10"}, []string{"POLRESA/instagram", "POLRESA/tiktok"}},
		{"unknown client", adminNo, "fetchtiktok#NOPE", []string{"❌ Client *NOPE* tidak ditemukan."}, []string{"POLRESA/instagram", "POLRESA/tiktok"}},
		{"no client", adminNo, "fetchinsta#", []string{"Format salah! Gunakan: fetchinsta#<client_id>"}, []string{"POLRESA/instagram", "POLRESA/tiktok"}},
	} {
		id := "f-" + tt.name
		r.send(sagas.SessionMain, dm(tt.from, id, tt.text))
		// The run's end is answered when the job ends.
		testkit.Eventually(t, 10*time.Second, func() error {
			if got := r.replies(sagas.SessionMain, id); len(got) < len(tt.want) {
				return fmt.Errorf("%d replies", len(got))
			}
			return nil
		})
		r.send(sagas.SessionMain, dm(tt.from, id, tt.text)) // redelivered: no second run
		r.idle()
		diff(t, tt.name+": replies", tt.want, texts(r.replies(sagas.SessionMain, id)))
		diff(t, tt.name+": runs", tt.runs, r.fetcher.Runs())
	}
}

// thisgroup# from an admin in a group makes it the client's group; the
// admin hears it privately and the operator is told. Anyone else is
// refused privately, and the group hears nothing.
func TestThisGroup(t *testing.T) {
	r := newRig(t)
	r.seed()
	group := "120363000000000042"
	subject := events.ClientSubject("POLRESA")
	before := r.history(subject)
	r.send(sagas.SessionMain, msg(operatorNo, group, "g1", "thisgroup#POLRESA", true))
	diff(t, "non-admin", []reply{{To: jid(operatorNo), Session: "wa", Text: "❌ Anda tidak memiliki akses ke sistem ini."}},
		r.replies(sagas.SessionMain, "g1"))
	diff(t, "non-admin events", []string{}, since(before, r.history(subject)))

	r.send(sagas.SessionMain, msg(adminNo, group, "g2", "thisgroup#polresa", true))
	diff(t, "admin", []reply{
		{To: jid(adminNo), Session: "wa", Text: "✅ Grup " + group + "@g.us ditetapkan sebagai grup WhatsApp client *POLRESA*."},
		{To: jid(operatorNo), Session: "wa", Text: "ℹ️ Grup WhatsApp client *POLRESA* telah ditetapkan oleh admin."},
	}, r.replies(sagas.SessionMain, "g2"))
	diff(t, "admin events", []string{"ClientUpdated by wa:" + adminNo}, since(before, r.history(subject)))
	c, err := directory.NewQueries(r.pool).Client(bg(), "POLRESA")
	if err != nil || c.ClientGroup != group+"@g.us" {
		t.Fatalf("client group %q (%v)", c.ClientGroup, err)
	}

	r.send(sagas.SessionMain, dm(adminNo, "g3", "thisgroup#POLRESA"))
	diff(t, "private chat", []string{"❌ thisgroup# harus dikirim dari grup WhatsApp client yang dimaksud."},
		texts(r.replies(sagas.SessionMain, "g3")))
	r.send(sagas.SessionMain, msg(personNo, group, "g4", "selamat siang", true))
	diff(t, "group chatter", []string{}, texts(r.replies(sagas.SessionMain, "g4")))
}

// absensilikes#/absensikomentar# answer the client's attendance recap of
// the day from the social read models, in the mode asked for.
func TestAdminAbsensi(t *testing.T) {
	r := newRig(t)
	r.seed()
	published := time.Date(2026, 12, 3, 8, 0, 0, 0, jakarta.Location)
	r.must(r.posts.IngestPost(bg(), commands.Meta{Actor: "test"}, post.IngestPost{Platform: events.PlatformInstagram,
		PostID: "DSa1bCdEf", ClientID: "POLRESA", Account: "polresa", Caption: "Tugas", PublishedAt: published}))
	if _, _, err := r.posts.RecordLikes(bg(), commands.Meta{Actor: "test"}, post.RecordLikes{Platform: events.PlatformInstagram,
		PostID: "DSa1bCdEf", Usernames: []string{"budi.ig"}, ObservedAt: published.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	r.settle()
	recap := readmodels.Absensi{R: recap.New(r.pool)}
	for _, tt := range []struct {
		name, from, text, platform, mode string
		want                             string // when no recap
		contains, lacks                  []string
	}{
		{"non-admin", operatorNo, "absensilikes#POLRESA", "", "", "❌ Anda tidak memiliki akses ke sistem ini.", nil, nil},
		{"likes", adminNo, "absensilikes#polresa", "instagram", "all", "",
			[]string{"*Jumlah Konten:* 1", "https://www.instagram.com/p/DSa1bCdEf", "- BRIPDA BUDI : @budi.ig (1/1 konten)",
				"- AIPDA EKO : @taken.ig (0/1 konten)"}, nil},
		{"likes, belum only", adminNo, "absensilikes#POLRESA#akumulasi#belum", "instagram", "belum", "", []string{"EKO"}, []string{"BUDI"}},
		{"likes, sudah only", adminNo, "absensilikes#POLRESA#sudah", "instagram", "sudah", "", []string{"BUDI"}, []string{"EKO"}},
		{"comments", adminNo, "absensikomentar#POLRESA#sudah", "tiktok", "sudah", "", []string{"POLRES A"}, []string{"BUDI", "EKO"}},
		{"bad mode", adminNo, "absensilikes#POLRESA#kemarin", "", "", "Format salah! Gunakan: absensilikes#<client_id>[#sudah|#belum]", nil, nil},
		{"unknown client", adminNo, "absensikomentar#NOPE", "", "", "❌ Client *NOPE* tidak ditemukan.", nil, nil},
	} {
		id := "ab-" + tt.name
		r.send(sagas.SessionMain, dm(tt.from, id, tt.text))
		got := texts(r.replies(sagas.SessionMain, id))
		want := tt.want
		if tt.platform != "" {
			var err error
			if want, err = recap.Absensi(bg(), "POLRESA", tt.platform, tt.mode, "", r.now); err != nil {
				t.Fatal(err)
			}
		}
		diff(t, tt.name, []string{want}, got)
		for _, s := range tt.contains {
			if !strings.Contains(want, s) {
				t.Errorf("%s: recap lacks %q:\n%s", tt.name, s, want)
			}
		}
		for _, s := range tt.lacks {
			if strings.Contains(want, s) {
				t.Errorf("%s: recap holds %q:\n%s", tt.name, s, want)
			}
		}
	}
}

// savecontact is the admins': it runs the contacts saver once and answers
// when it starts and how it ended.
func TestSaveContact(t *testing.T) {
	r := newRig(t)
	r.seed()
	r.send(sagas.SessionMain, dm(personNo, "sc1", "savecontact"))
	diff(t, "non-admin", []string{"❌ Anda tidak memiliki akses ke sistem ini."}, texts(r.replies(sagas.SessionMain, "sc1")))
	r.send(sagas.SessionMain, dm(adminNo, "sc2", "SaveContact"))
	testkit.Eventually(t, 10*time.Second, func() error {
		if got := r.replies(sagas.SessionMain, "sc2"); len(got) < 2 {
			return fmt.Errorf("%d replies", len(got))
		}
		return nil
	})
	r.send(sagas.SessionMain, dm(adminNo, "sc2", "SaveContact")) // redelivered
	r.idle()
	diff(t, "admin", []string{"⏳ Menyimpan kontak personel ke Google…", "✅ Kontak tersimpan ke Google: 3"},
		texts(r.replies(sagas.SessionMain, "sc2")))
	if n := r.contacts.Runs(); n != 1 {
		t.Errorf("%d saver runs, want 1", n)
	}
}

// A bulk deletion request deactivates the people named and clears their
// numbers, with the sender as actor: from an admin anyone, from a client's
// operator only that client's people (others are answered as unknown);
// anyone else is refused and nothing changes.
func TestBulkDeletion(t *testing.T) {
	r := newRig(t)
	r.seed()
	meta := commands.Meta{Actor: "test"}
	r.must(r.cmds.Client.RegisterClient(bg(), meta, client.RegisterClient{ClientID: "POLRESB", Nama: "POLRES B"}))
	r.must(r.cmds.Person.RegisterPerson(bg(), meta, person.RegisterPerson{NRP: "75030001", Nama: "Joko", ClientID: "POLRESB",
		WhatsApp: "6281100000077", Roles: []string{"operator"}}))
	group := "120363000000000055"
	r.must(r.cmds.Client.UpdateClient(bg(), meta, client.UpdateClient{ClientID: "POLRESA", ClientGroup: ptr(group),
		ActorRole: client.RoleAdmin}))
	r.settle()
	request := lines("Permohonan Penghapusan Data Personil – POLRES A", "1. Budi – 75020001 – mutasi",
		"2. Joko – 75030001 – pensiun", "3. Siapa – 99999999 – salah", "4. Aneh – 12 – salah")
	for _, tt := range []struct {
		name, session, from, chat, id string
		want                          []string
		budi, joko                    []string
	}{
		{"a stranger", sagas.SessionMain, strangerNo, "", "b1", []string{"❌ Anda tidak memiliki akses ke sistem ini."}, nil, nil},
		{"the operator of POLRES A", sagas.SessionMain, operatorNo, "", "b2", []string{lines(
			"📋 Permohonan penghapusan data personil POLRES A diproses.", "✅ Dinonaktifkan (1):", "- BUDI (75020001)",
			"❌ Gagal (3):", "- Joko (75030001): NRP/NIP tidak ditemukan", "- Siapa (99999999): NRP/NIP tidak ditemukan",
			"- Aneh (12): NRP/NIP tidak valid")},
			[]string{"PersonDeactivated by wa:" + operatorNo, "PersonUpdated by wa:" + operatorNo}, nil},
		{"an admin in a group the gateway does not serve", sagas.SessionGateway, adminNo, "120363000000000099", "b3", nil, nil, nil},
		{"an admin in the gateway's client group", sagas.SessionGateway, adminNo, group, "b4", []string{lines(
			"📋 Permohonan penghapusan data personil POLRES A diproses.", "✅ Dinonaktifkan (2):", "- BUDI (75020001)",
			"- JOKO (75030001)", "❌ Gagal (2):", "- Siapa (99999999): NRP/NIP tidak ditemukan", "- Aneh (12): NRP/NIP tidak valid")},
			nil, []string{"PersonDeactivated by wa:" + adminNo, "PersonUpdated by wa:" + adminNo}},
	} {
		budi, joko := r.history(events.PersonSubject("75020001")), r.history(events.PersonSubject("75030001"))
		r.send(tt.session, msg(tt.from, tt.chat, tt.id, request, tt.chat != ""))
		r.send(tt.session, msg(tt.from, tt.chat, tt.id, request, tt.chat != "")) // redelivered
		diff(t, tt.name, tt.want, nilIfEmpty(texts(r.replies(tt.session, tt.id))))
		want := func(w []string) []string {
			if w == nil {
				return []string{}
			}
			return w
		}
		diff(t, tt.name+": Budi", want(tt.budi), since(budi, r.history(events.PersonSubject("75020001"))))
		diff(t, tt.name+": Joko", want(tt.joko), since(joko, r.history(events.PersonSubject("75030001"))))
	}
	p, err := directory.NewQueries(r.pool).Person(bg(), "75030001")
	if err != nil || p.Status || p.WhatsApp != "" {
		t.Fatalf("Joko now %+v (%v)", p, err)
	}
}

// Redelivery stays harmless when the router has forgotten the message id
// (its Redis memory expired or was lost): the commands run again under
// the same command ids and the replies under the same keys, so nothing is
// appended or queued twice.
func TestRedeliveryWithoutSeenMemory(t *testing.T) {
	r := newRig(t)
	r.seed()
	subject := events.ClientSubject("POLRESC")
	for i := 0; i < 2; i++ {
		r.send(sagas.SessionMain, dm(adminNo, "rd1", "addnewclient#POLRESC#Polres C"))
		keys, err := r.rdb.Keys(bg(), r.prefix+"wa:seen:*").Result()
		if err != nil || len(keys) != 1 {
			t.Fatalf("seen keys %v (%v)", keys, err)
		}
		if err := r.rdb.Del(bg(), keys...).Err(); err != nil {
			t.Fatal(err)
		}
	}
	diff(t, "events", []string{"ClientRegistered by wa:" + adminNo}, r.history(subject))
	diff(t, "replies", []string{"✅ Client *POLRESC* (Polres C) berhasil ditambahkan."}, texts(r.replies(sagas.SessionMain, "rd1")))
}
