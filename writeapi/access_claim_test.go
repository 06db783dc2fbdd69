package writeapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cicero/cicero/projections/directory"

	"github.com/go-chi/chi/v5"
	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/claim"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apispec"
	"github.com/cicero/cicero/internal/apitest"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/otp"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/projections"
	"github.com/cicero/cicero/sagas"
	accesssaga "github.com/cicero/cicero/sagas/access"
	"github.com/cicero/cicero/sagas/email"
	"github.com/cicero/cicero/sagas/email/emailtest"
	"github.com/cicero/cicero/writeapi"
)

// claimRig is the claim API over real parts: JetStream, Postgres (command
// log and the directory read model, kept by a running projection), Redis,
// and an SMTP server that receives the codes. Every answer is checked
// against the OpenAPI document (internal/apispec/access_claim.yaml).
type claimRig struct {
	t      testing.TB
	client *http.Client // validates each answer against the document, failing t
	n      *testkit.NATS
	rdb    *redis.Client
	prefix string
	smtp   *emailtest.Server
	people *person.Handlers
	dir    *directory.Queries
	ckpt   *projections.Checkpoints
	http   *httptest.Server
}

var claimSeq atomic.Int64

func claimCtx(t testing.TB) context.Context { return apitest.Ctx(t) }

// claimMX answers MX look-ups from a table instead of the network.
func claimMX(_ context.Context, domain string) ([]*net.MX, error) {
	switch domain {
	case "mati.test":
		return nil, &net.DNSError{Err: "no such host", Name: domain, IsNotFound: true}
	case "lambat.test":
		return nil, &net.DNSError{Err: "i/o timeout", Name: domain, IsTimeout: true}
	case "nomx.test":
		return nil, nil
	case "null.test":
		return []*net.MX{{Host: ".", Pref: 0}}, nil
	}
	return []*net.MX{{Host: "mx." + domain + ".", Pref: 10}}, nil
}

// claimRigOpts: mail, when set, is where the dispatcher sends (default: a
// local SMTP server the rig reads); wa, when set, is its WhatsApp sender.
type claimRigOpts struct {
	mail *email.Config
	wa   sagas.Sender
}

func newClaimRig(t testing.TB, tweak ...func(*writeapi.ClaimDeps)) *claimRig {
	t.Helper()
	return newClaimRigWith(t, claimRigOpts{}, tweak...)
}

func newClaimRigWith(t testing.TB, opts claimRigOpts, tweak ...func(*writeapi.ClaimDeps)) *claimRig {
	t.Helper()
	s := apitest.NewStack(t, apitest.StackOptions{}, apitest.Proj(directory.New))
	prefix := fmt.Sprintf("test:claim:%d:%d:", time.Now().UnixNano(), claimSeq.Add(1))
	t.Cleanup(func() {
		if keys, _ := s.Rdb.Keys(context.Background(), prefix+"*").Result(); len(keys) > 0 {
			s.Rdb.Del(context.Background(), keys...)
		}
	})
	store, err := otp.New(s.Rdb, otp.Config{Secret: []byte("claim-test-secret-0123456789abcd"), Prefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	msg := s.StartMessagingWith(opts.mail, opts.wa, accesssaga.OTPMail(5*time.Minute))
	ckpt := s.Mgr.Checkpoints()
	r := &claimRig{t: t, client: s.HTTP, n: s.N, rdb: s.Rdb, prefix: prefix, smtp: msg.SMTP,
		people: person.NewHandlers(s.RT), dir: directory.NewQueries(s.Pool), ckpt: ckpt}
	deps := writeapi.ClaimDeps{Directory: r.dir, OTP: store, Claims: claim.NewHandlers(s.RT), People: r.people,
		Seal: msg.Seal.Seal, Deliveries: msg.Deliveries, CanWhatsApp: opts.wa != nil, LookupMX: claimMX, Logger: s.Log,
		WaitForDirectory: func(ctx context.Context, ps []events.Position) error {
			return ckpt.WaitFor(ctx, directory.Name, ps, 10*time.Second)
		}}
	for _, f := range tweak {
		f(&deps)
	}
	// The claim routes alone, without the middleware in front of /api.
	router := chi.NewRouter()
	router.Route("/api", func(api chi.Router) { writeapi.MountClaim(auth.NewRouter(api, "/api", auth.NewRoutes()), deps) })
	r.http = s.Listen(router)
	return r
}

// on returns the rig reporting to t (a subtest), so that a failed check or
// an answer the document does not describe fails t rather than its parent.
func (r *claimRig) on(t testing.TB) *claimRig {
	c := *r
	c.t, c.client = t, apispec.Client(t)
	return &c
}

// settle waits until the read model has applied positions.
func (r *claimRig) settle(positions []events.Position) {
	r.t.Helper()
	if err := r.ckpt.WaitFor(claimCtx(r.t), directory.Name, positions, 20*time.Second); err != nil {
		r.t.Fatalf("read model did not catch up: %v", err)
	}
}

// register enters a fresh person (with email, "" for none) and waits for
// the read model.
func (r *claimRig) register(mail string) string {
	r.t.Helper()
	return r.registerWith(mail, "")
}

// registerWith registers a person with an address and a WhatsApp number
// ("" for none).
func (r *claimRig) registerWith(mail, wa string) string {
	r.t.Helper()
	nrp := fmt.Sprintf("%d", 75000000+claimSeq.Add(1))
	out, err := r.people.RegisterPerson(claimCtx(r.t), commands.Meta{Actor: "test"},
		person.RegisterPerson{NRP: nrp, Nama: "Budi " + nrp, Email: mail, WhatsApp: wa, Roles: []string{"operator"}})
	if err != nil {
		r.t.Fatalf("register: %v", err)
	}
	r.settle(out.Positions())
	return nrp
}

// claimResp is a decoded answer.
type claimResp struct {
	Status int
	Header http.Header
	Body   map[string]any
}

func (c claimResp) msg() string { s, _ := c.Body["message"].(string); return s }

func (c claimResp) data() map[string]any { d, _ := c.Body["data"].(map[string]any); return d }

func (r *claimRig) call(method, path string, body any) claimResp {
	r.t.Helper()
	var raw []byte
	if s, ok := body.(string); ok {
		raw = []byte(s)
	} else {
		raw, _ = json.Marshal(body)
	}
	req, _ := http.NewRequestWithContext(claimCtx(r.t), method, r.http.URL+"/api/claim/"+path, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	res, err := r.client.Do(req)
	if err != nil {
		r.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	out := claimResp{Status: res.StatusCode, Header: res.Header}
	if err := json.NewDecoder(res.Body).Decode(&out.Body); err != nil {
		r.t.Fatalf("%s %s: answer is not JSON: %v", method, path, err)
	}
	return out
}

func (r *claimRig) post(path string, body any) claimResp { return r.call(http.MethodPost, path, body) }

// want checks status and message of a refusal (or the data message of a
// success).
func (c claimResp) want(t testing.TB, status int, msg string) {
	t.Helper()
	got := c.msg()
	if c.Status < 300 {
		got, _ = c.data()["message"].(string)
	}
	if c.Status != status || got != msg {
		t.Fatalf("answer %d %v, want %d %q", c.Status, c.Body, status, msg)
	}
	if ok, _ := c.Body["success"].(bool); ok != (status < 300) {
		t.Fatalf("success = %v with status %d", c.Body["success"], status)
	}
}

var codeRE = regexp.MustCompile(`^Kode OTP Anda: (\d{6})$`)

// code requests an OTP for (nrp, mail) and returns the code from the mail
// that arrived.
func (r *claimRig) code(nrp, mail string) string {
	r.t.Helper()
	before := len(r.smtp.Messages())
	r.post("request-otp", map[string]any{"nrp": nrp, "email": mail}).want(r.t, http.StatusAccepted, "OTP akan dikirim sesaat lagi")
	m := r.smtp.WaitFor(r.t, before+1, 10*time.Second)[before]
	sub := codeRE.FindStringSubmatch(m.Body)
	if sub == nil {
		r.t.Fatalf("mail body %q carries no code", m.Body)
	}
	return sub[1]
}

// verified runs request-otp and verify-otp for (nrp, mail).
func (r *claimRig) verified(nrp, mail string) {
	r.t.Helper()
	res := r.post("verify-otp", map[string]any{"nrp": nrp, "email": mail, "otp": r.code(nrp, mail)})
	if res.Status != http.StatusOK || res.data()["verified"] != true {
		r.t.Fatalf("verify-otp: %d %v", res.Status, res.Body)
	}
}

func (r *claimRig) envelopes(subject string) []events.Envelope {
	r.t.Helper()
	envs, _, err := r.n.Store.Load(claimCtx(r.t), subject)
	if err != nil {
		r.t.Fatal(err)
	}
	return envs
}

func (r *claimRig) claimEvents(nrp string) []events.Payload {
	r.t.Helper()
	out := []events.Payload{}
	for _, env := range r.envelopes(events.ClaimSubject(nrp)) {
		p, err := r.n.Store.Registry().Decode(&env)
		if err != nil {
			r.t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

// ignoreExpiry compares claim events without their expiry instants and
// sealed codes (a fresh nonce each time).
var ignoreExpiry = cmp.FilterPath(func(p cmp.Path) bool {
	return p.Last().String() == ".ExpiresAt" || p.Last().String() == ".SealedCode"
}, cmp.Ignore())

func TestClaimHappyPath(t *testing.T) {
	r := newClaimRig(t)
	const mail = "new@polri.test"
	nrp := r.register(mail) // the address is on file: the code goes only there

	r.post("validate-email", map[string]any{"email": " New@Polri.test "}).want(t, 200, "Email valid dan bisa digunakan")

	// The NRP may come as a JSON number, the address in any case.
	var asNumber json.Number = json.Number(nrp)
	requested := time.Now()
	r.post("request-otp", map[string]any{"nrp": asNumber, "email": "New@Polri.TEST"}).want(t, 202, "OTP akan dikirim sesaat lagi")
	m := r.smtp.WaitFor(t, 1, 10*time.Second)[0]
	envs := r.envelopes(events.ClaimSubject(nrp))
	if len(envs) != 1 {
		t.Fatalf("%d claim events after request-otp, want 1", len(envs))
	}
	for _, c := range []struct{ name, got, want string }{
		{"RCPT TO", strings.Join(m.RcptTo, ","), mail},
		{"From", m.From, `"Cicero" <noreply@cicero.test>`},
		{"Subject", m.Subject, "Kode OTP Anda"},
		// One issued code, one outbox row, one Message-ID.
		{"Message-ID", m.MessageID, email.MessageID(sagas.MessageKey(accesssaga.OTPMailName, envs[0].ID, mail), "cicero.test")},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	sub := codeRE.FindStringSubmatch(m.Body)
	if sub == nil {
		t.Fatalf("body %q", m.Body)
	}
	issued := r.claimEvents(nrp)[0].(*events.ClaimOTPIssued)
	if d := issued.ExpiresAt.Sub(requested); d < 4*time.Minute || d > 6*time.Minute {
		t.Errorf("code expires %s after the request, want 5m", d)
	}
	if raw, _ := json.Marshal(issued); strings.Contains(string(raw), sub[1]) {
		t.Errorf("the code is in the event: %s", raw)
	}

	r.post("user-data", map[string]any{"nrp": nrp, "email": mail}).want(t, 403, "OTP belum diverifikasi")
	res := r.post("verify-otp", map[string]any{"nrp": nrp, "email": mail, "otp": sub[1]})
	if res.Status != 200 || res.data()["verified"] != true {
		t.Fatalf("verify-otp: %d %v", res.Status, res.Body)
	}
	if d := cmp.Diff([]events.Payload{&events.ClaimOTPIssued{NRP: nrp, Email: mail}, &events.ClaimVerified{NRP: nrp, Email: mail}},
		r.claimEvents(nrp), ignoreExpiry); d != "" {
		t.Fatalf("claim events (-want +got):\n%s", d)
	}

	// The address was on file already: verifying changes nothing there.
	if penvs := r.envelopes(events.PersonSubject(nrp)); len(penvs) != 1 {
		t.Fatalf("%d person events after verify, want only the registration", len(penvs))
	}

	data := r.post("user-data", map[string]any{"nrp": nrp, "email": mail})
	if data.Status != 200 || data.data()["user_id"] != nrp || data.data()["email"] != mail || data.data()["operator"] != true {
		t.Fatalf("user-data: %d %v", data.Status, data.Body)
	}

	// Update, with the verification about to run out: it is refreshed.
	vkey := r.prefix + "verified:" + nrp
	r.rdb.PExpire(claimCtx(t), vkey, 30*time.Second)
	upd := r.call(http.MethodPut, "update", map[string]any{"nrp": nrp, "email": mail, "nama": "budi santoso",
		"desa": "Desa A", "whatsapp": "0812-3456-7890", "insta": "https://www.instagram.com/Budi.IG/", "tiktok": "@Budi.TT"})
	if upd.Status != 200 {
		t.Fatalf("update: %d %v", upd.Status, upd.Body)
	}
	got := upd.data()
	for k, want := range map[string]string{"nama": "BUDI SANTOSO", "desa": "DESA A", "whatsapp": "6281234567890",
		"insta": "budi.ig", "tiktok": "budi.tt", "email": mail} {
		if got[k] != want {
			t.Errorf("updated %s = %v, want %q", k, got[k], want)
		}
	}
	if ttl := r.rdb.PTTL(claimCtx(t), vkey).Val(); ttl < 9*time.Minute {
		t.Errorf("verification TTL after update %s, want refreshed to 10m", ttl)
	}
	// A second update that changes nothing still answers the row.
	again := r.call(http.MethodPut, "update", map[string]any{"nrp": nrp, "email": mail, "nama": "Budi Santoso", "insta": ""})
	if again.Status != 200 || again.data()["nama"] != "BUDI SANTOSO" || again.data()["insta"] != "budi.ig" {
		t.Fatalf("no-op update: %d %v", again.Status, again.Body)
	}
}

func TestClaimRequestOTPRefusals(t *testing.T) {
	r := newClaimRig(t)
	withEmail := r.register("budi@polri.test")
	noEmail := r.register("")
	r.register("siti@polri.test")
	cases := []struct {
		name   string
		body   any
		status int
		msg    string
	}{
		{"bad json", `{"nrp":`, 400, "Body JSON tidak valid"},
		{"empty body", ``, 400, "nrp dan email wajib diisi"},
		{"no email", map[string]any{"nrp": noEmail}, 400, "nrp dan email wajib diisi"},
		{"nrp without digits", map[string]any{"nrp": "abc", "email": "x@polri.test"}, 400, "nrp dan email wajib diisi"},
		{"bad email", map[string]any{"nrp": noEmail, "email": "budi@"}, 400, "Format email tidak valid. Pastikan menulis alamat lengkap seperti nama@contoh.com"},
		{"unknown nrp and address", map[string]any{"nrp": "99999999", "email": "nobody@polri.test"}, 404, "User tidak ditemukan"},
		{"unknown nrp, address of another", map[string]any{"nrp": "99999999", "email": "siti@polri.test"}, 409,
			"Email sudah dipakai akun lain. Gunakan email berbeda atau hubungi admin untuk memperbaiki data."},
		{"other address than stored", map[string]any{"nrp": withEmail, "email": "eve@polri.test"}, 400, "email tidak sesuai"},
		// Hardening: no address on file, no code to whatever address the
		// caller names — the operator records the address first.
		{"no stored address", map[string]any{"nrp": noEmail, "email": "new@polri.test"}, 403, claim.MsgNoContact},
		{"no stored address, address of another", map[string]any{"nrp": noEmail, "email": "SITI@polri.test"}, 403, claim.MsgNoContact},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := r.on(t)
			r.post("request-otp", c.body).want(t, c.status, c.msg)
		})
	}
	if n := len(r.smtp.Messages()); n != 0 {
		t.Fatalf("%d mails went out for refused requests", n)
	}
	for _, nrp := range []string{withEmail, noEmail, "99999999"} {
		if evs := r.claimEvents(nrp); len(evs) != 0 {
			t.Fatalf("refused requests recorded %v", evs)
		}
	}

	t.Run("throttled", func(t *testing.T) {
		r := r.on(t)
		r.code(withEmail, "budi@polri.test")
		res := r.post("request-otp", map[string]any{"nrp": withEmail, "email": "budi@polri.test"})
		if res.Status != 429 || !strings.HasPrefix(res.msg(), "Terlalu sering meminta OTP") {
			t.Fatalf("second request at once: %d %v", res.Status, res.Body)
		}
		if ra := res.Header.Get("Retry-After"); ra == "" || res.Body["retry_after"] == nil {
			t.Errorf("no retry-after in %v / %v", res.Header, res.Body)
		}
		if n := len(r.claimEvents(withEmail)); n != 1 {
			t.Errorf("%d claim events, want only the first issue", n)
		}
	})

	t.Run("refused mail withdraws the code", func(t *testing.T) {
		r := r.on(t)
		nrp := r.register("refused@polri.test")
		sent := len(r.smtp.Messages())
		r.smtp.Refuse(550, "<refused@polri.test>: mailbox unavailable")
		r.post("request-otp", map[string]any{"nrp": nrp, "email": "refused@polri.test"}).want(t, 502, "Gagal mengirim OTP")
		if n := len(r.smtp.Messages()); n != sent {
			t.Fatalf("refused mail was stored")
		}
		// No cooldown to wait out: the code went back.
		r.code(nrp, "refused@polri.test")
	})
}

func TestClaimMailServerDown(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	r := newClaimRigWith(t, claimRigOpts{mail: &email.Config{Host: "127.0.0.1", Port: port, From: "noreply@cicero.test",
		TLS: email.TLSNone, Timeout: time.Second}})
	nrp := r.register("budi@polri.test")
	// The dispatcher tries, retries and records the failure; the request
	// answers it.
	r.post("request-otp", map[string]any{"nrp": nrp, "email": "budi@polri.test"}).want(t, 502, "Gagal mengirim OTP")
	// Retrying at once is allowed (the code and its cooldown were withdrawn).
	r.post("request-otp", map[string]any{"nrp": nrp, "email": "budi@polri.test"}).want(t, 502, "Gagal mengirim OTP")
}

func TestClaimVerifyOTPRefusals(t *testing.T) {
	r := newClaimRig(t)
	const mail = "budi@polri.test"
	for _, c := range []struct {
		name string
		body any
	}{
		{"empty", map[string]any{}},
		{"no otp", map[string]any{"nrp": "75020001", "email": mail}},
		{"blank otp", map[string]any{"nrp": "75020001", "email": mail, "otp": " "}},
		{"no email", map[string]any{"nrp": "75020001", "otp": "123456"}},
	} {
		t.Run(c.name, func(t *testing.T) { r.on(t).post("verify-otp", c.body).want(t, 400, "nrp, email, dan otp wajib diisi") })
	}

	t.Run("no code issued records nothing", func(t *testing.T) {
		r := r.on(t)
		nrp := r.register("")
		r.post("verify-otp", map[string]any{"nrp": nrp, "email": mail, "otp": "123456"}).want(t, 400, "OTP tidak valid")
		if evs := r.claimEvents(nrp); len(evs) != 0 {
			t.Fatalf("recorded %v", evs)
		}
	})

	t.Run("three wrong codes burn it", func(t *testing.T) {
		r := r.on(t)
		nrp := r.register(mail)
		code := r.code(nrp, mail)
		wrong := fmt.Sprintf("%06d", (atoi(code)-100000+1)%900000+100000)
		for range 3 {
			r.post("verify-otp", map[string]any{"nrp": nrp, "email": mail, "otp": wrong}).want(t, 400, "OTP tidak valid")
		}
		r.post("verify-otp", map[string]any{"nrp": nrp, "email": mail, "otp": code}).want(t, 400, "OTP tidak valid")
		want := []events.Payload{&events.ClaimOTPIssued{NRP: nrp, Email: mail},
			&events.ClaimOTPRejected{NRP: nrp, Reason: "mismatch", Attempts: 1},
			&events.ClaimOTPRejected{NRP: nrp, Reason: "mismatch", Attempts: 2},
			&events.ClaimOTPRejected{NRP: nrp, Reason: "attempts_exhausted", Attempts: 3}}
		if d := cmp.Diff(want, r.claimEvents(nrp), ignoreExpiry); d != "" {
			t.Fatalf("claim events (-want +got):\n%s", d)
		}
		r.post("user-data", map[string]any{"nrp": nrp, "email": mail}).want(t, 403, "OTP belum diverifikasi")
	})

	t.Run("right code for another address", func(t *testing.T) {
		r := r.on(t)
		nrp := r.register(mail)
		code := r.code(nrp, mail)
		r.post("verify-otp", map[string]any{"nrp": nrp, "email": "eve@polri.test", "otp": code}).want(t, 400, "OTP tidak valid")
		// The attempt counted but the code lives on for its own address.
		res := r.post("verify-otp", map[string]any{"nrp": nrp, "email": mail, "otp": code})
		if res.Status != 200 {
			t.Fatalf("verify with the right address: %d %v", res.Status, res.Body)
		}
	})

	t.Run("person with an address keeps it", func(t *testing.T) {
		r := r.on(t)
		nrp := r.register(mail)
		r.verified(nrp, mail)
		penvs := r.envelopes(events.PersonSubject(nrp))
		if len(penvs) != 1 {
			t.Fatalf("%d person events, want only the registration", len(penvs))
		}
	})
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

func TestClaimUserDataAndUpdateRefusals(t *testing.T) {
	r := newClaimRig(t)
	const mail = "budi@polri.test"
	v := r.register(mail) // verified
	r.verified(v, mail)
	u := r.register("siti@polri.test") // not verified

	for _, c := range []struct {
		name   string
		body   any
		status int
		msg    string
	}{
		{"empty", map[string]any{}, 400, "nrp dan email wajib diisi"},
		{"not verified", map[string]any{"nrp": u, "email": "siti@polri.test"}, 403, "OTP belum diverifikasi"},
		{"verified for another address", map[string]any{"nrp": v, "email": "eve@polri.test"}, 403, "OTP belum diverifikasi"},
	} {
		t.Run("user-data "+c.name, func(t *testing.T) { r.on(t).post("user-data", c.body).want(t, c.status, c.msg) })
	}

	update := func(fields map[string]any, nrp, mail string) map[string]any {
		out := map[string]any{"nrp": nrp, "email": mail}
		for k, v := range fields {
			out[k] = v
		}
		return out
	}
	for _, c := range []struct {
		name   string
		body   any
		status int
		msg    string
	}{
		{"empty", map[string]any{}, 400, "nrp dan email wajib diisi"},
		{"bad instagram", update(map[string]any{"insta": "https://instagram.com/p/Cx12/"}, v, mail), 400,
			"Format username Instagram tidak valid. Gunakan tautan profil atau username seperti instagram.com/username atau @username."},
		{"bad tiktok", update(map[string]any{"tiktok": "budi santoso!"}, v, mail), 400,
			"Format username TikTok tidak valid. Gunakan tautan profil atau username seperti tiktok.com/@username atau @username."},
		{"format before verification", update(map[string]any{"insta": "a b c"}, u, "siti@polri.test"), 400,
			"Format username Instagram tidak valid. Gunakan tautan profil atau username seperti instagram.com/username atau @username."},
		{"not verified", update(map[string]any{"nama": "x"}, u, "siti@polri.test"), 403, "OTP belum diverifikasi"},
		{"wrong otp in body", update(map[string]any{"nama": "x", "otp": "000000"}, u, "siti@polri.test"), 403, "OTP belum diverifikasi"},
		{"short phone", update(map[string]any{"whatsapp": "0812-34"}, v, mail), 400, "Nomor telepon tidak valid. Masukkan minimal 8 digit angka."},
		{"reserved instagram", update(map[string]any{"insta": "@Cicero_Devs"}, v, mail), 400, "username instagram tidak valid"},
		{"reserved tiktok", update(map[string]any{"tiktok": "tiktok.com/@cicero_devs"}, v, mail), 400, "username tiktok tidak valid"},
		{"blank name", update(map[string]any{"nama": "  "}, v, mail), 400, "nama wajib diisi"},
	} {
		t.Run("update "+c.name, func(t *testing.T) { r.on(t).call(http.MethodPut, "update", c.body).want(t, c.status, c.msg) })
	}

	t.Run("update null whatsapp clears it", func(t *testing.T) {
		r := r.on(t)
		set := r.call(http.MethodPut, "update", update(map[string]any{"whatsapp": 81234567890}, v, mail))
		if set.Status != 200 || set.data()["whatsapp"] != "6281234567890" {
			t.Fatalf("set: %d %v", set.Status, set.Body)
		}
		cleared := r.call(http.MethodPut, "update", update(map[string]any{"whatsapp": nil}, v, mail))
		if cleared.Status != 200 || cleared.data()["whatsapp"] != "" {
			t.Fatalf("clear: %d %v", cleared.Status, cleared.Body)
		}
	})

	t.Run("update with the code in the body", func(t *testing.T) {
		r := r.on(t)
		code := r.code(u, "siti@polri.test")
		res := r.call(http.MethodPut, "update", update(map[string]any{"jabatan": "kanit", "otp": code}, u, "siti@polri.test"))
		if res.Status != 200 || res.data()["jabatan"] != "KANIT" {
			t.Fatalf("update with otp: %d %v", res.Status, res.Body)
		}
		// The code verified the claim: user-data now answers.
		if res := r.post("user-data", map[string]any{"nrp": u, "email": "siti@polri.test"}); res.Status != 200 {
			t.Fatalf("user-data after update with otp: %d %v", res.Status, res.Body)
		}
	})

	t.Run("wrong method", func(t *testing.T) {
		// The document must not describe POST /update either: its client
		// reports the route as unknown, which is the expected outcome here.
		rec := &errorRecorder{TB: t}
		res, err := apispec.Client(rec).Post(r.http.URL+"/api/claim/update", "application/json", strings.NewReader("{}"))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusMethodNotAllowed {
			t.Fatalf("POST /update: %d", res.StatusCode)
		}
		if len(rec.errs) != 1 || !strings.Contains(rec.errs[0], "not in openapi") {
			t.Fatalf("openapi check of POST /update: %q, want one 'not in openapi'", rec.errs)
		}
	})
}

// errorRecorder keeps the Errorf calls of a test instead of failing it.
type errorRecorder struct {
	testing.TB
	errs []string
}

func (e *errorRecorder) Errorf(format string, args ...any) {
	e.errs = append(e.errs, fmt.Sprintf(format, args...))
}

// claimDeadRedis is an OTP store whose Redis refuses every connection.
func claimDeadRedis(t testing.TB) *otp.Store {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	rdb := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, DialTimeout: time.Second})
	t.Cleanup(func() { rdb.Close() })
	store, err := otp.New(rdb, otp.Config{Secret: []byte("claim-test-secret-0123456789abcd")})
	if err != nil {
		t.Fatal(err)
	}
	return store
}

// claimClosedDirectory is a directory read model whose pool is closed.
func claimClosedDirectory(t testing.TB) *directory.Queries {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), testkit.PostgresURL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	pool.Close()
	return directory.NewQueries(pool)
}

// TestClaimStoresDown: an unreachable OTP store or read model is a 503
// (logged, not shown), on every route that needs it.
func TestClaimStoresDown(t *testing.T) {
	const (
		otpDown = "Layanan OTP tidak tersedia. Coba beberapa saat lagi."
		dbDown  = "Database tidak tersedia"
	)
	noRedis := newClaimRig(t, func(d *writeapi.ClaimDeps) { d.OTP = claimDeadRedis(t) })
	nrp := noRedis.register("budi@polri.test")
	noDB := newClaimRig(t, func(d *writeapi.ClaimDeps) { d.Directory = claimClosedDirectory(t) })
	for _, c := range []struct {
		name, method, path string
		rig                *claimRig
		body               map[string]any
		msg                string
	}{
		{"redis request-otp", http.MethodPost, "request-otp", noRedis, map[string]any{"nrp": nrp, "email": "budi@polri.test"}, otpDown},
		{"redis verify-otp", http.MethodPost, "verify-otp", noRedis, map[string]any{"nrp": nrp, "email": "budi@polri.test", "otp": "123456"}, otpDown},
		{"redis user-data", http.MethodPost, "user-data", noRedis, map[string]any{"nrp": nrp, "email": "budi@polri.test"}, otpDown},
		{"redis update", http.MethodPut, "update", noRedis, map[string]any{"nrp": nrp, "email": "budi@polri.test", "nama": "x"}, otpDown},
		{"db validate-email", http.MethodPost, "validate-email", noDB, map[string]any{"email": "budi@polri.test"}, dbDown},
		{"db request-otp", http.MethodPost, "request-otp", noDB, map[string]any{"nrp": "75010001", "email": "budi@polri.test"}, dbDown},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.rig.on(t).call(c.method, c.path, c.body).want(t, http.StatusServiceUnavailable, c.msg)
		})
	}
}

func TestClaimValidateEmail(t *testing.T) {
	r := newClaimRig(t)
	r.register("budi@polri.test")
	gone := r.register("lama@polri.test")
	out, err := r.people.Deactivate(claimCtx(t), commands.Meta{Actor: "test"}, person.Deactivate{NRP: gone})
	if err != nil {
		t.Fatal(err)
	}
	r.settle(out.Positions())
	for _, c := range []struct {
		email  any
		status int
		msg    string
	}{
		{nil, 400, "Email wajib diisi"},
		{"  ", 400, "Email wajib diisi"},
		{"budi@", 400, "Format email tidak valid. Pastikan menulis alamat lengkap seperti nama@contoh.com"},
		{"budi@mati.test", 400, "Email tidak dapat digunakan. Domain email tidak aktif atau tidak menerima email."},
		{"budi@nomx.test", 400, "Email tidak dapat digunakan. Domain email tidak aktif atau tidak menerima email."},
		{"budi@null.test", 400, "Email tidak dapat digunakan. Domain email tidak aktif atau tidak menerima email."},
		{"budi@lambat.test", 503, "Layanan validasi email tidak tersedia. Coba beberapa saat lagi."},
		{"Lama@Polri.test", 403, "Email tidak aktif. Hubungi admin untuk mengaktifkan kembali."},
		{"budi@polri.test", 200, "Email valid dan bisa digunakan"},
		{"baru@polri.test", 200, "Email valid dan bisa digunakan"},
	} {
		t.Run(fmt.Sprint(c.email), func(t *testing.T) {
			r := r.on(t)
			r.post("validate-email", map[string]any{"email": c.email}).want(t, c.status, c.msg)
		})
	}
}

// BenchmarkClaimRoundTrip measures one member's claim: request-otp (the
// code through the saga, the outbox and the dispatcher), the mail arriving
// at the SMTP server, verify-otp.
func BenchmarkClaimRoundTrip(b *testing.B) {
	r := newClaimRig(b)
	nrps := make([]string, b.N)
	for i := range nrps {
		nrps[i] = r.register(fmt.Sprintf("m%d@polri.test", i))
	}
	b.ResetTimer()
	for i := range b.N {
		mail := fmt.Sprintf("m%d@polri.test", i)
		r.verified(nrps[i], mail)
	}
}
