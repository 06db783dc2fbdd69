package premium

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/premiumguard"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/projections"
	pt "github.com/cicero/cicero/projections/projectiontest"
)

// premiumUserRow is an account's premium snapshot, as DashboardUserQueries
// and the guard show it.
type premiumUserRow struct {
	ID               string
	PremiumStatus    bool
	PremiumTier      *string
	PremiumExpiresAt *time.Time
}

// snapshots reads the snapshot of each account by status alone, as of a
// moment after every expiry (so the clock-based rule does not apply).
func snapshots(tb testing.TB, q *Queries, ids ...string) []premiumUserRow {
	tb.Helper()
	out := make([]premiumUserRow, len(ids))
	for i, id := range ids {
		s, err := q.Snapshot(context.Background(), id, time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC))
		if err != nil {
			tb.Fatal(err)
		}
		out[i] = premiumUserRow{ID: id, PremiumStatus: s.Status, PremiumTier: s.Tier, PremiumExpiresAt: s.ExpiresAt}
	}
	return out
}

// sortedIDs returns n fresh UUIDs in ascending order, so rows listed by id
// come out in a known order.
func sortedIDs(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = uuid.NewString()
	}
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

// TestPremiumReadModel appends what commands/premium and commands/dashuser
// append for a realistic story (including premium events that reach the
// projection before the account's registration) and checks every read
// model row and query, for several batch sizes, then rebuilds.
func TestPremiumReadModel(t *testing.T) {
	n := testkit.StartNATS(t, testkit.FastSync())
	a := pt.NewAppender(n.Store)
	ids := sortedIDs(3)
	userA, userB, userC := ids[0], ids[1], ids[2]
	t1, t2, t3, t4 := uuid.NewString(), uuid.NewString(), uuid.NewString(), uuid.NewString()
	s1, s2, s3 := uuid.NewString(), uuid.NewString(), uuid.NewString()
	seq := map[string]uint64{}
	prem := func(k string, i int, user string, evs ...events.Payload) {
		seq[k] = a.Add(t, a.At(i), events.PremiumSubject(user), user, evs...).Sequence
	}
	access := func(i int, user string, evs ...events.Payload) uint64 {
		return a.Add(t, a.At(i), events.DashboardUserSubject(user), user, evs...).Sequence
	}

	access(0, userC, &events.DashboardUserRegistered{DashboardUserID: userC, Username: "citra", PasswordHash: "h",
		Role: "operator", ClientIDs: []string{"POLRES_C"}, Status: events.DashboardStatusPending})
	prem("a.req", 1, userA, events.PremiumRequested{DashboardUserID: userA, RequestToken: t1, ClientID: "POLRES_A",
		Username: "budi", WhatsApp: "6281200001", BankName: "BCA", AccountNumber: "123", SenderName: "Budi",
		TransferAmount: "150000", PremiumTier: "tier1", Status: events.PremiumStatusPending,
		ExpiredAt: a.At(1).Add(24 * time.Hour), Metadata: []byte(`{"src":"web"}`)})
	prem("a.conf", 2, userA, events.PremiumRequestConfirmed{DashboardUserID: userA, RequestToken: t1,
		ProofURL: "https://x/1.jpg", Changes: events.PremiumRequestChanges{BankName: pt.Ptr("BNI")},
		ExpiredAt: a.At(2).Add(48 * time.Hour), Metadata: []byte(`{"note":"x"}`)})
	prem("a.grant", 3, userA, events.PremiumGranted{DashboardUserID: userA, SubscriptionID: s1, Tier: "tier1",
		StartsAt: a.At(3), ExpiresAt: a.At(3).Add(time.Hour), RequestToken: t1, ClientID: "POLRES_A",
		TransferAmount: "150000", By: "admin-1", AdminWhatsApp: "628111@c.us"})
	prem("b.req", 4, userB, events.PremiumRequested{DashboardUserID: userB, RequestToken: t2, ClientID: "POLRES_B",
		Username: "bayu", BankName: "BRI", AccountNumber: "9", SenderName: "Bayu", Status: events.PremiumStatusPending,
		ExpiredAt: a.At(4).Add(24 * time.Hour)})
	prem("b.deny", 5, userB, events.PremiumRequestRejected{DashboardUserID: userB, RequestToken: t2, Note: "bukti", By: "admin-1"})
	prem("b.req3", 6, userB, events.PremiumRequested{DashboardUserID: userB, RequestToken: t3, ClientID: "POLRES_B",
		Username: "bayu", BankName: "BRI", AccountNumber: "9", SenderName: "Bayu", Status: events.PremiumStatusPending,
		ExpiredAt: a.At(6).Add(time.Minute)})
	prem("b.req4", 7, userB, events.PremiumRequestExpired{DashboardUserID: userB, RequestToken: t3, At: a.At(7)},
		events.PremiumRequested{DashboardUserID: userB, RequestToken: t4, ClientID: "POLRES_B", Username: "bayu",
			BankName: "BRI", AccountNumber: "9", SenderName: "Bayu", ProofURL: "https://x/4.jpg",
			Status: events.PremiumStatusConfirmed, ExpiredAt: a.At(7).Add(48 * time.Hour)})
	s2Exp := a.At(8).Add(30 * 24 * time.Hour)
	prem("a.grant2", 8, userA, events.PremiumGranted{DashboardUserID: userA, SubscriptionID: s2, Tier: "tier2",
		StartsAt: a.At(8), ExpiresAt: s2Exp, By: "cli:root"})
	prem("a.exp", 9, userA, events.PremiumExpired{DashboardUserID: userA, SubscriptionIDs: []string{s1}, At: a.At(9)})
	prem("c.grant", 10, userC, events.PremiumGranted{DashboardUserID: userC, SubscriptionID: s3, Tier: "premium_1",
		StartsAt: a.At(10), ExpiresAt: a.At(10).Add(2 * time.Hour), By: "admin-1"})
	prem("c.rev", 11, userC, events.PremiumRevoked{DashboardUserID: userC, SubscriptionIDs: []string{s3}, By: "admin-1", At: a.At(11)})
	// A's account reaches the ACCESS stream after all its premium events.
	access(12, userA, &events.DashboardUserRegistered{DashboardUserID: userA, Username: "budi",
		PasswordHash: "h", Role: "bidhumas", ClientIDs: []string{"POLRES_A"}, Status: events.DashboardStatusPending},
		&events.DashboardUserApproved{DashboardUserID: userA, By: "admin-1"})
	premHead := seq["c.rev"]

	reqT1 := Request{RequestID: int64(seq["a.req"]), RequestToken: t1, DashboardUserID: userA,
		ClientID: pt.Ptr("POLRES_A"), Username: "budi", WhatsApp: pt.Ptr("6281200001"), BankName: "BNI", AccountNumber: "123",
		SenderName: "Budi", TransferAmount: pt.Ptr("150000"), PremiumTier: pt.Ptr("tier1"), ProofURL: pt.Ptr("https://x/1.jpg"),
		Status: "approved", ExpiredAt: pt.Ptr(a.At(2).Add(48 * time.Hour)), RespondedAt: pt.Ptr(a.At(3)),
		RespondedBy: pt.Ptr("admin-1"), AdminWhatsApp: pt.Ptr("628111@c.us"),
		Metadata: map[string]any{"src": "web", "note": "x", "subscription_id": s1},
		Version:  seq["a.grant"], CreatedAt: a.At(1), UpdatedAt: a.At(3)}
	reqT4 := Request{RequestID: int64(seq["b.req4"]), RequestToken: t4, DashboardUserID: userB,
		ClientID: pt.Ptr("POLRES_B"), Username: "bayu", BankName: "BRI", AccountNumber: "9", SenderName: "Bayu",
		ProofURL: pt.Ptr("https://x/4.jpg"), Status: "confirmed", ExpiredAt: pt.Ptr(a.At(7).Add(48 * time.Hour)),
		Metadata: map[string]any{}, Version: seq["b.req4"], CreatedAt: a.At(7), UpdatedAt: a.At(7)}
	subS1 := Subscription{SubscriptionID: s1, DashboardUserID: userA, Tier: "tier1", Status: "expired",
		StartedAt: a.At(3), ExpiresAt: a.At(3).Add(time.Hour), EndedAt: pt.Ptr(a.At(9)), RequestToken: pt.Ptr(t1),
		GrantedBy: "admin-1", Metadata: map[string]any{"request_id": float64(seq["a.req"]), "request_token": t1,
			"client_id": "POLRES_A", "transfer_amount": "150000"},
		Version: seq["a.exp"], CreatedAt: a.At(3), UpdatedAt: a.At(9)}
	subS2 := Subscription{SubscriptionID: s2, DashboardUserID: userA, Tier: "tier2", Status: "active",
		StartedAt: a.At(8), ExpiresAt: s2Exp, GrantedBy: "cli:root", Metadata: map[string]any{},
		Version: seq["a.grant2"], CreatedAt: a.At(8), UpdatedAt: a.At(8)}
	auditMeta := func(proof *string) map[string]any {
		m := map[string]any{"client_id": "POLRES_A", "premium_tier": "tier1", "transfer_amount": "150000",
			"proof_url": nil, "subscription_expires_at": nil}
		if proof != nil {
			m["proof_url"] = *proof
		}
		return m
	}
	approvedMeta := auditMeta(pt.Ptr("https://x/1.jpg"))
	approvedMeta["subscription_id"] = s1
	wantAudit := []AuditEntry{
		{Position: seq["a.req"], Action: "created", Actor: "budi", StatusTo: "pending", Metadata: auditMeta(nil), CreatedAt: a.At(1)},
		{Position: seq["a.conf"], Action: "confirmed", Actor: "budi", StatusFrom: pt.Ptr("pending"), StatusTo: "confirmed",
			Metadata: auditMeta(pt.Ptr("https://x/1.jpg")), CreatedAt: a.At(2)},
		{Position: seq["a.grant"], Action: "approved", Actor: "admin-1", StatusFrom: pt.Ptr("confirmed"), StatusTo: "approved",
			AdminWhatsApp: pt.Ptr("628111@c.us"), Metadata: approvedMeta, CreatedAt: a.At(3)},
	}
	for i := range wantAudit {
		wantAudit[i].RequestID, wantAudit[i].RequestToken, wantAudit[i].DashboardUserID = int64(seq["a.req"]), t1, userA
	}
	wantUsers := []premiumUserRow{
		{ID: userA, PremiumStatus: true, PremiumTier: pt.Ptr("tier2"), PremiumExpiresAt: &s2Exp},
		{ID: userB},
		{ID: userC},
	}
	ignoreEventID := cmpIgnoreAuditEventID()

	var first map[string][]string
	for _, batch := range []int{1, 3, 5000} {
		t.Run(fmt.Sprintf("batch=%d", batch), func(t *testing.T) {
			pool, _ := testkit.NewDatabase(t)
			opts := pt.QuietOpts(t)
			opts.BatchSize = batch
			pt.StartRunner(t, projections.NewRunner(pool, n.Store, NewDashboard(n.Store.Registry()), opts))
			pt.WaitProjection(t, pool, DashboardName, "PREMIUM", premHead)
			ctx := context.Background()
			q := NewQueries(pool)

			got, err := q.RequestByToken(ctx, t1)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(reqT1, got); d != "" {
				t.Errorf("request T1 (-want +got):\n%s", d)
			}
			if _, err := q.RequestByToken(ctx, "not-a-uuid"); !errors.Is(err, ErrNotFound) {
				t.Errorf("bad token: want ErrNotFound, got %v", err)
			}
			for _, tc := range []struct {
				name string
				get  func() (Request, error)
			}{
				{"latest of B", func() (Request, error) { return q.LatestRequest(ctx, userB) }},
				{"open of B", func() (Request, error) { return q.OpenRequest(ctx, userB, a.At(8)) }},
			} {
				got, err := tc.get()
				if err != nil {
					t.Fatalf("%s: %v", tc.name, err)
				}
				if d := cmp.Diff(reqT4, got); d != "" {
					t.Errorf("%s (-want +got):\n%s", tc.name, d)
				}
			}
			if _, err := q.OpenRequest(ctx, userB, a.At(7).Add(48*time.Hour)); !errors.Is(err, ErrNotFound) {
				t.Errorf("open request past its deadline: %v", err)
			}
			if _, err := q.OpenRequest(ctx, userA, a.At(4)); !errors.Is(err, ErrNotFound) {
				t.Errorf("approved request is open: %v", err)
			}
			for tok, status := range map[string]string{t2: "denied", t3: "expired"} {
				r, err := q.RequestByToken(ctx, tok)
				if err != nil || r.Status != status || r.RespondedAt == nil {
					t.Errorf("request %s: status %q responded %v err %v, want %s", tok, r.Status, r.RespondedAt, err, status)
				}
			}

			subs, err := q.Subscriptions(ctx, userA)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff([]Subscription{subS2, subS1}, subs); d != "" {
				t.Errorf("subscriptions of A (-want +got):\n%s", d)
			}
			csubs, err := q.Subscriptions(ctx, userC)
			if err != nil || len(csubs) != 1 || csubs[0].Status != "canceled" || !csubs[0].CanceledAt.Equal(a.At(11)) {
				t.Errorf("subscriptions of C: %+v %v", csubs, err)
			}
			active, err := q.ActiveSubscription(ctx, userA, a.At(12))
			if err != nil || active.SubscriptionID != s2 {
				t.Errorf("active subscription of A: %v %v", active.SubscriptionID, err)
			}
			if _, err := q.ActiveSubscription(ctx, userA, s2Exp); !errors.Is(err, ErrNotFound) {
				t.Errorf("subscription active at its expiry: %v", err)
			}

			audit, err := q.RequestAudit(ctx, int64(seq["a.req"]))
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(wantAudit, audit, ignoreEventID); d != "" {
				t.Errorf("audit of T1 (-want +got):\n%s", d)
			}
			for _, e := range audit {
				if _, err := uuid.Parse(e.EventID); err != nil {
					t.Errorf("audit event id %q", e.EventID)
				}
			}
			auditB, err := q.RequestAudit(ctx, int64(seq["b.req3"]))
			if err != nil || len(auditB) != 2 || auditB[1].Action != "expired" || auditB[1].Actor != "system" {
				t.Errorf("audit of T3: %+v %v", auditB, err)
			}

			if d := cmp.Diff(wantUsers, snapshots(t, q, userA, userB, userC)); d != "" {
				t.Errorf("dashboard_users premium snapshot (-want +got):\n%s", d)
			}
			snap, err := q.Snapshot(ctx, userA, a.At(12))
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(premiumguard.Snapshot{Status: true, Tier: pt.Ptr("tier2"), ExpiresAt: &s2Exp}, snap); d != "" {
				t.Errorf("snapshot of A (-want +got):\n%s", d)
			}
			// Past its expiry (job not run yet) the snapshot comes from the
			// columns and the guard answers "expired".
			snap, err = q.Snapshot(ctx, userA, s2Exp.Add(time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			if ok, body := premiumguard.Decide(snap, premiumguard.DefaultTiers, s2Exp.Add(time.Minute)); ok || body.Message != premiumguard.MsgExpired {
				t.Errorf("guard after expiry: %v %q", ok, body.Message)
			}
			if snap, err := q.Snapshot(ctx, userC, a.At(12)); err != nil || snap != (premiumguard.Snapshot{}) {
				t.Errorf("snapshot of revoked C: %+v %v", snap, err)
			}

			due, err := q.DueSubscriptions(ctx, s2Exp, 10)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff([]DueSubscription{{DashboardUserID: userA, SubscriptionID: s2, Tier: "tier2", ExpiresAt: s2Exp}}, due); d != "" {
				t.Errorf("due subscriptions (-want +got):\n%s", d)
			}
			if due, err := q.DueSubscriptions(ctx, s2Exp.Add(-time.Second), 10); err != nil || len(due) != 0 {
				t.Errorf("due before expiry: %v %v", due, err)
			}
			dueReq, err := q.DueRequests(ctx, a.At(7).Add(48*time.Hour), 10)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff([]DueRequest{{DashboardUserID: userB, RequestToken: t4, ExpiredAt: a.At(7).Add(48 * time.Hour)}}, dueReq); d != "" {
				t.Errorf("due requests (-want +got):\n%s", d)
			}

			d := pt.Dump(t, pool, "premium_subscriptions", "premium_requests", "premium_request_audit")
			if first == nil {
				first = d
			} else if diff := cmp.Diff(first, d); diff != "" {
				t.Errorf("read model depends on batch size (-batch 1 +this):\n%s", diff)
			}

			if batch == 5000 {
				if err := projections.Rebuild(ctx, pool, n.Store, NewDashboard(n.Store.Registry()), nil); err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(d, pt.Dump(t, pool, "premium_subscriptions", "premium_requests", "premium_request_audit")); diff != "" {
					t.Errorf("rebuild changed the read model (-live +rebuilt):\n%s", diff)
				}
				if diff := cmp.Diff(wantUsers, snapshots(t, q, userA, userB, userC)); diff != "" {
					t.Errorf("rebuild changed the snapshot (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func cmpIgnoreAuditEventID() cmp.Option {
	return cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".EventID" }, cmp.Ignore())
}
