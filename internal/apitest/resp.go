package apitest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Ctx bounds one step of a test.
func Ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

// Send sends method url through c with body (nil = none, else JSON), a
// bearer token ("" = none) and header name/value pairs, and returns the
// answer with its body read.
func Send(t testing.TB, c *http.Client, method, url string, body io.Reader, token string, headers ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(Ctx(t), method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: read answer: %v", method, url, err)
	}
	return res, raw
}

// Do sends method path with body ("" = none) as token, plus header pairs,
// through the validating client.
func (s *Stack) Do(method, path, body, token string, headers ...string) Resp {
	s.T.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	res, raw := Send(s.T, s.HTTP, method, s.Srv.URL+path, rd, token, headers...)
	out := Resp{Status: res.StatusCode, Header: res.Header, Raw: string(raw)}
	_ = json.Unmarshal(raw, &out.Body)
	return out
}

// Resp is a decoded answer.
type Resp struct {
	Status int
	Header http.Header
	Body   map[string]any
	Raw    string
}

// PremResp is the answer of the premium routes, whose object is "request".
type PremResp = Resp

func (x Resp) Msg() string { s, _ := x.Body["message"].(string); return s }

func (x Resp) Data() map[string]any { d, _ := x.Body["data"].(map[string]any); return d }

func (x Resp) List() []map[string]any {
	raw, _ := x.Body["data"].([]any)
	out := make([]map[string]any, len(raw))
	for i, v := range raw {
		out[i], _ = v.(map[string]any)
	}
	return out
}

// IDs lists the user_id (or client_id) of a list answer.
func (x Resp) IDs(key string) []string {
	var out []string
	for _, m := range x.List() {
		s, _ := m[key].(string)
		out = append(out, s)
	}
	return out
}

func (x Resp) Request() map[string]any { m, _ := x.Body["request"].(map[string]any); return m }

func (x Resp) Str(key string) string { s, _ := x.Request()[key].(string); return s }
