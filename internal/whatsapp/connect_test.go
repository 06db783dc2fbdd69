package whatsapp

import (
	"errors"
	"testing"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/store"
)

// TestReconnectBackoffIsCapped: whatsmeow waits 2s × failed attempts
// before reconnecting; the hook keeps trying and holds that at a minute.
func TestReconnectBackoffIsCapped(t *testing.T) {
	c := whatsmeow.NewClient(&store.Device{}, nil)
	hook := capReconnect(c)
	for _, c2 := range []struct{ before, after int }{{1, 1}, {29, 29}, {30, 30}, {31, 30}, {500, 30}} {
		c.AutoReconnectErrors = c2.before
		if !hook(errors.New("dial tcp: connection refused")) {
			t.Fatal("hook gave up reconnecting")
		}
		if c.AutoReconnectErrors != c2.after {
			t.Errorf("after %d failures the counter is %d, want %d", c2.before, c.AutoReconnectErrors, c2.after)
		}
	}
}
