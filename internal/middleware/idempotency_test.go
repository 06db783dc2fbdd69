package middleware_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/internal/middleware"
	"github.com/cicero/cicero/internal/testkit"
)

// idemServer is Access's stand-in (X-Who names the caller), Idempotency and
// Dedup as serve chains them, and a handler that counts its runs, answers
// ?status=N and blocks while ?block=1 until release is closed.
type idemServer struct {
	srv     *httptest.Server
	runs    atomic.Int32
	release chan struct{}
}

func newIdemServer(t *testing.T) *idemServer {
	t.Helper()
	rdb := testkit.NewRedis(t)
	log := testkit.Logger(t)
	s := &idemServer{release: make(chan struct{})}
	prefix := uniq("idemtest") + ":"
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := s.runs.Add(1)
		if r.URL.Query().Get("block") != "" {
			<-s.release
		}
		body, _ := io.ReadAll(r.Body)
		status := http.StatusCreated
		if q := r.URL.Query().Get("status"); q != "" {
			fmt.Sscan(q, &status)
		}
		w.Header().Set("X-Cicero-Position", fmt.Sprintf("DIRECTORY:%d", n))
		httpx.JSON(w, status, map[string]any{"run": n, "body": string(body)})
	})
	chain := middleware.Idempotency(middleware.IdempotencyConfig{Redis: rdb, Log: log, KeyPrefix: prefix, Secret: []byte("k")})(
		middleware.Dedup(middleware.DedupConfig{Redis: rdb, Log: log, KeyPrefix: prefix + "dedup:"})(handler))
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if who := r.Header.Get("X-Who"); who != "" {
			r = r.WithContext(auth.WithPrincipal(r.Context(), &auth.Principal{Kind: auth.KindDashboard, ID: who}))
		}
		chain.ServeHTTP(w, r)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

type idemAnswer struct {
	status   int
	body     string
	replayed bool
	position string
}

func (s *idemServer) post(t *testing.T, path, key, who, body string) idemAnswer {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.srv.URL+path, strings.NewReader(body))
	if key != "" {
		req.Header.Set(middleware.IdempotencyHeader, key)
	}
	if who != "" {
		req.Header.Set("X-Who", who)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return idemAnswer{status: res.StatusCode, body: strings.TrimSpace(string(raw)),
		replayed: res.Header.Get(middleware.IdempotencyReplayedHeader) == "true", position: res.Header.Get("X-Cicero-Position")}
}

func TestIdempotencyKey(t *testing.T) {
	s := newIdemServer(t)
	key := uniq("key")
	first := s.post(t, "/api/users/create", key, "op1", `{"nrp":"1"}`)
	if first.status != http.StatusCreated || first.replayed {
		t.Fatalf("first: %+v", first)
	}
	// A retry (a timeout on the app's side) gets the first answer, not a
	// second run and not the duplicate 429.
	again := s.post(t, "/api/users/create", key, "op1", `{"nrp":"1"}`)
	if again.status != first.status || again.body != first.body || again.position != first.position || !again.replayed {
		t.Fatalf("retry answered %+v, want the first answer %+v replayed", again, first)
	}
	if n := s.runs.Load(); n != 1 {
		t.Fatalf("handler ran %d times, want 1", n)
	}
	// The same key for another request is a client bug: 422.
	if a := s.post(t, "/api/users/create", key, "op1", `{"nrp":"2"}`); a.status != http.StatusUnprocessableEntity ||
		!strings.Contains(a.body, middleware.IdempotencyMsgMismatch) {
		t.Fatalf("same key, other body: %+v", a)
	}
	if a := s.post(t, "/api/users/other", key, "op1", `{"nrp":"1"}`); a.status != http.StatusUnprocessableEntity {
		t.Fatalf("same key, other path: %+v", a)
	}
	// Keys are scoped to the caller: another operator's equal key is his.
	if a := s.post(t, "/api/users/create", key, "op2", `{"nrp":"1"}`); a.status != http.StatusCreated || a.replayed {
		t.Fatalf("another caller's key: %+v", a)
	}
	// Without a key, identical requests meet the 5-minute de-duplication.
	if a := s.post(t, "/api/users/create", "", "op3", `{"nrp":"9"}`); a.status != http.StatusCreated {
		t.Fatalf("unkeyed: %+v", a)
	}
	if a := s.post(t, "/api/users/create", "", "op3", `{"nrp":"9"}`); a.status != http.StatusTooManyRequests {
		t.Fatalf("unkeyed repeat: %+v, want 429", a)
	}
}

func TestIdempotencyKeyRefusals(t *testing.T) {
	s := newIdemServer(t)
	for _, key := range []string{" ", `""`, strings.Repeat("k", 256), "kunci😀"} {
		if a := s.post(t, "/api/x", key, "op", `{}`); a.status != http.StatusBadRequest {
			t.Errorf("key %q: %+v", key, a)
		}
	}
	if n := s.runs.Load(); n != 0 {
		t.Fatalf("refused keys ran the handler %d times", n)
	}
}

func TestIdempotencyKeyWhileRunning(t *testing.T) {
	s := newIdemServer(t)
	key := uniq("key")
	var wg sync.WaitGroup
	var first idemAnswer
	wg.Go(func() { first = s.post(t, "/api/x?block=1", key, "op", `{}`) })
	testkit.Eventually(t, 5*time.Second, func() error {
		if s.runs.Load() == 0 {
			return fmt.Errorf("first request not running yet")
		}
		return nil
	})
	if a := s.post(t, "/api/x?block=1", key, "op", `{}`); a.status != http.StatusConflict ||
		!strings.Contains(a.body, middleware.IdempotencyMsgRunning) {
		t.Fatalf("while the first runs: %+v, want 409", a)
	}
	close(s.release)
	wg.Wait()
	if first.status != http.StatusCreated {
		t.Fatalf("first: %+v", first)
	}
	if a := s.post(t, "/api/x?block=1", key, "op", `{}`); !a.replayed || a.body != first.body {
		t.Fatalf("after the first finished: %+v", a)
	}
}

func TestIdempotencyKeyServerErrorIsNotKept(t *testing.T) {
	s := newIdemServer(t)
	key := uniq("key")
	if a := s.post(t, "/api/x?status=503", key, "op", `{}`); a.status != http.StatusServiceUnavailable {
		t.Fatalf("first: %+v", a)
	}
	if a := s.post(t, "/api/x?status=503", key, "op", `{}`); a.replayed || s.runs.Load() != 2 {
		t.Fatalf("a 5xx was replayed (%+v, %d runs): a retry must run again", a, s.runs.Load())
	}
	// A refusal (4xx) is the answer and is kept.
	k2 := uniq("key")
	s.post(t, "/api/x?status=400", k2, "op", `{}`)
	if a := s.post(t, "/api/x?status=400", k2, "op", `{}`); !a.replayed || a.status != http.StatusBadRequest {
		t.Fatalf("4xx retry: %+v, want the kept refusal", a)
	}
}
