package whatsapp

import (
	"context"
	"fmt"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/proto/waAdv"
	"go.mau.fi/whatsmeow/types"

	"github.com/cicero/cicero/internal/testkit"
)

// TestStoreInOurPostgres: the device store opens over our pool, whatsmeow's
// upgrades create its tables in our database (once: a second open is a
// no-op), and whatsmeow keeps a device there that it can load again.
func TestStoreInOurPostgres(t *testing.T) {
	pool, _ := testkit.NewDatabase(t)
	ctx := context.Background()
	var before int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'whatsmeow_%'`).Scan(&before); err != nil {
		t.Fatal(err)
	}
	if before != 0 {
		t.Fatalf("%d whatsmeow tables before opening the store", before)
	}
	for range 2 {
		st, err := OpenStore(ctx, pool, testkit.Logger(t))
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Close(); err != nil {
			t.Fatal(err)
		}
	}
	for _, table := range []string{"whatsmeow_version", "whatsmeow_device", "whatsmeow_identity_keys", "whatsmeow_sessions",
		"whatsmeow_pre_keys", "whatsmeow_message_secrets", "whatsmeow_lid_map", "whatsapp_devices"} {
		var ok bool
		if err := pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1)`, table).Scan(&ok); err != nil || !ok {
			t.Errorf("table %s missing (%v)", table, err)
		}
	}
	// The pool is still usable after Close (the store closed only its
	// database/sql handle).
	if err := pool.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	st, err := OpenStore(ctx, pool, testkit.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	jid := types.JID{User: "628111222333", Device: 3, Server: types.DefaultUserServer}
	dev := st.Container().NewDevice()
	dev.ID = &jid
	// What pairing fills in (the phone's signature over the device).
	dev.Account = &waAdv.ADVSignedDeviceIdentity{Details: []byte("details"), AccountSignature: make([]byte, 64),
		AccountSignatureKey: make([]byte, 32), DeviceSignature: make([]byte, 64)}
	if err := st.Container().PutDevice(ctx, dev); err != nil {
		t.Fatal(err)
	}
	got, err := st.Container().GetDevice(ctx, jid)
	if err != nil || got == nil || got.RegistrationID != dev.RegistrationID {
		t.Fatalf("device back from our Postgres: %+v %v", got, err)
	}
}

// TestRunDialsOnlyPairedSessions: with nothing paired, Run connects
// nothing (no client, no network); a session whose paired device is gone
// from whatsmeow's store is marked logged out without dialling.
func TestRunDialsOnlyPairedSessions(t *testing.T) {
	pool, _ := testkit.NewDatabase(t)
	ctx := context.Background()
	st, err := OpenStore(ctx, pool, testkit.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	gone := types.JID{User: "628111222333", Device: 4, Server: types.DefaultUserServer}
	if err := st.SetPaired(ctx, "wa-userrequest", SessionUser, gone, time.Now().Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	// Paired a moment ago by wa-login in another process: left alone for
	// now (that process may still hold the connection).
	fresh := types.JID{User: "628111222444", Device: 2, Server: types.DefaultUserServer}
	if err := st.SetPaired(ctx, "wa-gateway", SessionGateway, fresh, time.Now()); err != nil {
		t.Fatal(err)
	}
	m, err := NewManager(Options{Devices: Devices{Main: "wa-admin", User: "wa-userrequest", Gateway: "wa-gateway"},
		Store: st, RecheckInterval: 10 * time.Millisecond, Logger: testkit.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	run, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- m.Run(run) }()
	testkit.Eventually(t, 5*time.Second, func() error {
		row, _, err := st.Device(ctx, "wa-userrequest")
		if err != nil {
			return err
		}
		if row.State != "logged_out" {
			return fmt.Errorf("state %s", row.State)
		}
		return nil
	})
	time.Sleep(50 * time.Millisecond) // several rechecks
	for _, s := range m.sessions {
		s.mu.Lock()
		wm, c := s.wm, s.client
		s.mu.Unlock()
		if wm != nil || c != nil {
			t.Errorf("session %s has a client although nothing is paired", s.name)
		}
	}
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if row, _, _ := st.Device(ctx, "wa-userrequest"); !row.JID.IsEmpty() || row.State != "logged_out" {
		t.Fatalf("row %+v", row)
	}
	if row, _, _ := st.Device(ctx, "wa-gateway"); row.JID != fresh || row.State != "paired" {
		t.Fatalf("freshly paired row touched: %+v", row)
	}
	if st := m.Statuses(); st[0].Name != SessionGateway || !st[0].Paired || st[0].Ready || st[1].Paired || st[2].Paired || st[2].AwaitingQR != true {
		t.Fatalf("statuses %+v", st)
	}
}

// TestRunDropsADeviceLoggedOutElsewhere: `cicero wa-logout` (another
// process) unlinked the device serve runs; the next recheck stops serve's
// client, so a new pairing gets connected instead of the dead one.
func TestRunDropsADeviceLoggedOutElsewhere(t *testing.T) {
	pool, _ := testkit.NewDatabase(t)
	ctx := context.Background()
	st, err := OpenStore(ctx, pool, testkit.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	m, err := NewManager(Options{Devices: Devices{Main: "wa-admin", User: "wa-userrequest", Gateway: "wa-gateway"},
		Store: st, Logger: testkit.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	jid := types.JID{User: "628111222555", Device: 6, Server: types.DefaultUserServer}
	s := m.sessions[SessionMain]
	old := m.newClient(s, st.Container().NewDevice()) // never connected: no network
	if err := m.Attach(SessionMain, old, jid); err != nil {
		t.Fatal(err)
	}
	s.update(func(s *session) { s.wm = old })
	if err := st.SetPaired(ctx, "wa-admin", SessionMain, jid, time.Now().Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	m.connectPaired(ctx) // the store still holds the device: left running
	if s.wm != old {
		t.Fatal("running client dropped although its device is still paired")
	}
	if err := st.SetLoggedOut(ctx, "wa-admin", SessionMain, "logged out by cicero wa-logout", time.Now()); err != nil {
		t.Fatal(err)
	}
	m.connectPaired(ctx)
	if st := m.Statuses()[1]; s.wm != nil || s.client != nil || st.Paired || !st.AwaitingQR {
		t.Fatalf("after the logout elsewhere: client kept or status %+v", st)
	}
}
