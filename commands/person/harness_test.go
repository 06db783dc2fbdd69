package person_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/testkit"
)

// harness is one real JetStream and one fresh Postgres command log.
type harness struct {
	t       *testing.T
	n       *testkit.NATS
	rt      *commands.Runtime
	h       *person.Handlers
	clients *client.Handlers
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	rt := commands.NewRuntime(n.Store, commands.NewPGCommandLog(pool), testkit.Logger(t))
	h := &harness{t: t, n: n, rt: rt, h: person.NewHandlers(rt), clients: client.NewHandlers(rt)}
	for _, id := range []string{"POLRES_A", "POLRES_B"} {
		if _, err := h.clients.RegisterClient(ctx(t), commands.Meta{}, client.RegisterClient{ClientID: id, Nama: id}); err != nil {
			t.Fatalf("register client %s: %v", id, err)
		}
	}
	return h
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

// mustRegister registers a person of POLRES_A with nrp and nama.
func (h *harness) mustRegister(nrp string, roles ...string) {
	h.t.Helper()
	cmd := person.RegisterPerson{NRP: nrp, Nama: "Budi " + nrp, ClientID: "POLRES_A", Roles: roles}
	if _, err := h.h.RegisterPerson(ctx(h.t), commands.Meta{Actor: "test"}, cmd); err != nil {
		h.t.Fatalf("register %s: %v", nrp, err)
	}
}

// registered returns the PersonRegistered event of nrp (first event).
func (h *harness) registered(nrp string) events.Payload {
	h.t.Helper()
	evs := h.events(events.PersonSubject(nrp))
	if len(evs) == 0 {
		h.t.Fatalf("%s has no events", nrp)
	}
	return evs[0]
}

// do checks a command that must succeed and append to `appended`
// subjects: h.do(1)(h.h.GrantRole(...)).
func (h *harness) do(appended int) func(commands.Outcome, error) commands.Outcome {
	return func(out commands.Outcome, err error) commands.Outcome {
		h.t.Helper()
		if err != nil {
			h.t.Fatalf("command failed: %v", err)
		}
		if len(out.Appended) != appended {
			h.t.Fatalf("appended %d commits, want %d: %+v", len(out.Appended), appended, out.Appended)
		}
		return out
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
