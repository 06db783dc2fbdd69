package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cicero/cicero/projections/directory"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/internal/config"
	"github.com/cicero/cicero/internal/testkit"
)

// loadFixture is a running serve with one client of n operators and an
// operator dashboard account of that client, everything projected.
type loadFixture struct {
	cfg                    config.Config
	base                   string
	user, password, client string
}

// newLoadFixture starts serve (with the dedup guard off when
// allowDuplicates) and seeds it. Identical logins from one address are
// refused for 5 minutes and Redis outlives a run: the account name is fresh.
func newLoadFixture(tb testing.TB, personnel int, allowDuplicates bool) loadFixture {
	tb.Helper()
	if allowDuplicates {
		tb.Setenv("ALLOW_DUPLICATE_REQUESTS", "true") // before testEnv loads the configuration
	}
	fx := loadFixture{cfg: testEnv(tb), user: fmt.Sprintf("opr_load_%d", time.Now().UnixNano()),
		password: "rahasia123", client: "POLRESA"}
	// serve binds every interface and names itself [::]:port; loadgen
	// rightly refuses the unspecified address.
	u, err := url.Parse(startApp(tb, fx.cfg))
	if err != nil {
		tb.Fatal(err)
	}
	fx.base = "http://" + net.JoinHostPort("127.0.0.1", u.Port())
	for _, args := range [][]string{
		{"admin", "client", "create", "--id", fx.client, "--name", "POLRES A", "--type", "org", "--regional", "JATIM"},
		{"admin", "dashboard-user", "create", "--username", fx.user, "--password", fx.password, "--role", "operator", "--clients", fx.client},
	} {
		if out, err := runCLI(tb, args...); err != nil {
			tb.Fatalf("%v: %v %s", args, err, out)
		}
	}
	seedOperators(tb, fx.cfg, fx.client, personnel)
	fx.waitListed(tb, personnel)
	return fx
}

// seedOperators registers n operators of client through the command
// handlers (through serve's NATS, like the CLI), eight at a time: a
// thousand CLI runs would each open their own connections.
func seedOperators(tb testing.TB, cfg config.Config, client string, n int) {
	tb.Helper()
	ctx := context.Background()
	d, err := openDeps(ctx, cfg, testkit.Logger(tb), false, false)
	if err != nil {
		tb.Fatal(err)
	}
	defer d.Close()
	people := person.NewHandlers(commands.NewRuntime(d.store, commands.NewPGCommandLog(d.pool), testkit.Logger(tb)))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i := range n {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			_, err := people.RegisterPerson(ctx, commands.Meta{Actor: "bench"}, person.RegisterPerson{
				NRP: fmt.Sprintf("%08d", 70000000+i), Nama: fmt.Sprintf("Personel %04d", i), ClientID: client,
				Title: "BRIPKA", Divisi: "SAT BINMAS", Jabatan: "BANIT", Insta: fmt.Sprintf("ig_%d", i),
				WhatsApp: fmt.Sprintf("0812%08d", i), Roles: []string{"operator"}})
			if err != nil {
				tb.Error(err)
			}
		})
	}
	wg.Wait()
	if tb.Failed() {
		tb.FailNow()
	}
}

// waitListed logs in once (a second identical login would be refused when
// the dedup guard is on) and lists until n rows are projected.
func (fx loadFixture) waitListed(tb testing.TB, n int) {
	tb.Helper()
	ctx := context.Background()
	t, err := newLoadTarget(ctx, fx.base, fx.user, fx.password, fx.client, 10*time.Second, 1)
	if err != nil {
		tb.Fatal(err)
	}
	var token string
	testkit.Eventually(tb, 30*time.Second, func() error {
		a, err := t.login(ctx)
		token = a.Token
		return err
	})
	testkit.Eventually(tb, 60*time.Second, func() error {
		body, err := t.do(ctx, http.MethodGet, "/api/users/list?client_id="+fx.client, token, nil)
		if err != nil {
			return err
		}
		var a struct{ Data []json.RawMessage }
		if err := json.Unmarshal(body, &a); err != nil {
			return err
		}
		if len(a.Data) != n {
			return fmt.Errorf("%d of %d personnel listed", len(a.Data), n)
		}
		return nil
	})
}

func TestLoadgenRefusesRemote(t *testing.T) {
	cases := []struct{ url, want string }{
		{"http://10.1.2.3:3000", `"10.1.2.3" is not a loopback host`},
		{"http://[2001:db8::1]:3000", `"2001:db8::1" is not a loopback host`},
		{"http://0.0.0.0:3000", `"0.0.0.0" is not a loopback host`},
		{"http://[::ffff:192.0.2.1]:3000", `is not a loopback host`},
		{"http://no-such-host.invalid:3000", `resolve "no-such-host.invalid"`},
		{"ftp://127.0.0.1/", "want http://host:port"},
	}
	for _, tc := range cases {
		t.Run(tc.url, func(t *testing.T) {
			out, err := runCLI(t, "loadgen", "--url", tc.url, "--username", "u", "--password", "p", "--client", "C")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("loadgen --url %s = %v %q, want an error containing %q", tc.url, err, out, tc.want)
			}
		})
	}
	// Loopback targets pass the check (nothing listens: what fails is the login).
	for _, host := range []string{"127.0.0.1", "127.9.8.7", "[::1]", "localhost"} {
		t.Run(host, func(t *testing.T) {
			_, err := runCLI(t, "loadgen", "--url", "http://"+host+":1", "--username", "u", "--password", "p", "--client", "C")
			if err == nil || strings.Contains(err.Error(), "loopback") || !strings.Contains(err.Error(), "login as u") {
				t.Fatalf("loadgen against %s = %v, want the loopback check passed and the login failing", host, err)
			}
		})
	}
}

func TestLoadgenFlagBounds(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--requests", "0"}, "--requests must be between 1 and 100000"},
		{[]string{"--requests", "100001"}, "--requests must be between 1 and 100000"},
		{[]string{"--concurrency", "65"}, "--concurrency must be between 1 and 64"},
		{[]string{"--mode", "login"}, `--mode must be login+list or list, got "login"`},
		{[]string{"--timeout", "0s"}, "--timeout must be positive"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			args := append([]string{"loadgen", "--url", "http://127.0.0.1:1", "--username", "u", "--password", "p", "--client", "C"}, tc.args...)
			if _, err := runCLI(t, args...); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("loadgen %v = %v, want %q", tc.args, err, tc.want)
			}
		})
	}
}

func TestLoadgenAgainstServer(t *testing.T) {
	const personnel = 5
	fx := newLoadFixture(t, personnel, true)
	// A bcrypt login costs about a second of CPU under -race: few of them.
	for _, tc := range []struct {
		mode     string
		requests int
	}{{loadModeLoginList, 3}, {loadModeList, 10}} {
		mode, n := tc.mode, strconv.Itoa(tc.requests)
		t.Run(mode, func(t *testing.T) {
			out, err := runCLI(t, "loadgen", "--url", fx.base, "--username", fx.user, "--password", fx.password,
				"--client", fx.client, "--requests", n, "--concurrency", "2", "--mode", mode, "--baseline-sql")
			if err != nil {
				t.Fatalf("loadgen: %v\n%s", err, out)
			}
			for _, want := range []string{
				mode + ": " + n + " requests, " + n + " ok, 0 errors",
				"postgres-prepared: " + n + " requests, " + n + " ok, 0 errors",
				"\n  p50 ", "\n  p95 ", "\n  p99 ", "\n  max ",
				"ratio p50 " + mode + "/postgres = ",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
			if strings.Contains(out, "first error") {
				t.Errorf("output reports an error:\n%s", out)
			}
		})
	}
	t.Run("baseline is the handler's query", func(t *testing.T) {
		// A member without the operator role must be left out by both.
		if out, err := runCLI(t, "admin", "person", "create", "--nrp", "75020099", "--name", "bukan operator",
			"--client", fx.client, "--roles", "ditbinmas"); err != nil {
			t.Fatalf("%v %s", err, out)
		}
		pool, err := pgxpool.New(context.Background(), fx.cfg.DatabaseURL)
		if err != nil {
			t.Fatal(err)
		}
		defer pool.Close()
		q := directory.NewQueries(pool)
		testkit.Eventually(t, 10*time.Second, func() error {
			_, err := q.Person(context.Background(), "75020099")
			return err
		})
		people, err := q.PersonnelByClient(context.Background(), fx.client,
			directory.PersonnelFilter{Role: "operator", Strict: true})
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, p := range people {
			want = append(want, p.UserID)
		}
		rows, _ := pool.Query(context.Background(), listBaselineSQL, fx.client, "operator", false, "", true)
		got, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (string, error) {
			v, err := r.Values()
			if err != nil {
				return "", err
			}
			return v[0].(string), nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != personnel {
			t.Fatalf("baseline returned %d rows, want the %d operators", len(got), personnel)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("baseline rows differ from PersonnelByClient (-handler +baseline):\n%s", diff)
		}
	})
}

// TestLoadgenStopsOnDuplicate: against a server with the dedup guard on,
// the repeated login is refused and loadgen says how to run the target.
func TestLoadgenStopsOnDuplicate(t *testing.T) {
	fx := newLoadFixture(t, 1, false) // the fixture's own login is the one repeated
	out, err := runCLI(t, "loadgen", "--url", fx.base, "--username", fx.user, "--password", fx.password,
		"--client", fx.client, "--requests", "3")
	if err == nil || !strings.Contains(err.Error(), "429") || !strings.Contains(err.Error(), "ALLOW_DUPLICATE_REQUESTS=true") {
		t.Fatalf("loadgen against a deduplicating server = %v %q, want the 429 explained", err, out)
	}
}
