package whatsapp_test

import (
	"context"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/wasession"
	cevents "github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/internal/whatsapp"
)

// history decodes the session's events.
func history(t *testing.T, store *cevents.Store, session string) []cevents.Payload {
	t.Helper()
	envs, _, err := store.Load(context.Background(), cevents.WhatsAppSessionSubject(session))
	if err != nil {
		t.Fatal(err)
	}
	out := make([]cevents.Payload, len(envs))
	for i := range envs {
		if out[i], err = store.Registry().Decode(&envs[i]); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestLifecycleEvents feeds whatsmeow's lifecycle events into the
// manager's handler, as a live connection would, and checks readiness,
// the legacy snapshot, whatsapp_devices and the recorded history
// (WhatsAppSessionPaired / WhatsAppSessionLoggedOut, each once).
func TestLifecycleEvents(t *testing.T) {
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	st, err := whatsapp.OpenStore(context.Background(), pool, testkit.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	rt := commands.NewRuntime(n.Store, commands.NewPGCommandLog(pool), testkit.Logger(t))
	m := newManager(t, whatsapp.Options{Store: st, Lifecycle: wasession.NewLifecycle(rt), Now: func() time.Time { return now }})
	const s = whatsapp.SessionGateway
	own := types.JID{User: "628111222333", Device: 12, Server: types.DefaultUserServer}

	m.HandleEvent(s, &events.QR{Codes: []string{"2@abc,def,ghi", "2@next"}})
	if code, ok := m.QR(s); !ok || code != "2@abc,def,ghi" || !m.Statuses()[0].AwaitingQR {
		t.Fatalf("QR %q %v, status %+v", code, ok, m.Statuses()[0])
	}
	m.HandleEvent(s, &events.PairSuccess{ID: own, Platform: "android"})
	m.HandleEvent(s, &events.PairSuccess{ID: own, Platform: "android"}) // re-reported: recorded once
	if _, ok := m.QR(s); ok {
		t.Fatal("QR still offered after pairing")
	}
	row, ok, err := st.Device(context.Background(), "wa-gateway")
	if err != nil || !ok || row.JID != own || row.Session != s || row.State != "paired" {
		t.Fatalf("device row %+v %v %v", row, ok, err)
	}
	h := history(t, n.Store, s)
	if len(h) != 1 {
		t.Fatalf("history %+v, want one pairing", h)
	}
	if p, ok := h[0].(*cevents.WhatsAppSessionPaired); !ok || p.JID != own.String() || p.ClientID != "wa-gateway" ||
		p.Platform != "android" || !p.PairedAt.Equal(now) {
		t.Fatalf("pairing event %+v", h[0])
	}
	if m.Ready(s) {
		t.Fatal("ready before Connected")
	}
	m.Attach(s, alwaysUp{}, types.JID{})
	m.HandleEvent(s, &events.Connected{})
	if !m.Ready(s) {
		t.Fatal("not ready after Connected")
	}
	m.HandleEvent(s, &events.Disconnected{})
	if st := m.Statuses()[0]; st.Ready || st.LastDisconnectReason != "disconnected" || st.LastAuthFailureAt != nil || !st.Paired {
		t.Fatalf("after Disconnected: %+v", st)
	}
	m.HandleEvent(s, &events.Connected{})
	m.HandleEvent(s, &events.TemporaryBan{Code: events.TempBanBlockedByUsers})
	if st := m.Statuses()[0]; st.Ready || st.LastAuthFailureAt == nil || st.LastDisconnectReason[:14] != "temporary ban:" {
		t.Fatalf("after TemporaryBan: %+v", st)
	}
	m.HandleEvent(s, &events.Connected{})
	m.HandleEvent(s, &events.StreamReplaced{})
	if st := m.Statuses()[0]; st.Ready || st.LastDisconnectReason != "stream replaced" {
		t.Fatalf("after StreamReplaced: %+v", st)
	}

	m.HandleEvent(s, &events.Connected{})
	m.HandleEvent(s, &events.LoggedOut{OnConnect: true, Reason: events.ConnectFailureLoggedOut})
	m.HandleEvent(s, &events.LoggedOut{OnConnect: true, Reason: events.ConnectFailureLoggedOut})
	stt := m.Statuses()[0]
	if stt.Ready || stt.Paired || !stt.AwaitingQR || stt.LastDisconnectReason != "logged out: 401: logged out from another device" {
		t.Fatalf("after LoggedOut: %+v", stt)
	}
	row, _, _ = st.Device(context.Background(), "wa-gateway")
	if !row.JID.IsEmpty() || row.State != "logged_out" || row.LastAuthFailureAt == nil {
		t.Fatalf("device row after logout %+v", row)
	}
	h = history(t, n.Store, s)
	if len(h) != 2 {
		t.Fatalf("history %+v, want pairing and one logout", h)
	}
	if o, ok := h[1].(*cevents.WhatsAppSessionLoggedOut); !ok || o.JID != own.String() || o.Reason != "logged out: 401: logged out from another device" {
		t.Fatalf("logout event %+v", h[1])
	}
	// The other sessions saw none of it.
	if h := history(t, n.Store, whatsapp.SessionMain); len(h) != 0 {
		t.Fatalf("main session history %+v", h)
	}
}

// alwaysUp is a client whose connection flags are up; lifecycle events
// alone decide readiness here.
type alwaysUp struct{ whatsapp.Client }

func (alwaysUp) IsConnected() bool { return true }
func (alwaysUp) IsLoggedIn() bool  { return true }
