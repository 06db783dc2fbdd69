// Package apispec holds Cicero's OpenAPI description: base.yaml plus one
// fragment per area (directory_users.yaml, access_auth.yaml, …; named after their context), merged at load time so that
// each area's routes and schemas live next to each other. The merged document
// is served at /openapi.yaml, and tests validate every response against it.
package apispec

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

//go:embed *.yaml
var files embed.FS

// Load merges base.yaml with every other fragment: their paths and
// component schemas are added (a name defined twice is an error).
func Load() (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	read := func(name string) (*openapi3.T, error) {
		b, err := fs.ReadFile(files, name)
		if err != nil {
			return nil, err
		}
		doc, err := loader.LoadFromData(b)
		if err != nil {
			return nil, fmt.Errorf("openapi %s: %w", name, err)
		}
		return doc, nil
	}
	base, err := read("base.yaml")
	if err != nil {
		return nil, err
	}
	names, _ := fs.Glob(files, "*.yaml")
	sort.Strings(names)
	for _, name := range names {
		if name == "base.yaml" {
			continue
		}
		frag, err := read(name)
		if err != nil {
			return nil, err
		}
		if frag.Paths != nil {
			for path, item := range frag.Paths.Map() {
				if base.Paths.Value(path) != nil {
					return nil, fmt.Errorf("openapi %s: path %s defined twice", name, path)
				}
				base.Paths.Set(path, item)
			}
		}
		for k, s := range frag.Components.Schemas {
			if _, dup := base.Components.Schemas[k]; dup {
				return nil, fmt.Errorf("openapi %s: schema %s defined twice", name, k)
			}
			base.Components.Schemas[k] = s
		}
	}
	addIdempotencyKey(base)
	// Re-load the merged document so references resolve against it.
	b, err := json.Marshal(base)
	if err != nil {
		return nil, fmt.Errorf("openapi merge: %w", err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(b)
	if err != nil {
		return nil, fmt.Errorf("openapi merged: %w", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("openapi merged document invalid: %w", err)
	}
	return doc, nil
}

// Handler serves the merged document. JSON is valid YAML, so the legacy
// /openapi.yaml name is kept while tools read it either way.
func Handler(doc *openapi3.T) (http.Handler, error) {
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/yaml")
		_, _ = w.Write(b)
	}), nil
}

// addIdempotencyKey documents, on every write under /api, the
// Idempotency-Key header and its 409 and 422 answers (base.yaml), which
// middleware.Idempotency gives every such route.
func addIdempotencyKey(doc *openapi3.T) {
	param := &openapi3.ParameterRef{Ref: "#/components/parameters/IdempotencyKey"}
	resp := &openapi3.ResponseRef{Ref: "#/components/responses/IdempotencyKeyInUse"}
	for path, item := range doc.Paths.Map() {
		if !strings.HasPrefix(path, "/api/") {
			continue
		}
		for method, op := range item.Operations() {
			if method == http.MethodGet || method == http.MethodHead {
				continue
			}
			op.Parameters = append(op.Parameters, param)
			for _, code := range []string{"409", "422"} {
				if op.Responses.Value(code) == nil {
					op.Responses.Set(code, resp)
				}
			}
		}
	}
}
