package readapi_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/cicero/cicero/projections/directory"

	"github.com/go-chi/chi/v5"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/projections"
	"github.com/cicero/cicero/readapi"
)

type managerWaiter struct{ m *projections.Manager }

func (w managerWaiter) WaitFor(ctx context.Context, ps []events.Position) error {
	dl, _ := ctx.Deadline()
	return w.m.WaitForAll(ctx, ps, time.Until(dl))
}

// TestMinPositionReadsYourWrites: a read naming the position a write returned
// sees that write, even though the projection applies asynchronously.
func TestMinPositionReadsYourWrites(t *testing.T) {
	n := testkit.StartNATS(t)
	pool, _ := testkit.NewDatabase(t)
	m, err := projections.NewManager(pool, n.Store, projections.RunnerOptions{Linger: 50 * time.Millisecond},
		directory.New(n.Store.Registry()))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = m.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })

	q := directory.NewQueries(pool)
	r := chi.NewRouter()
	r.Use(readapi.MinPosition(managerWaiter{m}, 3*time.Second, testkit.Logger(t)))
	r.Get("/client/{id}", func(w http.ResponseWriter, req *http.Request) {
		c, err := q.Client(req.Context(), chi.URLParam(req, "id"))
		if errors.Is(err, directory.ErrNotFound) {
			httpx.JSON(w, http.StatusNotFound, httpx.ErrorBody{Message: "Client not found"})
			return
		}
		if err != nil {
			t.Error(err)
			return
		}
		httpx.JSON(w, http.StatusOK, c)
	})
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)

	get := func(header string) *http.Response {
		req, _ := http.NewRequest("GET", srv.URL+"/client/POLRESA", nil)
		if header != "" {
			req.Header.Set(readapi.MinPositionHeader, header)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}

	for i := 0; i < 5; i++ {
		id := []string{"POLRESB", "POLRESC", "POLRESD", "POLRESE", "POLRESA"}[i]
		a, err := n.Store.Append(ctx, events.Meta{}, events.Commit{Subject: events.ClientSubject(id), AggregateID: id,
			Events: []events.Payload{events.ClientRegistered{ClientID: id, Nama: "POLRES " + id, ClientType: "org"}}})
		if err != nil {
			t.Fatal(err)
		}
		if id != "POLRESA" {
			continue
		}
		resp := get(readapi.FormatPositions([]events.Position{{Stream: a.Stream, Sequence: a.Sequence}}))
		if resp.StatusCode != http.StatusOK || resp.Header.Get(readapi.ConsistencyHeader) != "caught-up" {
			t.Fatalf("read after write = %d %q, want 200 caught-up", resp.StatusCode, resp.Header.Get(readapi.ConsistencyHeader))
		}
	}

	start := time.Now()
	resp := get("DIRECTORY:999999")
	if resp.Header.Get(readapi.ConsistencyHeader) != "stale" || time.Since(start) < 3*time.Second {
		t.Fatalf("unreachable position: consistency %q after %s, want stale after the 3s bound",
			resp.Header.Get(readapi.ConsistencyHeader), time.Since(start))
	}
	if resp := get("garbage"); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad header = %d, want 400", resp.StatusCode)
	}
}

func TestParsePositions(t *testing.T) {
	cases := []struct {
		in   string
		want string
		bad  bool
	}{
		{"DIRECTORY:42", "DIRECTORY:42", false},
		{"directory:1, social:7", "DIRECTORY:1,SOCIAL:7", false},
		{"DIRECTORY", "", true},
		{"DIRECTORY:-1", "", true},
		{":5", "", true},
	}
	for _, c := range cases {
		ps, err := readapi.ParsePositions(c.in)
		if (err != nil) != c.bad {
			t.Fatalf("%q: err %v, bad=%v", c.in, err, c.bad)
		}
		if !c.bad && readapi.FormatPositions(ps) != c.want {
			t.Fatalf("%q → %q, want %q", c.in, readapi.FormatPositions(ps), c.want)
		}
	}
}
