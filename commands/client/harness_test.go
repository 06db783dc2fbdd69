package client_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/testkit"
)

// harness is one real JetStream and one fresh Postgres command log.
type harness struct {
	t  *testing.T
	n  *testkit.NATS
	rt *commands.Runtime
	h  *client.Handlers
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	rt := commands.NewRuntime(n.Store, commands.NewPGCommandLog(pool), testkit.Logger(t))
	return &harness{t: t, n: n, rt: rt, h: client.NewHandlers(rt)}
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

// events decodes every event stored on subject.
func (h *harness) events(subject string) []events.Payload {
	h.t.Helper()
	envs, _, err := h.n.Store.Load(ctx(h.t), subject)
	if err != nil {
		h.t.Fatalf("load %s: %v", subject, err)
	}
	out := make([]events.Payload, 0, len(envs))
	for i := range envs {
		p, err := h.n.Store.Registry().Decode(&envs[i])
		if err != nil {
			h.t.Fatalf("decode: %v", err)
		}
		out = append(out, p)
	}
	return out
}

func (h *harness) head() uint64 {
	h.t.Helper()
	v, err := h.n.Store.StreamHead(ctx(h.t), "DIRECTORY")
	if err != nil {
		h.t.Fatal(err)
	}
	return v
}

func (h *harness) mustRegister(cmd client.RegisterClient) {
	h.t.Helper()
	if _, err := h.h.RegisterClient(ctx(h.t), commands.Meta{Actor: "test"}, cmd); err != nil {
		h.t.Fatalf("register %s: %v", cmd.ClientID, err)
	}
}

// wantEvents compares the events of subject with want.
func (h *harness) wantEvents(subject string, want ...events.Payload) {
	h.t.Helper()
	if want == nil {
		want = []events.Payload{}
	}
	if d := cmp.Diff(want, h.events(subject)); d != "" {
		h.t.Fatalf("events of %s (-want +got):\n%s", subject, d)
	}
}

// wantRejected checks a business refusal: the error, the recorded outcome,
// and that nothing was appended.
func wantRejected(t *testing.T, out commands.Outcome, err error, code apperr.Code, field, msg string) {
	t.Helper()
	var ae *apperr.Error
	if !errors.As(err, &ae) {
		t.Fatalf("want *apperr.Error, got %v", err)
	}
	want := apperr.Error{Code: code, Field: field, Message: msg}
	if d := cmp.Diff(want, *ae); d != "" {
		t.Fatalf("error (-want +got):\n%s", d)
	}
	if d := cmp.Diff(&commands.Rejection{Code: code, Field: field, Message: msg}, out.Rejected); d != "" {
		t.Fatalf("outcome rejection (-want +got):\n%s", d)
	}
	if len(out.Appended) != 0 {
		t.Fatalf("rejected command appended %v", out.Appended)
	}
}

func ptr[T any](v T) *T { return &v }
