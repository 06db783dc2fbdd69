package readapi_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/internal/auth"
)

// benchPersonnel is the size of the client BenchmarkUsersList lists.
const benchPersonnel = 1000

// BenchmarkUsersList measures, over loopback, an operator's login (a
// session issued through auth.Authenticator.Issue: signing plus the Redis
// session) followed by GET /api/users/list for a client of 1,000
// personnel, the list alone, and the same rows straight from a prepared
// Postgres query, reporting p50/p99 of each and the ratio of the HTTP list
// to the bare query.
//
//	go test -run '^$' -bench BenchmarkUsersList -benchtime 200x ./readapi/
func BenchmarkUsersList(b *testing.B) {
	r := newDirRig(b, rigOpts{NoSpec: true})
	r.MustClient("POLRES_A", "org", "JATIM")
	seedPersonnel(b, r, benchPersonnel)
	ctx := context.Background()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	list := func(tok string) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, r.Srv.URL+"/api/users/list?client_id=POLRES_A", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		res, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || n < benchPersonnel*100 {
			b.Fatalf("list: status %d, %d bytes", res.StatusCode, n)
		}
	}
	login := func(i int) string {
		iss, err := r.Auth.Issue(ctx, auth.KindDashboard, auth.Claims{DashboardUserID: fmt.Sprintf("op-%d", i),
			Role: "operator", ClientIDs: []string{"POLRES_A"}})
		if err != nil {
			b.Fatal(err)
		}
		return iss.Token
	}
	tok := login(-1)
	list(tok) // warm connections and caches

	var p50s = map[string]time.Duration{}
	b.Run("login+list", func(b *testing.B) {
		p50s["login+list"] = measure(b, func(i int) { list(login(i)) })
	})
	b.Run("list", func(b *testing.B) {
		p50s["list"] = measure(b, func(int) { list(tok) })
	})
	b.Run("postgres-prepared", func(b *testing.B) {
		conn, err := r.Pool.Acquire(ctx)
		if err != nil {
			b.Fatal(err)
		}
		defer conn.Release()
		const sql = `SELECT p.user_id, p.nama, p.title, p.divisi, p.jabatan, p.desa, p.client_id, p.insta, p.tiktok,
			p.whatsapp, p.email, p.status, p.exception, p.wa_notification_opt_in, p.roles, p.version, p.created_at,
			p.updated_at, c.nama, c.regional_id
			FROM personnel p LEFT JOIN clients c ON upper(c.client_id) = upper(p.client_id)
			WHERE p.status AND upper(p.client_id) = upper($1) AND $2 = ANY(p.roles) ORDER BY p.nama, p.user_id`
		if _, err := conn.Conn().Prepare(ctx, "bench_list", sql); err != nil {
			b.Fatal(err)
		}
		p50s["postgres"] = measure(b, func(int) {
			rows, err := conn.Query(ctx, "bench_list", "POLRES_A", "operator")
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for rows.Next() {
				if _, err := rows.Values(); err != nil {
					b.Fatal(err)
				}
				n++
			}
			if rows.Close(); rows.Err() != nil || n != benchPersonnel {
				b.Fatalf("query: %d rows, %v", n, rows.Err())
			}
		})
	})
	if pg := p50s["postgres"]; pg > 0 {
		b.Logf("p50 ratio list/postgres = %.2f, login+list/postgres = %.2f",
			float64(p50s["list"])/float64(pg), float64(p50s["login+list"])/float64(pg))
	}
}

// measure runs fn b.N times and reports p50 and p99 latency; it returns p50.
func measure(b *testing.B, fn func(i int)) time.Duration {
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		fn(i)
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	p50, p99 := lat[len(lat)/2], lat[min(len(lat)-1, len(lat)*99/100)]
	b.ReportMetric(float64(p50.Microseconds()), "p50-µs")
	b.ReportMetric(float64(p99.Microseconds()), "p99-µs")
	return p50
}

// seedPersonnel registers n operators of POLRES_A through the commands,
// eight at a time, and waits for the read model.
func seedPersonnel(b *testing.B, r *dirRig, n int) {
	ctx := context.Background()
	var wg sync.WaitGroup
	outs := make([]commands.Outcome, n)
	sem := make(chan struct{}, 8)
	for i := range n {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			o, err := r.People.RegisterPerson(ctx, commands.Meta{Actor: "bench"}, person.RegisterPerson{
				NRP: fmt.Sprintf("%08d", 70000000+i), Nama: fmt.Sprintf("Personel %04d", i), ClientID: "POLRES_A",
				Title: "BRIPKA", Divisi: "SAT BINMAS", Jabatan: "BANIT", Insta: fmt.Sprintf("ig_%d", i),
				WhatsApp: fmt.Sprintf("0812%08d", i), Roles: []string{"operator"}})
			if err != nil {
				b.Error(err)
			}
			outs[i] = o
		})
	}
	wg.Wait()
	for _, o := range outs {
		r.Settle(o)
	}
}
