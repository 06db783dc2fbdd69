package auth_test

import (
	"context"
	"testing"

	"github.com/cicero/cicero/internal/auth"
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

// BenchmarkPolicy is one allow-list decision.
func BenchmarkPolicy(b *testing.B) {
	pol := auth.DefaultPolicy()
	p := &auth.Principal{Kind: auth.KindDashboard, Role: "operator"}
	b.ReportAllocs()
	for b.Loop() {
		if !pol.Allows(p, "PUT", "/api/link-reports-khusus/ABC") {
			b.Fatal("refused")
		}
	}
}
