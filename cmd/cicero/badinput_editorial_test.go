package main

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/cicero/cicero/internal/testkit"
)

// badEditorial is the editorial rows' world: a writer (creator of every
// event), an editor made through `cicero admin penmas-user set`, a
// logged-out Penmas session, and events in the states the rows need.
type badEditorial struct {
	creator, editor, gone string // tokens
	outsiderID            string // w.penmas's account
	e1                    int64  // draft, with a press-release detail
	e2                    int64  // submitted (request r2 pending), with a detail
	r3                    int64  // approved already
	r4                    int64  // pending: the replayed approval decides it
}

const (
	edMsgEditorOnly = "Hanya editor yang dapat menyetujui atau menolak siaran pers"
	edMsgNotMember  = "Hanya pembuat, penanggung jawab (assignee) atau editor yang dapat mengubah berita ini"
	edMsgLocked     = "Berita berstatus diajukan tidak dapat diubah; hanya berita draft atau ditolak yang dapat diubah"
	edMsgBadID      = "id tidak valid"
)

// editorialSetup registers the accounts and walks the events into place.
func (w *badWorld) editorialSetup(t *testing.T) {
	t.Helper()
	ed := &badEditorial{}
	writer, editor := w.name("penulis"), w.name("redaktur")
	for _, u := range []string{writer, editor} {
		w.expect(t, "", http.MethodPost, "/api/auth/penmas-register", badJSON(badObj{"username": u, "password": badPassword}), nil, http.StatusCreated)
	}
	// The account reaches the event store at once; the CLI reads it there.
	if out, err := runCLI(t, "admin", "penmas-user", "set", "--username", editor, "--role", "editor", "--whatsapp", "081277776666"); err != nil {
		t.Fatalf("penmas-user set: %v %s", err, out)
	}
	// The login reads the role from the read model: wait for editor there.
	testkit.Eventually(t, 10*time.Second, func() error {
		got := w.send(t, &badRequest{method: http.MethodPost, path: "/api/auth/penmas-login", body: loginBody(editor, w.next()%4)})
		if u, _ := got.body["user"].(map[string]any); got.status != http.StatusOK || u["role"] != "editor" {
			return fmt.Errorf("editor login: %d %s", got.status, got.raw)
		}
		ed.editor = got.str("token")
		return nil
	})
	ed.creator = w.login(t, "/api/auth/penmas-login", loginBody(writer, 1))
	ed.gone = w.login(t, "/api/auth/penmas-login", loginBody(writer, 2))
	w.expect(t, ed.gone, http.MethodPost, "/api/auth/logout", "", nil, http.StatusOK)
	me := w.expect(t, "", http.MethodPost, "/api/auth/penmas-login", loginBody(w.penmasUser, 3), nil, http.StatusOK)
	u, _ := me.body["user"].(map[string]any)
	ed.outsiderID, _ = u["user_id"].(string)

	event := func(topic string) int64 {
		got := w.expect(t, ed.creator, http.MethodPost, "/api/events",
			badJSON(badObj{"event_date": "05/03/2026", "topic": topic}), nil, http.StatusCreated)
		d, _ := got.body["data"].(map[string]any)
		id, _ := d["event_id"].(float64)
		if id == 0 {
			t.Fatalf("create answered no event: %s", got.raw)
		}
		return int64(id)
	}
	detail := func(id int64) {
		w.expect(t, ed.creator, http.MethodPost, "/api/press-release-details", badJSON(badObj{"event_id": id, "judul": "Rilis"}), nil, http.StatusCreated)
	}
	submit := func(id int64) int64 {
		got := w.expect(t, ed.creator, http.MethodPost, "/api/approvals", badJSON(badObj{"event_id": id}), nil, http.StatusCreated)
		d, _ := got.body["data"].(map[string]any)
		rid, _ := d["request_id"].(float64)
		return int64(rid)
	}
	ed.e1 = event("E1")
	detail(ed.e1)
	ed.e2 = event("E2")
	detail(ed.e2)
	submit(ed.e2)
	ed.r3 = submit(event("E3"))
	w.expect(t, ed.editor, http.MethodPut, "/api/approvals/"+itoa(ed.r3), `{"status":"approved"}`, nil, http.StatusOK)
	ed.r4 = submit(event("E4"))
	w.ed = ed
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// editorialRows: the Penmas editorial routes (Penmas tokens only) and the
// admin's Penmas account route. Kinds: bad input (400), a dashboard or
// personnel token (wrong-kind 403), another writer's event or a penulis's
// decision (wrong-client/wrong-kind 403), a logged-out session (401), the
// state machine and stale versions (409), identical writes (429).
func (w *badWorld) editorialRows() []badRow {
	ed := w.ed
	if ed == nil {
		ed = &badEditorial{} // TestRouteMatrixCoverage lists routes only
	}
	ev := func(id int64) string { return "/api/events/" + itoa(id) }
	det := func(id int64) string { return "/api/press-release-details/" + itoa(id) }
	apr := func(id int64) string { return "/api/approvals/" + itoa(id) }
	mine := "/api/events"
	return []badRow{
		{method: get, route: "/api/events", kind: badWrongKind, caller: w.admin, status: s403, message: badMsgForbidden},
		{method: get, route: "/api/events", kind: badRevoked, caller: ed.gone, status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},

		{method: post, route: "/api/events", kind: badInvalid, caller: ed.creator, body: `{"topic":"Tanpa tanggal"}`,
			status: s400, message: "event_date dan topic wajib diisi", probe: mine, probeAs: ed.creator},
		{method: post, route: "/api/events", kind: badInvalid, variant: "bad-date", caller: ed.creator, body: `{"topic":"X","event_date":"31/02/2026"}`,
			status: s400, message: "event_date tidak valid; gunakan dd/mm/yyyy, yyyy-mm-dd (opsional HH:MM) atau RFC 3339", probe: mine, probeAs: ed.creator},
		{method: post, route: "/api/events", kind: badInvalid, variant: "not-text", caller: ed.creator, body: `{"topic":["X"],"event_date":"05/03/2026"}`,
			status: s400, message: "topic harus berupa teks", probe: mine, probeAs: ed.creator},
		{method: post, route: "/api/events", kind: badWrongKind, caller: w.personnel, body: `{"topic":"X","event_date":"05/03/2026"}`,
			status: s403, message: badMsgForbidden},
		{method: post, route: "/api/events", kind: badRevoked, caller: ed.gone, body: `{"topic":"X","event_date":"05/03/2026"}`,
			status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},
		{method: post, route: "/api/events", kind: badConflict, caller: ed.creator, body: `{"topic":"X","event_date":"05/03/2026","status":"published"}`,
			status: s409, message: "Berita baru harus berstatus draft", probe: mine, probeAs: ed.creator},
		{method: post, route: "/api/events", kind: badReplay, caller: ed.creator, body: `{"topic":"Replay","event_date":"06/03/2026"}`,
			firstStatus: s201, status: s429, message: badMsgDuplicate},

		{method: put, route: "/api/events/{id}", path: ev(ed.e1), kind: badInvalid, caller: ed.creator, body: `{"status":"selesai"}`,
			status: s400, message: "status tidak valid; gunakan draft, submitted, approved, rejected atau published", probe: mine, probeAs: ed.creator},
		{method: put, route: "/api/events/{id}", path: "/api/events/abc", kind: badInvalid, variant: "bad-id", caller: ed.creator, body: `{"topic":"Y"}`,
			status: s400, message: edMsgBadID},
		{method: put, route: "/api/events/{id}", path: ev(ed.e1), kind: badWrongClient, caller: w.penmas, body: `{"topic":"Bukan milikku"}`,
			status: s403, message: edMsgNotMember, probe: mine, probeAs: ed.creator},
		{method: put, route: "/api/events/{id}", path: ev(ed.e1), kind: badWrongKind, caller: w.admin, body: `{"topic":"Y"}`,
			status: s403, message: badMsgForbidden},
		{method: put, route: "/api/events/{id}", path: ev(ed.e1), kind: badRevoked, caller: ed.gone, body: `{"topic":"Y"}`,
			status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},
		{method: put, route: "/api/events/{id}", path: ev(ed.e2), kind: badConflict, caller: ed.creator, body: `{"topic":"Diubah saat ditinjau"}`,
			status: s409, message: edMsgLocked, probe: mine, probeAs: ed.creator},
		{method: put, route: "/api/events/{id}", path: ev(ed.e1), kind: badConflict, variant: "stale-version", caller: ed.creator,
			body: `{"topic":"Versi lama"}`, header: map[string]string{"If-Match": "1"},
			status: s409, message: badMsgStale, probe: mine, probeAs: ed.creator},

		{method: del, route: "/api/events/{id}", path: "/api/events/0", kind: badInvalid, caller: ed.creator, status: s400, message: edMsgBadID},
		{method: del, route: "/api/events/{id}", path: ev(ed.e1), kind: badWrongClient, caller: w.penmas,
			status: s403, message: "Hanya pembuat berita atau editor yang dapat menghapus berita ini", probe: mine, probeAs: ed.creator},
		{method: del, route: "/api/events/{id}", path: ev(ed.e1), kind: badWrongKind, caller: w.personnel, status: s403, message: badMsgForbidden},
		{method: del, route: "/api/events/{id}", path: ev(ed.e1), kind: badRevoked, caller: ed.gone,
			status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},

		{method: get, route: "/api/events/{id}/logs", path: "/api/events/x/logs", kind: badInvalid, caller: ed.creator, status: s400, message: edMsgBadID},
		{method: get, route: "/api/events/{id}/logs", path: ev(ed.e1) + "/logs", kind: badWrongKind, caller: w.admin, status: s403, message: badMsgForbidden},
		{method: get, route: "/api/events/{id}/logs", path: ev(ed.e1) + "/logs", kind: badRevoked, caller: ed.gone,
			status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},

		{method: post, route: "/api/events/{id}/logs", path: ev(ed.e1) + "/logs", kind: badInvalid, caller: ed.creator, body: `{}`,
			status: s400, message: "status atau changes wajib diisi", probe: ev(ed.e1) + "/logs", probeAs: ed.creator},
		{method: post, route: "/api/events/{id}/logs", path: ev(ed.e1) + "/logs", kind: badInvalid, variant: "bad-time", caller: ed.creator,
			body:   `{"changes":"x","logged_at":"kemarin"}`,
			status: s400, message: "logged_at tidak valid; gunakan dd/mm/yyyy, yyyy-mm-dd (opsional HH:MM) atau RFC 3339"},
		{method: post, route: "/api/events/{id}/logs", path: ev(ed.e1) + "/logs", kind: badWrongClient, caller: w.penmas, body: `{"changes":"x"}`,
			status: s403, message: edMsgNotMember, probe: ev(ed.e1) + "/logs", probeAs: ed.creator},
		{method: post, route: "/api/events/{id}/logs", path: ev(ed.e1) + "/logs", kind: badRevoked, caller: ed.gone, body: `{"changes":"x"}`,
			status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},
		{method: post, route: "/api/events/{id}/logs", path: ev(ed.e1) + "/logs", kind: badReplay, caller: ed.creator,
			body: `{"status":"catatan","changes":"replay"}`, firstStatus: s201, status: s429, message: badMsgDuplicate},

		{method: get, route: "/api/approvals", kind: badWrongKind, caller: w.personnel, status: s403, message: badMsgForbidden},
		{method: get, route: "/api/approvals", kind: badRevoked, caller: ed.gone, status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},

		{method: post, route: "/api/approvals", kind: badInvalid, caller: ed.creator, body: `{}`,
			status: s400, message: "event_id wajib diisi dan berupa angka", probe: "/api/approvals", probeAs: ed.creator},
		{method: post, route: "/api/approvals", kind: badInvalid, variant: "born-decided", caller: ed.creator,
			body:   badJSON(badObj{"event_id": ed.e1, "status": "approved"}),
			status: s400, message: "Permintaan persetujuan baru harus berstatus pending", probe: "/api/approvals", probeAs: ed.creator},
		{method: post, route: "/api/approvals", kind: badWrongClient, caller: w.penmas, body: badJSON(badObj{"event_id": ed.e1}),
			status: s403, message: edMsgNotMember, probe: "/api/approvals", probeAs: ed.creator},
		{method: post, route: "/api/approvals", kind: badRevoked, caller: ed.gone, body: badJSON(badObj{"event_id": ed.e1}),
			status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},
		{method: post, route: "/api/approvals", kind: badConflict, caller: ed.creator, body: fmt.Sprintf(`{"event_id":"%d"}`, ed.e2),
			status: s409, message: "Berita sudah diajukan dan sedang menunggu persetujuan", probe: "/api/approvals", probeAs: ed.creator},

		{method: put, route: "/api/approvals/{id}", path: apr(ed.r4), kind: badInvalid, caller: ed.editor, body: `{"status":"selesai"}`,
			status: s400, message: "status harus approved atau rejected", probe: "/api/approvals", probeAs: ed.editor},
		{method: put, route: "/api/approvals/{id}", path: apr(ed.r4), kind: badWrongKind, caller: ed.creator, body: `{"status":"approved"}`,
			status: s403, message: edMsgEditorOnly, probe: "/api/approvals", probeAs: ed.editor},
		{method: put, route: "/api/approvals/{id}", path: apr(ed.r4), kind: badWrongKind, variant: "dashboard", caller: w.admin,
			body: `{"status":"approved"}`, status: s403, message: badMsgForbidden},
		{method: put, route: "/api/approvals/{id}", path: apr(ed.r4), kind: badRevoked, caller: ed.gone, body: `{"status":"approved"}`,
			status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},
		{method: put, route: "/api/approvals/{id}", path: apr(ed.r3), kind: badConflict, caller: ed.editor, body: `{"status":"approved","note":"lagi"}`,
			status: s409, message: "Permintaan persetujuan sudah disetujui", probe: "/api/approvals", probeAs: ed.editor},
		{method: put, route: "/api/approvals/{id}", path: apr(ed.r4), kind: badReplay, caller: ed.editor, body: `{"status":"approved","note":"ok"}`,
			firstStatus: s200, status: s429, message: badMsgDuplicate},

		{method: get, route: "/api/press-release-details/{id}", path: "/api/press-release-details/-3", kind: badInvalid, caller: ed.creator,
			status: s400, message: edMsgBadID},
		{method: get, route: "/api/press-release-details/{id}", path: det(ed.e1), kind: badWrongKind, caller: w.opr, status: s403, message: badMsgForbidden},
		{method: get, route: "/api/press-release-details/{id}", path: det(ed.e1), kind: badRevoked, caller: ed.gone,
			status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},

		{method: post, route: "/api/press-release-details", kind: badInvalid, caller: ed.creator, body: `{"judul":"Tanpa berita"}`,
			status: s400, message: "event_id wajib diisi dan berupa angka"},
		{method: post, route: "/api/press-release-details", kind: badWrongClient, caller: w.penmas, body: badJSON(badObj{"event_id": ed.e1, "judul": "X"}),
			status: s403, message: edMsgNotMember, probe: det(ed.e1), probeAs: ed.creator},
		{method: post, route: "/api/press-release-details", kind: badRevoked, caller: ed.gone, body: badJSON(badObj{"event_id": ed.e1}),
			status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},
		{method: post, route: "/api/press-release-details", kind: badConflict, caller: ed.creator, body: badJSON(badObj{"event_id": ed.e1, "judul": "Lagi"}),
			status: s409, message: "Detail siaran pers untuk berita ini sudah ada", probe: det(ed.e1), probeAs: ed.creator},

		{method: put, route: "/api/press-release-details/{id}", path: det(ed.e1), kind: badInvalid, caller: ed.creator, body: `{"judul":{"a":1}}`,
			status: s400, message: "judul harus berupa teks", probe: det(ed.e1), probeAs: ed.creator},
		{method: put, route: "/api/press-release-details/{id}", path: det(ed.e1), kind: badWrongClient, caller: w.penmas, body: `{"judul":"X"}`,
			status: s403, message: edMsgNotMember, probe: det(ed.e1), probeAs: ed.creator},
		{method: put, route: "/api/press-release-details/{id}", path: det(ed.e1), kind: badRevoked, caller: ed.gone, body: `{"judul":"X"}`,
			status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},
		{method: put, route: "/api/press-release-details/{id}", path: det(ed.e2), kind: badConflict, caller: ed.creator, body: `{"judul":"Saat ditinjau"}`,
			status: s409, message: edMsgLocked, probe: det(ed.e2), probeAs: ed.creator},

		{method: put, route: "/api/penmas-users/{id}", path: "/api/penmas-users/" + ed.outsiderID, kind: badInvalid, caller: w.admin,
			body: `{"whatsapp":"12"}`, status: s400, message: "whatsapp tidak valid"},
		{method: put, route: "/api/penmas-users/{id}", path: "/api/penmas-users/" + ed.outsiderID, kind: badInvalid, variant: "unknown-field",
			caller: w.admin, body: `{"password":"x"}`, status: s400, message: "Field tidak diizinkan: password"},
		{method: put, route: "/api/penmas-users/{id}", path: "/api/penmas-users/" + ed.outsiderID, kind: badWrongKind, caller: ed.editor,
			body: `{"role":"editor"}`, status: s403, message: badMsgForbidden},
		{method: put, route: "/api/penmas-users/{id}", path: "/api/penmas-users/" + ed.outsiderID, kind: badRevoked, caller: w.adminGone,
			body: `{"role":"editor"}`, status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},
		{method: put, route: "/api/penmas-users/{id}", path: "/api/penmas-users/" + ed.outsiderID, kind: badReplay, caller: w.admin,
			body: `{"whatsapp":"081233330000"}`, firstStatus: s200, status: s429, message: badMsgDuplicate},
	}
}
