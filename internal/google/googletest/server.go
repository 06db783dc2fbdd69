// Package googletest is a local stand-in for the two Google JSON APIs
// Cicero calls, for tests: People v1 (people:searchContacts,
// people:createContact) and Drive v3 (files.create with multipart and
// resumable uploads, files.list with its query language's clauses we use,
// files.delete). It speaks their wire format as google.golang.org/api's
// generated clients send and read it, so the real clients run against it
// unchanged (option.WithEndpoint). Production code never imports it.
package googletest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// Server is a fake Google API server.
type Server struct {
	*httptest.Server

	mu       sync.Mutex
	now      func() time.Time
	seq      int
	calls    []Call
	failures []failure
	people   []Person
	files    []*File
	uploads  map[string]*upload
	tokens   []Token
}

// Call is one request the server answered.
type Call struct {
	Method, Path string
	Query        url.Values
	// Authorization is the request's Authorization header.
	Authorization string
	Status        int
}

// failure is an injected error answer for the next call whose path
// contains match.
type failure struct {
	match  string
	status int
	reason string
}

// Start starts a server and closes it when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	s := &Server{now: time.Now, uploads: map[string]*upload{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/people:searchContacts", s.searchContacts)
	mux.HandleFunc("POST /v1/people:createContact", s.createContact)
	mux.HandleFunc("POST /upload/drive/v3/files", s.upload)
	mux.HandleFunc("PUT /upload/drive/v3/files", s.upload)
	mux.HandleFunc("GET /drive/v3/files", s.listFiles)
	mux.HandleFunc("DELETE /drive/v3/files/{id}", s.deleteFile)
	mux.HandleFunc("POST /token", s.token)
	s.Server = httptest.NewServer(s.record(mux))
	t.Cleanup(s.Close)
	return s
}

// FailNext makes the next request whose path contains match answer status
// with a Google error of the given reason ("rateLimitExceeded",
// "authError", …), without doing anything.
func (s *Server) FailNext(match string, status int, reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, failure{match: match, status: status, reason: reason})
}

// Calls lists the requests so far (injected failures included).
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// CallsTo counts the calls whose path contains match.
func (s *Server) CallsTo(match string) int {
	n := 0
	for _, c := range s.Calls() {
		if strings.Contains(c.Path, match) {
			n++
		}
	}
	return n
}

// statusRecorder keeps the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// record logs each call and answers injected failures first.
func (s *Server) record(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := Call{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Authorization: r.Header.Get("Authorization")}
		if f, ok := s.takeFailure(r.URL.Path); ok {
			c.Status = f.status
			s.addCall(c)
			writeError(w, f.status, f.reason, "injected failure")
			return
		}
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		c.Status = rec.status
		s.addCall(c)
	})
}

func (s *Server) addCall(c Call) {
	s.mu.Lock()
	s.calls = append(s.calls, c)
	s.mu.Unlock()
}

func (s *Server) takeFailure(path string) (failure, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.failures {
		if strings.Contains(path, f.match) {
			s.failures = append(s.failures[:i], s.failures[i+1:]...)
			return f, true
		}
	}
	return failure{}, false
}

// statusNames are the google.rpc codes Google's JSON errors carry.
var statusNames = map[int]string{
	400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
	409: "ALREADY_EXISTS", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE",
}

// writeError writes Google's JSON error body.
func writeError(w http.ResponseWriter, status int, reason, msg string) {
	if reason == "" {
		reason = "backendError"
	}
	writeJSON(w, status, map[string]any{"error": map[string]any{
		"code": status, "message": msg, "status": statusNames[status],
		"errors": []map[string]string{{"domain": "global", "reason": reason, "message": msg}},
	}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// nextID returns a fresh id with prefix.
func (s *Server) nextID(prefix string) string {
	s.seq++
	return fmt.Sprintf("%s%06d", prefix, s.seq)
}

// Token is an OAuth token the server issued at its token endpoint (/token),
// with the claims of the JWT assertion it was exchanged for.
type Token struct {
	AccessToken string
	Scope       string // the assertion's scope claim
	Subject     string // its sub claim (the impersonated user), "" when none
	Issuer      string // its iss claim (the service account)
}

// Tokens lists the tokens issued so far.
func (s *Server) Tokens() []Token {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Token(nil), s.tokens...)
}

// token answers POST /token as Google's OAuth endpoint does for a service
// account's signed JWT (RFC 7523 jwt-bearer grant). The signature is not
// checked: the fake has no key to check it with.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "unsupported_grant_type"})
		return
	}
	parts := strings.Split(r.PostForm.Get("assertion"), ".")
	var claims struct {
		Iss, Scope, Sub string
	}
	if len(parts) != 3 {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant"})
		return
	}
	if b, err := base64.RawURLEncoding.DecodeString(parts[1]); err != nil || json.Unmarshal(b, &claims) != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant"})
		return
	}
	s.mu.Lock()
	tok := Token{AccessToken: s.nextID("tok-"), Scope: claims.Scope, Subject: claims.Sub, Issuer: claims.Iss}
	s.tokens = append(s.tokens, tok)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"access_token": tok.AccessToken, "token_type": "Bearer", "expires_in": 3600})
}
