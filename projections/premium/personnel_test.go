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
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/projections"
	pt "github.com/cicero/cicero/projections/projectiontest"
)

// TestPersonnelPremiumReadModel appends what commands/personnelpremium
// appends for two persons, between dashboard premium events the projection
// must skip, and checks rows and queries for several batch sizes; then a
// rebuild must give the same rows.
func TestPersonnelPremiumReadModel(t *testing.T) {
	n := testkit.StartNATS(t, testkit.FastSync())
	a := pt.NewAppender(n.Store)
	const budi, sari = "75020001", "75020002"
	r1, r2, r3 := uuid.NewString(), uuid.NewString(), uuid.NewString()
	seq := map[string]uint64{}
	add := func(k string, i int, nrp string, evs ...events.Payload) {
		seq[k] = a.Add(t, a.At(i), events.PersonnelPremiumSubject(nrp), nrp, evs...).Sequence
	}
	dash := uuid.NewString()
	a.Add(t, a.At(0), events.PremiumSubject(dash), dash, events.PremiumRequested{DashboardUserID: dash,
		RequestToken: uuid.NewString(), ClientID: "POLRES_A", Username: "opr", BankName: "BCA", AccountNumber: "1",
		SenderName: "Opr", Status: events.PremiumStatusPending, ExpiredAt: a.At(0).Add(24 * time.Hour)})
	add("b.req", 1, budi, events.PersonnelPremiumRequested{UserID: budi, RequestID: r1, SenderName: "Budi",
		AccountNumber: "0123", BankName: "BRI"})
	add("b.upd", 2, budi, events.PersonnelPremiumRequestUpdated{UserID: budi, RequestID: r1, BankName: pt.Ptr("BNI"),
		ScreenshotURL: pt.Ptr("https://x/b.jpg")})
	add("s.req", 3, sari, events.PersonnelPremiumRequested{UserID: sari, RequestID: r3, SenderName: "Sari",
		AccountNumber: "77", BankName: "BCA", ScreenshotURL: "https://x/s.jpg"})
	sariEnd := a.At(4).Add(time.Hour)
	add("s.grant", 4, sari, events.PersonnelPremiumGranted{UserID: sari, RequestID: r3, ExpiresAt: sariEnd, By: "dashboard:adm"})
	budiEnd := a.At(5).AddDate(0, 0, 30)
	add("b.grant", 5, budi, events.PersonnelPremiumGranted{UserID: budi, RequestID: r1, ExpiresAt: budiEnd, By: "dashboard:adm"})
	add("b.req2", 6, budi, events.PersonnelPremiumRequested{UserID: budi, RequestID: r2, SenderName: "Budi",
		AccountNumber: "0123", BankName: "BNI"})
	add("b.rej", 7, budi, events.PersonnelPremiumRequestRejected{UserID: budi, RequestID: r2, By: "dashboard:adm", Note: "ganda"})
	// An update of a request the aggregate never had changes nothing.
	add("b.ghost", 8, budi, events.PersonnelPremiumRequestUpdated{UserID: budi, RequestID: uuid.NewString(), BankName: pt.Ptr("X")})
	add("s.exp", 9, sari, events.PersonnelPremiumExpired{UserID: sari, ExpiredAt: a.At(9)})
	head := a.Add(t, a.At(10), events.PremiumSubject(dash), dash, events.PremiumRequestExpired{DashboardUserID: dash,
		RequestToken: uuid.NewString(), At: a.At(10)}).Sequence

	want := map[string]PersonnelRequest{
		r1: {RequestID: r1, UserID: budi, SenderName: "Budi", AccountNumber: "0123", BankName: "BNI",
			ScreenshotURL: pt.Ptr("https://x/b.jpg"), Status: "approved", RespondedAt: pt.Ptr(a.At(5)), DecidedBy: pt.Ptr("dashboard:adm"),
			Version: seq["b.grant"], CreatedAt: a.At(1), UpdatedAt: a.At(5)},
		r2: {RequestID: r2, UserID: budi, SenderName: "Budi", AccountNumber: "0123", BankName: "BNI", Status: "rejected",
			RespondedAt: pt.Ptr(a.At(7)), DecidedBy: pt.Ptr("dashboard:adm"), Note: pt.Ptr("ganda"), Version: seq["b.rej"],
			CreatedAt: a.At(6), UpdatedAt: a.At(7)},
		r3: {RequestID: r3, UserID: sari, SenderName: "Sari", AccountNumber: "77", BankName: "BCA",
			ScreenshotURL: pt.Ptr("https://x/s.jpg"), Status: "approved", RespondedAt: pt.Ptr(a.At(4)), DecidedBy: pt.Ptr("dashboard:adm"),
			Version: seq["s.grant"], CreatedAt: a.At(3), UpdatedAt: a.At(4)},
	}
	tables := []string{"personnel_premium_requests", "personnel_premium"}
	var first map[string][]string
	for _, batch := range []int{1, 3, 5000} {
		t.Run(fmt.Sprintf("batch=%d", batch), func(t *testing.T) {
			pool, _ := testkit.NewDatabase(t)
			opts := pt.QuietOpts(t)
			opts.BatchSize = batch
			pt.StartRunner(t, projections.NewRunner(pool, n.Store, NewPersonnel(n.Store.Registry()), opts))
			pt.WaitProjection(t, pool, PersonnelName, "PREMIUM", head)
			ctx := context.Background()
			q := NewPersonnelQueries(pool)

			for id, w := range want {
				got, err := q.RequestByID(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if d := cmp.Diff(w, got); d != "" {
					t.Errorf("request %s (-want +got):\n%s", id, d)
				}
			}
			for _, id := range []string{uuid.NewString(), "12"} {
				if _, err := q.RequestByID(ctx, id); !errors.Is(err, ErrNotFound) {
					t.Errorf("request %q: %v, want ErrNotFound", id, err)
				}
			}
			for _, tc := range []struct {
				f    PersonnelFilter
				want []string
			}{
				{PersonnelFilter{}, []string{r2, r3, r1}},
				{PersonnelFilter{UserID: budi}, []string{r2, r1}},
				{PersonnelFilter{Status: "approved"}, []string{r3, r1}},
				{PersonnelFilter{UserID: budi, Status: "pending"}, nil},
				{PersonnelFilter{Limit: 1}, []string{r2}},
			} {
				list, err := q.Requests(ctx, tc.f)
				if err != nil {
					t.Fatal(err)
				}
				var ids []string
				for _, r := range list {
					ids = append(ids, r.RequestID)
				}
				if d := cmp.Diff(tc.want, ids); d != "" {
					t.Errorf("requests %+v (-want +got):\n%s", tc.f, d)
				}
			}
			for nrp, w := range map[string]PersonnelState{
				budi:       {UserID: budi, PremiumStatus: true, PremiumEndDate: &budiEnd},
				sari:       {UserID: sari},
				"75020009": {UserID: "75020009"},
			} {
				got, err := q.Premium(ctx, nrp)
				if err != nil {
					t.Fatal(err)
				}
				if d := cmp.Diff(w, got); d != "" {
					t.Errorf("premium of %s (-want +got):\n%s", nrp, d)
				}
			}
			due, err := q.Due(ctx, budiEnd, 10)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff([]DuePersonnel{{UserID: budi, EndDate: budiEnd}}, due); d != "" {
				t.Errorf("due (-want +got):\n%s", d)
			}
			if due, err := q.Due(ctx, budiEnd.Add(-time.Microsecond), 10); err != nil || len(due) != 0 {
				t.Errorf("due before the end: %v %v", due, err)
			}

			d := pt.Dump(t, pool, tables...)
			if first == nil {
				first = d
			} else if diff := cmp.Diff(first, d); diff != "" {
				t.Errorf("read model depends on batch size (-batch 1 +this):\n%s", diff)
			}
			if batch == 5000 {
				if err := projections.Rebuild(ctx, pool, n.Store, NewPersonnel(n.Store.Registry()), nil); err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(d, pt.Dump(t, pool, tables...)); diff != "" {
					t.Errorf("rebuild changed the read model (-live +rebuilt):\n%s", diff)
				}
			}
		})
	}
}
