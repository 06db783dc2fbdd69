package access

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/crypto/bcrypt"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/password"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/projections"
	"github.com/cicero/cicero/projections/premium"
	pt "github.com/cicero/cicero/projections/projectiontest"
)

// accessStory runs dashboard-user commands against a real JetStream and
// remembers where each landed.
type accessStory struct {
	t   *testing.T
	h   *dashuser.Handlers
	seq map[string]uint64
}

func newAccessStory(t *testing.T, n *testkit.NATS) *accessStory {
	t.Helper()
	logPool, _ := testkit.NewDatabase(t)
	rt := commands.NewRuntime(n.Store, commands.NewPGCommandLog(logPool), testkit.Logger(t))
	clients := client.NewHandlers(rt)
	for _, id := range []string{"POLRES_A", "POLRES_B", "DITBINMAS"} {
		if _, err := clients.RegisterClient(context.Background(), commands.Meta{}, client.RegisterClient{ClientID: id, Nama: id}); err != nil {
			t.Fatal(err)
		}
	}
	return &accessStory{t: t, h: dashuser.NewHandlers(rt, dashuser.WithHashCost(bcrypt.MinCost)), seq: map[string]uint64{}}
}

// meta is a command at minute i of the story.
func (s *accessStory) meta(i int) commands.Meta {
	return commands.Meta{Actor: "dashboard:admin", OccurredAt: pt.T0.Add(time.Duration(i) * time.Minute)}
}

// mark records the position of the first commit of a successful command.
func (s *accessStory) mark(key string) func(commands.Outcome, error) {
	return func(out commands.Outcome, err error) {
		s.t.Helper()
		if err != nil {
			s.t.Fatalf("%s: %v", key, err)
		}
		if len(out.Appended) > 0 {
			s.seq[key] = out.Appended[0].Sequence
		}
	}
}

func (s *accessStory) register(i int, key string, cmd dashuser.RegisterDashboardUser) string {
	s.t.Helper()
	id, out, err := s.h.RegisterDashboardUser(context.Background(), s.meta(i), cmd)
	s.mark(key)(out, err)
	return id
}

func waitAccess(tb testing.TB, pool *pgxpool.Pool, seq uint64) {
	tb.Helper()
	pt.WaitProjection(tb, pool, DashboardUsersName, "ACCESS", seq)
}

func accessHead(tb testing.TB, n *testkit.NATS) uint64 {
	tb.Helper()
	h, err := n.Store.StreamHead(context.Background(), "ACCESS")
	if err != nil {
		tb.Fatal(err)
	}
	return h
}

var ignoreHash = cmpopts.IgnoreFields(DashboardUser{}, "PasswordHash")

// TestDashboardUsersReadModel runs a story of registrations, approvals,
// client changes, a password change, a login and a reset request through
// the commands and checks the read model row by row, for several batch
// sizes: the result must not depend on where batches split.
func TestDashboardUsersReadModel(t *testing.T) {
	n := testkit.StartNATS(t, testkit.FastSync())
	s := newAccessStory(t, n)
	ctx := context.Background()
	at := func(i int) time.Time { return pt.T0.Add(time.Duration(i) * time.Minute) }

	budi := s.register(1, "budi.reg", dashuser.RegisterDashboardUser{Username: "Budi.Op", Password: "rahasia123",
		WhatsApp: "081234567890", ClientIDs: []string{"polres_a"}})
	siti := s.register(2, "siti.reg", dashuser.RegisterDashboardUser{Username: "siti", Password: "rahasia123",
		Role: "ditbinmas", Email: "Siti@Polri.go.id"})
	andi := s.register(3, "andi.reg", dashuser.RegisterDashboardUser{Username: "andi", Password: "rahasia123",
		WhatsApp: "6281300000003", ClientIDs: []string{"POLRES_B"}})
	admin, out, err := s.h.CreateDashboardUser(ctx, s.meta(4), dashuser.CreateDashboardUser{ActorRole: "admin", Username: "Root",
		Password: "rahasia123", Role: "admin", ClientIDs: []string{"DITBINMAS", "POLRES_A"}})
	s.mark("admin.create")(out, err)
	s.mark("budi.approve")(s.h.ApproveDashboardUser(ctx, s.meta(5), dashuser.ApproveDashboardUser{DashboardUserID: budi, ActorRole: "admin"}))
	s.mark("siti.reject")(s.h.RejectDashboardUser(ctx, s.meta(6), dashuser.RejectDashboardUser{DashboardUserID: siti, ActorRole: "admin", Note: "bukan personel"}))
	s.mark("budi.assign")(s.h.AssignClients(ctx, s.meta(7), dashuser.AssignClients{DashboardUserID: budi, ActorRole: "admin", ClientIDs: []string{"POLRES_B", "POLRES_A"}}))
	s.mark("budi.password")(s.h.ChangePassword(ctx, s.meta(8), dashuser.ChangePassword{DashboardUserID: budi, OldPassword: "rahasia123", NewPassword: "baru-12345"}))
	s.mark("budi.login")(s.h.RecordLogin(ctx, s.meta(9), dashuser.RecordLogin{DashboardUserID: budi, At: at(9).Add(30 * time.Second)}))
	_, out, err = s.h.RequestPasswordReset(ctx, s.meta(10), dashuser.RequestPasswordReset{DashboardUserID: andi, Contact: "081300000003"})
	s.mark("andi.reset")(out, err)
	sitiHash, _ := bcrypt.GenerateFromPassword([]byte("sandi-lama-siti"), bcrypt.MinCost)
	s.mark("siti.follow")(s.h.FollowImportedAccount(ctx, s.meta(11), dashuser.FollowImportedAccount{DashboardUserID: siti,
		PasswordHash: string(sitiHash), Role: "ditlantas", WhatsApp: "081299990001", Email: "siti@polri.go.id", By: "system:import-v2"}))
	head := accessHead(t, n)

	login := at(9).Add(30 * time.Second)
	wantBudi := DashboardUser{DashboardUserID: budi, Username: "Budi.Op", Role: "operator", Status: "approved", Approved: true,
		WhatsApp: "6281234567890", ClientIDs: []string{"POLRES_A", "POLRES_B"}, LastLoginAt: &login,
		Version: s.seq["budi.login"], CreatedAt: at(1), UpdatedAt: at(8)}
	// Siti's details and hash as an import rerun follows them (all of
	// them: no import set them before).
	wantSiti := DashboardUser{DashboardUserID: siti, Username: "siti", Role: "ditlantas", Status: "rejected",
		WhatsApp: "6281299990001", Email: "siti@polri.go.id", ClientIDs: []string{}, Version: s.seq["siti.follow"],
		CreatedAt: at(2), UpdatedAt: at(11)}
	wantAndi := DashboardUser{DashboardUserID: andi, Username: "andi", Role: "operator", Status: "pending",
		WhatsApp: "6281300000003", ClientIDs: []string{"POLRES_B"}, Version: s.seq["andi.reset"], CreatedAt: at(3), UpdatedAt: at(3)}
	wantAdmin := DashboardUser{DashboardUserID: admin, Username: "Root", Role: "admin", Status: "approved", Approved: true,
		ClientIDs: []string{"DITBINMAS", "POLRES_A"}, Version: s.seq["admin.create"], CreatedAt: at(4), UpdatedAt: at(4)}

	var first map[string][]string
	for _, batch := range []int{1, 3, 5000} {
		t.Run(fmt.Sprintf("batch=%d", batch), func(t *testing.T) {
			pool, _ := testkit.NewDatabase(t)
			opts := pt.QuietOpts(t)
			opts.BatchSize = batch
			pt.StartRunner(t, projections.NewRunner(pool, n.Store, NewDashboardUsers(n.Store.Registry()), opts))
			waitAccess(t, pool, head)
			q := NewDashboardUserQueries(pool)

			for _, want := range []DashboardUser{wantBudi, wantSiti, wantAndi, wantAdmin} {
				got, err := q.ByID(ctx, want.DashboardUserID)
				if err != nil {
					t.Fatalf("%s: %v", want.Username, err)
				}
				if d := cmp.Diff(want, got, ignoreHash); d != "" {
					t.Errorf("%s (-want +got):\n%s", want.Username, d)
				}
			}
			got, err := q.ByUsername(ctx, " BUDI.OP ")
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(wantBudi, got, ignoreHash); d != "" {
				t.Errorf("by username (-want +got):\n%s", d)
			}
			if !password.Verify(got.PasswordHash, "baru-12345") || password.Verify(got.PasswordHash, "rahasia123") {
				t.Error("read model hash is not the changed password's")
			}
			if got, err := q.ByID(ctx, siti); err != nil || !password.Verify(got.PasswordHash, "sandi-lama-siti") {
				t.Errorf("read model hash is not the followed one (%v)", err)
			}
			pending, err := q.Pending(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff([]DashboardUser{wantAndi}, pending, ignoreHash); d != "" {
				t.Errorf("pending (-want +got):\n%s", d)
			}
			for _, bad := range []string{"nobody", "", "budi op"} {
				if _, err := q.ByUsername(ctx, bad); !errors.Is(err, ErrNotFound) {
					t.Errorf("ByUsername(%q): want ErrNotFound, got %v", bad, err)
				}
			}
			for _, bad := range []string{"not-a-uuid", "0190a8a0-0000-7000-8000-00000000dead"} {
				if _, err := q.ByID(ctx, bad); !errors.Is(err, ErrNotFound) {
					t.Errorf("ByID(%q): want ErrNotFound, got %v", bad, err)
				}
			}
			d := pt.Dump(t, pool, "dashboard_users")
			if first == nil {
				first = d
			} else if diff := cmp.Diff(first, d); diff != "" {
				t.Errorf("read model depends on batch size (-batch 1 +this):\n%s", diff)
			}
			if batch != 5000 {
				return
			}
			// A rebuild (shadow table LIKE the live one, generated column
			// and partial indexes included) gives the same rows.
			if err := projections.Rebuild(ctx, pool, n.Store, NewDashboardUsers(n.Store.Registry()), nil); err != nil {
				t.Fatalf("rebuild: %v", err)
			}
			if diff := cmp.Diff(d, pt.Dump(t, pool, "dashboard_users")); diff != "" {
				t.Errorf("rebuilt read model differs (-live +rebuilt):\n%s", diff)
			}
			if _, err := q.ByUsername(ctx, "root"); err != nil {
				t.Errorf("after rebuild: %v", err)
			}
		})
	}
}

// TestDashboardUsersKeepPremium runs the premium projection beside this
// one: an account shows its premium snapshot from premium_subscriptions
// through later account events, a grant recorded before the registration
// arrived leaves no row behind yet shows once the account exists, and a
// rebuild of dashboard_users keeps it (nothing of it lives in that table).
func TestDashboardUsersKeepPremium(t *testing.T) {
	n := testkit.StartNATS(t, testkit.FastSync())
	s := newAccessStory(t, n)
	ctx := context.Background()
	budi := s.register(1, "budi.reg", dashuser.RegisterDashboardUser{Username: "budi", Password: "rahasia123",
		WhatsApp: "081234567890", ClientIDs: []string{"POLRES_A"}})
	s.mark("budi.approve")(s.h.ApproveDashboardUser(ctx, s.meta(2), dashuser.ApproveDashboardUser{DashboardUserID: budi, ActorRole: "admin"}))
	early := "0190a8a0-0000-7000-8000-0000000000e1"
	expires := pt.T0.Add(30 * 24 * time.Hour)
	a := pt.NewAppender(n.Store)
	for _, g := range []struct{ id, tier string }{{budi, "tier1"}, {early, "tier2"}} {
		a.Add(t, s.meta(3).OccurredAt, events.PremiumSubject(g.id), g.id, events.PremiumGranted{DashboardUserID: g.id,
			SubscriptionID: uuid.NewString(), Tier: g.tier, StartsAt: pt.T0, ExpiresAt: expires, By: "admin"})
	}

	pool, _ := testkit.NewDatabase(t)
	pt.StartRunner(t, projections.NewRunner(pool, n.Store, NewDashboardUsers(n.Store.Registry()), pt.QuietOpts(t)))
	pt.StartRunner(t, projections.NewRunner(pool, n.Store, premium.NewDashboard(n.Store.Registry()), pt.QuietOpts(t)))
	premiumHead, err := n.Store.StreamHead(ctx, "PREMIUM")
	if err != nil {
		t.Fatal(err)
	}
	pt.WaitProjection(t, pool, premium.DashboardName, "PREMIUM", premiumHead)
	waitAccess(t, pool, accessHead(t, n))
	q := NewDashboardUserQueries(pool)
	if _, err := q.ByID(ctx, early); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a premium-only row is visible: %v", err)
	}
	if p, err := q.Pending(ctx); err != nil || len(p) != 0 {
		t.Fatalf("pending lists %d rows (%v), want none", len(p), err)
	}

	s.mark("budi.assign")(s.h.AssignClients(ctx, s.meta(4), dashuser.AssignClients{DashboardUserID: budi, ActorRole: "admin", ClientIDs: []string{"POLRES_B"}}))
	s.mark("budi.login")(s.h.RecordLogin(ctx, s.meta(5), dashuser.RecordLogin{DashboardUserID: budi}))
	s.register(6, "early.reg", dashuser.RegisterDashboardUser{DashboardUserID: early, Username: "Early",
		Password: "rahasia123", Email: "early@polri.go.id", Role: "bidhumas"})
	waitAccess(t, pool, accessHead(t, n))

	login := s.meta(5).OccurredAt
	want := []DashboardUser{
		{DashboardUserID: budi, Username: "budi", Role: "operator", Status: "approved", Approved: true,
			WhatsApp: "6281234567890", ClientIDs: []string{"POLRES_B"}, PremiumStatus: true, PremiumTier: pt.Ptr("tier1"),
			PremiumExpiresAt: &expires, LastLoginAt: &login, Version: s.seq["budi.login"],
			CreatedAt: s.meta(1).OccurredAt, UpdatedAt: s.meta(4).OccurredAt},
		{DashboardUserID: early, Username: "Early", Role: "bidhumas", Status: "pending", Email: "early@polri.go.id",
			ClientIDs: []string{}, PremiumStatus: true, PremiumTier: pt.Ptr("tier2"), PremiumExpiresAt: &expires,
			Version: s.seq["early.reg"], CreatedAt: s.meta(6).OccurredAt, UpdatedAt: s.meta(6).OccurredAt},
	}
	check := func(when string) {
		t.Helper()
		for _, w := range want {
			got, err := q.ByID(ctx, w.DashboardUserID)
			if err != nil {
				t.Fatalf("%s: %v", when, err)
			}
			if d := cmp.Diff(w, got, ignoreHash); d != "" {
				t.Errorf("%s: %s (-want +got):\n%s", when, w.Username, d)
			}
		}
	}
	check("live")
	if err := projections.Rebuild(ctx, pool, n.Store, NewDashboardUsers(n.Store.Registry()), nil); err != nil {
		t.Fatalf("rebuild: %v", err)
	}
	check("after a rebuild")
}
