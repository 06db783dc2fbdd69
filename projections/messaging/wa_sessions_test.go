package messaging

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/wasession"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/internal/whatsapp"
	"github.com/cicero/cicero/projections"
	pt "github.com/cicero/cicero/projections/projectiontest"
)

// TestWASessionsReadModel records a pairing, its repeat (nothing), a
// logout, a second logout (nothing) and a new pairing of one session and a
// pairing of another, through the session commands, and checks the rows for
// batch sizes 1 and 5000 and after a rebuild.
func TestWASessionsReadModel(t *testing.T) {
	n := testkit.StartNATS(t, testkit.FastSync())
	logPool, _ := testkit.NewDatabase(t)
	lc := wasession.NewLifecycle(commands.NewRuntime(n.Store, commands.NewPGCommandLog(logPool), testkit.Logger(t)))
	ctx := context.Background()
	at := func(i int) time.Time { return pt.T0.Add(time.Duration(i) * time.Minute) }
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	gw, gw2, main := "628111000001:3@s.whatsapp.net", "628111000002:9@s.whatsapp.net", "628222000001:5@s.whatsapp.net"
	must(lc.Paired(ctx, whatsapp.Pairing{Session: "wa-gateway", DeviceID: "wa-gateway", JID: gw, At: at(1)}))
	must(lc.Paired(ctx, whatsapp.Pairing{Session: "wa-gateway", DeviceID: "wa-gateway", JID: gw, At: at(2)}))
	must(lc.LoggedOut(ctx, whatsapp.Logout{Session: "wa-gateway", DeviceID: "wa-gateway", Reason: "logged out: 401", At: at(3)}))
	must(lc.LoggedOut(ctx, whatsapp.Logout{Session: "wa-gateway", DeviceID: "wa-gateway", Reason: "again", At: at(4)}))
	must(lc.Paired(ctx, whatsapp.Pairing{Session: "wa-gateway", DeviceID: "wa-gateway", JID: gw2, At: at(5)}))
	must(lc.Paired(ctx, whatsapp.Pairing{Session: "wa", DeviceID: "wa-admin", JID: main, At: at(6)}))
	if err := lc.Paired(ctx, whatsapp.Pairing{Session: "wa-admin", JID: main, At: at(7)}); err == nil {
		t.Fatal("a pairing of an unknown session was recorded")
	}
	info, err := n.Store.JetStream().Stream(ctx, "MESSAGING")
	if err != nil {
		t.Fatal(err)
	}
	head := info.CachedInfo().State.LastSeq
	if head != 4 {
		t.Fatalf("MESSAGING holds %d events, want 4 (repeats record nothing)", head)
	}
	t3, t5, t6 := at(3), at(5), at(6)
	want := []WASession{
		{Session: "wa", ClientID: "wa-admin", JID: main, Paired: true, PairedAt: &t6, Version: 4},
		{Session: "wa-gateway", ClientID: "wa-gateway", JID: gw2, Paired: true, PairedAt: &t5, LoggedOutAt: &t3,
			LogoutReason: "logged out: 401", Version: 3},
	}
	for _, batch := range []int{1, 5000} {
		t.Run(fmt.Sprintf("batch=%d", batch), func(t *testing.T) {
			pool, _ := testkit.NewDatabase(t)
			opts := pt.QuietOpts(t)
			opts.BatchSize = batch
			pt.StartRunner(t, projections.NewRunner(pool, n.Store, NewWASessions(n.Store.Registry()), opts))
			pt.WaitProjection(t, pool, WASessionsName, "MESSAGING", head)
			got, err := ListWASessions(ctx, pool)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Fatalf("wa_sessions (-want +got):\n%s", d)
			}
			if batch != 5000 {
				return
			}
			before := pt.Dump(t, pool, "wa_sessions")
			if err := projections.Rebuild(ctx, pool, n.Store, NewWASessions(n.Store.Registry()), nil); err != nil {
				t.Fatalf("rebuild: %v", err)
			}
			if d := cmp.Diff(before, pt.Dump(t, pool, "wa_sessions")); d != "" {
				t.Errorf("rebuilt read model differs (-live +rebuilt):\n%s", d)
			}
		})
	}
}
