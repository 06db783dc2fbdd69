package natsembed_test

import (
	"testing"
	"time"

	"github.com/cicero/cicero/internal/natsembed"
	"github.com/cicero/cicero/internal/testkit"
)

// By default every acknowledged append has been fsynced; a sync interval
// turns that off. Seen in the server's JetStream configuration and in what
// the kernel sends to storage.
func TestSyncBeforeAck(t *testing.T) {
	cases := []struct {
		name     string
		interval time.Duration
		always   bool
	}{
		{"default", 0, true},
		{"interval", time.Second, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, err := natsembed.Start(natsembed.Options{Name: "sync", StoreDir: t.TempDir(), SyncInterval: tc.interval})
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			if got := srv.JetStreamConfig().SyncAlways; got != tc.always {
				t.Fatalf("JetStream SyncAlways = %v, want %v", got, tc.always)
			}
			if tc.interval > 0 && srv.JetStreamConfig().SyncInterval != tc.interval {
				t.Fatalf("JetStream SyncInterval = %v, want %v", srv.JetStreamConfig().SyncInterval, tc.interval)
			}
			nc, err := srv.Connect("sync")
			if err != nil {
				t.Fatal(err)
			}
			defer nc.Close()
			testkit.CheckFsyncBeforeAck(t, nc, tc.always)
		})
	}
}
