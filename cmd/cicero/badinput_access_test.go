package main

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

var badThrottledRE = regexp.MustCompile(`^Terlalu banyak percobaan\. Silakan coba lagi dalam ([1-4]) detik\.$`)

// throttleAccount fails dashboard logins of username until eight have
// counted (waiting out the back-offs in between), so the next attempt
// meets a back-off of four seconds.
func (w *badWorld) throttleAccount(username string) func(*testing.T, *badRequest) {
	return func(t *testing.T, _ *badRequest) {
		for counted, i := 0, 0; counted < 8; i++ {
			got := w.send(t, &badRequest{method: http.MethodPost, path: "/api/auth/dashboard-login",
				body: fmt.Sprintf(`{"username":%q,"password":"salah-%d"}`, username, i)})
			switch got.status {
			case http.StatusUnauthorized:
				counted++
			case http.StatusTooManyRequests:
				time.Sleep(500 * time.Millisecond)
			default:
				t.Fatalf("failing login = %d %s", got.status, got.raw)
			}
		}
	}
}

// accessHoleRows are the refusals that close the access holes of issue 8
// §6, through the fully wired server; each refused call appends nothing.
func (w *badWorld) accessHoleRows() []badRow {
	user := func(nrp string) string { return "/api/users/" + nrp }
	fresh := func(i int) string { return w.nrp(60 + i) }
	const unknownRole = "role humas tidak dikenal; role yang tersedia: operator, ditbinmas, ditlantas, bidhumas, ditsamapta, ditintelkam"
	return []badRow{
		// Roles are a closed set; a directorate role is changed only by
		// admins and that directorate's own users (real changes only).
		{method: post, route: "/api/users/create", kind: badInvalid, variant: "unknown-role", caller: w.admin,
			body:   badJSON(badObj{"user_id": fresh(0), "nama": "BARU", "client_id": "POLRESA", "roles": []string{"operator", "humas"}}),
			status: s400, message: unknownRole, probe: user(fresh(0))},
		{method: post, route: "/api/users/create", kind: badWrongKind, variant: "directorate-role", caller: w.opr,
			body:   badJSON(badObj{"user_id": fresh(1), "nama": "BARU", "roles": []string{"ditbinmas"}}),
			status: s403, message: "role ditbinmas tidak diizinkan", probe: user(fresh(1))},
		{method: put, route: "/api/users/{id}", path: user(w.pA1), kind: badWrongKind, variant: "directorate-role", caller: w.opr,
			body: `{"operator":true,"ditlantas":true}`, status: s403, message: "role ditlantas tidak diizinkan", probe: user(w.pA1)},
		{method: put, route: "/api/users/{id}/roles", path: user(w.pB1) + "/roles", kind: badWrongKind, variant: "directorate-role",
			caller: w.dirB, body: `{"roles":["ditbinmas","ditlantas"]}`,
			status: s403, message: "role ditlantas tidak diizinkan", probe: user(w.pB1)},
		{method: del, route: "/api/users/{id}", path: user(fresh(2)) + "?role=ditlantas", kind: badWrongKind, variant: "directorate-role",
			caller: w.dirB, before: func(t *testing.T, _ *badRequest) {
				w.expect(t, w.admin, post, "/api/users/create", badJSON(badObj{"user_id": fresh(2), "nama": "LANTAS",
					"client_id": "POLRESB", "roles": []string{"ditlantas"}}), nil, s201)
			},
			status: s403, message: "role ditlantas tidak diizinkan", probe: user(fresh(2))},
		// Another directorate's row names its operator's number.
		{method: get, route: "/api/clients/profile", path: "/api/clients/profile?client_id=POLRESB&scope=direktorat&role=ditlantas",
			kind: badWrongKind, variant: "other-directorate", caller: w.dirB, status: s403, legacyErr: "role direktorat tidak diizinkan"},
		// Placement and the operator's number are the admins'.
		{method: put, route: "/api/clients/{client_id}", path: "/api/clients/POLRESC", kind: badWrongKind, variant: "admin-only-field",
			caller: w.dirB, body: `{"nama":"POLRES C","client_operator":"081299990000"}`,
			status: s403, message: "client_operator hanya dapat diubah oleh admin", probe: "/api/clients/POLRESC"},
		// Every text field has a length limit, checked before any command.
		{method: post, route: "/api/users/create", kind: badInvalid, variant: "too-long", caller: w.admin,
			body:   badJSON(badObj{"user_id": fresh(3), "nama": strings.Repeat("N", 256), "client_id": "POLRESA"}),
			status: s400, message: "nama maksimal 255 karakter", probe: user(fresh(3))},
		{method: put, route: "/api/users/{id}", path: user(w.pA1), kind: badInvalid, variant: "too-long", caller: w.admin,
			body: badJSON(badObj{"jabatan": strings.Repeat("J", 300)}), status: s400, message: "jabatan maksimal 255 karakter", probe: user(w.pA1)},
		{method: post, route: "/api/auth/dashboard-register", kind: badInvalid, variant: "password-too-long",
			body: badJSON(badObj{"username": w.name("reg_long"), "password": strings.Repeat("é", 37), "whatsapp": "081200000012",
				"client_ids": []string{"POLRESA"}}),
			status: s400, message: "password maksimal 72 karakter"},
		{method: post, route: "/api/auth/dashboard-login", kind: badInvalid, variant: "username-too-long",
			body: badJSON(badObj{"username": strings.Repeat("u", 101), "password": badPassword}), status: s400, message: "username maksimal 100 karakter"},
		// Logins are throttled per account, known or not.
		{method: post, route: "/api/auth/dashboard-login", kind: badReplay, variant: "throttled", before: w.throttleAccount(w.name("thr")),
			body: fmt.Sprintf(`{"username": %q,  "password": %q}`, w.name("thr"), badPassword), status: s429,
			check: func(t *testing.T, got badReply) {
				if !badThrottledRE.MatchString(got.str("message")) {
					t.Errorf("message = %q, want the throttle's", got.str("message"))
				}
			}},
	}
}
