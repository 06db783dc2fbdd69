package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	claimcmd "github.com/cicero/cicero/commands/claim"
	"github.com/cicero/cicero/internal/apispec"
	"github.com/cicero/cicero/internal/rapidapi/rapidapitest"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/sagas/email/emailtest"
)

// The bad input matrix (issue 4): every /api endpoint of the directory,
// access, premium and claim areas is called, through the fully wired
// server, the ways a client gets it wrong. Each row names one of six kinds;
// a kind an endpoint cannot produce is absent, and the comment over each
// group says why. TestRouteMatrixCoverage (routes_test.go) fails when the
// server mounts an /api route no row names.

// badKind is what a row gets wrong.
type badKind string

const (
	badInvalid     badKind = "invalid"      // missing or malformed input → 400 + message
	badWrongClient badKind = "wrong-client" // another client's (or owner's) data → 403
	badWrongKind   badKind = "wrong-kind"   // a token kind or role the route is not for → 403
	badRevoked     badKind = "revoked"      // a logged-out session → 401 + reason
	badConflict    badKind = "conflict"     // a stale expected version (or taken key) → 409
	badReplay      badKind = "replay"       // the identical request again → 429
)

// Answers shared by many rows (internal/auth, internal/middleware, writeapi).
const (
	badMsgForbidden  = "Forbidden"
	badMsgNotAllowed = "client_id tidak diizinkan"
	badMsgInvalidTok = "Invalid token"
	badReasonInvalid = "invalid_token"
	badMsgDuplicate  = "Duplicate request detected"
	badMsgStale      = "Data telah diubah oleh permintaan lain; muat ulang lalu coba lagi"
	badMsgBadJSON    = "Body JSON tidak valid"
	badMsgBadIfMatch = "If-Match harus berupa versi (angka)"
	badPassword      = "rahasia123"
)

// badRow is one call of the matrix.
type badRow struct {
	method, route string // the endpoint as documented; with kind and variant it names the subtest
	kind          badKind
	variant       string // tells rows of one endpoint and kind apart
	caller        string // bearer token; "" calls anonymously
	path          string // the concrete path (with query); "" = route
	body          string
	header        map[string]string
	// before runs first: a competing edit for a conflict, a fresh session…
	// It may change the request ("{{v}}" in body or header takes the
	// version the competing edit made stale).
	before func(t *testing.T, rq *badRequest)
	// firstStatus is the answer to the first of a replayed pair; 0 when
	// before sends the first.
	firstStatus int
	status      int
	message     string // exact "message"; "" leaves it to check
	reason      string // exact "reason"; "" = must be absent
	legacyErr   string // exact "error" of the legacy {"error":…} answers
	check       func(t *testing.T, got badReply)
	// probe is read (as probeAs, default the admin) before and after the
	// refused call and must answer the same bytes.
	probe, probeAs string
	// appends: the refusal is itself a recorded fact, so event heads move.
	appends  bool
	after    func(t *testing.T)
	knownBug string // the server is wrong: skip, and say how
}

func (r badRow) name() string {
	n := r.method + " " + r.route + "/" + string(r.kind)
	if r.variant != "" {
		n += "/" + r.variant
	}
	return n
}

type badRequest struct {
	token, method, path, body string
	header                    map[string]string
}

type badReply struct {
	status int
	raw    []byte
	body   map[string]any
}

func (r badReply) str(key string) string {
	s, _ := r.body[key].(string)
	return s
}

type badObj = map[string]any

func badJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// badWorld is one server with the accounts, personnel and premium requests
// the rows act on. Redis outlives a run (dedup keys, OTP throttles), so
// names and NRPs carry the run's clock.
type badWorld struct {
	base   string
	client *http.Client
	run    int64
	seq    int

	admin, adminGone, opr, dirB, dirC, dirD, personnel, penmas string // tokens
	dirCUser, dirDUser, penmasUser, rstUser, rstMail           string
	smtp                                                       *emailtest.Server

	pA1, pA2, pA3, pA4, pA5, pB1, pC1, pC2, pC3 string // NRPs
	waA1, waA2, mailC1, mailC2                  string
	pend1, pend2                                string // dashboard registrations awaiting approval
	reqB, reqAdmin, reqD                        string // premium request tokens of dirB, admin, dirD

	// Dashboard account ids: the callers' own, and tgt, the account the
	// admin rows manage (it never logs in, so nothing of it moves but
	// what a row does).
	adminID, oprID, dirCID, tgtID string
	// client is a client operator's token (POST /api/auth/login with
	// POLRESD's operator number, which carries the run's clock).
	clientTok, clientPhone string
	// personnel2 is A2's token; the personnel premium requests (ids):
	// prA1 stays pending, prA2 is A2's, prApprove and prDeny are decided
	// by the replay rows.
	personnel2                    string
	prA1, prA2, prApprove, prDeny string
	// social is the fake Instagram/TikTok POLRESE's official accounts are
	// on (the import rows read posts from it).
	social *rapidapitest.Platform
	// premOpr is a premium operator of POLRESA's token (the ANEV rows).
	premOpr string
	// ed is the Penmas editorial rows' world (badinput_editorial_test.go).
	ed *badEditorial
}

func (w *badWorld) name(prefix string) string { return fmt.Sprintf("%s_%d", prefix, w.run) }

func (w *badWorld) nrp(i int) string { return fmt.Sprintf("7%010d%02d", (w.run/1e6)%1e10, i) }

func (w *badWorld) next() int { w.seq++; return w.seq }

// loginBody spells the same credentials differently per variant: identical
// anonymous logins within five minutes are refused as duplicates.
func loginBody(user string, variant int) string {
	switch variant {
	case 1:
		return fmt.Sprintf(`{"password":%q,"username":%q}`, badPassword, user)
	case 2:
		return fmt.Sprintf(`{"username": %q, "password": %q}`, user, badPassword)
	case 3:
		return fmt.Sprintf(`{ "password": %q, "username": %q }`, badPassword, user)
	}
	return fmt.Sprintf(`{"username":%q,"password":%q}`, user, badPassword)
}

func (w *badWorld) send(t *testing.T, rq *badRequest) badReply {
	t.Helper()
	var rd io.Reader
	if rq.body != "" {
		rd = strings.NewReader(rq.body)
	}
	req, err := http.NewRequest(rq.method, w.base+rq.path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if rq.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if rq.token != "" {
		req.Header.Set("Authorization", "Bearer "+rq.token)
	}
	for k, v := range rq.header {
		req.Header.Set(k, v)
	}
	resp, err := w.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	got := badReply{status: resp.StatusCode, raw: raw}
	_ = json.Unmarshal(raw, &got.body)
	return got
}

// expect sends and insists on status (setup and competing edits).
func (w *badWorld) expect(t *testing.T, token, method, path, body string, header map[string]string, status int) badReply {
	t.Helper()
	got := w.send(t, &badRequest{token: token, method: method, path: path, body: body, header: header})
	if got.status != status {
		t.Fatalf("%s %s %s = %d %s, want %d", method, path, body, got.status, got.raw, status)
	}
	return got
}

// version reads the version the read model shows for a person or client.
func (w *badWorld) version(t *testing.T, path string) uint64 {
	t.Helper()
	got := w.expect(t, w.admin, http.MethodGet, path, "", nil, http.StatusOK)
	data, _ := got.body["data"].(map[string]any)
	v, ok := data["version"].(float64)
	if !ok || v == 0 {
		t.Fatalf("GET %s: no version in %s", path, got.raw)
	}
	return uint64(v)
}

// heads is the last sequence of every event stream a read model follows.
func (w *badWorld) heads(t *testing.T) map[string]uint64 {
	t.Helper()
	out := map[string]uint64{}
	for _, s := range opsStatus(t, w.base, w.admin) {
		// MESSAGING holds what background work records (a fetch started by
		// an earlier row posts its task board there when it ends), never
		// what a request appends: it would make rows fail at random.
		if s.Stream != "MESSAGING" {
			out[s.Stream] = s.Head
		}
	}
	return out
}

func (w *badWorld) login(t *testing.T, path, body string) string {
	t.Helper()
	return w.loginReply(t, path, body).str("token")
}

// loginReply logs in and returns the whole answer (a dashboard login names
// the account: user.dashboard_user_id).
func (w *badWorld) loginReply(t *testing.T, path, body string) badReply {
	t.Helper()
	var got badReply
	// Accounts made through the CLI reach the read models a moment later.
	testkit.Eventually(t, 10*time.Second, func() error {
		got = w.send(t, &badRequest{method: http.MethodPost, path: path, body: body})
		if got.status != http.StatusOK || got.str("token") == "" {
			return fmt.Errorf("login %s = %d %s", body, got.status, got.raw)
		}
		return nil
	})
	return got
}

// dashLogin logs in to the dashboard and returns the token and the
// account's id.
func (w *badWorld) dashLogin(t *testing.T, body string) (token, id string) {
	t.Helper()
	got := w.loginReply(t, "/api/auth/dashboard-login", body)
	u, _ := got.body["user"].(map[string]any)
	id, _ = u["dashboard_user_id"].(string)
	if id == "" {
		t.Fatalf("dashboard login answered no id: %s", got.raw)
	}
	return got.str("token"), id
}

// personnelRequest files a personnel premium request as token and returns
// its id.
func (w *badWorld) personnelRequest(t *testing.T, token string) string {
	t.Helper()
	got := w.expect(t, token, http.MethodPost, "/api/premium-requests", badJSON(badObj{
		"sender_name": fmt.Sprintf("SETUP %d", w.next()), "account_number": "1234567890", "bank_name": "BRI"}), nil, http.StatusCreated)
	req, _ := got.body["request"].(map[string]any)
	id, _ := req["request_id"].(string)
	if id == "" {
		t.Fatalf("personnel premium request answered no id: %s", got.raw)
	}
	return id
}

func premiumBody(client, sender string) string {
	b := badObj{"bank_name": "BRI", "account_number": "1234567890", "sender_name": sender,
		"transfer_amount": "150000", "premium_tier": "tier1"}
	if client != "" {
		b["client_id"] = client
	}
	return badJSON(b)
}

func (w *badWorld) premiumRequest(t *testing.T, token, client string) string {
	t.Helper()
	got := w.expect(t, token, http.MethodPost, "/api/premium/request", premiumBody(client, "SETUP"), nil, http.StatusCreated)
	req, _ := got.body["request"].(map[string]any)
	tok, _ := req["request_token"].(string)
	if tok == "" {
		t.Fatalf("premium request answered no token: %s", got.raw)
	}
	return tok
}

var (
	badResetTokenRE = regexp.MustCompile(`Token: (\S+)`)
	badCreatedIDRE  = regexp.MustCompile(`dashboard_user_id (\S+)`)
)

// resetToken asks for a password reset of the reset account by mail on
// base and returns the token the mail carries.
func (w *badWorld) resetToken(t *testing.T, base string) string {
	t.Helper()
	n := len(w.smtp.Messages())
	w.expect(t, "", http.MethodPost, base+"/request",
		// Spelled unlike the replay rows' badJSON body, which would be its duplicate.
		fmt.Sprintf(`{"username":%q,"contact":%q}`, w.rstUser, w.rstMail), nil, http.StatusOK)
	m := w.smtp.WaitFor(t, n+1, 10*time.Second)[n]
	tok := badResetTokenRE.FindStringSubmatch(m.Body)
	if len(m.RcptTo) != 1 || m.RcptTo[0] != w.rstMail || tok == nil {
		t.Fatalf("reset mail to %v without a token: %q", m.RcptTo, m.Body)
	}
	return tok[1]
}

// staleVersion makes the rows' conflicts: it reads the resource's version,
// edits the resource with that version (which must succeed), and sends the
// row with the now stale one — two editors who loaded the same version.
func (w *badWorld) staleVersion(resource, editFmt string) func(*testing.T, *badRequest) {
	return w.staleVersionVia(resource, resource, editFmt)
}

// staleVersionVia is staleVersion for a resource read at one path and
// edited (PUT) at another.
func (w *badWorld) staleVersionVia(resource, edit, editFmt string) func(*testing.T, *badRequest) {
	return func(t *testing.T, rq *badRequest) {
		v := strconv.FormatUint(w.version(t, resource), 10)
		w.expect(t, w.admin, http.MethodPut, edit, fmt.Sprintf(editFmt, w.next()),
			map[string]string{"If-Match": v}, http.StatusOK)
		placed := strings.Contains(rq.body, "{{v}}")
		rq.body = strings.ReplaceAll(rq.body, "{{v}}", v)
		for k, h := range rq.header {
			if strings.Contains(h, "{{v}}") {
				rq.header[k], placed = strings.ReplaceAll(h, "{{v}}", v), true
			}
		}
		if !placed {
			if rq.header == nil {
				rq.header = map[string]string{}
			}
			rq.header["If-Match"] = v
		}
	}
}

func newBadWorld(t *testing.T) *badWorld {
	t.Helper()
	// request-otp mails the code: a real SMTP peer on loopback.
	smtp := emailtest.Start(t)
	t.Setenv("SMTP_HOST", smtp.Host)
	t.Setenv("SMTP_PORT", strconv.Itoa(smtp.Port))
	t.Setenv("SMTP_TLS", "none")
	social := badSocialPlatform(t)
	w := &badWorld{base: startApp(t, testEnv(t)), client: apispec.Client(t), run: time.Now().UnixNano(), smtp: smtp, social: social}

	adm, opr, dirB := w.name("adm"), w.name("opr"), w.name("dirb")
	w.dirCUser, w.dirDUser, w.rstUser = w.name("dirc"), w.name("dird"), w.name("rst")
	w.rstMail = w.rstUser + "@polri.test"
	for _, args := range [][]string{
		{"admin", "client", "create", "--id", "POLRESA", "--name", "POLRES A", "--type", "org"},
		{"admin", "client", "create", "--id", "POLRESB", "--name", "POLRES B", "--type", "org"},
		{"admin", "client", "create", "--id", "POLRESC", "--name", "POLRES C", "--type", "org"},
		{"admin", "dashboard-user", "create", "--username", adm, "--password", badPassword, "--role", "admin",
			"--clients", "POLRESA", "--whatsapp", "081200000001"},
		{"admin", "dashboard-user", "create", "--username", opr, "--password", badPassword, "--role", "operator",
			"--clients", "POLRESA", "--whatsapp", "081200000002"},
		// A directorate with two Polres: no single token client, so
		// nothing replaces the client a request names.
		{"admin", "dashboard-user", "create", "--username", dirB, "--password", badPassword, "--role", "ditbinmas",
			"--clients", "POLRESB,POLRESC", "--whatsapp", "081200000003"},
		{"admin", "dashboard-user", "create", "--username", w.dirCUser, "--password", badPassword, "--role", "ditlantas",
			"--clients", "POLRESC", "--whatsapp", "081200000004"},
		{"admin", "dashboard-user", "create", "--username", w.dirDUser, "--password", badPassword, "--role", "ditlantas",
			"--clients", "POLRESC", "--whatsapp", "081200000005"},
		// The password reset rows' account (a confirmed reset ends its sessions).
		{"admin", "dashboard-user", "create", "--username", w.rstUser, "--password", badPassword, "--role", "operator",
			"--clients", "POLRESA", "--email", w.rstMail},
	} {
		if out, err := runCLI(t, args...); err != nil {
			t.Fatalf("%v: %v %s", args, err, out)
		}
	}
	// POLRESD has an operator number: its client login is the client token.
	w.clientPhone = fmt.Sprintf("0813%08d", w.run%1e8)
	if out, err := runCLI(t, "admin", "client", "create", "--id", "POLRESD", "--name", "POLRES D", "--type", "org",
		"--operator", w.clientPhone); err != nil {
		t.Fatalf("client create --operator: %v %s", err, out)
	}
	out, err := runCLI(t, "admin", "dashboard-user", "create", "--username", w.name("tgt"), "--password", badPassword,
		"--role", "operator", "--clients", "POLRESA", "--whatsapp", "081200000006")
	m := badCreatedIDRE.FindStringSubmatch(out)
	if err != nil || m == nil {
		t.Fatalf("dashboard-user create: %v %s", err, out)
	}
	w.tgtID = m[1]

	w.admin, w.adminID = w.dashLogin(t, loginBody(adm, 0))
	w.adminGone, _ = w.dashLogin(t, loginBody(adm, 1))
	w.expect(t, w.adminGone, http.MethodPost, "/api/auth/logout", "", nil, http.StatusOK)
	w.opr, w.oprID = w.dashLogin(t, loginBody(opr, 0))
	w.dirB, _ = w.dashLogin(t, loginBody(dirB, 0))
	w.dirC, w.dirCID = w.dashLogin(t, loginBody(w.dirCUser, 0))
	w.dirD, _ = w.dashLogin(t, loginBody(w.dirDUser, 0))
	w.clientTok = w.login(t, "/api/auth/login", badJSON(badObj{"client_id": "POLRESD", "client_operator": w.clientPhone}))
	testkit.Eventually(t, 10*time.Second, func() error {
		if got := w.send(t, &badRequest{token: w.admin, method: http.MethodGet, path: "/api/dashboard/users/" + w.tgtID}); got.status != http.StatusOK {
			return fmt.Errorf("the managed account: %d %s", got.status, got.raw)
		}
		return nil
	})
	// The operator's refusals on other accounts mean something only if
	// its own is open to it.
	w.expect(t, w.opr, http.MethodGet, "/api/dashboard/users/"+w.oprID, "", nil, http.StatusOK)

	w.pA1, w.pA2, w.pA3, w.pA4, w.pA5 = w.nrp(1), w.nrp(2), w.nrp(3), w.nrp(4), w.nrp(5)
	w.pB1, w.pC1, w.pC2, w.pC3 = w.nrp(8), w.nrp(9), w.nrp(10), w.nrp(11)
	w.waA1, w.waA2 = "6281300000001", "6281300000002"
	w.mailC1, w.mailC2 = fmt.Sprintf("c1_%d@polri.test", w.run), fmt.Sprintf("c2_%d@polri.test", w.run)
	for _, p := range []badObj{
		{"user_id": w.pA1, "nama": "ANGGOTA A1", "client_id": "POLRESA", "whatsapp": w.waA1, "roles": []string{"operator"}},
		{"user_id": w.pA2, "nama": "ANGGOTA A2", "client_id": "POLRESA", "whatsapp": w.waA2, "roles": []string{"operator"}},
		{"user_id": w.pA3, "nama": "ANGGOTA A3", "client_id": "POLRESA"},
		{"user_id": w.pA4, "nama": "ANGGOTA A4", "client_id": "POLRESA"},
		{"user_id": w.pA5, "nama": "ANGGOTA A5", "client_id": "POLRESA"},
		{"user_id": w.pB1, "nama": "ANGGOTA B1", "client_id": "POLRESB"},
		{"user_id": w.pC1, "nama": "ANGGOTA C1", "client_id": "POLRESA", "email": w.mailC1},
		{"user_id": w.pC2, "nama": "ANGGOTA C2", "client_id": "POLRESA", "email": w.mailC2},
		{"user_id": w.pC3, "nama": "ANGGOTA C3", "client_id": "POLRESA"},
	} {
		w.expect(t, w.admin, http.MethodPost, "/api/users/create", badJSON(p), nil, http.StatusCreated)
	}
	w.personnel = w.login(t, "/api/auth/user-login", badJSON(badObj{"nrp": w.pA1, "whatsapp": w.waA1}))
	w.personnel2 = w.login(t, "/api/auth/user-login", badJSON(badObj{"nrp": w.pA2, "whatsapp": w.waA2}))
	w.prA1, w.prApprove, w.prDeny = w.personnelRequest(t, w.personnel), w.personnelRequest(t, w.personnel), w.personnelRequest(t, w.personnel)
	w.prA2 = w.personnelRequest(t, w.personnel2)

	w.penmasUser = w.name("pen")
	w.expect(t, "", http.MethodPost, "/api/auth/penmas-register",
		badJSON(badObj{"username": w.penmasUser, "password": badPassword}), nil, http.StatusCreated)
	w.penmas = w.login(t, "/api/auth/penmas-login", loginBody(w.penmasUser, 0))

	for _, dst := range []*string{&w.pend1, &w.pend2} {
		got := w.expect(t, "", http.MethodPost, "/api/auth/dashboard-register", badJSON(badObj{
			"username": w.name(fmt.Sprintf("pend%d", w.next())), "password": badPassword,
			"whatsapp": "081200000009", "client_ids": []string{"POLRESA"}}), nil, http.StatusCreated)
		if *dst = got.str("dashboard_user_id"); *dst == "" {
			t.Fatalf("registration answered no id: %s", got.raw)
		}
	}
	w.socialSetup(t)
	w.editorialSetup(t)
	w.reqB = w.premiumRequest(t, w.dirB, "POLRESB")
	w.reqAdmin = w.premiumRequest(t, w.admin, "POLRESA")
	w.reqD = w.premiumRequest(t, w.dirD, "")
	return w
}

// check runs one row: before, the first of a replayed pair, then the call
// under test with its answer, the append check and the probe.
func (w *badWorld) check(t *testing.T, row badRow) {
	if row.knownBug != "" {
		t.Skip("known bug: " + row.knownBug)
	}
	if row.message == "" && row.legacyErr == "" && row.check == nil {
		t.Fatal("row asserts no message")
	}
	path := row.path
	if path == "" {
		path = row.route
	}
	rq := &badRequest{token: row.caller, method: row.method, path: path, body: row.body, header: maps.Clone(row.header)}
	if row.before != nil {
		row.before(t, rq)
	}
	if row.kind == badReplay && row.firstStatus != 0 {
		if first := w.send(t, rq); first.status != row.firstStatus {
			t.Fatalf("first of the pair = %d %s, want %d", first.status, first.raw, row.firstStatus)
		}
	}
	var probe badReply
	probeAs := row.probeAs
	if probeAs == "" {
		probeAs = w.admin
	}
	if row.probe != "" {
		probe = w.send(t, &badRequest{token: probeAs, method: http.MethodGet, path: row.probe})
	}
	write := rq.method != http.MethodGet
	var heads map[string]uint64
	if write {
		heads = w.heads(t)
	}

	got := w.send(t, rq)
	if got.status != row.status {
		t.Errorf("status = %d, want %d (body %s)", got.status, row.status, got.raw)
	}
	if row.message != "" && got.str("message") != row.message {
		t.Errorf("message = %q, want %q", got.str("message"), row.message)
	}
	if got.str("reason") != row.reason {
		t.Errorf("reason = %q, want %q", got.str("reason"), row.reason)
	}
	if row.legacyErr != "" && got.str("error") != row.legacyErr {
		t.Errorf("error = %q, want %q", got.str("error"), row.legacyErr)
	}
	if row.status >= 400 && row.legacyErr == "" && got.body["success"] != false {
		t.Errorf("success = %v, want false", got.body["success"])
	}
	if row.check != nil {
		row.check(t, got)
	}
	if write && !row.appends {
		if after := w.heads(t); !maps.Equal(heads, after) {
			t.Errorf("the refused call appended events: stream heads %v → %v", heads, after)
		}
	}
	if row.probe != "" {
		again := w.send(t, &badRequest{token: probeAs, method: http.MethodGet, path: row.probe})
		if again.status != probe.status || !bytes.Equal(again.raw, probe.raw) {
			t.Errorf("GET %s changed:\nbefore %d %s\nafter  %d %s", row.probe, probe.status, probe.raw, again.status, again.raw)
		}
	}
	if row.after != nil {
		row.after(t)
	}
}

func TestBadInputMatrix(t *testing.T) {
	start := time.Now()
	w := newBadWorld(t)
	setup := time.Since(start)
	rows := w.rows()
	for _, row := range rows {
		t.Run(row.name(), func(t *testing.T) { w.check(t, row) })
	}
	t.Logf("%d rows; setup %s, total %s", len(rows), setup.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
}

// The matrix's shorthands.
const (
	get, post, put, del = http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete
	s400, s401, s403    = http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden
	s404, s409, s429    = http.StatusNotFound, http.StatusConflict, http.StatusTooManyRequests
	s200, s201, s202    = http.StatusOK, http.StatusCreated, http.StatusAccepted
)

// rows is the matrix.
func (w *badWorld) rows() []badRow {
	user := func(nrp string) string { return "/api/users/" + nrp }
	personEdit := `{"jabatan":"KANIT %d"}`
	var rows []badRow

	// Personnel writes. Every kind applies: bodies are validated, edits
	// are scoped to the caller's clients, the routes are dashboard-only,
	// and each accepts an expected version (If-Match or expected_version).
	for i, route := range []string{"/api/users/create", "/api/users"} {
		fresh := func(j int) string { return w.nrp(30 + 4*i + j) }
		rows = append(rows,
			badRow{method: post, route: route, kind: badInvalid, caller: w.admin,
				body:   badJSON(badObj{"user_id": fresh(0), "nama": "BARU", "client_id": "POLRESA", "roles": "operator"}),
				status: s400, message: "roles harus berupa array", probe: user(fresh(0))},
			badRow{method: post, route: route, kind: badInvalid, variant: "if-match", caller: w.admin,
				body: badJSON(badObj{"user_id": w.pA2, "roles": []string{"ditlantas"}}), header: map[string]string{"If-Match": "dua"},
				status: s400, message: badMsgBadIfMatch, probe: user(w.pA2)},
			badRow{method: post, route: route, kind: badWrongClient, caller: w.opr,
				body:   badJSON(badObj{"user_id": fresh(1), "nama": "BARU", "client_id": "POLRESB"}),
				status: s403, message: badMsgNotAllowed, probe: user(fresh(1))},
			badRow{method: post, route: route, kind: badWrongKind, caller: w.personnel,
				body:   badJSON(badObj{"user_id": fresh(2), "nama": "BARU", "client_id": "POLRESA"}),
				status: s403, message: badMsgForbidden, probe: user(fresh(2))},
			badRow{method: post, route: route, kind: badRevoked, caller: w.adminGone,
				body:   badJSON(badObj{"user_id": fresh(3), "nama": "BARU", "client_id": "POLRESA"}),
				status: s401, message: badMsgInvalidTok, reason: badReasonInvalid, probe: user(fresh(3))},
			// A known NRP with roles is a grant on the existing person.
			badRow{method: post, route: route, kind: badConflict, caller: w.admin,
				body: badJSON(badObj{"user_id": w.pA2, "roles": []string{"ditlantas"}}), before: w.staleVersion(user(w.pA2), personEdit),
				status: s409, message: badMsgStale, probe: user(w.pA2)},
			badRow{method: post, route: route, kind: badReplay, caller: w.admin,
				body:        badJSON(badObj{"user_id": w.nrp(20 + i), "nama": "REPLAY", "client_id": "POLRESA"}),
				firstStatus: s201, status: s429, message: badMsgDuplicate, probe: user(w.nrp(20 + i))},
		)
	}
	rows = append(rows,
		badRow{method: put, route: "/api/users/{id}", path: user(w.pA1), kind: badInvalid, caller: w.admin,
			body: `{"pangkat":"AKP"}`, status: s400, message: "Field tidak diizinkan: pangkat", probe: user(w.pA1)},
		badRow{method: put, route: "/api/users/{id}", path: user(w.pA1), kind: badInvalid, variant: "not-boolean", caller: w.admin,
			body: `{"exception":"kadang"}`, status: s400, message: "exception harus bernilai boolean", probe: user(w.pA1)},
		badRow{method: put, route: "/api/users/{id}", path: user(w.pB1), kind: badWrongClient, caller: w.opr,
			body: `{"jabatan":"KANIT"}`, status: s403, message: badMsgNotAllowed, probe: user(w.pB1)},
		badRow{method: put, route: "/api/users/{id}", path: user(w.pA1), kind: badWrongClient, variant: "move-out", caller: w.opr,
			body: `{"client_id":"POLRESB"}`, status: s403, message: badMsgNotAllowed, probe: user(w.pA1)},
		badRow{method: put, route: "/api/users/{id}", path: user(w.pA1), kind: badWrongKind, caller: w.penmas,
			body: `{"jabatan":"KANIT"}`, status: s403, message: badMsgForbidden, probe: user(w.pA1)},
		badRow{method: put, route: "/api/users/{id}", path: user(w.pA1), kind: badRevoked, caller: w.adminGone,
			body: `{"jabatan":"KANIT"}`, status: s401, message: badMsgInvalidTok, reason: badReasonInvalid, probe: user(w.pA1)},
		badRow{method: put, route: "/api/users/{id}", path: user(w.pA2), kind: badConflict, caller: w.admin,
			body: `{"jabatan":"KAPOLSEK"}`, before: w.staleVersion(user(w.pA2), personEdit),
			status: s409, message: badMsgStale, probe: user(w.pA2)},
		badRow{method: put, route: "/api/users/{id}", path: user(w.pA1), kind: badReplay, caller: w.admin,
			body: `{"jabatan":"KANIT REPLAY"}`, firstStatus: s200, status: s429, message: badMsgDuplicate, probe: user(w.pA1)},

		badRow{method: del, route: "/api/users/{id}", path: user(w.pA1), kind: badInvalid, caller: w.admin,
			header: map[string]string{"If-Match": "v7"}, status: s400, message: badMsgBadIfMatch, probe: user(w.pA1)},
		badRow{method: del, route: "/api/users/{id}", path: user(w.pA1), kind: badInvalid, variant: "not-an-object", caller: w.admin,
			body: `["operator"]`, status: s400, message: badMsgBadJSON, probe: user(w.pA1)},
		badRow{method: del, route: "/api/users/{id}", path: user(w.pA1), kind: badWrongClient, caller: w.dirB,
			status: s403, message: badMsgNotAllowed, probe: user(w.pA1)},
		// Operators may only PUT a user (spec/access.md §2.2).
		badRow{method: del, route: "/api/users/{id}", path: user(w.pA1), kind: badWrongKind, variant: "operator", caller: w.opr,
			status: s403, message: badMsgForbidden, probe: user(w.pA1)},
		badRow{method: del, route: "/api/users/{id}", path: user(w.pA1), kind: badWrongKind, caller: w.personnel,
			status: s403, message: badMsgForbidden, probe: user(w.pA1)},
		badRow{method: del, route: "/api/users/{id}", path: user(w.pA1), kind: badRevoked, caller: w.adminGone,
			status: s401, message: badMsgInvalidTok, reason: badReasonInvalid, probe: user(w.pA1)},
		badRow{method: del, route: "/api/users/{id}", path: user(w.pA2) + "?role=operator", kind: badConflict, caller: w.admin,
			before: w.staleVersion(user(w.pA2), personEdit), status: s409, message: badMsgStale, probe: user(w.pA2)},
		badRow{method: del, route: "/api/users/{id}", path: user(w.pA3), kind: badReplay, caller: w.admin,
			firstStatus: s200, status: s429, message: badMsgDuplicate, probe: user(w.pA3)},

		badRow{method: put, route: "/api/users/{id}/roles", path: user(w.pA1) + "/roles", kind: badInvalid, caller: w.admin,
			body: `{"roles":"operator"}`, status: s400, message: "roles harus berupa array", probe: user(w.pA1)},
		badRow{method: put, route: "/api/users/{id}/roles", path: user(w.pA1) + "/roles", kind: badInvalid, variant: "missing", caller: w.admin,
			body: `{}`, status: s400, message: "roles harus berupa array", probe: user(w.pA1)},
		badRow{method: put, route: "/api/users/{id}/roles", path: user(w.pA1) + "/roles", kind: badWrongClient, caller: w.dirB,
			body: `{"roles":["operator"]}`, status: s403, message: badMsgNotAllowed, probe: user(w.pA1)},
		badRow{method: put, route: "/api/users/{id}/roles", path: user(w.pA1) + "/roles", kind: badWrongKind, caller: w.penmas,
			body: `{"roles":["operator"]}`, status: s403, message: badMsgForbidden, probe: user(w.pA1)},
		badRow{method: put, route: "/api/users/{id}/roles", path: user(w.pA1) + "/roles", kind: badRevoked, caller: w.adminGone,
			body: `{"roles":["operator"]}`, status: s401, message: badMsgInvalidTok, reason: badReasonInvalid, probe: user(w.pA1)},
		badRow{method: put, route: "/api/users/{id}/roles", path: user(w.pA2) + "/roles", kind: badConflict, variant: "expected_version", caller: w.admin,
			body: `{"roles":["operator","ditbinmas"],"expected_version":{{v}}}`, before: w.staleVersion(user(w.pA2), personEdit),
			status: s409, message: badMsgStale, probe: user(w.pA2)},
		badRow{method: put, route: "/api/users/{id}/roles", path: user(w.pA1) + "/roles", kind: badReplay, caller: w.admin,
			body: `{"roles":["operator","bidhumas"]}`, firstStatus: s200, status: s429, message: badMsgDuplicate, probe: user(w.pA1)},

		badRow{method: put, route: "/api/users/{id}/wa-notification", path: user(w.pA1) + "/wa-notification", kind: badInvalid, caller: w.admin,
			body: `{"opt_in":true}`, status: s400, message: "whatsapp wajib diisi", probe: user(w.pA1)},
		badRow{method: put, route: "/api/users/{id}/wa-notification", path: user(w.pA1) + "/wa-notification", kind: badInvalid, variant: "opt-in", caller: w.admin,
			body: badJSON(badObj{"whatsapp": w.waA1, "opt_in": "mungkin"}), status: s400, message: "opt_in harus bernilai boolean", probe: user(w.pA1)},
		badRow{method: put, route: "/api/users/{id}/wa-notification", path: user(w.pA1) + "/wa-notification", kind: badWrongClient, caller: w.dirB,
			body: badJSON(badObj{"whatsapp": w.waA1, "opt_in": true}), status: s403, message: badMsgNotAllowed, probe: user(w.pA1)},
		badRow{method: put, route: "/api/users/{id}/wa-notification", path: user(w.pA1) + "/wa-notification", kind: badWrongKind, caller: w.personnel,
			body: badJSON(badObj{"whatsapp": w.waA1, "opt_in": true}), status: s403, message: badMsgForbidden, probe: user(w.pA1)},
		badRow{method: put, route: "/api/users/{id}/wa-notification", path: user(w.pA1) + "/wa-notification", kind: badRevoked, caller: w.adminGone,
			body:   badJSON(badObj{"whatsapp": w.waA1, "opt_in": true}),
			status: s401, message: badMsgInvalidTok, reason: badReasonInvalid, probe: user(w.pA1)},
		badRow{method: put, route: "/api/users/{id}/wa-notification", path: user(w.pA2) + "/wa-notification", kind: badConflict, variant: "weak-etag", caller: w.admin,
			body: badJSON(badObj{"whatsapp": w.waA2, "opt_in": true}), header: map[string]string{"If-Match": `W/"{{v}}"`},
			before: w.staleVersion(user(w.pA2), personEdit), status: s409, message: badMsgStale, probe: user(w.pA2)},
		badRow{method: put, route: "/api/users/{id}/wa-notification", path: user(w.pA1) + "/wa-notification", kind: badReplay, caller: w.admin,
			body: badJSON(badObj{"whatsapp": w.waA1, "opt_in": true}), firstStatus: s200, status: s429, message: badMsgDuplicate, probe: user(w.pA1)},
	)
	for i, method := range []string{put, post} {
		const route = "/api/user_roles/update"
		moved, replayFrom := w.nrp(40+4*i), []string{w.pA4, w.pA5}[i]
		rows = append(rows,
			badRow{method: method, route: route, kind: badInvalid, caller: w.admin,
				body:   badJSON(badObj{"old_user_id": w.pA1, "new_user_id": ""}),
				status: s400, message: "nrp wajib diisi", probe: user(w.pA1)},
			badRow{method: method, route: route, kind: badInvalid, variant: "same-nrp", caller: w.admin,
				body:   badJSON(badObj{"old_user_id": w.pA1, "new_user_id": w.pA1}),
				status: s400, message: "nrp baru sama dengan nrp lama", probe: user(w.pA1)},
			badRow{method: method, route: route, kind: badWrongClient, caller: w.dirB,
				body:   badJSON(badObj{"old_user_id": w.pA1, "new_user_id": moved}),
				status: s403, message: badMsgNotAllowed, probe: user(w.pA1)},
			badRow{method: method, route: route, kind: badWrongKind, variant: "operator", caller: w.opr,
				body:   badJSON(badObj{"old_user_id": w.pA1, "new_user_id": moved}),
				status: s403, message: badMsgForbidden, probe: user(w.pA1)},
			badRow{method: method, route: route, kind: badWrongKind, caller: w.penmas,
				body:   badJSON(badObj{"old_user_id": w.pA1, "new_user_id": moved}),
				status: s403, message: badMsgForbidden, probe: user(w.pA1)},
			badRow{method: method, route: route, kind: badRevoked, caller: w.adminGone,
				body:   badJSON(badObj{"old_user_id": w.pA1, "new_user_id": moved}),
				status: s401, message: badMsgInvalidTok, reason: badReasonInvalid, probe: user(w.pA1)},
			badRow{method: method, route: route, kind: badConflict, caller: w.admin,
				body: badJSON(badObj{"old_user_id": w.pA2, "new_user_id": w.nrp(41 + 4*i)}), before: w.staleVersion(user(w.pA2), personEdit),
				status: s409, message: badMsgStale, probe: user(w.pA2)},
			badRow{method: method, route: route, kind: badConflict, variant: "nrp-taken", caller: w.admin,
				body:   badJSON(badObj{"old_user_id": w.pA2, "new_user_id": w.pA1}),
				status: s409, message: "nrp sudah terdaftar", probe: user(w.pA2)},
			badRow{method: method, route: route, kind: badReplay, caller: w.admin,
				body:        badJSON(badObj{"old_user_id": replayFrom, "new_user_id": w.nrp(6 + i)}),
				firstStatus: s200, status: s429, message: badMsgDuplicate, probe: user(w.nrp(6 + i))},
		)
	}

	// Client writes: as the personnel writes.
	const clientRoute = "/api/clients/{client_id}"
	polresC := "/api/clients/POLRESC"
	rows = append(rows,
		badRow{method: put, route: clientRoute, path: polresC, kind: badInvalid, caller: w.admin,
			body: `{"client_insta_status":"kadang"}`, status: s400, message: "client_insta_status harus bernilai boolean", probe: polresC},
		badRow{method: put, route: clientRoute, path: polresC, kind: badInvalid, variant: "expected_version", caller: w.admin,
			body: `{"nama":"POLRES C","expected_version":"dua"}`, status: s400, message: "expected_version harus berupa angka", probe: polresC},
		badRow{method: put, route: clientRoute, path: "/api/clients/POLRESA", kind: badWrongClient, caller: w.dirB,
			body: `{"nama":"BUKAN MILIKNYA"}`, status: s403, message: badMsgNotAllowed, probe: "/api/clients/POLRESA"},
		badRow{method: put, route: clientRoute, path: "/api/clients/POLRESA", kind: badWrongKind, variant: "operator", caller: w.opr,
			body: `{"nama":"X"}`, status: s403, message: badMsgForbidden, probe: "/api/clients/POLRESA"},
		badRow{method: put, route: clientRoute, path: polresC, kind: badWrongKind, caller: w.personnel,
			body: `{"nama":"X"}`, status: s403, message: badMsgForbidden, probe: polresC},
		badRow{method: put, route: clientRoute, path: polresC, kind: badRevoked, caller: w.adminGone,
			body: `{"nama":"X"}`, status: s401, message: badMsgInvalidTok, reason: badReasonInvalid, probe: polresC},
		badRow{method: put, route: clientRoute, path: polresC, kind: badConflict, caller: w.admin,
			body: `{"client_group":"STALE"}`, before: w.staleVersion(polresC, `{"client_group":"GROUP-%d"}`),
			status: s409, message: badMsgStale, probe: polresC},
		badRow{method: put, route: clientRoute, path: polresC, kind: badReplay, caller: w.admin,
			body: `{"nama":"POLRES C REPLAY"}`, firstStatus: s200, status: s429, message: badMsgDuplicate, probe: polresC},
	)

	// Dashboard account decisions: admin-only and not client-scoped (no
	// wrong client); they take no expected version, and a repeated
	// decision is a no-op success (no 409).
	approve := func(id string) string { return "/api/dashboard/users/" + id + "/approve" }
	reject := func(id string) string { return "/api/dashboard/users/" + id + "/reject" }
	rows = append(rows,
		badRow{method: put, route: "/api/dashboard/users/{id}/approve", path: approve(w.pend1), kind: badInvalid, caller: w.admin,
			body: `{"note":`, status: s400, message: badMsgBadJSON},
		badRow{method: put, route: "/api/dashboard/users/{id}/approve", path: approve(w.pend1), kind: badWrongKind, variant: "operator", caller: w.opr,
			status: s403, message: badMsgForbidden},
		badRow{method: put, route: "/api/dashboard/users/{id}/approve", path: approve(w.pend1), kind: badWrongKind, variant: "directorate", caller: w.dirB,
			status: s403, message: badMsgForbidden},
		badRow{method: put, route: "/api/dashboard/users/{id}/approve", path: approve(w.pend1), kind: badWrongKind, caller: w.personnel,
			status: s403, message: badMsgForbidden},
		badRow{method: put, route: "/api/dashboard/users/{id}/approve", path: approve(w.pend1), kind: badRevoked, caller: w.adminGone,
			status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},
		badRow{method: put, route: "/api/dashboard/users/{id}/approve", path: approve(w.pend1), kind: badReplay, caller: w.admin,
			firstStatus: s200, status: s429, message: badMsgDuplicate},

		badRow{method: put, route: "/api/dashboard/users/{id}/reject", path: reject(w.pend2), kind: badInvalid, caller: w.admin,
			body: `{"note":["lengkapi data"]}`, status: s400, message: "note harus berupa teks"},
		badRow{method: put, route: "/api/dashboard/users/{id}/reject", path: reject(w.pend2), kind: badWrongKind, variant: "directorate", caller: w.dirB,
			body: `{"note":"x"}`, status: s403, message: badMsgForbidden},
		badRow{method: put, route: "/api/dashboard/users/{id}/reject", path: reject(w.pend2), kind: badWrongKind, caller: w.penmas,
			body: `{"note":"x"}`, status: s403, message: badMsgForbidden},
		badRow{method: put, route: "/api/dashboard/users/{id}/reject", path: reject(w.pend2), kind: badRevoked, caller: w.adminGone,
			body: `{"note":"x"}`, status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},
		badRow{method: put, route: "/api/dashboard/users/{id}/reject", path: reject(w.pend2), kind: badReplay, caller: w.admin,
			body: `{"note":"data tidak lengkap"}`, firstStatus: s200, status: s429, message: badMsgDuplicate},
	)

	// Premium writes. A request's client is checked against the
	// requester's; its 409 is the open request still waiting (spec
	// access.md §3.4), not a version — none of these routes reads one.
	// Confirming another user's request is the legacy 404, and decisions
	// stay with admins (no wrong client for approve/deny).
	const premReq = "/api/premium/request"
	mine := func(tok string) string { return "/api/premium/request/" + tok }
	confirm := func(tok string) string { return "/api/premium/request/" + tok + "/confirm" }
	decide := func(tok, what string) string { return "/api/premium/requests/" + tok + "/" + what }
	rows = append(rows,
		badRow{method: post, route: premReq, kind: badInvalid, caller: w.dirB,
			body:   `{"client_id":"POLRESB","account_number":"1234567890","sender_name":"BUDI"}`,
			status: s400, message: "bank_name wajib diisi", probe: mine(w.reqB), probeAs: w.dirB},
		badRow{method: post, route: premReq, kind: badInvalid, variant: "client-required", caller: w.dirB,
			body: premiumBody("", "BUDI"), status: s400, message: "client_id wajib diisi", probe: mine(w.reqB), probeAs: w.dirB},
		badRow{method: post, route: premReq, kind: badInvalid, variant: "amount", caller: w.dirB,
			body:   `{"client_id":"POLRESB","bank_name":"BRI","account_number":"1","sender_name":"BUDI","transfer_amount":"seratus ribu"}`,
			status: s400, message: "transfer_amount tidak valid", probe: mine(w.reqB), probeAs: w.dirB},
		badRow{method: post, route: premReq, kind: badWrongClient, caller: w.dirB,
			body: premiumBody("POLRESA", "BUDI"), status: s403, message: "client_id tidak valid untuk pengguna ini",
			probe: mine(w.reqB), probeAs: w.dirB},
		// spec/access.md §3.4: operators never reach /api/premium/*.
		badRow{method: post, route: premReq, kind: badWrongKind, variant: "operator", caller: w.opr,
			body: premiumBody("POLRESA", "BUDI"), status: s403, message: badMsgForbidden},
		badRow{method: post, route: premReq, kind: badWrongKind, caller: w.personnel,
			body: premiumBody("POLRESA", "BUDI"), status: s403, message: badMsgForbidden},
		badRow{method: post, route: premReq, kind: badWrongKind, variant: "penmas", caller: w.penmas,
			body: premiumBody("POLRESA", "BUDI"), status: s403, message: badMsgForbidden},
		badRow{method: post, route: premReq, kind: badRevoked, caller: w.adminGone,
			body: premiumBody("POLRESA", "BUDI"), status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},
		badRow{method: post, route: premReq, kind: badConflict, variant: "open-request", caller: w.dirB,
			body: premiumBody("POLRESB", "BUDI LAGI"), status: s409,
			message: "Permintaan premium sebelumnya masih diproses. Tunggu hingga selesai sebelum mengajukan kembali.",
			probe:   "/api/premium/request/latest", probeAs: w.dirB},
		badRow{method: post, route: premReq, kind: badReplay, caller: w.dirC,
			body: premiumBody("POLRESC", "REPLAY"), firstStatus: s201, status: s429, message: badMsgDuplicate,
			probe: "/api/premium/request/latest", probeAs: w.dirC},

		badRow{method: put, route: "/api/premium/request/{token}/confirm", path: confirm(w.reqB), kind: badInvalid, caller: w.dirB,
			body: `{}`, status: s400, message: "proof_url wajib diisi", probe: mine(w.reqB), probeAs: w.dirB},
		badRow{method: put, route: "/api/premium/request/{token}/confirm", path: confirm(w.reqB), kind: badInvalid, variant: "metadata", caller: w.dirB,
			body:   `{"proof_url":"https://bukti.test/a.jpg","metadata":"lunas"}`,
			status: s400, message: "metadata harus berupa objek JSON", probe: mine(w.reqB), probeAs: w.dirB},
		badRow{method: put, route: "/api/premium/request/{token}/confirm", path: confirm(w.reqB), kind: badWrongClient, variant: "other-owner", caller: w.dirC,
			body:   `{"proof_url":"https://bukti.test/b.jpg"}`,
			status: s404, message: "Request tidak ditemukan untuk pengguna ini", probe: mine(w.reqB), probeAs: w.dirB},
		badRow{method: put, route: "/api/premium/request/{token}/confirm", path: confirm(w.reqB), kind: badWrongKind, caller: w.personnel,
			body: `{"proof_url":"https://bukti.test/c.jpg"}`, status: s403, message: badMsgForbidden, probe: mine(w.reqB), probeAs: w.dirB},
		badRow{method: put, route: "/api/premium/request/{token}/confirm", path: confirm(w.reqB), kind: badRevoked, caller: w.adminGone,
			body:   `{"proof_url":"https://bukti.test/d.jpg"}`,
			status: s401, message: badMsgInvalidTok, reason: badReasonInvalid, probe: mine(w.reqB), probeAs: w.dirB},
		badRow{method: put, route: "/api/premium/request/{token}/confirm", path: confirm(w.reqB), kind: badReplay, caller: w.dirB,
			body:        fmt.Sprintf(`{"proof_url":"https://bukti.test/%d.jpg"}`, w.run),
			firstStatus: s200, status: s429, message: badMsgDuplicate, probe: mine(w.reqB), probeAs: w.dirB},

		badRow{method: post, route: "/api/premium/requests/{token}/approve", path: decide(w.reqB, "approve"), kind: badInvalid, caller: w.admin,
			body: `{"days":"tiga puluh"}`, status: s400, message: "days harus berupa angka", probe: mine(w.reqB), probeAs: w.dirB},
		badRow{method: post, route: "/api/premium/requests/{token}/approve", path: decide(w.reqB, "approve"), kind: badInvalid, variant: "expires_at", caller: w.admin,
			body:   `{"expires_at":"besok"}`,
			status: s400, message: "expires_at tidak valid: gunakan waktu ISO 8601 (RFC 3339)", probe: mine(w.reqB), probeAs: w.dirB},
		badRow{method: post, route: "/api/premium/requests/{token}/approve", path: decide(w.reqB, "approve"), kind: badWrongKind, variant: "operator", caller: w.opr,
			body: `{"tier":"tier1"}`, status: s403, message: badMsgForbidden, probe: mine(w.reqB), probeAs: w.dirB},
		badRow{method: post, route: "/api/premium/requests/{token}/approve", path: decide(w.reqB, "approve"), kind: badWrongKind, variant: "directorate", caller: w.dirB,
			body: `{"tier":"tier1"}`, status: s403, message: badMsgForbidden, probe: mine(w.reqB), probeAs: w.dirB},
		badRow{method: post, route: "/api/premium/requests/{token}/approve", path: decide(w.reqB, "approve"), kind: badWrongKind, caller: w.penmas,
			body: `{"tier":"tier1"}`, status: s403, message: badMsgForbidden, probe: mine(w.reqB), probeAs: w.dirB},
		badRow{method: post, route: "/api/premium/requests/{token}/approve", path: decide(w.reqB, "approve"), kind: badRevoked, caller: w.adminGone,
			body:   `{"tier":"tier1"}`,
			status: s401, message: badMsgInvalidTok, reason: badReasonInvalid, probe: mine(w.reqB), probeAs: w.dirB},
		badRow{method: post, route: "/api/premium/requests/{token}/approve", path: decide(w.reqAdmin, "approve"), kind: badReplay, caller: w.admin,
			body: `{"tier":"tier1","days":30}`, firstStatus: s200, status: s429, message: badMsgDuplicate, probe: mine(w.reqAdmin)},

		badRow{method: post, route: "/api/premium/requests/{token}/deny", path: decide(w.reqB, "deny"), kind: badInvalid, caller: w.admin,
			body: `{"note":{"alasan":"palsu"}}`, status: s400, message: "note harus berupa teks", probe: mine(w.reqB), probeAs: w.dirB},
		badRow{method: post, route: "/api/premium/requests/{token}/deny", path: decide(w.reqB, "deny"), kind: badWrongKind, variant: "directorate", caller: w.dirB,
			body: `{"note":"x"}`, status: s403, message: badMsgForbidden, probe: mine(w.reqB), probeAs: w.dirB},
		badRow{method: post, route: "/api/premium/requests/{token}/deny", path: decide(w.reqB, "deny"), kind: badWrongKind, caller: w.personnel,
			body: `{"note":"x"}`, status: s403, message: badMsgForbidden, probe: mine(w.reqB), probeAs: w.dirB},
		badRow{method: post, route: "/api/premium/requests/{token}/deny", path: decide(w.reqB, "deny"), kind: badRevoked, caller: w.adminGone,
			body: `{"note":"x"}`, status: s401, message: badMsgInvalidTok, reason: badReasonInvalid, probe: mine(w.reqB), probeAs: w.dirB},
		badRow{method: post, route: "/api/premium/requests/{token}/deny", path: decide(w.reqD, "deny"), kind: badReplay, caller: w.admin,
			body: `{"note":"bukti tidak valid"}`, firstStatus: s200, status: s429, message: badMsgDuplicate, probe: mine(w.reqD), probeAs: w.dirD},
	)

	var secondSession string
	// Auth routes are public: no token to be of the wrong kind or revoked,
	// no caller to scope, no aggregate version (a taken username is the
	// legacy 400). Anonymous calls are de-duplicated by address, so every
	// body that can succeed carries the run's names.
	rows = append(rows,
		badRow{method: post, route: "/api/auth/dashboard-login", kind: badInvalid,
			body: badJSON(badObj{"username": w.dirDUser}), status: s400, message: "username dan password wajib diisi"},
		badRow{method: post, route: "/api/auth/dashboard-login", kind: badInvalid, variant: "malformed", body: `{"username":`,
			status: s400, message: badMsgBadJSON},
		badRow{method: post, route: "/api/auth/dashboard-login", kind: badReplay, body: loginBody(w.dirDUser, 2),
			firstStatus: s200, status: s429, message: badMsgDuplicate},

		// The message names e-mail too: registration accepts either
		// contact (SPEC.md §4 item 8).
		badRow{method: post, route: "/api/auth/dashboard-register", kind: badInvalid,
			body:   badJSON(badObj{"username": w.name("reg_nocontact"), "password": badPassword, "client_ids": []string{"POLRESA"}}),
			status: s400, message: "username, password, dan whatsapp atau email wajib diisi"},
		// SPEC.md §5.10: self-registration cannot choose admin.
		badRow{method: post, route: "/api/auth/dashboard-register", kind: badInvalid, variant: "admin-role",
			body: badJSON(badObj{"username": w.name("reg_admin"), "password": badPassword, "whatsapp": "081200000010",
				"role": "admin", "client_ids": []string{"POLRESA"}}),
			status: s400, message: "role tidak valid"},
		badRow{method: post, route: "/api/auth/dashboard-register", kind: badInvalid, variant: "short-password",
			body: badJSON(badObj{"username": w.name("reg_short"), "password": "pendek", "whatsapp": "081200000010",
				"client_ids": []string{"POLRESA"}}),
			status: s400, message: "password minimal 8 karakter"},
		badRow{method: post, route: "/api/auth/dashboard-register", kind: badReplay,
			body: badJSON(badObj{"username": w.name("reg_replay"), "password": badPassword, "whatsapp": "081200000011",
				"client_ids": []string{"POLRESA"}}),
			firstStatus: s201, status: s429, message: badMsgDuplicate},

		badRow{method: post, route: "/api/auth/user-login", kind: badInvalid,
			body: badJSON(badObj{"nrp": w.pA1}), status: s400, message: "nrp dan whatsapp wajib diisi"},
		// Legacy clients send the number as password.
		badRow{method: post, route: "/api/auth/user-login", kind: badReplay,
			body: badJSON(badObj{"nrp": w.pA1, "password": w.waA1}), firstStatus: s200, status: s429, message: badMsgDuplicate},

		badRow{method: post, route: "/api/auth/penmas-register", kind: badInvalid,
			body: badJSON(badObj{"username": w.name("pen_nopw")}), status: s400, message: "username dan password wajib diisi"},
		badRow{method: post, route: "/api/auth/penmas-register", kind: badReplay,
			body:        badJSON(badObj{"username": w.name("pen_replay"), "password": badPassword}),
			firstStatus: s201, status: s429, message: badMsgDuplicate},

		badRow{method: post, route: "/api/auth/penmas-login", kind: badInvalid,
			body: badJSON(badObj{"password": badPassword}), status: s400, message: "username dan password wajib diisi"},
		badRow{method: post, route: "/api/auth/penmas-login", kind: badReplay, body: loginBody(w.penmasUser, 1),
			firstStatus: s200, status: s429, message: badMsgDuplicate},

		// Logout reads no body. A revoked token finds nothing to revoke
		// and still answers 200: logging out twice is not an error.
		badRow{method: post, route: "/api/auth/logout", kind: badRevoked, caller: w.adminGone,
			body: fmt.Sprintf(`{"run":%d}`, w.run), status: s200, message: "Logout berhasil"},
		// Logout is exempt from de-duplication: the same body from the same
		// account logs a second session out too.
		badRow{method: post, route: "/api/auth/logout", kind: badReplay, variant: "second-session",
			// before logs out the first session with the same body.
			before: func(t *testing.T, rq *badRequest) {
				first := w.login(t, "/api/auth/dashboard-login", loginBody(w.dirCUser, 1))
				secondSession = w.login(t, "/api/auth/dashboard-login", loginBody(w.dirCUser, 3))
				rq.token = secondSession
				w.expect(t, first, post, "/api/auth/logout", rq.body, nil, s200)
			},
			body: `{}`, status: s200, message: "Logout berhasil",
			after: func(t *testing.T) {
				got := w.send(t, &badRequest{token: secondSession, method: get, path: "/api/clients"})
				if got.status != s401 || got.str("reason") != badReasonInvalid {
					t.Errorf("the logged-out session still answers %d %s", got.status, got.raw)
				}
			}},
	)
	// The reset account has an e-mail address: a reset by mail reaches the
	// SMTP peer, whose mail carries the token a confirmation needs.
	for _, base := range []string{"/api/auth/password-reset", "/api/auth/dashboard-password-reset", "/api/password-reset"} {
		badConfirm := badJSON(badObj{"token": "bukan-token", "password": badPassword, "password_confirmation": badPassword})
		newPassword := fmt.Sprintf("baru-%d-%d", w.run, w.next())
		rows = append(rows,
			badRow{method: post, route: base + "/request", kind: badInvalid,
				body: badJSON(badObj{"username": w.rstUser}), status: s400, message: "username dan kontak wajib diisi"},
			badRow{method: post, route: base + "/request", kind: badInvalid, variant: "whatsapp",
				body: badJSON(badObj{"username": w.rstUser, "contact": "0812"}), status: s400, message: "kontak whatsapp tidak valid"},
			badRow{method: post, route: base + "/request", kind: badInvalid, variant: "email",
				body:   badJSON(badObj{"username": w.rstUser, "contact": "rina@"}),
				status: s400, message: "Format email tidak valid. Pastikan menulis alamat lengkap seperti nama@contoh.com"},
			badRow{method: post, route: base + "/request", kind: badReplay,
				body:        badJSON(badObj{"username": w.rstUser, "contact": w.rstMail}),
				firstStatus: s200, status: s429, message: badMsgDuplicate},
			badRow{method: post, route: base + "/confirm", kind: badInvalid,
				body:   badJSON(badObj{"token": "bukan-token", "password": badPassword}),
				status: s400, message: "token, password, dan konfirmasi wajib diisi"},
			badRow{method: post, route: base + "/confirm", kind: badInvalid, variant: "mismatch",
				body:   badJSON(badObj{"token": "bukan-token", "password": badPassword, "confirmPassword": "rahasia456"}),
				status: s400, message: "konfirmasi password tidak cocok"},
			badRow{method: post, route: base + "/confirm", kind: badInvalid, variant: "bad-token",
				body: badConfirm, status: s400, message: "token reset tidak valid atau sudah kedaluwarsa"},
			badRow{method: post, route: base + "/confirm", kind: badReplay,
				before: func(t *testing.T, rq *badRequest) {
					rq.body = badJSON(badObj{"token": w.resetToken(t, base), "password": newPassword, "confirmPassword": newPassword})
				},
				firstStatus: s200, status: s429, message: badMsgDuplicate},
			// A refused request releases its dedup key: the honest retry
			// is answered, not refused as a duplicate.
			badRow{method: post, route: base + "/confirm", kind: badReplay, variant: "after-refusal",
				body: badConfirm, firstStatus: s400, status: s400, message: "token reset tidak valid atau sudah kedaluwarsa"},
		)
	}

	// Claim routes take no token (the e-mailed code is the credential):
	// no wrong kind, no revoked session. They are exempt from Dedup
	// (spec/access.md §6.2); request-otp throttles per NRP instead (SPEC.md
	// §5.12). "Wrong client" is the member who has not proven the NRP (403),
	// and the 409 is an address held by another person.
	mailC1 := w.mailC1
	throttled := func(t *testing.T, got badReply) {
		secs, _ := got.body["retry_after"].(float64)
		if secs < 1 || secs > 60 {
			t.Errorf("retry_after = %v, want 1..60", got.body["retry_after"])
		}
		if want := fmt.Sprintf("Terlalu sering meminta OTP. Coba lagi dalam %d detik.", int(secs)); got.str("message") != want {
			t.Errorf("message = %q, want %q", got.str("message"), want)
		}
	}
	claim := []badRow{
		{method: post, route: "/api/claim/validate-email", kind: badInvalid, body: `{}`, status: s400, message: "Email wajib diisi"},
		{method: post, route: "/api/claim/validate-email", kind: badInvalid, variant: "format", body: `{"email":"budi@"}`,
			status: s400, message: "Format email tidak valid. Pastikan menulis alamat lengkap seperti nama@contoh.com"},

		{method: post, route: "/api/claim/request-otp", kind: badInvalid, body: badJSON(badObj{"nrp": w.pC1}),
			status: s400, message: "nrp dan email wajib diisi", probe: user(w.pC1)},
		{method: post, route: "/api/claim/request-otp", kind: badInvalid, variant: "email-differs",
			body:   badJSON(badObj{"nrp": w.pC2, "email": fmt.Sprintf("lain_%d@polri.test", w.run)}),
			status: s400, message: "email tidak sesuai", probe: user(w.pC2)},
		{method: post, route: "/api/claim/request-otp", kind: badConflict, variant: "email-taken",
			body:   badJSON(badObj{"nrp": w.nrp(99), "email": w.mailC2}),
			status: s409, message: "Email sudah dipakai akun lain. Gunakan email berbeda atau hubungi admin untuk memperbaiki data.",
			probe: user(w.nrp(99))},
		// No address on file: no code to an address the caller names.
		{method: post, route: "/api/claim/request-otp", kind: badInvalid, variant: "no-contact",
			body:   badJSON(badObj{"nrp": w.pC3, "email": fmt.Sprintf("c3_%d@polri.test", w.run)}),
			status: s403, message: claimcmd.MsgNoContact, probe: user(w.pC3)},
		{method: post, route: "/api/claim/request-otp", kind: badReplay, variant: "throttled",
			body: badJSON(badObj{"nrp": w.pC1, "email": mailC1}), firstStatus: s202, status: s429, check: throttled, probe: user(w.pC1)},

		{method: post, route: "/api/claim/verify-otp", kind: badInvalid, body: badJSON(badObj{"nrp": w.pC1, "email": mailC1}),
			status: s400, message: "nrp, email, dan otp wajib diisi", probe: user(w.pC1)},
		// A wrong code against the pending one (issued by the replay row
		// above) is recorded as ClaimOTPRejected: heads move.
		{method: post, route: "/api/claim/verify-otp", kind: badInvalid, variant: "wrong-code",
			body:   badJSON(badObj{"nrp": w.pC1, "email": mailC1, "otp": "000000"}),
			status: s400, message: "OTP tidak valid", probe: user(w.pC1), appends: true},

		{method: post, route: "/api/claim/user-data", kind: badInvalid, body: badJSON(badObj{"email": w.mailC2}),
			status: s400, message: "nrp dan email wajib diisi"},
		{method: post, route: "/api/claim/user-data", kind: badWrongClient, variant: "not-verified",
			body: badJSON(badObj{"nrp": w.pC2, "email": w.mailC2}), status: s403, message: "OTP belum diverifikasi"},

		{method: put, route: "/api/claim/update", kind: badInvalid, body: badJSON(badObj{"email": w.mailC2, "nama": "X"}),
			status: s400, message: "nrp dan email wajib diisi", probe: user(w.pC2)},
		{method: put, route: "/api/claim/update", kind: badInvalid, variant: "insta",
			body:   badJSON(badObj{"nrp": w.pC2, "email": w.mailC2, "insta": "bukan username!"}),
			status: s400, message: "Format username Instagram tidak valid. Gunakan tautan profil atau username seperti instagram.com/username atau @username.",
			probe: user(w.pC2)},
		{method: put, route: "/api/claim/update", kind: badWrongClient, variant: "not-verified",
			body:   badJSON(badObj{"nrp": w.pC2, "email": w.mailC2, "nama": "BUKAN SAYA"}),
			status: s403, message: "OTP belum diverifikasi", probe: user(w.pC2)},
	}
	rows = append(rows, claim...)

	// Reads change nothing: GETs are never de-duplicated (no 429) and
	// take no expected version (no 409). 400 exists only where a query
	// parameter is validated; 403 for a client only where one is named.
	rows = append(rows,
		badRow{method: get, route: "/api/users", kind: badWrongKind, caller: w.personnel, status: s403, message: badMsgForbidden},
		badRow{method: get, route: "/api/users", kind: badWrongKind, variant: "penmas", caller: w.penmas, status: s403, message: badMsgForbidden},
		badRow{method: get, route: "/api/users", kind: badRevoked, caller: w.adminGone, status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},

		badRow{method: get, route: "/api/users/list", path: "/api/users/list?client_id=POLRESA&scope=kabupaten", kind: badInvalid, caller: w.admin,
			status: s400, message: "scope tidak valid"},
		badRow{method: get, route: "/api/users/list", kind: badInvalid, variant: "client-required", caller: w.admin,
			status: s400, message: "client_id wajib diisi"},
		badRow{method: get, route: "/api/users/list", path: "/api/users/list?client_id=POLRESA&scope=direktorat&role=operator",
			kind: badInvalid, variant: "directorate-role", caller: w.admin, status: s400, message: "role direktorat tidak valid"},
		badRow{method: get, route: "/api/users/list", path: "/api/users/list?client_id=POLRESB", kind: badWrongClient, caller: w.opr,
			status: s403, message: badMsgNotAllowed},
		badRow{method: get, route: "/api/users/list", path: "/api/users/list?client_id=POLRESA", kind: badWrongClient, variant: "directorate",
			caller: w.dirB, status: s403, message: badMsgNotAllowed},
		badRow{method: get, route: "/api/users/list", path: "/api/users/list?client_id=POLRESA", kind: badWrongKind, caller: w.penmas,
			status: s403, message: badMsgForbidden},
		badRow{method: get, route: "/api/users/list", path: "/api/users/list?client_id=POLRESA", kind: badRevoked, caller: w.adminGone,
			status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},

		// An unknown id is the legacy 200 {"success":true}: nothing is invalid.
		badRow{method: get, route: "/api/users/{id}", path: user(w.pA1), kind: badWrongClient, caller: w.dirB, status: s403, message: badMsgNotAllowed},
		// spec/access.md §2.2: operators are blocked from GET /api/users/:id.
		badRow{method: get, route: "/api/users/{id}", path: user(w.pA1), kind: badWrongKind, variant: "operator", caller: w.opr,
			status: s403, message: badMsgForbidden},
		badRow{method: get, route: "/api/users/{id}", path: user(w.pA1), kind: badWrongKind, caller: w.personnel, status: s403, message: badMsgForbidden},
		badRow{method: get, route: "/api/users/{id}", path: user(w.pA1), kind: badRevoked, caller: w.adminGone,
			status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},

		// Client lists are filtered to the caller's clients: no wrong client.
		badRow{method: get, route: "/api/clients", kind: badWrongKind, caller: w.personnel, status: s403, message: badMsgForbidden},
		badRow{method: get, route: "/api/clients", kind: badRevoked, caller: w.adminGone, status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},
		badRow{method: get, route: "/api/clients/active", kind: badWrongKind, caller: w.penmas, status: s403, message: badMsgForbidden},
		badRow{method: get, route: "/api/clients/active", kind: badRevoked, caller: w.adminGone,
			status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},

		badRow{method: get, route: "/api/clients/{client_id}", path: "/api/clients/POLRESA", kind: badWrongClient, caller: w.dirB,
			status: s403, message: badMsgNotAllowed},
		badRow{method: get, route: "/api/clients/{client_id}", path: "/api/clients/POLRESA", kind: badWrongKind, caller: w.personnel,
			status: s403, message: badMsgForbidden},
		badRow{method: get, route: "/api/clients/{client_id}", path: "/api/clients/POLRESA", kind: badRevoked, caller: w.adminGone,
			status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},

		// The profile answers the legacy {"error":…} shape (spec/access.md §1.11).
		badRow{method: get, route: "/api/clients/profile", kind: badInvalid, caller: w.dirB, status: s400, legacyErr: "client_id required"},
		badRow{method: get, route: "/api/clients/profile", path: "/api/clients/profile?scope=kabupaten", kind: badInvalid, variant: "scope",
			caller: w.opr, status: s400, legacyErr: "scope tidak valid"},
		badRow{method: get, route: "/api/clients/profile", path: "/api/clients/profile?client_id=POLRESB", kind: badWrongClient, caller: w.opr,
			status: s403, legacyErr: "client_id tidak terdaftar untuk operator ini. Gunakan client_id yang ada di token."},
		badRow{method: get, route: "/api/clients/profile", kind: badWrongKind, caller: w.personnel, status: s403, message: badMsgForbidden},
		badRow{method: get, route: "/api/clients/profile", kind: badRevoked, caller: w.adminGone,
			status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},

		badRow{method: get, route: "/api/clients/{client_id}/users", path: "/api/clients/POLRESA/users", kind: badWrongClient, caller: w.dirB,
			status: s403, message: badMsgNotAllowed},
		badRow{method: get, route: "/api/clients/{client_id}/users", path: "/api/clients/POLRESA/users", kind: badWrongKind, caller: w.penmas,
			status: s403, message: badMsgForbidden},
		badRow{method: get, route: "/api/clients/{client_id}/users", path: "/api/clients/POLRESA/users", kind: badRevoked, caller: w.adminGone,
			status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},

		// Premium reads answer the caller's own requests: another owner's
		// is "not found" (spec/access.md §3.4), as is a malformed token.
		badRow{method: get, route: "/api/premium/request/latest", kind: badWrongKind, variant: "operator", caller: w.opr,
			status: s403, message: badMsgForbidden},
		badRow{method: get, route: "/api/premium/request/latest", kind: badWrongKind, caller: w.personnel, status: s403, message: badMsgForbidden},
		badRow{method: get, route: "/api/premium/request/latest", kind: badRevoked, caller: w.adminGone,
			status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},
		badRow{method: get, route: "/api/premium/request/{token}", path: mine("bukan-uuid"), kind: badInvalid, variant: "malformed-token",
			caller: w.dirB, status: s404, message: "Request tidak ditemukan"},
		badRow{method: get, route: "/api/premium/request/{token}", path: mine(w.reqB), kind: badWrongClient, variant: "other-owner",
			caller: w.dirC, status: s404, message: "Request tidak ditemukan"},
		badRow{method: get, route: "/api/premium/request/{token}", path: mine(w.reqB), kind: badWrongKind, caller: w.penmas,
			status: s403, message: badMsgForbidden},
		badRow{method: get, route: "/api/premium/request/{token}", path: mine(w.reqB), kind: badRevoked, caller: w.adminGone,
			status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},
	)
	// The client is a path segment: nothing to be malformed. The full
	// variant is the same read under its legacy name.
	for _, base := range []string{"/api/users/by-client", "/api/users/by-client-full"} {
		route, path := base+"/{client_id}", base+"/POLRESA"
		rows = append(rows,
			badRow{method: get, route: route, path: path, kind: badWrongClient, caller: w.dirB, status: s403, message: badMsgNotAllowed},
			badRow{method: get, route: route, path: path, kind: badWrongKind, variant: "operator", caller: w.opr, status: s403, message: badMsgForbidden},
			badRow{method: get, route: route, path: path, kind: badWrongKind, caller: w.penmas, status: s403, message: badMsgForbidden},
			badRow{method: get, route: route, path: path, kind: badRevoked, caller: w.adminGone,
				status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},
		)
	}
	rows = append(rows, w.accountRows()...)
	rows = append(rows, w.socialRows()...)
	rows = append(rows, w.komplainRows()...)
	rows = append(rows, w.socialRecapRows()...)
	rows = append(rows, w.premiumGrantRows()...)
	rows = append(rows, w.mobileAuthRows()...)
	rows = append(rows, w.personnelPremiumRows()...)
	rows = append(rows, w.accessHoleRows()...)
	rows = append(rows, w.socialReadRows()...)
	rows = append(rows, w.editorialRows()...)
	rows = append(rows, w.socialInsightRows()...)
	rows = append(rows, w.amplifyRows()...)
	rows = append(rows, w.auditRows()...)
	return rows
}

// accountRows are the dashboard account routes (readapi/access_dashboard_users.go,
// writeapi/access_dashboard_users_manage.go). The list is the admins' and names
// no client: no wrong client. One account is read by an admin or the
// account itself, and so is its password changed: "wrong client" is
// another real account, and a client operator's token (which the
// operator allow-list lets through) is the wrong kind. Reads take no
// version and are never de-duplicated. The writes on tgt take an
// expected version; the competing edit of their conflicts is an admin's
// password reset, which always appends.
func (w *badWorld) accountRows() []badRow {
	const (
		list, one    = "/api/dashboard/users", "/api/dashboard/users/{id}"
		clientsRoute = "/api/dashboard/users/{id}/clients"
		pwRoute      = "/api/dashboard/users/{id}/password"
		msgPaging    = "limit dan offset harus angka (limit 1–500)"
		msgNotFound  = "pengguna dashboard tidak ditemukan"
	)
	acct := func(id string) string { return "/api/dashboard/users/" + id }
	clients := func(id string) string { return acct(id) + "/clients" }
	pw := func(id string) string { return acct(id) + "/password" }
	tgt := acct(w.tgtID)
	stale := w.staleVersionVia(tgt, pw(w.tgtID), `{"new_password":"pesaing-%d-rahasia"}`)
	selfChange := badJSON(badObj{"old_password": badPassword, "new_password": "rahasia-baru-1"})
	return []badRow{
		{method: get, route: list, path: list + "?status=aktif", kind: badInvalid, caller: w.admin,
			status: s400, message: "status harus pending, approved atau rejected"},
		{method: get, route: list, path: list + "?limit=0", kind: badInvalid, variant: "limit", caller: w.admin, status: s400, message: msgPaging},
		{method: get, route: list, path: list + "?limit=501", kind: badInvalid, variant: "limit-max", caller: w.admin, status: s400, message: msgPaging},
		{method: get, route: list, path: list + "?limit=sepuluh", kind: badInvalid, variant: "limit-text", caller: w.admin, status: s400, message: msgPaging},
		{method: get, route: list, path: list + "?offset=-1", kind: badInvalid, variant: "offset", caller: w.admin, status: s400, message: msgPaging},
		{method: get, route: list, kind: badWrongKind, variant: "operator", caller: w.opr, status: s403, message: badMsgForbidden},
		{method: get, route: list, kind: badWrongKind, variant: "directorate", caller: w.dirB, status: s403, message: badMsgForbidden},
		{method: get, route: list, kind: badWrongKind, variant: "client-token", caller: w.clientTok, status: s403, message: badMsgForbidden},
		{method: get, route: list, kind: badWrongKind, caller: w.personnel, status: s403, message: badMsgForbidden},
		{method: get, route: list, kind: badRevoked, caller: w.adminGone, status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},

		// An id that is no UUID names no account.
		{method: get, route: one, path: acct("bukan-uuid"), kind: badInvalid, variant: "malformed-id", caller: w.admin,
			status: s404, message: msgNotFound},
		{method: get, route: one, path: acct(w.adminID), kind: badWrongClient, variant: "operator", caller: w.opr,
			status: s403, message: badMsgForbidden},
		{method: get, route: one, path: acct(w.dirCID), kind: badWrongClient, variant: "directorate", caller: w.dirB,
			status: s403, message: badMsgForbidden},
		// Refused before the lookup: a non-admin learns nothing of which ids exist.
		{method: get, route: one, path: acct(uuid.NewString()), kind: badWrongClient, variant: "unknown-id", caller: w.opr,
			status: s403, message: badMsgForbidden},
		{method: get, route: one, path: acct(w.oprID), kind: badWrongKind, variant: "client-token", caller: w.clientTok,
			status: s403, message: badMsgForbidden},
		{method: get, route: one, path: acct(w.oprID), kind: badWrongKind, caller: w.personnel, status: s403, message: badMsgForbidden},
		{method: get, route: one, path: acct(w.oprID), kind: badWrongKind, variant: "penmas", caller: w.penmas, status: s403, message: badMsgForbidden},
		{method: get, route: one, path: acct(w.oprID), kind: badRevoked, caller: w.adminGone,
			status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},

		{method: put, route: clientsRoute, path: clients(w.tgtID), kind: badInvalid, caller: w.admin,
			body: `{}`, status: s400, message: "client_ids wajib diisi", probe: tgt},
		{method: put, route: clientsRoute, path: clients(w.tgtID), kind: badInvalid, variant: "not-array", caller: w.admin,
			body: `{"client_ids":"POLRESB"}`, status: s400, message: "client_ids wajib diisi", probe: tgt},
		{method: put, route: clientsRoute, path: clients(w.tgtID), kind: badInvalid, variant: "unknown-field", caller: w.admin,
			body: `{"client_ids":["POLRESB"],"role":"admin"}`, status: s400, message: "Field tidak diizinkan: role", probe: tgt},
		// tgt is an operator: it keeps at least one client.
		{method: put, route: clientsRoute, path: clients(w.tgtID), kind: badInvalid, variant: "empty", caller: w.admin,
			body: `{"client_ids":[]}`, status: s400, message: "minimal satu client harus dipilih", probe: tgt},
		{method: put, route: clientsRoute, path: clients(w.tgtID), kind: badInvalid, variant: "unknown-client", caller: w.admin,
			body: `{"client_ids":["TIDAKADA"]}`, status: s400, message: "client_id tidak ditemukan", probe: tgt},
		{method: put, route: clientsRoute, path: clients(w.tgtID), kind: badInvalid, variant: "if-match", caller: w.admin,
			body: `{"client_ids":["POLRESB"]}`, header: map[string]string{"If-Match": "dua"}, status: s400, message: badMsgBadIfMatch, probe: tgt},
		{method: put, route: clientsRoute, path: clients(w.tgtID), kind: badInvalid, variant: "expected_version", caller: w.admin,
			body: `{"client_ids":["POLRESB"],"expected_version":"dua"}`, status: s400, message: "expected_version harus berupa angka", probe: tgt},
		{method: put, route: clientsRoute, path: clients("bukan-uuid"), kind: badInvalid, variant: "malformed-id", caller: w.admin,
			body: `{"client_ids":["POLRESB"]}`, status: s404, message: msgNotFound},
		{method: put, route: clientsRoute, path: clients(w.tgtID), kind: badWrongKind, variant: "operator", caller: w.opr,
			body: `{"client_ids":["POLRESA","POLRESB"]}`, status: s403, message: badMsgForbidden, probe: tgt},
		{method: put, route: clientsRoute, path: clients(w.tgtID), kind: badWrongKind, variant: "directorate", caller: w.dirB,
			body: `{"client_ids":["POLRESA","POLRESB"]}`, status: s403, message: badMsgForbidden, probe: tgt},
		{method: put, route: clientsRoute, path: clients(w.tgtID), kind: badWrongKind, caller: w.personnel,
			body: `{"client_ids":["POLRESA","POLRESB"]}`, status: s403, message: badMsgForbidden, probe: tgt},
		{method: put, route: clientsRoute, path: clients(w.tgtID), kind: badRevoked, caller: w.adminGone,
			body: `{"client_ids":["POLRESA","POLRESB"]}`, status: s401, message: badMsgInvalidTok, reason: badReasonInvalid, probe: tgt},
		{method: put, route: clientsRoute, path: clients(w.tgtID), kind: badConflict, caller: w.admin,
			body: `{"client_ids":["POLRESA","POLRESB"]}`, before: stale, status: s409, message: badMsgStale, probe: tgt},
		{method: put, route: clientsRoute, path: clients(w.tgtID), kind: badConflict, variant: "expected_version", caller: w.admin,
			body: `{"client_ids":["POLRESB"],"expected_version":{{v}}}`, before: stale, status: s409, message: badMsgStale, probe: tgt},
		{method: put, route: clientsRoute, path: clients(w.tgtID), kind: badReplay, caller: w.admin,
			body: `{"client_ids":["POLRESA","POLRESC"]}`, firstStatus: s200, status: s429, message: badMsgDuplicate, probe: tgt},

		{method: put, route: pwRoute, path: pw(w.tgtID), kind: badInvalid, caller: w.admin,
			body: `{}`, status: s400, message: "new_password wajib diisi", probe: tgt},
		{method: put, route: pwRoute, path: pw(w.tgtID), kind: badInvalid, variant: "mismatch", caller: w.admin,
			body: `{"new_password":"rahasia-baru-1","confirm_password":"rahasia-baru-2"}`, status: s400, message: "konfirmasi password tidak cocok", probe: tgt},
		{method: put, route: pwRoute, path: pw(w.tgtID), kind: badInvalid, variant: "short", caller: w.admin,
			body: `{"new_password":"pendek"}`, status: s400, message: "password minimal 8 karakter", probe: tgt},
		{method: put, route: pwRoute, path: pw(w.tgtID), kind: badInvalid, variant: "unknown-field", caller: w.admin,
			body: `{"new_password":"rahasia-baru-1","password":"rahasia-baru-1"}`, status: s400, message: "Field tidak diizinkan: password", probe: tgt},
		{method: put, route: pwRoute, path: pw(w.tgtID), kind: badInvalid, variant: "if-match", caller: w.admin,
			body: `{"new_password":"rahasia-baru-1"}`, header: map[string]string{"If-Match": "v2"}, status: s400, message: badMsgBadIfMatch, probe: tgt},
		// The account itself must prove the old password.
		{method: put, route: pwRoute, path: pw(w.oprID), kind: badInvalid, variant: "self-no-old", caller: w.opr,
			body: `{"new_password":"rahasia-baru-1"}`, status: s400, message: "old_password wajib diisi", probe: acct(w.oprID)},
		{method: put, route: pwRoute, path: pw(w.oprID), kind: badInvalid, variant: "self-wrong-old", caller: w.opr,
			body: `{"old_password":"bukan-sandinya","new_password":"rahasia-baru-1"}`, status: s400, message: "password lama salah", probe: acct(w.oprID)},
		{method: put, route: pwRoute, path: pw(w.adminID), kind: badWrongClient, variant: "operator", caller: w.opr,
			body: selfChange, status: s403, message: badMsgForbidden, probe: acct(w.adminID)},
		{method: put, route: pwRoute, path: pw(w.dirCID), kind: badWrongClient, variant: "directorate", caller: w.dirB,
			body: selfChange, status: s403, message: badMsgForbidden, probe: acct(w.dirCID)},
		{method: put, route: pwRoute, path: pw(w.oprID), kind: badWrongKind, variant: "client-token", caller: w.clientTok,
			body: selfChange, status: s403, message: badMsgForbidden, probe: acct(w.oprID)},
		{method: put, route: pwRoute, path: pw(w.oprID), kind: badWrongKind, caller: w.personnel,
			body: selfChange, status: s403, message: badMsgForbidden, probe: acct(w.oprID)},
		{method: put, route: pwRoute, path: pw(w.oprID), kind: badWrongKind, variant: "penmas", caller: w.penmas,
			body: selfChange, status: s403, message: badMsgForbidden, probe: acct(w.oprID)},
		{method: put, route: pwRoute, path: pw(w.tgtID), kind: badRevoked, caller: w.adminGone,
			body: `{"new_password":"rahasia-baru-1"}`, status: s401, message: badMsgInvalidTok, reason: badReasonInvalid, probe: tgt},
		{method: put, route: pwRoute, path: pw(w.tgtID), kind: badConflict, caller: w.admin,
			body: `{"new_password":"basi-rahasia-1"}`, before: stale, status: s409, message: badMsgStale, probe: tgt},
		{method: put, route: pwRoute, path: pw(w.tgtID), kind: badReplay, caller: w.admin,
			body:        badJSON(badObj{"new_password": fmt.Sprintf("ulang-%d", w.run)}),
			firstStatus: s200, status: s429, message: badMsgDuplicate, probe: tgt},
	}
}

// premiumGrantRows are premium without a request
// (writeapi/premium_dashboard_admin.go): admins only, on any account (no wrong
// client), and neither route reads a version (no 409). The replayed grant
// gives tgt the premium the replayed revoke ends.
func (w *badWorld) premiumGrantRows() []badRow {
	const (
		grantRoute, revokeRoute = "/api/premium/users/{id}/grant", "/api/premium/users/{id}/revoke"
		msgNotFound             = "pengguna dashboard tidak ditemukan"
		msgBadID                = "dashboard_user_id tidak valid"
	)
	grant := func(id string) string { return "/api/premium/users/" + id + "/grant" }
	revoke := func(id string) string { return "/api/premium/users/" + id + "/revoke" }
	tgt, g, r := "/api/dashboard/users/"+w.tgtID, grant(w.tgtID), revoke(w.tgtID)
	nobody := uuid.NewString()
	return []badRow{
		{method: post, route: grantRoute, path: g, kind: badInvalid, caller: w.admin,
			body: `{"tier":"tier1","days":"tiga puluh"}`, status: s400, message: "days harus berupa angka", probe: tgt},
		{method: post, route: grantRoute, path: g, kind: badInvalid, variant: "days-negative", caller: w.admin,
			body: `{"tier":"tier1","days":-1}`, status: s400, message: "days harus lebih dari 0", probe: tgt},
		{method: post, route: grantRoute, path: g, kind: badInvalid, variant: "tier-required", caller: w.admin,
			body: `{"days":30}`, status: s400, message: "tier wajib diisi", probe: tgt},
		{method: post, route: grantRoute, path: g, kind: badInvalid, variant: "tier-not-allowed", caller: w.admin,
			body: `{"tier":"emas"}`, status: s400, message: "tier emas tidak diizinkan; gunakan salah satu: tier1, tier2, premium_1", probe: tgt},
		{method: post, route: grantRoute, path: g, kind: badInvalid, variant: "expires_at", caller: w.admin,
			body: `{"tier":"tier1","expires_at":"besok"}`, status: s400, message: "expires_at tidak valid: gunakan waktu ISO 8601 (RFC 3339)", probe: tgt},
		{method: post, route: grantRoute, path: g, kind: badInvalid, variant: "expired", caller: w.admin,
			body: `{"tier":"tier1","expires_at":"2020-01-01T00:00:00Z"}`, status: s400, message: "expires_at harus setelah waktu sekarang", probe: tgt},
		{method: post, route: grantRoute, path: g, kind: badInvalid, variant: "unknown-field", caller: w.admin,
			body: `{"tier":"tier1","client_id":"POLRESA"}`, status: s400, message: "Field tidak diizinkan: client_id", probe: tgt},
		{method: post, route: grantRoute, path: grant("bukan-uuid"), kind: badInvalid, variant: "malformed-id", caller: w.admin,
			body: `{"tier":"tier1"}`, status: s400, message: msgBadID},
		{method: post, route: grantRoute, path: grant(nobody), kind: badInvalid, variant: "unknown-account", caller: w.admin,
			body: `{"tier":"tier1"}`, status: s404, message: msgNotFound},
		{method: post, route: grantRoute, path: g, kind: badWrongKind, variant: "operator", caller: w.opr,
			body: `{"tier":"tier1"}`, status: s403, message: badMsgForbidden, probe: tgt},
		{method: post, route: grantRoute, path: g, kind: badWrongKind, variant: "directorate", caller: w.dirB,
			body: `{"tier":"tier1"}`, status: s403, message: badMsgForbidden, probe: tgt},
		{method: post, route: grantRoute, path: g, kind: badWrongKind, caller: w.personnel,
			body: `{"tier":"tier1"}`, status: s403, message: badMsgForbidden, probe: tgt},
		{method: post, route: grantRoute, path: g, kind: badRevoked, caller: w.adminGone,
			body: `{"tier":"tier1"}`, status: s401, message: badMsgInvalidTok, reason: badReasonInvalid, probe: tgt},
		{method: post, route: grantRoute, path: g, kind: badReplay, caller: w.admin,
			body: `{"tier":"tier1","days":7}`, firstStatus: s201, status: s429, message: badMsgDuplicate, probe: tgt},

		{method: post, route: revokeRoute, path: r, kind: badInvalid, caller: w.admin,
			body: `{"note":["lunas"]}`, status: s400, message: "note harus berupa teks", probe: tgt},
		{method: post, route: revokeRoute, path: r, kind: badInvalid, variant: "unknown-field", caller: w.admin,
			body: `{"alasan":"lunas"}`, status: s400, message: "Field tidak diizinkan: alasan", probe: tgt},
		{method: post, route: revokeRoute, path: revoke("bukan-uuid"), kind: badInvalid, variant: "malformed-id", caller: w.admin,
			status: s400, message: msgBadID},
		{method: post, route: revokeRoute, path: revoke(nobody), kind: badInvalid, variant: "unknown-account", caller: w.admin,
			status: s404, message: msgNotFound},
		{method: post, route: revokeRoute, path: r, kind: badWrongKind, variant: "operator", caller: w.opr,
			status: s403, message: badMsgForbidden, probe: tgt},
		{method: post, route: revokeRoute, path: r, kind: badWrongKind, variant: "directorate", caller: w.dirB,
			status: s403, message: badMsgForbidden, probe: tgt},
		{method: post, route: revokeRoute, path: r, kind: badWrongKind, caller: w.penmas,
			status: s403, message: badMsgForbidden, probe: tgt},
		{method: post, route: revokeRoute, path: r, kind: badRevoked, caller: w.adminGone,
			status: s401, message: badMsgInvalidTok, reason: badReasonInvalid, probe: tgt},
		{method: post, route: revokeRoute, path: r, kind: badReplay, caller: w.admin,
			body: badJSON(badObj{"note": fmt.Sprintf("selesai %d", w.run)}), firstStatus: s200, status: s429, message: badMsgDuplicate, probe: tgt},
	}
}

// mobileAuthRows are the mobile app's public routes
// (writeapi/access_auth_mobile.go): no token to be of the wrong kind or revoked,
// no caller to scope, no version. An unknown client or a wrong operator
// number is the legacy 401, a taken NRP the legacy 400. Anonymous calls
// are de-duplicated by address: the bodies that succeed carry the run's
// operator number and NRPs.
func (w *badWorld) mobileAuthRows() []badRow {
	const login, register = "/api/auth/login", "/api/auth/user-register"
	fresh, self := w.nrp(50), w.nrp(51)
	user := func(nrp string) string { return "/api/users/" + nrp }
	return []badRow{
		{method: post, route: login, kind: badInvalid, body: `{"client_id":"POLRESD"}`,
			status: s400, message: "client_id dan client_operator wajib diisi"},
		{method: post, route: login, kind: badInvalid, variant: "malformed", body: `{"client_id":`, status: s400, message: badMsgBadJSON},
		// The unknown client carries the run's clock: a failed login counts
		// against the account for an hour in the shared Redis (the login
		// throttle), and a fixed name would be throttled after a few runs.
		{method: post, route: login, kind: badInvalid, variant: "unknown-client",
			body:   badJSON(badObj{"client_id": fmt.Sprintf("TIDAKADA%d", w.run%1e9), "client_operator": w.clientPhone}),
			status: s401, message: "Login gagal: data tidak ditemukan"},
		{method: post, route: login, kind: badInvalid, variant: "wrong-operator",
			body: `{"client_id":"POLRESD","client_operator":"081399999999"}`, status: s401, message: "Login gagal: data tidak ditemukan"},
		{method: post, route: login, kind: badReplay,
			body:        fmt.Sprintf(`{"client_operator": %q, "client_id": "POLRESD"}`, w.clientPhone),
			firstStatus: s200, status: s429, message: badMsgDuplicate},

		{method: post, route: register, kind: badInvalid, body: badJSON(badObj{"nrp": fresh, "client_id": "POLRESA"}),
			status: s400, message: "nrp, nama, dan client_id wajib diisi", probe: user(fresh)},
		{method: post, route: register, kind: badInvalid, variant: "whatsapp",
			body:   badJSON(badObj{"nrp": fresh, "nama": "BARU", "client_id": "POLRESA", "whatsapp": "0812"}),
			status: s400, message: "whatsapp tidak valid", probe: user(fresh)},
		{method: post, route: register, kind: badInvalid, variant: "nrp-short",
			body:   badJSON(badObj{"nrp": "12345", "nama": "BARU", "client_id": "POLRESA"}),
			status: s400, message: "nrp harus terdiri dari 6-18 digit", probe: user("12345")},
		{method: post, route: register, kind: badInvalid, variant: "unknown-client",
			body:   badJSON(badObj{"nrp": fresh, "nama": "BARU", "client_id": "TIDAKADA"}),
			status: s400, message: "client_id tidak ditemukan", probe: user(fresh)},
		{method: post, route: register, kind: badInvalid, variant: "nrp-taken",
			body:   badJSON(badObj{"nrp": w.pB1, "nama": "BUKAN B1", "client_id": "POLRESA"}),
			status: s400, message: "nrp sudah terdaftar", probe: user(w.pB1)},
		// No probe: the registration answers its positions without
		// waiting for the directory, so a read right after may not show
		// the person yet.
		{method: post, route: register, kind: badReplay,
			body:        badJSON(badObj{"nrp": self, "nama": "DAFTAR SENDIRI", "client_id": "POLRESA"}),
			firstStatus: s201, status: s429, message: badMsgDuplicate},
	}
}

// personnelPremiumRows are the personnel premium requests
// (writeapi/premium_personnel.go, readapi/premium_personnel.go): a person
// files and changes their own requests, an admin decides. Another
// person's request is "not found", the only wrong client. No route reads
// a version (no 409): a request already decided is a 400.
func (w *badWorld) personnelPremiumRows() []badRow {
	const (
		reqs                    = "/api/premium-requests"
		one                     = reqs + "/{id}"
		approveRoute, denyRoute = reqs + "/{id}/approve", reqs + "/{id}/deny"
		msgStatus               = "status tidak dapat diubah"
		msgURL                  = "screenshot_url harus berupa URL http(s)"
	)
	byID := func(id string) string { return reqs + "/" + id }
	ofA1 := reqs + "?user_id=" + w.pA1 // what an admin sees of A1's requests
	body := func(extra badObj) string {
		b := badObj{"sender_name": "BUDI", "account_number": "1234567890", "bank_name": "BRI"}
		maps.Copy(b, extra)
		return badJSON(b)
	}
	nobody := uuid.NewString()
	return []badRow{
		{method: get, route: reqs, path: reqs + "?status=aktif", kind: badInvalid, caller: w.personnel,
			status: s400, message: "status tidak valid: gunakan pending, approved atau rejected"},
		{method: get, route: reqs, path: reqs + "?limit=0", kind: badInvalid, variant: "limit", caller: w.personnel,
			status: s400, message: "limit harus berupa angka 1-1000"},
		{method: get, route: reqs, path: reqs + "?limit=1001", kind: badInvalid, variant: "limit-max", caller: w.admin,
			status: s400, message: "limit harus berupa angka 1-1000"},
		{method: get, route: reqs, path: reqs + "?user_id=abc", kind: badInvalid, variant: "user_id", caller: w.admin,
			status: s400, message: "user_id tidak valid"},
		{method: get, route: reqs, kind: badWrongKind, variant: "operator", caller: w.opr, status: s403, message: badMsgForbidden},
		{method: get, route: reqs, kind: badWrongKind, variant: "directorate", caller: w.dirB, status: s403, message: badMsgForbidden},
		{method: get, route: reqs, kind: badWrongKind, variant: "client-token", caller: w.clientTok, status: s403, message: badMsgForbidden},
		{method: get, route: reqs, kind: badWrongKind, caller: w.penmas, status: s403, message: badMsgForbidden},
		{method: get, route: reqs, kind: badRevoked, caller: w.adminGone, status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},

		{method: post, route: reqs, kind: badInvalid, caller: w.personnel,
			body:   `{"sender_name":"BUDI","bank_name":"BRI"}`,
			status: s400, message: "account_number wajib diisi", probe: reqs, probeAs: w.personnel},
		{method: post, route: reqs, kind: badInvalid, variant: "status", caller: w.personnel,
			body: body(badObj{"status": "approved"}), status: s400, message: msgStatus, probe: reqs, probeAs: w.personnel},
		{method: post, route: reqs, kind: badInvalid, variant: "unknown-field", caller: w.personnel,
			body: body(badObj{"premium_tier": "tier1"}), status: s400, message: "Field tidak diizinkan: premium_tier", probe: reqs, probeAs: w.personnel},
		{method: post, route: reqs, kind: badInvalid, variant: "too-long", caller: w.personnel,
			body: body(badObj{"sender_name": strings.Repeat("B", 201)}), status: s400, message: "sender_name maksimal 200 karakter",
			probe: reqs, probeAs: w.personnel},
		{method: post, route: reqs, kind: badInvalid, variant: "screenshot", caller: w.personnel,
			body: body(badObj{"screenshot_url": "ftp://bukti.test/a.jpg"}), status: s400, message: msgURL, probe: reqs, probeAs: w.personnel},
		// A dashboard account is no person: even an admin cannot file one.
		{method: post, route: reqs, kind: badWrongKind, variant: "admin", caller: w.admin,
			body: body(nil), status: s403, message: badMsgForbidden, probe: ofA1},
		{method: post, route: reqs, kind: badWrongKind, variant: "penmas", caller: w.penmas,
			body: body(nil), status: s403, message: badMsgForbidden, probe: ofA1},
		{method: post, route: reqs, kind: badWrongKind, caller: w.opr,
			body: body(nil), status: s403, message: badMsgForbidden, probe: ofA1},
		{method: post, route: reqs, kind: badRevoked, caller: w.adminGone,
			body: body(nil), status: s401, message: badMsgInvalidTok, reason: badReasonInvalid, probe: ofA1},
		{method: post, route: reqs, kind: badReplay, caller: w.personnel,
			body:        body(badObj{"sender_name": fmt.Sprintf("REPLAY %d", w.run)}),
			firstStatus: s201, status: s429, message: badMsgDuplicate, probe: reqs, probeAs: w.personnel},

		{method: put, route: one, path: byID(w.prA1), kind: badInvalid, caller: w.personnel,
			body: `{"screenshot_url":"bukan url"}`, status: s400, message: msgURL, probe: reqs, probeAs: w.personnel},
		{method: put, route: one, path: byID(w.prA1), kind: badInvalid, variant: "status", caller: w.personnel,
			body: `{"status":"rejected"}`, status: s400, message: msgStatus, probe: reqs, probeAs: w.personnel},
		{method: put, route: one, path: byID(w.prA1), kind: badInvalid, variant: "unknown-field", caller: w.personnel,
			body: `{"nominal":"150000"}`, status: s400, message: "Field tidak diizinkan: nominal", probe: reqs, probeAs: w.personnel},
		{method: put, route: one, path: byID(w.prA2), kind: badWrongClient, variant: "other-owner", caller: w.personnel,
			body: `{"sender_name":"BUKAN MILIKNYA"}`, status: s404, message: "not found", probe: reqs, probeAs: w.personnel2},
		{method: put, route: one, path: byID(w.prA1), kind: badWrongKind, variant: "admin", caller: w.admin,
			body: `{"sender_name":"ADMIN"}`, status: s403, message: badMsgForbidden, probe: ofA1},
		{method: put, route: one, path: byID(w.prA1), kind: badWrongKind, caller: w.penmas,
			body: `{"sender_name":"PENMAS"}`, status: s403, message: badMsgForbidden, probe: ofA1},
		{method: put, route: one, path: byID(w.prA1), kind: badRevoked, caller: w.adminGone,
			body: `{"sender_name":"X"}`, status: s401, message: badMsgInvalidTok, reason: badReasonInvalid, probe: ofA1},
		{method: put, route: one, path: byID(w.prA1), kind: badReplay, caller: w.personnel,
			body:        fmt.Sprintf(`{"screenshot_url":"https://bukti.test/%d.jpg"}`, w.run),
			firstStatus: s200, status: s429, message: badMsgDuplicate, probe: reqs, probeAs: w.personnel},

		{method: post, route: approveRoute, path: byID(w.prA1) + "/approve", kind: badInvalid, caller: w.admin,
			body: `{"days":"tiga puluh"}`, status: s400, message: "days harus berupa angka", probe: ofA1},
		{method: post, route: approveRoute, path: byID(w.prA1) + "/approve", kind: badInvalid, variant: "days-zero", caller: w.admin,
			body: `{"days":0}`, status: s400, message: "days harus lebih dari 0", probe: ofA1},
		{method: post, route: approveRoute, path: byID(w.prA1) + "/approve", kind: badInvalid, variant: "days-max", caller: w.admin,
			body: `{"days":3651}`, status: s400, message: "days maksimal 3650", probe: ofA1},
		{method: post, route: approveRoute, path: byID(w.prA1) + "/approve", kind: badInvalid, variant: "unknown-field", caller: w.admin,
			body: `{"tier":"tier1"}`, status: s400, message: "Field tidak diizinkan: tier", probe: ofA1},
		{method: post, route: approveRoute, path: byID(nobody) + "/approve", kind: badInvalid, variant: "unknown-id", caller: w.admin,
			status: s400, message: "Request " + nobody + " tidak valid."},
		{method: post, route: approveRoute, path: byID(w.prA1) + "/approve", kind: badWrongKind, variant: "operator", caller: w.opr,
			status: s403, message: badMsgForbidden, probe: ofA1},
		{method: post, route: approveRoute, path: byID(w.prA1) + "/approve", kind: badWrongKind, variant: "directorate", caller: w.dirB,
			status: s403, message: badMsgForbidden, probe: ofA1},
		{method: post, route: approveRoute, path: byID(w.prA1) + "/approve", kind: badWrongKind, caller: w.personnel,
			status: s403, message: badMsgForbidden, probe: ofA1},
		{method: post, route: approveRoute, path: byID(w.prA1) + "/approve", kind: badRevoked, caller: w.adminGone,
			status: s401, message: badMsgInvalidTok, reason: badReasonInvalid, probe: ofA1},
		{method: post, route: approveRoute, path: byID(w.prApprove) + "/approve", kind: badReplay, caller: w.admin,
			body: `{"days":30}`, firstStatus: s200, status: s429, message: badMsgDuplicate, probe: ofA1},
		// After the replay row the request is approved: deciding it again
		// is the legacy "not valid" of an unknown one.
		{method: post, route: approveRoute, path: byID(w.prApprove) + "/approve", kind: badInvalid, variant: "decided", caller: w.admin,
			body: `{"days":7}`, status: s400, message: "Request " + w.prApprove + " tidak valid.", probe: ofA1},

		{method: post, route: denyRoute, path: byID(w.prA1) + "/deny", kind: badInvalid, caller: w.admin,
			body: `{"note":{"alasan":"palsu"}}`, status: s400, message: "note harus berupa teks", probe: ofA1},
		{method: post, route: denyRoute, path: byID(nobody) + "/deny", kind: badInvalid, variant: "unknown-id", caller: w.admin,
			status: s400, message: "Request " + nobody + " tidak valid."},
		{method: post, route: denyRoute, path: byID(w.prA1) + "/deny", kind: badWrongKind, variant: "directorate", caller: w.dirB,
			body: `{"note":"x"}`, status: s403, message: badMsgForbidden, probe: ofA1},
		{method: post, route: denyRoute, path: byID(w.prA1) + "/deny", kind: badWrongKind, caller: w.penmas,
			body: `{"note":"x"}`, status: s403, message: badMsgForbidden, probe: ofA1},
		{method: post, route: denyRoute, path: byID(w.prA1) + "/deny", kind: badRevoked, caller: w.adminGone,
			body: `{"note":"x"}`, status: s401, message: badMsgInvalidTok, reason: badReasonInvalid, probe: ofA1},
		{method: post, route: denyRoute, path: byID(w.prDeny) + "/deny", kind: badReplay, caller: w.admin,
			body:        badJSON(badObj{"note": fmt.Sprintf("bukti tidak valid %d", w.run)}),
			firstStatus: s200, status: s429, message: badMsgDuplicate, probe: ofA1},
	}
}
