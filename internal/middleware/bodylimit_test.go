package middleware_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestBodyLimit(t *testing.T) {
	s := newStack(t, stackOpts{bodyLimit: 64})
	tok, _ := s.operator(t)
	fits := `{"a":"` + strings.Repeat("x", 64-8) + `"}`
	if len(fits) != 64 {
		t.Fatalf("test body is %d bytes", len(fits))
	}
	a := s.do(t, "POST", "/api/users/create", fits, tok)
	if a.status != 200 || a.body["body"] != fits {
		t.Fatalf("body at the limit: %d %s", a.status, a.raw)
	}
	wantError(t, s.do(t, "POST", "/api/users/create", fits+" ", tok), http.StatusRequestEntityTooLarge, "Ukuran data permintaan melebihi batas", "")

	// Without Content-Length (chunked) the limit still holds.
	pr, pw := io.Pipe()
	go func() {
		_, _ = pw.Write([]byte(strings.Repeat("y", 200)))
		pw.Close()
	}()
	req, _ := http.NewRequest("POST", s.srv.URL+"/api/users/create", pr)
	req.Header.Set("Authorization", "Bearer "+tok)
	wantError(t, s.send(t, req), http.StatusRequestEntityTooLarge, "Ukuran data permintaan melebihi batas", "")

	// An oversized body is refused before auth and de-duplication run.
	wantError(t, s.do(t, "POST", "/api/users/create", strings.Repeat("z", 100), ""), http.StatusRequestEntityTooLarge, "Ukuran data permintaan melebihi batas", "")
	if n := s.drain(); n != 1 {
		t.Fatalf("handler ran %d times, want 1", n)
	}
}
