package sagas

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cicero/cicero/internal/testkit"
)

func TestOutboxDepthGauge(t *testing.T) {
	r := newRig(t)
	reg := prometheus.NewRegistry()
	if err := RegisterOutboxMetrics(reg, r.pool); err != nil {
		t.Fatal(err)
	}
	r.mustSeed(t, "a", ChannelEmail, 5)
	r.mustSeed(t, "b", ChannelWhatsApp, 2)
	depth := func() map[string]float64 {
		t.Helper()
		mfs, err := reg.Gather()
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]float64{}
		for _, mf := range mfs {
			for _, m := range mf.GetMetric() {
				key := mf.GetName()
				for _, l := range m.GetLabel() {
					key += "/" + l.GetValue()
				}
				out[key] = m.GetGauge().GetValue()
			}
		}
		return out
	}
	before := depth()
	if before["cicero_outbox_messages/pending"] != 7 || before["cicero_outbox_messages/failed"] != 0 {
		t.Errorf("before dispatch: %v", before)
	}
	if before["cicero_outbox_oldest_pending_seconds"] < 0 {
		t.Errorf("oldest pending age %v", before["cicero_outbox_oldest_pending_seconds"])
	}
	// Email fails for good, WhatsApp is never dispatched: 5 failed, 2 pending.
	s := &RecordingSender{Fn: func(context.Context, Message, string) (string, error) {
		return "", Permanent(errors.New("mailbox unavailable"))
	}}
	startDispatcher(t, mustDispatcher(t, r, map[string]Sender{ChannelEmail: s}, fastOptions()))
	testkit.Eventually(t, 10*time.Second, func() error {
		if d := depth(); d["cicero_outbox_messages/failed"] != 5 {
			return fmt.Errorf("depth %v, want 5 failed", d)
		}
		return nil
	})
	after := depth()
	if after["cicero_outbox_messages/pending"] != 2 || after["cicero_outbox_messages/sending"] != 0 {
		t.Errorf("after dispatch: %v", after)
	}
	series := 0
	for k := range after {
		if strings.HasPrefix(k, "cicero_outbox_messages/") {
			series++
		}
	}
	if series != 3 {
		t.Errorf("%d status series, want 3 (sent is not depth)", series)
	}
}
