package main

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/cicero/cicero/internal/testkit"
)

// routeExempt are the /api routes the bad input matrix leaves out ("METHOD
// /api/pattern" → the reason). A route added to the server without a row,
// or a row or exemption naming a route that is not mounted, fails
// TestRouteMatrixCoverage: the matrix grows with the API. The platform
// routes outside /api (/, /healthz, /readyz, /metrics, /ops,
// /openapi.yaml) take no input a client can get wrong and are not walked;
// TestServePlatformRoutes covers them.
var routeExempt = map[string]string{
	// Every mounted /api route has rows today.
}

// TestRouteMatrixCoverage walks the router the server really serves and
// holds it against the rows of TestBadInputMatrix.
func TestRouteMatrixCoverage(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	app, err := NewApp(ctx, testEnv(t), testkit.Logger(t))
	if err != nil {
		cancel()
		t.Fatalf("new app: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		_ = app.ln.Close() // never served: Run owns the listener otherwise
		app.Close()
	})
	// router() builds a *chi.Mux; the interface is all production exposes.
	routes, ok := app.http.Handler.(chi.Routes)
	if !ok {
		t.Fatalf("the server's handler is a %T, not a chi router", app.http.Handler)
	}
	mounted := map[string]bool{}
	err = chi.Walk(routes, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if strings.HasPrefix(route, "/api/") {
			mounted[method+" "+route] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(mounted) == 0 {
		t.Fatal("the walk found no /api route")
	}

	// The rows' routes are constants; the world's tokens and ids are not
	// needed to list them.
	rowsOf := map[string]int{}
	for _, r := range (&badWorld{}).rows() {
		rowsOf[r.method+" "+r.route]++
	}
	var missing, unknownRows, staleExempt []string
	for mr := range mounted {
		_, exempt := routeExempt[mr]
		switch {
		case rowsOf[mr] > 0 && exempt:
			staleExempt = append(staleExempt, mr+" (has rows)")
		case rowsOf[mr] == 0 && !exempt:
			missing = append(missing, mr)
		}
	}
	for mr := range rowsOf {
		if !mounted[mr] {
			unknownRows = append(unknownRows, mr)
		}
	}
	for mr := range routeExempt {
		if !mounted[mr] {
			staleExempt = append(staleExempt, mr+" (not mounted)")
		}
	}
	for _, l := range []struct {
		what string
		list []string
	}{
		{"mounted routes without a row (add rows, or an exemption with its reason)", missing},
		{"rows naming a route the server does not mount", unknownRows},
		{"stale exemptions", staleExempt},
	} {
		if len(l.list) > 0 {
			slices.Sort(l.list)
			t.Errorf("%s:\n\t%s", l.what, strings.Join(l.list, "\n\t"))
		}
	}
	t.Logf("%d /api routes, %d with rows, %d exempt", len(mounted), len(mounted)-len(missing)-len(routeExempt), len(routeExempt))
}
