package apispec

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// Validator checks responses against the document.
type Validator struct {
	router routers.Router
}

// NewValidator builds a validator for doc.
func NewValidator(doc *openapi3.T) (*Validator, error) {
	// Servers would make the router match on host; tests use random ports.
	doc.Servers = nil
	r, err := legacy.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("openapi router: %w", err)
	}
	return &Validator{router: r}, nil
}

// Check validates one response to req. A route missing from the document is
// an error: every served path must be described.
func (v *Validator) Check(req *http.Request, status int, header http.Header, body []byte) error {
	route, params, err := v.router.FindRoute(req)
	if err != nil {
		return fmt.Errorf("%s %s: not in openapi: %w", req.Method, req.URL.Path, err)
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: status, Header: header,
		Body: io.NopCloser(bytes.NewReader(body)), Options: &openapi3filter.Options{IncludeResponseStatus: true}}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		return fmt.Errorf("%s %s → %d: %w", req.Method, req.URL.Path, status, err)
	}
	return nil
}

// Client returns an HTTP client whose every response is validated against
// the document; a mismatch fails tb.
func Client(tb testing.TB) *http.Client {
	tb.Helper()
	doc, err := Load()
	if err != nil {
		tb.Fatalf("load openapi: %v", err)
	}
	v, err := NewValidator(doc)
	if err != nil {
		tb.Fatal(err)
	}
	return &http.Client{Transport: checking{tb: tb, v: v, next: http.DefaultTransport}}
}

type checking struct {
	tb   testing.TB
	v    *Validator
	next http.RoundTripper
}

func (c checking) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := c.next.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if err := c.v.Check(req, resp.StatusCode, resp.Header, body); err != nil {
		c.tb.Errorf("openapi: %v", err)
	}
	return resp, nil
}
