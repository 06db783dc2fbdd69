package directory

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/projections"
	pt "github.com/cicero/cicero/projections/projectiontest"
)

func ptr[T any](v T) *T { return &v }

// TestDirectoryReadModel appends what the directory commands append for a
// realistic story and checks the read model row by row, for several batch
// sizes: the result must not depend on where batches split.
func TestDirectoryReadModel(t *testing.T) {
	n := testkit.StartNATS(t, testkit.FastSync())
	a := pt.NewAppender(n.Store)
	seq := map[string]uint64{}
	mark := func(k string, res events.Appended) { seq[k] = res.Sequence }

	mark("jombang.reg", a.Client(t, a.At(1), "POLRES_JOMBANG", events.ClientRegistered{ClientID: "POLRES_JOMBANG",
		Nama: "POLRES JOMBANG", ClientType: "org", ClientInsta: "polres_jombang", InstaStatus: true, TiktokStatus: true,
		AmplifyStatus: true, ClientOperator: "6281234", ClientGroup: "120363@g.us", RegionalID: "JATIM", ClientSuper: "628111"}))
	mark("ditbinmas.reg", a.Client(t, a.At(2), "DITBINMAS", events.ClientRegistered{ClientID: "DITBINMAS",
		Nama: "DIREKTORAT BINMAS", ClientType: "direktorat", InstaStatus: true, RegionalID: "JATIM", ClientLevel: "direktorat"}))
	mark("jombang.upd", a.Client(t, a.At(3), "POLRES_JOMBANG", events.ClientUpdated{ClientID: "POLRES_JOMBANG",
		Changes: events.ClientFields{Nama: pt.Ptr("POLRES JOMBANG KOTA"), ClientTiktok: pt.Ptr("polresjombang"),
			ParentClientID: pt.Ptr("POLDA_JATIM"), AmplifyStatus: pt.Ptr(false)}}))
	a.Client(t, a.At(4), "DITBINMAS", events.ClientDeactivated{ClientID: "DITBINMAS"})
	mark("ditbinmas.act", a.Client(t, a.At(5), "DITBINMAS", events.ClientActivated{ClientID: "DITBINMAS"}))

	a.Person(t, a.At(6), "75020001", events.PersonRegistered{NRP: "75020001", Nama: "BUDI", Title: "BRIPKA",
		Divisi: "SAT BINMAS", Jabatan: "BANIT", ClientID: "POLRES_JOMBANG", Insta: "@Budi.IG", Tiktok: "budi_tt",
		WhatsApp: "6281300001", Roles: []string{"Operator"}})
	a.Person(t, a.At(7), "75020002", events.PersonRegistered{NRP: "75020002", Nama: "SITI", Title: "BRIPTU",
		Divisi: "SAT BINMAS", Desa: "DESA A", ClientID: "POLRES_JOMBANG", Roles: []string{"ditbinmas"}})
	a.Person(t, a.At(8), "75020003", events.PersonRegistered{NRP: "75020003", Nama: "ANDI", ClientID: "DITBINMAS",
		Roles: []string{"ditbinmas", "operator"}})
	a.Person(t, a.At(9), "75020001", events.PersonHandleChanged{NRP: "75020001", Platform: events.PlatformInstagram, Handle: "budi.baru"})
	a.Person(t, a.At(10), "75020001", events.PersonRoleGranted{NRP: "75020001", Role: "ditlantas"})
	a.Person(t, a.At(11), "75020001", events.PersonRoleRevoked{NRP: "75020001", Role: "operator"})
	a.Person(t, a.At(12), "75020002", events.PersonUpdated{NRP: "75020002", Changes: events.PersonFields{Jabatan: pt.Ptr("KANIT"), Email: pt.Ptr("siti@example.id")}})
	mark("andi.deact", a.Person(t, a.At(13), "75020003", events.PersonDeactivated{NRP: "75020003"}))
	a.Person(t, a.At(14), "75020002", events.PersonExceptionChanged{NRP: "75020002", Exception: true})
	mark("budi.optin", a.Person(t, a.At(15), "75020001", events.PersonWhatsAppOptInChanged{NRP: "75020001", OptIn: true}))
	a.Renumber(t, a.At(16), events.PersonRenumbered{OldNRP: "75020002", NewNRP: "75020009", Person: events.PersonSnapshot{
		PersonRegistered: events.PersonRegistered{NRP: "75020009", Nama: "SITI", Title: "BRIPTU", Divisi: "SAT BINMAS",
			Jabatan: "KANIT", Desa: "DESA A", ClientID: "POLRES_JOMBANG", Email: "siti@example.id",
			Roles: []string{"ditbinmas"}, Exception: true}, Active: true}})
	mark("siti.grant", a.Person(t, a.At(17), "75020009", events.PersonRoleGranted{NRP: "75020009", Role: "OPERATOR"}))
	head := a.Head()

	jatim := pt.Ptr("JATIM")
	wantClients := []Client{
		{ClientID: "DITBINMAS", Nama: "DIREKTORAT BINMAS", ClientType: "direktorat", ClientStatus: true, ClientInstaStatus: true,
			RegionalID: jatim, ClientLevel: pt.Ptr("direktorat"), Version: seq["ditbinmas.act"], CreatedAt: a.At(2), UpdatedAt: a.At(5)},
		{ClientID: "POLRES_JOMBANG", Nama: "POLRES JOMBANG KOTA", ClientType: "org", ClientStatus: true,
			ClientInsta: "polres_jombang", ClientInstaStatus: true, ClientTiktok: "polresjombang", ClientTiktokStatus: true,
			ClientOperator: "6281234", ClientGroup: "120363@g.us", RegionalID: jatim, ParentClientID: pt.Ptr("POLDA_JATIM"),
			ClientSuper: "628111", Version: seq["jombang.upd"], CreatedAt: a.At(1), UpdatedAt: a.At(3)},
	}
	budi := Person{UserID: "75020001", Nama: "BUDI", Title: "BRIPKA", Divisi: "SAT BINMAS", Jabatan: "BANIT",
		ClientID: pt.Ptr("POLRES_JOMBANG"), Insta: "budi.baru", Tiktok: "budi_tt", WhatsApp: "6281300001", Status: true,
		WANotificationOptIn: true, Roles: []string{"ditlantas"}, Version: seq["budi.optin"], CreatedAt: a.At(6), UpdatedAt: a.At(15),
		ClientName: pt.Ptr("POLRES JOMBANG KOTA"), RegionalID: jatim, RoleFlags: RoleFlags{Ditlantas: true}}
	siti := Person{UserID: "75020009", Nama: "SITI", Title: "BRIPTU", Divisi: "SAT BINMAS", Jabatan: "KANIT", Desa: "DESA A",
		ClientID: pt.Ptr("POLRES_JOMBANG"), Email: "siti@example.id", Status: true, Exception: true,
		Roles: []string{"ditbinmas", "operator"}, Version: seq["siti.grant"], CreatedAt: a.At(7), UpdatedAt: a.At(17),
		ClientName: pt.Ptr("POLRES JOMBANG KOTA"), RegionalID: jatim, RoleFlags: RoleFlags{Ditbinmas: true, Operator: true}}
	andi := Person{UserID: "75020003", Nama: "ANDI", ClientID: pt.Ptr("DITBINMAS"), Roles: []string{"ditbinmas", "operator"},
		Version: seq["andi.deact"], CreatedAt: a.At(8), UpdatedAt: a.At(13), ClientName: pt.Ptr("DIREKTORAT BINMAS"),
		RegionalID: jatim, RoleFlags: RoleFlags{Ditbinmas: true, Operator: true}}

	var first map[string][]string
	dflt := New(n.Store.Registry()).copyMin
	for _, tc := range []struct{ batch, copyMin int }{{1, dflt}, {4, dflt}, {5000, dflt}, {5000, 1}} {
		t.Run(fmt.Sprintf("batch=%d,copy-from=%d", tc.batch, tc.copyMin), func(t *testing.T) {
			pool, _ := testkit.NewDatabase(t)
			opts := pt.QuietOpts(t)
			opts.BatchSize = tc.batch
			dir := New(n.Store.Registry())
			dir.copyMin = tc.copyMin
			pt.StartRunner(t, projections.NewRunner(pool, n.Store, dir, opts))
			pt.WaitCheckpoint(t, pool, Name, head)
			ctx := context.Background()
			q := NewQueries(pool)

			clients, err := q.Clients(ctx, ClientFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(wantClients, clients); d != "" {
				t.Errorf("clients (-want +got):\n%s", d)
			}
			if c, err := q.Client(ctx, "polres_jombang"); err != nil || c.ClientID != "POLRES_JOMBANG" {
				t.Errorf("client by lower-case id: %v %v", c.ClientID, err)
			}
			if orgs, err := q.Clients(ctx, ClientFilter{Type: "ORG", RegionalID: "jatim", ActiveOnly: true}); err != nil || len(orgs) != 1 {
				t.Errorf("org clients: %d %v", len(orgs), err)
			}

			members, err := q.PersonnelByClient(ctx, "POLRES_JOMBANG", PersonnelFilter{IncludeInactive: true})
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff([]Person{budi, siti}, members); d != "" {
				t.Errorf("personnel of POLRES_JOMBANG (-want +got):\n%s", d)
			}
			directorate, err := q.PersonnelByClient(ctx, "DITBINMAS", PersonnelFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff([]Person{siti}, directorate); d != "" {
				t.Errorf("active personnel of directorate DITBINMAS (-want +got):\n%s", d)
			}
			ops, err := q.PersonnelByClient(ctx, "POLRES_JOMBANG", PersonnelFilter{Role: "operator", Strict: true})
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff([]Person{siti}, ops); d != "" {
				t.Errorf("operators of POLRES_JOMBANG (-want +got):\n%s", d)
			}
			byDir, err := q.PersonnelByDirectorate(ctx, "ditbinmas", []string{"polres_jombang"})
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff([]Person{siti}, byDir); d != "" {
				t.Errorf("personnel by directorate (-want +got):\n%s", d)
			}
			got, err := q.Person(ctx, "75020003")
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(andi, got); d != "" {
				t.Errorf("deactivated person (-want +got):\n%s", d)
			}
			if _, err := q.Person(ctx, "75020002"); !errors.Is(err, ErrNotFound) {
				t.Errorf("renumbered-away NRP: want ErrNotFound, got %v", err)
			}
			got, err = q.PersonByHandle(ctx, events.PlatformInstagram, "@BUDI.BARU")
			if err != nil || got.UserID != "75020001" {
				t.Errorf("person by instagram handle: %q %v", got.UserID, err)
			}
			if _, err := q.PersonByHandle(ctx, events.PlatformInstagram, "budi.ig"); !errors.Is(err, ErrNotFound) {
				t.Errorf("old handle still matches: %v", err)
			}
			var norm string
			if err := pool.QueryRow(ctx, `SELECT tiktok_norm FROM personnel WHERE user_id = '75020001'`).Scan(&norm); err != nil || norm != "budi_tt" {
				t.Errorf("tiktok_norm = %q, %v", norm, err)
			}

			d := pt.DumpDirectory(t, pool)
			if first == nil {
				first = d
			} else if diff := cmp.Diff(first, d); diff != "" {
				t.Errorf("read model depends on batch size (-batch 1 +this):\n%s", diff)
			}
		})
	}
}

// TestTextArrayLiteral round-trips the roles literal through Postgres.
func TestTextArrayLiteral(t *testing.T) {
	pool, _ := testkit.NewDatabase(t)
	for _, in := range [][]string{{}, {"operator"}, {"a,b", `q"uote`, `back\slash`, "{x}", "NULL", " sp ", ""}} {
		var out []string
		if err := pool.QueryRow(context.Background(), `SELECT $1::text[]`, projections.TextArray(in)).Scan(&out); err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		if d := cmp.Diff(in, out); d != "" {
			t.Errorf("round trip (-in +out):\n%s", d)
		}
	}
}
