package rapidapitest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// Request is what the server received.
type Request struct {
	Path   string // without the leading '/'
	Query  url.Values
	Header http.Header
	At     time.Time
}

// Server is a scripted RapidAPI peer. Paths without a handler answer 404.
type Server struct {
	*httptest.Server
	mu     sync.Mutex
	routes map[string]http.HandlerFunc
	reqs   []Request
}

// NewServer starts a Server, closed at the end of the test.
func NewServer(tb testing.TB) *Server {
	tb.Helper()
	s := &Server{routes: map[string]http.HandlerFunc{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	tb.Cleanup(s.Close)
	return s
}

// Handle sets the handler of path (given without the leading '/').
func (s *Server) Handle(path string, h http.HandlerFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.routes[strings.TrimPrefix(path, "/")] = h
}

// Requests returns the requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.reqs...)
}

// Count returns how many requests path received.
func (s *Server) Count(path string) int {
	n := 0
	for _, r := range s.Requests() {
		if r.Path == path {
			n++
		}
	}
	return n
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, "/")
	s.mu.Lock()
	s.reqs = append(s.reqs, Request{Path: path, Query: r.URL.Query(), Header: r.Header.Clone(), At: time.Now()})
	h := s.routes[path]
	s.mu.Unlock()
	if h == nil {
		http.Error(w, fmt.Sprintf(`{"message":"no route %s"}`, path), http.StatusNotFound)
		return
	}
	h(w, r)
}

// JSON answers status with body.
func JSON(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}
}

// OK answers 200 with body.
func OK(body string) http.HandlerFunc { return JSON(http.StatusOK, body) }

// Sequence answers the nth request with hs[n]; the last handler answers
// every request after that.
func Sequence(hs ...http.HandlerFunc) http.HandlerFunc {
	var mu sync.Mutex
	n := 0
	return func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		h := hs[min(n, len(hs)-1)]
		n++
		mu.Unlock()
		h(w, r)
	}
}

// ByQuery picks the handler by the value of query parameter key; a value
// without a handler answers 404.
func ByQuery(key string, hs map[string]http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if h, ok := hs[r.URL.Query().Get(key)]; ok {
			h(w, r)
			return
		}
		http.Error(w, `{"message":"not found"}`, http.StatusNotFound)
	}
}

// Truncated promises a body of twice body's length, writes body, and
// closes the connection: the client sees the answer end mid-body.
func Truncated(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			panic(err)
		}
		defer conn.Close()
		fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
			2*len(body), body)
		_ = buf.Flush()
	}
}

// Hang answers nothing until the client gives up (or the server closes).
func Hang() http.HandlerFunc {
	return func(_ http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}
}
