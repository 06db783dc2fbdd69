package writeapi_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apitest"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/projections"
	"github.com/cicero/cicero/projections/directory"
	"github.com/cicero/cicero/writeapi"
)

// held is a read model whose batches wait while it is held.
type held struct {
	projections.Projection
	mu   sync.Mutex
	gate chan struct{} // nil: not held
}

func (h *held) hold() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.gate = make(chan struct{})
}

func (h *held) release() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.gate != nil {
		close(h.gate)
		h.gate = nil
	}
}

func (h *held) Apply(ctx context.Context, tx pgx.Tx, t projections.Tables, batch []events.Envelope) error {
	h.mu.Lock()
	gate := h.gate
	h.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return h.Projection.Apply(ctx, tx, t, batch)
}

// TestWriteAnswerNeverShowsThePreWriteRow: a write whose read model lags
// past the wait answers no row, flagged stale — never the row as it was
// before the write, which a caller would take for the result.
func TestWriteAnswerNeverShowsThePreWriteRow(t *testing.T) {
	var dir *held
	s := apitest.NewStack(t, apitest.StackOptions{NoDedup: true}, func(reg *events.Registry) projections.Projection {
		dir = &held{Projection: directory.New(reg)}
		return dir
	})
	t.Cleanup(dir.release)
	queries := directory.NewQueries(s.Pool)
	people := person.NewHandlers(s.RT)
	shortWait := func(ctx context.Context, ps []events.Position) error {
		return s.Mgr.WaitFor(ctx, directory.Name, ps, 300*time.Millisecond)
	}
	s.Serve(func(api *auth.Router) {
		writeapi.MountUserCommands(api, writeapi.UserCommandsDeps{Directory: queries, People: people,
			WaitForDirectory: shortWait, Logger: s.Log})
	})
	s.RegisterClients(client.RegisterClient{ClientID: "POLRES_A", Nama: "POLRES A"})
	o, err := people.RegisterPerson(apitest.Ctx(t), commands.Meta{Actor: "test"},
		person.RegisterPerson{NRP: "81000001", Nama: "LAMA", ClientID: "POLRES_A", WhatsApp: "081200000001"})
	if err != nil {
		t.Fatal(err)
	}
	s.Settle(directory.Name, o.Positions())
	admin := s.Token(auth.KindDashboard, auth.Claims{DashboardUserID: "admin-1", Username: "admin", Role: "admin",
		ClientIDs: []string{"POLRES_A"}})

	dir.hold()
	res := s.Do(http.MethodPut, "/api/users/81000001", `{"nama":"BARU"}`, admin)
	if res.Status != http.StatusOK || res.Header.Get(writeapi.ConsistencyHeader) != "stale" {
		t.Fatalf("lagging write: %d %v %s", res.Status, res.Header, res.Raw)
	}
	if res.Body["data"] != nil {
		t.Fatalf("lagging write answered a row as its result: %s", res.Raw)
	}
	if res.Header.Get(writeapi.PositionHeader) == "" {
		t.Fatalf("lagging write answered without its positions: %v", res.Header)
	}

	dir.release()
	res = s.Do(http.MethodPut, "/api/users/81000001", `{"jabatan":"KASAT"}`, admin)
	if res.Status != http.StatusOK || res.Header.Get(writeapi.ConsistencyHeader) == "stale" {
		t.Fatalf("write after catch-up: %d %v %s", res.Status, res.Header, res.Raw)
	}
	if d := res.Data(); d["nama"] != "BARU" || d["jabatan"] != "KASAT" {
		t.Fatalf("write after catch-up answered %s", res.Raw)
	}
}
