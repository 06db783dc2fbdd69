package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/cicero/cicero/internal/testkit"
)

// Replica is a real JetStream copy of a stream, frozen where the stream
// stood when it was made: a replica that stopped following its leader,
// made certain instead of hoped for. Tests route chosen API requests of the
// stream to it (DirectGets, Consumers) and check that code which must see
// the leader does, while appends and leader reads (STREAM.MSG.GET, stream
// info) still reach the stream. The copy sourced the stream from sequence
// 1, so its sequences are the stream's.
type Replica struct {
	t      *testing.T
	n      *testkit.NATS
	stream string
	// Name is the copy's stream name.
	Name string
	cfg  jetstream.StreamConfig
	src  []*jetstream.StreamSource
}

// FreezeReplica copies stream as it stands now and stops the copy there.
func FreezeReplica(t *testing.T, n *testkit.NATS, stream string) *Replica {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	js := n.Store.JetStream()
	head, err := n.Store.StreamHead(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	r := &Replica{t: t, n: n, stream: stream, Name: "FROZEN_" + stream}
	st, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: r.Name, Storage: jetstream.FileStorage, AllowDirect: true,
		Sources: []*jetstream.StreamSource{{Name: stream}}})
	if err != nil {
		t.Fatal(err)
	}
	testkit.Eventually(t, 10*time.Second, func() error {
		info, err := st.Info(ctx)
		if err != nil {
			return err
		}
		if info.State.LastSeq != head {
			return fmt.Errorf("copy at %d of %d", info.State.LastSeq, head)
		}
		return nil
	})
	r.cfg = st.CachedInfo().Config
	r.src, r.cfg.Sources = r.cfg.Sources, nil
	if _, err := js.UpdateStream(ctx, r.cfg); err != nil {
		t.Fatal(err)
	}
	return r
}

// Resume lets the copy follow the stream again, from where it stopped, as
// a lagging replica catches up. Safe to call from a callback.
func (r *Replica) Resume() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cfg := r.cfg
	cfg.Sources = r.src
	if _, err := r.n.Store.JetStream().UpdateStream(ctx, cfg); err != nil {
		r.t.Errorf("resume %s: %v", r.Name, err)
	}
}

// DirectGets makes every direct get of the stream answered by the copy.
func (r *Replica) DirectGets() {
	r.t.Helper()
	if err := r.n.Server.GlobalAccount().AddMapping("$JS.API.DIRECT.GET."+r.stream, "$JS.API.DIRECT.GET."+r.Name); err != nil {
		r.t.Fatal(err)
	}
}

// Consumers makes every consumer of the stream live on, and be fed from,
// the copy: as if the server placed it on a replica that is behind.
// Creation goes through a relay that names the copy in the request body
// (the server checks it against the subject); the other consumer API
// requests are mapped.
func (r *Replica) Consumers() {
	t := r.t
	t.Helper()
	nc := r.n.Conn
	relay := "relay.create." + r.stream
	sub, err := nc.Subscribe(relay+".>", func(m *nats.Msg) {
		var req map[string]any
		if err := json.Unmarshal(m.Data, &req); err != nil {
			t.Errorf("relay: %v", err)
			return
		}
		req["stream_name"] = r.Name
		body, err := json.Marshal(req)
		if err != nil {
			t.Errorf("relay: %v", err)
			return
		}
		resp, err := nc.Request("$JS.API.CONSUMER.CREATE."+r.Name+strings.TrimPrefix(m.Subject, relay), body, 5*time.Second)
		if err != nil {
			t.Errorf("relay: %v", err)
			return
		}
		if err := m.Respond(resp.Data); err != nil {
			t.Errorf("relay: %v", err)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sub.Unsubscribe() })
	acc := r.n.Server.GlobalAccount()
	for src, dst := range map[string]string{
		"$JS.API.CONSUMER.CREATE." + r.stream + ".>":   relay + ".>",
		"$JS.API.CONSUMER.MSG.NEXT." + r.stream + ".*": "$JS.API.CONSUMER.MSG.NEXT." + r.Name + ".{{wildcard(1)}}",
		"$JS.API.CONSUMER.INFO." + r.stream + ".*":     "$JS.API.CONSUMER.INFO." + r.Name + ".{{wildcard(1)}}",
		"$JS.API.CONSUMER.DELETE." + r.stream + ".*":   "$JS.API.CONSUMER.DELETE." + r.Name + ".{{wildcard(1)}}",
	} {
		if err := acc.AddMapping(src, dst); err != nil {
			t.Fatalf("map %s: %v", src, err)
		}
	}
}
