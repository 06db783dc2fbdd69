package main

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cicero/cicero/internal/password"
)

// benchLoadPersonnel is the size of the client BenchmarkLoginAndList lists.
const benchLoadPersonnel = 1000

// BenchmarkLoginAndList measures, over loopback against the whole server
// started in-process, the real dashboard login (POST
// /api/auth/dashboard-login: bcrypt, Redis session, login event) followed
// by GET /api/users/list for a client of 1,000 personnel, the list alone,
// and the handler's SQL prepared straight against Postgres. It runs
// loadgen's own code with one worker, so p50 is latency, not queueing.
//
//	go test -run '^$' -bench BenchmarkLoginAndList -benchtime 100x ./cmd/cicero/
func BenchmarkLoginAndList(b *testing.B) {
	fx := newLoadFixture(b, benchLoadPersonnel, true)
	ctx := context.Background()
	t, err := newLoadTarget(ctx, fx.base, fx.user, fx.password, fx.client, 10*time.Second, 1)
	if err != nil {
		b.Fatal(err)
	}
	who, err := t.login(ctx)
	if err != nil {
		b.Fatal(err)
	}
	pg, err := openListBaseline(ctx, fx.cfg.DatabaseURL, 1, fx.client, who.User.Role)
	if err != nil {
		b.Fatal(err)
	}
	defer pg.Close()
	// bcrypt at the login's cost (10), alone: the part of a login that is
	// deliberate slowness, so the rest can be read off.
	hash, err := password.Hash(fx.password)
	if err != nil {
		b.Fatal(err)
	}
	bcryptOp := func(context.Context, int) (func() error, error) {
		if !password.Verify(hash, fx.password) {
			return nil, errors.New("bcrypt: password does not verify")
		}
		return nil, nil
	}
	p50 := map[string]time.Duration{}
	for _, m := range []struct {
		name string
		op   loadOp
	}{
		{loadModeLoginList, t.op(loadModeLoginList, who.Token)},
		{loadModeList, t.op(loadModeList, who.Token)},
		{"postgres-prepared", pg.op()},
		{"bcrypt-cost10", bcryptOp},
	} {
		b.Run(m.name, func(b *testing.B) {
			b.ResetTimer()
			res := runLoad(ctx, b.N, 1, m.op)
			b.StopTimer()
			if res.Errors > 0 {
				b.Fatalf("%d of %d failed, first: %v", res.Errors, b.N, res.FirstErr)
			}
			b.ReportMetric(float64(res.Percentile(50).Microseconds()), "p50-µs")
			b.ReportMetric(float64(res.Percentile(99).Microseconds()), "p99-µs")
			p50[m.name] = res.Percentile(50)
		})
	}
	if base := p50["postgres-prepared"]; base > 0 {
		b.Logf("p50 ratio list/postgres = %.2f, login+list/postgres = %.2f, (login+list - bcrypt)/postgres = %.2f",
			float64(p50[loadModeList])/float64(base), float64(p50[loadModeLoginList])/float64(base),
			float64(p50[loadModeLoginList]-p50["bcrypt-cost10"])/float64(base))
	}
}
