package auth_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/cicero/cicero/internal/auth"
	"github.com/go-chi/chi/v5"
)

// BenchmarkParse is the JWT verification cost alone.
func BenchmarkParse(b *testing.B) {
	a, _, _ := newAuth(b)
	is := mustIssue(b, a, auth.KindDashboard, dashboardClaims(uniq("bench"), "operator", "A", "B"))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.Tokens().Parse(is.Token); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAuthenticate adds the Redis session lookup (loopback Redis).
func BenchmarkAuthenticate(b *testing.B) {
	a, _, _ := newAuth(b)
	is := mustIssue(b, a, auth.KindDashboard, dashboardClaims(uniq("bench"), "operator", "A", "B"))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.AuthenticateToken(ctx, is.Token); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRouteRule is one access decision: the rule of a resolved route.
func BenchmarkRouteRule(b *testing.B) {
	table := auth.NewRoutes()
	r := auth.NewRouter(chi.NewRouter(), "/api", table)
	r.Put("/link-reports-khusus/{shortcode}", auth.Operators|auth.Personnel, func(http.ResponseWriter, *http.Request) {})
	p := &auth.Principal{Kind: auth.KindDashboard, Role: "operator"}
	b.ReportAllocs()
	for b.Loop() {
		if w, ok := table.Rule("PUT", "/api/link-reports-khusus/{shortcode}"); !ok || !w.Admits(p) {
			b.Fatal("refused")
		}
	}
}
