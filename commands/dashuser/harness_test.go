package dashuser_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/crypto/bcrypt"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/testkit"
)

// harness is one real JetStream, one fresh Postgres command log, three
// registered clients and a clock the test moves.
type harness struct {
	t     *testing.T
	n     *testkit.NATS
	pool  *pgxpool.Pool
	h     *dashuser.Handlers
	clock *clock
}

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

var t0 = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

func newHarness(t *testing.T) *harness {
	t.Helper()
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	rt := commands.NewRuntime(n.Store, commands.NewPGCommandLog(pool), testkit.Logger(t))
	clk := &clock{t: t0}
	h := &harness{t: t, n: n, pool: pool, clock: clk,
		h: dashuser.NewHandlers(rt, dashuser.WithHashCost(bcrypt.MinCost), dashuser.WithClock(clk.now))}
	clients := client.NewHandlers(rt)
	for _, c := range []client.RegisterClient{
		{ClientID: "POLRES_A", Nama: "POLRES A"},
		{ClientID: "POLRES_B", Nama: "POLRES B"},
		{ClientID: "DITBINMAS", Nama: "DIREKTORAT BINMAS", ClientType: client.TypeDirektorat},
	} {
		if _, err := clients.RegisterClient(ctx(t), commands.Meta{}, c); err != nil {
			t.Fatalf("register client %s: %v", c.ClientID, err)
		}
	}
	return h
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

// validRegistration is a registration every rule accepts.
func validRegistration(username string) dashuser.RegisterDashboardUser {
	return dashuser.RegisterDashboardUser{Username: username, Password: "rahasia123", WhatsApp: "081234567890",
		ClientIDs: []string{"POLRES_A"}}
}

// mustRegister registers a pending operator of POLRES_A and returns its id.
func (h *harness) mustRegister(username string) string {
	h.t.Helper()
	id, _, err := h.h.RegisterDashboardUser(ctx(h.t), commands.Meta{Actor: "anon"}, validRegistration(username))
	if err != nil {
		h.t.Fatalf("register %s: %v", username, err)
	}
	return id
}

// mustApprove approves id as an admin.
func (h *harness) mustApprove(id string) {
	h.t.Helper()
	cmd := dashuser.ApproveDashboardUser{DashboardUserID: id, ActorRole: dashuser.RoleAdmin}
	if _, err := h.h.ApproveDashboardUser(ctx(h.t), commands.Meta{Actor: "dashboard:admin"}, cmd); err != nil {
		h.t.Fatalf("approve: %v", err)
	}
}

// envelopes returns the stored envelopes of subject.
func (h *harness) envelopes(subject string) []events.Envelope {
	h.t.Helper()
	envs, _, err := h.n.Store.Load(ctx(h.t), subject)
	if err != nil {
		h.t.Fatalf("load %s: %v", subject, err)
	}
	return envs
}

// events decodes every event stored on subject.
func (h *harness) events(subject string) []events.Payload {
	h.t.Helper()
	envs := h.envelopes(subject)
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
	v, err := h.n.Store.StreamHead(ctx(h.t), "ACCESS")
	if err != nil {
		h.t.Fatal(err)
	}
	return v
}

// user returns the folded state of id.
func (h *harness) user(id string) dashuser.User {
	h.t.Helper()
	u, err := h.h.Get(ctx(h.t), id)
	if err != nil {
		h.t.Fatalf("get %s: %v", id, err)
	}
	return u
}

// do checks a command that must succeed and append to `appended` subjects.
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

// wantEvents compares the events of subject with want; password hashes are
// compared by what they verify, not by their (salted) text.
func (h *harness) wantEvents(subject string, want ...events.Payload) {
	h.t.Helper()
	if want == nil {
		want = []events.Payload{}
	}
	if d := cmp.Diff(want, h.events(subject), ignoreHashes); d != "" {
		h.t.Fatalf("events of %s (-want +got):\n%s", subject, d)
	}
}

var ignoreHashes = cmp.FilterPath(func(p cmp.Path) bool {
	sf, ok := p.Last().(cmp.StructField)
	return ok && sf.Name() == "PasswordHash"
}, cmp.Ignore())

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
