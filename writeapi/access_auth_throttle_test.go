package writeapi_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/internal/testkit"
)

// throttleFlow is one throttled route: a body that fails (the i-th, each
// spelled apart so de-duplication does not answer first) and one that
// succeeds.
type throttleFlow struct {
	name, path string
	bad        func(i int) any
	badStatus  int
	good       any
	// clears: a success forgets the account's attempts (logins, not resets).
	clears bool
}

// runThrottleFlow: five free attempts per account and the sixth, then 429
// with Retry-After until the back-off passes; a success clears the
// account's count. addr is the client address (X-Forwarded-For from the
// loopback proxy), one per flow.
func runThrottleFlow(t *testing.T, r *authRig, f throttleFlow, addr string) {
	t.Helper()
	xff := []string{"X-Forwarded-For", addr}
	for i := range 6 {
		if got := r.call(r.api, http.MethodPost, f.path, f.bad(i), "", xff...); got.Status != f.badStatus {
			t.Fatalf("attempt %d: %d %v, want %d", i+1, got.Status, got.Body, f.badStatus)
		}
	}
	got := r.call(r.api, http.MethodPost, f.path, f.bad(6), "", xff...)
	got.want(t, http.StatusTooManyRequests, "Terlalu banyak percobaan. Silakan coba lagi dalam 1 detik.")
	if ra := got.Header.Get("Retry-After"); ra != "1" {
		t.Fatalf("Retry-After %q, want 1", ra)
	}
	// The good secret is refused too while the back-off runs.
	r.call(r.api, http.MethodPost, f.path, f.good, "", xff...).
		want(t, http.StatusTooManyRequests, "Terlalu banyak percobaan. Silakan coba lagi dalam 1 detik.")
	time.Sleep(1100 * time.Millisecond)
	r.call(r.api, http.MethodPost, f.path, f.good, "", xff...).want(t, http.StatusOK, "")
	if !f.clears {
		return
	}
	for i := 10; i < 15; i++ {
		if got := r.call(r.api, http.MethodPost, f.path, f.bad(i), "", xff...); got.Status != f.badStatus {
			t.Fatalf("after a success, attempt %d: %d %v, want %d", i-9, got.Status, got.Body, f.badStatus)
		}
	}
}

// TestLoginThrottle: the dashboard, personnel and client-operator logins
// and the password-reset requests are throttled per account and per
// address (issue 8 §6).
func TestLoginThrottle(t *testing.T) {
	r := newAuthRig(t)
	r.createUserWith(dashuser.CreateDashboardUser{Username: "thr_dash", Role: "operator", WhatsApp: "081277770000",
		Email: "thr@polri.test", ClientIDs: []string{"POLRES_A"}})
	rt := commands.NewRuntime(r.n.Store, commands.NewPGCommandLog(r.pool), testkit.Logger(t))
	if _, err := client.NewHandlers(rt).RegisterClient(authCtx(t), commands.Meta{Actor: "test"}, client.RegisterClient{
		ClientID: "POLRES_THR", Nama: "POLRES THR", ClientOperator: "0812-7777-1111"}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.people.RegisterPerson(authCtx(t), commands.Meta{Actor: "test"}, person.RegisterPerson{
		NRP: "87000001", Nama: "THR", ClientID: "POLRES_A", WhatsApp: "081277772222"}); err != nil {
		t.Fatal(err)
	}
	userGood := map[string]any{"nrp": "87000001", "whatsapp": "081277772222"}
	clientGood := map[string]any{"client_id": "POLRES_THR", "client_operator": "081277771111"}
	// Both are visible once a login succeeds (which also clears the count).
	waitFor(t, func() bool { return r.post("/api/auth/user-login", userGood).Status == 200 })
	waitFor(t, func() bool { return r.post("/api/auth/login", clientGood).Status == 200 })

	flows := []throttleFlow{
		{name: "dashboard", path: "/api/auth/dashboard-login", badStatus: 401, clears: true,
			bad:  func(i int) any { return map[string]any{"username": "thr_dash", "password": fmt.Sprintf("salah-%d", i)} },
			good: `{"username": "THR_DASH", "password": "` + authPassword + `"}`},
		{name: "personnel", path: "/api/auth/user-login", badStatus: 401, clears: true,
			bad:  func(i int) any { return map[string]any{"nrp": "87000001", "whatsapp": fmt.Sprintf("08129999%04d", i)} },
			good: `{"nrp": "87000001", "whatsapp": "081277772222"}`},
		{name: "client operator", path: "/api/auth/login", badStatus: 401, clears: true,
			bad: func(i int) any {
				return map[string]any{"client_id": "POLRES_THR", "client_operator": fmt.Sprintf("08129999%04d", i)}
			},
			good: `{"client_id": "POLRES_THR", "client_operator": "081277771111"}`},
		// Every well-formed reset request counts: a wrong contact too.
		{name: "password reset", path: "/api/password-reset/request", badStatus: 400,
			bad: func(i int) any {
				return map[string]any{"username": "thr_dash", "contact": fmt.Sprintf("x%d@polri.test", i)}
			},
			good: map[string]any{"username": "thr_dash", "contact": "thr@polri.test"}},
	}
	for i, f := range flows {
		t.Run(f.name, func(t *testing.T) { runThrottleFlow(t, r, f, fmt.Sprintf("198.51.100.%d", 10+i)) })
	}

	t.Run("unknown account and wrong secret answer alike", func(t *testing.T) {
		for _, c := range []struct{ path, body string }{
			{"/api/auth/dashboard-login", `{"username":"thr_siapa","password":"x"}`},
			{"/api/auth/user-login", `{"nrp":"87009999","whatsapp":"081277772222"}`},
			{"/api/auth/login", `{"client_id":"POLRES_SIAPA","client_operator":"081277771111"}`},
		} {
			r.call(r.api, http.MethodPost, c.path, c.body, "", "X-Forwarded-For", "198.51.100.40").
				want(t, http.StatusUnauthorized, "Login gagal: data tidak ditemukan")
		}
	})

	t.Run("per address", func(t *testing.T) {
		xff := []string{"X-Forwarded-For", "2001:db8::77"}
		for i := range 21 {
			body := map[string]any{"username": fmt.Sprintf("thr_tebak_%d", i), "password": "x"}
			r.call(r.api, http.MethodPost, "/api/auth/dashboard-login", body, "", xff...).want(t, http.StatusUnauthorized, "")
		}
		// Another account from the same address waits; the same account
		// from another address does not.
		r.call(r.api, http.MethodPost, "/api/auth/dashboard-login", map[string]any{"username": "thr_dash", "password": "x"}, "", xff...).
			want(t, http.StatusTooManyRequests, "Terlalu banyak percobaan. Silakan coba lagi dalam 1 detik.")
		r.call(r.api, http.MethodPost, "/api/auth/dashboard-login", map[string]any{"username": "thr_dash", "password": "y"}, "",
			"X-Forwarded-For", "2001:db8::78").want(t, http.StatusUnauthorized, "Login gagal: data tidak ditemukan")
	})
}

// TestPenmasLoginThrottle: the Penmas login is throttled like the others.
func TestPenmasLoginThrottle(t *testing.T) {
	r := newPenmasRig(t)
	r.register(map[string]any{"username": "thr_pen", "password": "rahasia-pen"})
	waitFor(t, func() bool {
		return r.post("/api/auth/penmas-login", map[string]any{"password": "rahasia-pen", "username": "thr_pen"}).Status == 200
	})
	good := `{"username": "thr_pen", "password": "rahasia-pen"}`
	runThrottleFlow(t, r.authRig, throttleFlow{path: "/api/auth/penmas-login", badStatus: 401, clears: true, good: good,
		bad: func(i int) any { return map[string]any{"username": "thr_pen", "password": fmt.Sprintf("salah-%d", i)} }},
		"203.0.113.50")
}
