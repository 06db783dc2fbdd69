package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cicero/cicero/internal/rapidapi/instagram"
	"github.com/cicero/cicero/internal/rapidapi/rapidapitest"
	"github.com/cicero/cicero/internal/testkit"
)

// The social rows' posts on the fake platform: known is imported by the
// replay row, tagged by the setup (the tag rows act on it).
const (
	badPostKnown  = "Cknown01"
	badPostTagged = "Cknown02"
)

// badSocialPlatform starts the fake RapidAPI the server is pointed at
// (set before the server starts).
func badSocialPlatform(t *testing.T) *rapidapitest.Platform {
	t.Helper()
	p := rapidapitest.NewPlatform(rapidapitest.NewServer(t))
	t.Setenv("RAPIDAPI_KEY", "bad-input-key")
	t.Setenv("RAPIDAPI_IG_BASE_URL", p.Server.URL)
	t.Setenv("RAPIDAPI_TIKTOK_BASE_URL", p.Server.URL)
	p.SetInstagram(rapidapitest.IGAccount{Username: "polres_e", Posts: []rapidapitest.IGPost{
		{Shortcode: badPostKnown, TakenAt: time.Now().Add(-time.Hour)},
		{Shortcode: badPostTagged, TakenAt: time.Now().Add(-2 * time.Hour)}}})
	return p
}

// socialSetup registers POLRESE with its official Instagram account,
// imports the post the tag rows act on, and makes premOpr, a premium
// operator of POLRESA (the ANEV rows get past the premium guard with it).
func (w *badWorld) socialSetup(t *testing.T) {
	t.Helper()
	prem := w.name("prem")
	for _, args := range [][]string{
		{"admin", "dashboard-user", "create", "--username", prem, "--password", badPassword, "--role", "operator",
			"--clients", "POLRESA", "--whatsapp", "081200000007"},
		{"admin", "premium", "grant", "--username", prem, "--tier", "tier1", "--days", "30"},
	} {
		if out, err := runCLI(t, args...); err != nil {
			t.Fatalf("%v: %v %s", args, err, out)
		}
	}
	testkit.Eventually(t, 10*time.Second, func() error {
		got := w.send(t, &badRequest{method: http.MethodPost, path: "/api/auth/dashboard-login", body: loginBody(prem, w.next()%4)})
		if w.premOpr = got.str("token"); got.status != http.StatusOK || w.premOpr == "" {
			return fmt.Errorf("premium operator login: %d %s", got.status, got.raw)
		}
		return nil
	})
	if out, err := runCLI(t, "admin", "client", "create", "--id", "POLRESE", "--name", "POLRES E", "--type", "org",
		"--insta", "polres_e"); err != nil {
		t.Fatalf("client create POLRESE: %v %s", err, out)
	}
	// The import reads the client from the directory read model: wait
	// until it has the CLI's registration.
	testkit.Eventually(t, 10*time.Second, func() error {
		got := w.send(t, &badRequest{token: w.admin, method: http.MethodPost, path: "/api/social/posts/import",
			body:   badJSON(badObj{"platform": "instagram", "link": badPostTagged, "client_id": "POLRESE"}),
			header: map[string]string{"Idempotency-Key": fmt.Sprintf("setup-import-%d-%d", w.run, w.next())}})
		if got.status != http.StatusCreated {
			return fmt.Errorf("import: %d %s", got.status, got.raw)
		}
		return nil
	})
}

// socialRows: the editors' post routes and the admins' job route.
// Importing is for dashboard users of the client; tagging for admins and
// the role's own directorate. No route takes an expected version (no 409
// kind); a job already running is a 409 the matrix cannot time reliably
// (schedule's TestRunsNeverOverlap covers it).
func (w *badWorld) socialRows() []badRow {
	const (
		imp     = "/api/social/posts/import"
		tag     = "/api/social/posts/{platform}/{post_id}/roles/{role}"
		jobs    = "/api/admin/jobs/{name}/run"
		known   = "/api/social/posts/instagram/" + badPostTagged + "/roles/"
		noFeed  = "Client POLRESA tidak memiliki akun Instagram resmi."
		notOurs = "role hanya dapat diatur oleh admin atau direktorat pemilik role"
		badRole = "role harus salah satu direktorat: ditbinmas, ditlantas, bidhumas, ditsamapta, ditintelkam"
	)
	body := func(link, client string) string {
		return badJSON(badObj{"platform": "instagram", "link": link, "client_id": client})
	}
	var rows []badRow
	rows = append(rows,
		badRow{method: post, route: imp, kind: badInvalid, caller: w.admin,
			body: badJSON(badObj{"platform": "instagram", "client_id": "POLRESE"}), status: s400, message: "link konten wajib diisi"},
		badRow{method: post, route: imp, kind: badInvalid, variant: "malformed-link", caller: w.admin,
			body: body("https://example.com/foto/123", "POLRESE"), status: s400, message: instagram.ErrShortcodeMessage},
		badRow{method: post, route: imp, kind: badInvalid, variant: "unknown-post", caller: w.admin,
			body: body("https://www.instagram.com/p/Cunknown9/", "POLRESE"), status: s400,
			message: "Konten tidak ditemukan di Instagram. Periksa kembali link atau ID-nya."},
		badRow{method: post, route: imp, kind: badInvalid, variant: "platform", caller: w.admin,
			body: badJSON(badObj{"platform": "facebook", "link": badPostKnown, "client_id": "POLRESE"}), status: s400,
			message: "platform harus instagram atau tiktok"},
		badRow{method: post, route: imp, kind: badInvalid, variant: "no-official-account", caller: w.admin,
			body: body(badPostKnown, "POLRESA"), status: s400, message: noFeed},
		badRow{method: post, route: imp, kind: badInvalid, variant: "unknown-field", caller: w.admin,
			body: badJSON(badObj{"link": badPostKnown, "client_id": "POLRESE", "likes": 9}), status: s400,
			message: "Field tidak diizinkan: likes"},
		badRow{method: post, route: imp, kind: badWrongClient, caller: w.opr,
			body: body(badPostKnown, "POLRESE"), status: s403, message: badMsgNotAllowed},
		badRow{method: post, route: imp, kind: badWrongKind, caller: w.personnel,
			body: body(badPostKnown, "POLRESE"), status: s403, message: badMsgForbidden},
		badRow{method: post, route: imp, kind: badWrongKind, variant: "penmas", caller: w.penmas,
			body: body(badPostKnown, "POLRESE"), status: s403, message: badMsgForbidden},
		badRow{method: post, route: imp, kind: badRevoked, caller: w.adminGone,
			body: body(badPostKnown, "POLRESE"), status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},
		badRow{method: post, route: imp, kind: badReplay, caller: w.admin, body: body(badPostKnown, "POLRESE"),
			firstStatus: s201, status: s429, message: badMsgDuplicate},
	)
	for _, method := range []string{put, del} {
		rows = append(rows,
			badRow{method: method, route: tag, path: known + "polresb", kind: badInvalid, caller: w.admin,
				status: s400, message: badRole},
			badRow{method: method, route: tag, path: "/api/social/posts/instagram/Cmissing1/roles/ditbinmas", kind: badInvalid,
				variant: "unknown-post", caller: w.admin, status: s404, message: "Konten tidak ditemukan"},
			badRow{method: method, route: tag, path: "/api/social/posts/facebook/" + badPostTagged + "/roles/ditbinmas", kind: badInvalid,
				variant: "platform", caller: w.admin, status: s400, message: "platform harus instagram atau tiktok"},
			badRow{method: method, route: tag, path: known + "ditlantas", kind: badWrongClient, caller: w.dirB,
				status: s403, message: notOurs},
			badRow{method: method, route: tag, path: known + "ditbinmas", kind: badWrongKind, caller: w.opr,
				status: s403, message: badMsgForbidden},
			badRow{method: method, route: tag, path: known + "ditbinmas", kind: badWrongKind, variant: "personnel", caller: w.personnel,
				status: s403, message: badMsgForbidden},
			badRow{method: method, route: tag, path: known + "ditbinmas", kind: badRevoked, caller: w.adminGone,
				status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},
			// The directorate's own role: the first call tags (or untags).
			badRow{method: method, route: tag, path: known + "ditbinmas", kind: badReplay, caller: w.dirB,
				firstStatus: s200, status: s429, message: badMsgDuplicate},
		)
	}
	rows = append(rows,
		badRow{method: post, route: jobs, path: "/api/admin/jobs/fetch-sosmed/run", kind: badInvalid, caller: w.admin,
			body: `{"platform":["ig"]}`, status: s400, message: "platform harus berupa teks"},
		badRow{method: post, route: jobs, path: "/api/admin/jobs/fetch-sosmed/run", kind: badInvalid, variant: "unknown-field", caller: w.admin,
			body: `{"clients":"POLRESA"}`, status: s400, message: "Field tidak diizinkan: clients"},
		badRow{method: post, route: jobs, path: "/api/admin/jobs/no-such-job/run", kind: badInvalid, variant: "unknown-job", caller: w.admin,
			status: s404, message: "Job tidak dikenal"},
		badRow{method: post, route: jobs, path: "/api/admin/jobs/retention/run", kind: badWrongKind, caller: w.dirB,
			status: s403, message: badMsgForbidden},
		badRow{method: post, route: jobs, path: "/api/admin/jobs/retention/run", kind: badWrongKind, variant: "operator", caller: w.opr,
			status: s403, message: badMsgForbidden},
		badRow{method: post, route: jobs, path: "/api/admin/jobs/retention/run", kind: badRevoked, caller: w.adminGone,
			status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},
		badRow{method: post, route: jobs, path: "/api/admin/jobs/retention/run", kind: badReplay, caller: w.admin,
			firstStatus: s202, status: s429, message: badMsgDuplicate},
	)
	// ANEV: behind the premium guard; reads (no 409, no 429).
	for _, route := range []string{"/api/dashboard/anev", "/api/dashboard/anev/export"} {
		rows = append(rows,
			badRow{method: get, route: route, path: route + "?time_range=1y", kind: badInvalid, caller: w.premOpr,
				status: s400, message: "time_range tidak valid"},
			badRow{method: get, route: route, path: route + "?time_range=custom&start_date=2026-11-10&end_date=2026-11-01",
				kind: badInvalid, variant: "reversed-range", caller: w.premOpr, status: s400, message: "Rentang tanggal tidak valid"},
			badRow{method: get, route: route, path: route + "?time_range=custom&start_date=0000-01-01&end_date=2026-11-01",
				kind: badInvalid, variant: "year-zero", caller: w.premOpr, status: s400, message: "start_date dan end_date wajib diisi untuk time_range custom"},
			badRow{method: get, route: route, path: route + "?regional_id=%00", kind: badInvalid, variant: "nul", caller: w.premOpr,
				status: s400, message: "regional_id tidak valid: mengandung karakter NUL"},
			badRow{method: get, route: route, path: route + "?scope=polda", kind: badInvalid, variant: "scope", caller: w.premOpr,
				status: s400, message: "scope tidak valid"},
			badRow{method: get, route: route, path: route + "?client_id=POLRESB", kind: badWrongClient, caller: w.premOpr,
				status: s403, message: badMsgNotAllowed},
			badRow{method: get, route: route, kind: badWrongKind, variant: "no-premium", caller: w.opr,
				status: s403, message: "Akses premium diperlukan untuk endpoint ini"},
			badRow{method: get, route: route, kind: badWrongKind, caller: w.personnel, status: s403, message: badMsgForbidden},
			badRow{method: get, route: route, kind: badRevoked, caller: w.adminGone, status: s401, message: badMsgInvalidTok,
				reason: badReasonInvalid},
		)
	}
	return rows
}

// komplainRows: the complaint answers. Bodies are validated (an NRP, text
// within its limit), the person must be of the caller's clients, only
// dashboard users answer, and an identical answer within 5 minutes is a
// duplicate. No expected version (no 409 kind).
func (w *badWorld) komplainRows() []badRow {
	var rows []badRow
	for _, route := range []string{"/api/dashboard/komplain/insta", "/api/dashboard/komplain/tiktok"} {
		text := func(nrp string) string {
			return badJSON(badObj{"nrp": nrp, "message": "Pesan Komplain\nKendala:\n- sudah melaksanakan tetapi belum terdata"})
		}
		rows = append(rows,
			badRow{method: post, route: route, kind: badInvalid, caller: w.opr, body: `{"message":"tolong dicek"}`,
				status: s400, message: "nrp wajib diisi"},
			badRow{method: post, route: route, kind: badInvalid, variant: "nul-nrp", caller: w.opr, body: text("8000\u00001"),
				status: s400, message: "nrp tidak valid: mengandung karakter NUL"},
			badRow{method: post, route: route, kind: badInvalid, variant: "unknown-nrp", caller: w.opr, body: text("99999999"),
				status: s404, message: "User tidak ditemukan"},
			badRow{method: post, route: route, kind: badInvalid, variant: "too-long", caller: w.opr,
				body: badJSON(badObj{"nrp": w.pA1, "message": strings.Repeat("x", 2001)}), status: s400, message: "message maksimal 2000 karakter"},
			badRow{method: post, route: route, kind: badInvalid, variant: "not-text", caller: w.opr,
				body: badJSON(badObj{"nrp": w.pA1, "message": badObj{"a": 1}}), status: s400, message: "message harus berupa teks"},
			// Another client's person is answered as unknown: the route
			// does not tell which NRPs exist outside the caller's clients.
			badRow{method: post, route: route, kind: badWrongClient, caller: w.opr, body: text(w.pB1),
				status: s404, message: "User tidak ditemukan"},
			badRow{method: post, route: route, kind: badWrongKind, caller: w.personnel, body: text(w.pA1),
				status: s403, message: badMsgForbidden},
			badRow{method: post, route: route, kind: badWrongKind, variant: "penmas", caller: w.penmas, body: text(w.pA1),
				status: s403, message: badMsgForbidden},
			badRow{method: post, route: route, kind: badRevoked, caller: w.adminGone, body: text(w.pA1),
				status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},
			badRow{method: post, route: route, kind: badReplay, caller: w.opr, body: text(w.pA1),
				firstStatus: s200, status: s429, message: badMsgDuplicate},
		)
	}
	return rows
}
