package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// Bounds of one loadgen run: it is a measuring tool, not a stress tool.
const (
	loadMaxRequests    = 100_000
	loadMaxConcurrency = 64
)

const (
	loadModeLoginList = "login+list"
	loadModeList      = "list"
)

// errDuplicate is the target's dedup guard refusing a repeated login.
var errDuplicate = errors.New("the server answered 429 Duplicate request detected: it refuses identical " +
	"non-GET requests (identical logins included) from one address within 5 minutes; " +
	"run the target with ALLOW_DUPLICATE_REQUESTS=true for loadgen (login+list mode needs it on every run)")

type loadgenFlags struct {
	url, username, password, client, mode string
	requests, concurrency                 int
	timeout                               time.Duration
	baselineSQL                           bool
}

func newLoadgenCmd(c *cli) *cobra.Command {
	var f loadgenFlags
	cmd := &cobra.Command{
		Use:   "loadgen",
		Short: "Measure login + GET /api/users/list latency against a running server (bounded, loopback only)",
		Long: `Drives a running cicero serve over loopback and prints p50/p95/p99/max latency, throughput and
the error count. Every answer is checked: status 200, a token for the login, and for the list
success true with a non-empty data array.

--mode login+list: each iteration is a real POST /api/auth/dashboard-login (bcrypt + Redis session)
  followed by GET /api/users/list?client_id=… with the new token.
--mode list: one login, then only lists.

The target must run with ALLOW_DUPLICATE_REQUESTS=true for login+list mode (and for any run
within 5 minutes of another with the same account): its de-duplication guard refuses identical
non-GET requests, identical logins included, from one address for 5 minutes with 429, and
loadgen stops with that message when it sees one.

--baseline-sql also runs the list's SQL, prepared, straight against DATABASE_URL the same number
of times with the same concurrency, and prints the ratio p50(http)/p50(postgres).

Only loopback targets are accepted (127.0.0.0/8, ::1, localhost, for the server and for
DATABASE_URL); at most 100000 requests and 64 concurrent workers.`,
		Example: `  ALLOW_DUPLICATE_REQUESTS=true cicero serve &
  cicero loadgen --username opr_polresa --password 'rahasia123' --client POLRESA \
    --requests 200 --concurrency 4 --mode login+list --baseline-sql`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if f.url == "" {
				f.url = "http://127.0.0.1:" + strconv.Itoa(c.cfg.Port)
			}
			return runLoadgen(cmd.Context(), cmd.OutOrStdout(), c.cfg.DatabaseURL, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.url, "url", "", "base URL of the running server, loopback only (default http://127.0.0.1:$PORT)")
	fl.StringVar(&f.username, "username", "", "dashboard account to log in with (required)")
	fl.StringVar(&f.password, "password", "", "its password (required)")
	fl.StringVar(&f.client, "client", "", "client_id to list (required)")
	fl.IntVar(&f.requests, "requests", 200, "total iterations, 1 to 100000")
	fl.IntVar(&f.concurrency, "concurrency", 4, "concurrent workers, 1 to 64")
	fl.StringVar(&f.mode, "mode", loadModeLoginList, "login+list (a login per iteration) or list (one login, then lists)")
	fl.DurationVar(&f.timeout, "timeout", 10*time.Second, "timeout of each HTTP request")
	fl.BoolVar(&f.baselineSQL, "baseline-sql", false, "also time the list's prepared SQL against DATABASE_URL")
	for _, name := range []string{"username", "password", "client"} {
		_ = cmd.MarkFlagRequired(name)
	}
	return cmd
}

func (f loadgenFlags) validate() error {
	var errs []error
	if f.requests < 1 || f.requests > loadMaxRequests {
		errs = append(errs, fmt.Errorf("--requests must be between 1 and %d, got %d", loadMaxRequests, f.requests))
	}
	if f.concurrency < 1 || f.concurrency > loadMaxConcurrency {
		errs = append(errs, fmt.Errorf("--concurrency must be between 1 and %d, got %d", loadMaxConcurrency, f.concurrency))
	}
	if f.mode != loadModeLoginList && f.mode != loadModeList {
		errs = append(errs, fmt.Errorf("--mode must be %s or %s, got %q", loadModeLoginList, loadModeList, f.mode))
	}
	if f.timeout <= 0 {
		errs = append(errs, errors.New("--timeout must be positive"))
	}
	return errors.Join(errs...)
}

func runLoadgen(ctx context.Context, out io.Writer, dbURL string, f loadgenFlags) error {
	if err := f.validate(); err != nil {
		return err
	}
	t, err := newLoadTarget(ctx, f.url, f.username, f.password, f.client, f.timeout, f.concurrency)
	if err != nil {
		return err
	}
	// One login and one list before measuring: they fail fast on a wrong
	// account or client and warm the connections.
	who, err := t.login(ctx)
	if err != nil {
		return fmt.Errorf("login as %s: %w", f.username, err)
	}
	verify, err := t.list(ctx, who.Token)
	if err == nil {
		err = verify()
	}
	if err != nil {
		return fmt.Errorf("list %s: %w", f.client, err)
	}
	fmt.Fprintf(out, "target %s, client %s, %d requests, concurrency %d\n", t.base, f.client, f.requests, f.concurrency)
	res := runLoad(ctx, f.requests, f.concurrency, t.op(f.mode, who.Token))
	res.Print(out, f.mode)
	if res.Aborted != nil {
		return res.Aborted
	}
	failed, firstErr := res.Errors, res.FirstErr
	if f.baselineSQL {
		pg, err := openListBaseline(ctx, dbURL, f.concurrency, f.client, who.User.Role)
		if err != nil {
			return err
		}
		defer pg.Close()
		base := runLoad(ctx, f.requests, f.concurrency, pg.op())
		base.Print(out, "postgres-prepared")
		if p := base.Percentile(50); p > 0 {
			fmt.Fprintf(out, "ratio p50 %s/postgres = %.2f, p99 = %.2f\n", f.mode,
				float64(res.Percentile(50))/float64(p), float64(res.Percentile(99))/float64(base.Percentile(99)))
		}
		failed += base.Errors
		if firstErr == nil {
			firstErr = base.FirstErr
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d requests failed (first: %v)", failed, firstErr)
	}
	return ctx.Err()
}

// loadTarget is a running server reached over loopback only.
type loadTarget struct {
	base      string
	http      *http.Client
	loginBody []byte
	client    string
}

// newLoadTarget refuses a URL whose host is not loopback, and dials only
// loopback addresses, so a name that resolves differently later (or a
// redirect) cannot send the load elsewhere.
func newLoadTarget(ctx context.Context, rawURL, username, password, client string, timeout time.Duration, conns int) (*loadTarget, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("--url %q: want http://host:port", rawURL)
	}
	if err := requireLoopback(ctx, u.Hostname()); err != nil {
		return nil, fmt.Errorf("--url %s: %w", rawURL, err)
	}
	body, err := json.Marshal(map[string]string{"username": username, "password": password})
	if err != nil {
		return nil, err
	}
	dialer := &net.Dialer{Timeout: timeout}
	tr := &http.Transport{
		Proxy:               nil, // never through HTTP_PROXY: the load stays on this machine
		MaxIdleConnsPerHost: conns,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			conn, err := dialer.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			if ap, perr := netip.ParseAddrPort(conn.RemoteAddr().String()); perr != nil || !ap.Addr().Unmap().IsLoopback() {
				conn.Close()
				return nil, fmt.Errorf("refusing %s: not a loopback address", conn.RemoteAddr())
			}
			return conn, nil
		},
	}
	return &loadTarget{
		base: strings.TrimRight(u.String(), "/"),
		http: &http.Client{Transport: tr, Timeout: timeout,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		loginBody: body,
		client:    client,
	}, nil
}

// requireLoopback accepts an IP literal or a name only when it is, or all
// its addresses are, in 127.0.0.0/8 or ::1.
func requireLoopback(ctx context.Context, host string) error {
	refuse := fmt.Errorf("%q is not a loopback host: loadgen only drives 127.0.0.0/8, ::1 or localhost", host)
	if host == "" {
		return refuse
	}
	if a, err := netip.ParseAddr(host); err == nil {
		if !a.Unmap().IsLoopback() {
			return refuse
		}
		return nil
	}
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return fmt.Errorf("resolve %q: %w (loadgen only drives loopback hosts)", host, err)
	}
	for _, a := range addrs {
		if !a.Unmap().IsLoopback() {
			return fmt.Errorf("%w (it resolves to %s)", refuse, a)
		}
	}
	if len(addrs) == 0 {
		return refuse
	}
	return nil
}

// loginAnswer is the part of the dashboard login answer loadgen needs.
type loginAnswer struct {
	Success bool   `json:"success"`
	Token   string `json:"token"`
	User    struct {
		Role string `json:"role"`
	} `json:"user"`
}

// login is POST /api/auth/dashboard-login, checked.
func (t *loadTarget) login(ctx context.Context) (loginAnswer, error) {
	var a loginAnswer
	body, err := t.do(ctx, http.MethodPost, "/api/auth/dashboard-login", "", t.loginBody)
	if err != nil {
		return a, err
	}
	if err := json.Unmarshal(body, &a); err != nil {
		return a, fmt.Errorf("login answer: %w", err)
	}
	if !a.Success || a.Token == "" {
		return a, fmt.Errorf("login answer without success and token: %.200s", body)
	}
	return a, nil
}

// list is GET /api/users/list?client_id=…; verify decodes the answer.
func (t *loadTarget) list(ctx context.Context, token string) (verify func() error, err error) {
	body, err := t.do(ctx, http.MethodGet, "/api/users/list?client_id="+url.QueryEscape(t.client), token, nil)
	if err != nil {
		return nil, err
	}
	return func() error {
		var a struct {
			Success bool              `json:"success"`
			Data    []json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(body, &a); err != nil {
			return fmt.Errorf("list answer: %w", err)
		}
		if !a.Success || len(a.Data) == 0 {
			return fmt.Errorf("list answer without success and rows: %.200s", body)
		}
		return nil
	}, nil
}

// op is one iteration of mode; token is the session the list mode reuses.
func (t *loadTarget) op(mode, token string) loadOp {
	if mode == loadModeList {
		return func(ctx context.Context, _ int) (func() error, error) { return t.list(ctx, token) }
	}
	return func(ctx context.Context, _ int) (func() error, error) {
		a, err := t.login(ctx)
		if err != nil {
			return nil, err
		}
		return t.list(ctx, a.Token)
	}
}

// do sends one request and returns the body of a 200 answer. A 429 aborts
// the run: every further identical login would be refused too.
func (t *loadTarget) do(ctx context.Context, method, path, token string, body []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, t.base+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := t.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	switch {
	case res.StatusCode == http.StatusTooManyRequests:
		return nil, abortRun(errDuplicate)
	case err != nil:
		return nil, fmt.Errorf("%s %s: read answer: %w", method, path, err)
	case res.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("%s %s = %d: %.200s", method, path, res.StatusCode, b)
	}
	return b, nil
}
