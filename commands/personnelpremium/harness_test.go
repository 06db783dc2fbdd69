package personnelpremium_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/personnelpremium"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/testkit"
)

// t0 is 2 March 2026, 10:00 WIB.
var t0 = time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC)

// clock is the handlers' controllable time.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

var admin = personnelpremium.Actor{ID: "dashboard:admin-1", Role: "admin"}

// harness is one real JetStream, one fresh Postgres command log and the
// handlers on a controlled clock.
type harness struct {
	t   *testing.T
	n   *testkit.NATS
	clk *clock
	h   *personnelpremium.Handlers
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	rt := commands.NewRuntime(n.Store, commands.NewPGCommandLog(pool), testkit.Logger(t))
	clk := &clock{t: t0}
	return &harness{t: t, n: n, clk: clk, h: personnelpremium.NewHandlers(rt, clk.now)}
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

// person appends what commands/person appends for a registration.
func (h *harness) person(nrp string) {
	h.t.Helper()
	_, err := h.n.Store.Append(ctx(h.t), events.Meta{Actor: "test"}, events.Commit{Subject: events.PersonSubject(nrp),
		AggregateID: nrp, Events: []events.Payload{events.PersonRegistered{NRP: nrp, Nama: "BUDI", ClientID: "POLRES_A",
			Roles: []string{}}}})
	if err != nil {
		h.t.Fatalf("register person: %v", err)
	}
}

// events decodes every event on the person's premium subject.
func (h *harness) events(nrp string) []events.Payload {
	h.t.Helper()
	envs, _, err := h.n.Store.Load(ctx(h.t), events.PersonnelPremiumSubject(nrp))
	if err != nil {
		h.t.Fatalf("load: %v", err)
	}
	out := []events.Payload{}
	for i := range envs {
		p, err := h.n.Store.Registry().Decode(&envs[i])
		if err != nil {
			h.t.Fatalf("decode: %v", err)
		}
		out = append(out, p)
	}
	return out
}

// wantEvents compares the person's premium events with want.
func (h *harness) wantEvents(nrp string, want ...events.Payload) {
	h.t.Helper()
	if want == nil {
		want = []events.Payload{}
	}
	if d := cmp.Diff(want, h.events(nrp)); d != "" {
		h.t.Fatalf("personnel premium events (-want +got):\n%s", d)
	}
}

// do checks a command that must succeed and append `appended` commits.
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

// request files a valid request and returns its id.
func (h *harness) request(nrp string) string {
	h.t.Helper()
	out := h.do(1)(h.h.RequestPremium(ctx(h.t), commands.Meta{Actor: "user:" + nrp}, personnelpremium.RequestPremium{
		UserID: nrp, SenderName: "Budi", AccountNumber: "0123", BankName: "BRI"}))
	return personnelpremium.RequestIDFor(out.CommandID)
}

// wantRejected checks a business refusal: the error, the recorded outcome,
// and that nothing was appended.
func wantRejected(t *testing.T, out commands.Outcome, err error, code apperr.Code, field, msg string) {
	t.Helper()
	var ae *apperr.Error
	if !errors.As(err, &ae) {
		t.Fatalf("want *apperr.Error, got %v", err)
	}
	if d := cmp.Diff(apperr.Error{Code: code, Field: field, Message: msg}, *ae); d != "" {
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
