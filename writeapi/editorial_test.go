package writeapi_test

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"

	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/editorial"
	"github.com/cicero/cicero/commands/penmasuser"
	"github.com/cicero/cicero/internal/apitest"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/projections/access"
	editorialview "github.com/cicero/cicero/projections/editorial"
	"github.com/cicero/cicero/readapi"
	"github.com/cicero/cicero/writeapi"
)

// edRig serves the editorial routes and the admin's Penmas account route
// over real JetStream, Postgres (editorial and penmas_users projections)
// and Redis; every answer is validated against the OpenAPI document.
type edRig struct {
	*apitest.Stack
	ids    map[string]string // account → user id
	tokens map[string]string // account → Penmas token
	admin  string
}

func newEdRig(t *testing.T) *edRig {
	t.Helper()
	s := apitest.NewStack(t, apitest.StackOptions{BodyLimit: true, NoDedup: true},
		apitest.Proj(editorialview.New), apitest.Proj(access.NewPenmasUsers))
	users := penmasuser.NewHandlers(s.RT, penmasuser.WithHashCost(bcrypt.MinCost))
	s.Serve(func(api *auth.Router) {
		q := editorialview.NewQueries(s.Pool)
		readapi.MountEditorial(api, readapi.EditorialReadDeps{Editorial: q, Users: access.NewPenmasUserQueries(s.Pool), Logger: s.Log})
		writeapi.MountEditorialCommands(api, writeapi.EditorialCommandDeps{Editorial: editorial.NewHandlers(s.RT, nil), Read: q,
			WaitFor: s.Waiter(editorialview.Name), Logger: s.Log})
		writeapi.MountPenmasUserCommands(api, writeapi.PenmasUserCommandDeps{Users: users, Read: access.NewPenmasUserQueries(s.Pool),
			WaitFor: s.Waiter(access.PenmasUsersName), Logger: s.Log})
	})
	r := &edRig{Stack: s, ids: map[string]string{}, tokens: map[string]string{},
		admin: s.Token(auth.KindDashboard, auth.Claims{DashboardUserID: uuid.NewString(), Username: "adm", Role: "admin",
			ClientIDs: []string{"POLRES_A"}})}
	for _, name := range []string{"siti", "budi", "redaktur"} {
		id, _, err := users.Register(apitest.Ctx(t), commands.Meta{}, penmasuser.Register{Username: name, Password: "x"})
		if err != nil {
			t.Fatal(err)
		}
		r.ids[name] = id
		// The token says penulis: the role that decides is the account's.
		r.tokens[name] = s.Token(auth.KindPenmas, auth.Claims{UserID: id, Username: name, Role: "penulis"})
	}
	return r
}

func (r *edRig) want(x apitest.Resp, status int, msg string) apitest.Resp {
	r.T.Helper()
	if x.Status != status || (msg != "" && x.Msg() != msg) {
		r.T.Fatalf("got %d %s, want %d %q", x.Status, x.Raw, status, msg)
	}
	return x
}

func num(m map[string]any, k string) int64 { f, _ := m[k].(float64); return int64(f) }

// TestEditorialWorkflowOverHTTP walks one release through the legacy
// paths: create, edit, detail, submit, a penulis's approval (403), the
// editor's (200), a second approval (409), publication, logs, delete
// rules; and the admin route that makes the editor.
func TestEditorialWorkflowOverHTTP(t *testing.T) {
	r := newEdRig(t)
	siti, budi, red := r.tokens["siti"], r.tokens["budi"], r.tokens["redaktur"]

	// An admin makes redaktur an editor; a Penmas token may not.
	path := "/api/penmas-users/" + r.ids["redaktur"]
	r.want(r.Do(http.MethodPut, path, `{"role":"editor"}`, siti), http.StatusForbidden, "")
	x := r.want(r.Do(http.MethodPut, path, `{"role":"editor","whatsapp":"081299998888"}`, r.admin), http.StatusOK, "")
	if d := x.Data(); d["role"] != "editor" || d["whatsapp"] != "6281299998888" {
		t.Fatalf("admin set: %s", x.Raw)
	}
	r.want(r.Do(http.MethodPut, path, `{"whatsapp":"12"}`, r.admin), http.StatusBadRequest, "whatsapp tidak valid")

	// Bad input appends nothing and says why.
	r.want(r.Do(http.MethodPost, "/api/events", `{"topic":"Patroli"}`, siti), http.StatusBadRequest, "event_date dan topic wajib diisi")
	r.want(r.Do(http.MethodPost, "/api/events", `{"topic":"Patroli","event_date":"31/02/2026"}`, siti), http.StatusBadRequest,
		"event_date tidak valid; gunakan dd/mm/yyyy, yyyy-mm-dd (opsional HH:MM) atau RFC 3339")
	r.want(r.Do(http.MethodPost, "/api/events", `{"topic":"Patroli","event_date":"05/03/2026","status":"published"}`, siti),
		http.StatusConflict, "Berita baru harus berstatus draft")

	// Create, retried with its Idempotency-Key: one event.
	body := `{"event_date":"05/03/2026 08:30","topic":"Patroli","judul_berita":"Patroli malam","tag":"","kategori":"kamtibmas"}`
	x = r.want(r.Do(http.MethodPost, "/api/events", body, siti, "Idempotency-Key", "create-1"), http.StatusCreated, "")
	ev := x.Data()
	id := num(ev, "event_id")
	if ev["status"] != "draft" || ev["event_date"] != "2026-03-05T08:30:00+07:00" || ev["created_by"] != r.ids["siti"] || ev["tag"] != nil {
		t.Fatalf("created: %s", x.Raw)
	}
	again := r.want(r.Do(http.MethodPost, "/api/events", body, siti, "Idempotency-Key", "create-1"), http.StatusCreated, "")
	if num(again.Data(), "event_id") != id {
		t.Errorf("retry answered another event: %s", again.Raw)
	}
	list := r.want(r.Do(http.MethodGet, "/api/events", "", siti), http.StatusOK, "").List()
	if len(list) != 1 || list[0]["event_date"] != "05/03/2026" || list[0]["updated_by_username"] != "siti" {
		t.Fatalf("list after a retried create: %v", list)
	}
	if l := r.want(r.Do(http.MethodGet, "/api/events", "", budi), http.StatusOK, "").List(); len(l) != 0 {
		t.Errorf("budi sees siti's event: %v", l)
	}

	ep := "/api/events/" + strconv.FormatInt(id, 10)
	r.want(r.Do(http.MethodPut, ep, `{"topic":"Patroli Sahur"}`, budi), http.StatusForbidden,
		"Hanya pembuat, penanggung jawab (assignee) atau editor yang dapat mengubah berita ini")
	x = r.want(r.Do(http.MethodPut, ep, `{"topic":"Patroli Sahur"}`, siti, "If-Match", fmt.Sprint(num(ev, "version"))), http.StatusOK, "")
	if x.Data()["topic"] != "Patroli Sahur" {
		t.Fatalf("edit: %s", x.Raw)
	}
	r.want(r.Do(http.MethodPut, ep, `{"topic":"Lagi"}`, siti, "If-Match", fmt.Sprint(num(ev, "version"))), http.StatusConflict, "")

	// The press-release detail.
	det := fmt.Sprintf(`{"event_id":%d,"judul":"Rilis","kronologi":"Pukul 02.00 …"}`, id)
	r.want(r.Do(http.MethodPost, "/api/press-release-details", det, siti), http.StatusCreated, "")
	r.want(r.Do(http.MethodPost, "/api/press-release-details", det, siti), http.StatusConflict, "Detail siaran pers untuk berita ini sudah ada")
	dp := "/api/press-release-details/" + strconv.FormatInt(id, 10)
	x = r.want(r.Do(http.MethodPut, dp, `{"pasal":"363 KUHP","judul":""}`, siti), http.StatusOK, "")
	if d := x.Data(); d["pasal"] != "363 KUHP" || d["judul"] != nil || d["kronologi"] != "Pukul 02.00 …" {
		t.Errorf("detail edit: %s", x.Raw)
	}
	if x := r.want(r.Do(http.MethodGet, "/api/press-release-details/999", "", siti), http.StatusOK, ""); x.Body["data"] != nil {
		t.Errorf("missing detail: %s", x.Raw)
	}

	// Submit; the event locks.
	x = r.want(r.Do(http.MethodPost, "/api/approvals", fmt.Sprintf(`{"event_id":"%d"}`, id), siti), http.StatusCreated, "")
	req := num(x.Data(), "request_id")
	if x.Data()["status"] != "pending" || x.Data()["requested_by"] != r.ids["siti"] {
		t.Fatalf("submit: %s", x.Raw)
	}
	r.want(r.Do(http.MethodPost, "/api/approvals", fmt.Sprintf(`{"event_id":%d}`, id), siti), http.StatusConflict,
		"Berita sudah diajukan dan sedang menunggu persetujuan")
	r.want(r.Do(http.MethodPut, ep, `{"topic":"Diam-diam"}`, siti), http.StatusConflict,
		"Berita berstatus diajukan tidak dapat diubah; hanya berita draft atau ditolak yang dapat diubah")

	// Decisions: a penulis can't, the editor can, once.
	ap := "/api/approvals/" + strconv.FormatInt(req, 10)
	r.want(r.Do(http.MethodPut, ap, `{"status":"approved"}`, siti), http.StatusForbidden,
		"Hanya editor yang dapat menyetujui atau menolak siaran pers")
	r.want(r.Do(http.MethodPut, ap, `{"status":"selesai"}`, red), http.StatusBadRequest, "status harus approved atau rejected")
	r.want(r.Do(http.MethodPut, ap, `{"status":"approved","event_id":12345}`, red), http.StatusBadRequest,
		"event_id permintaan persetujuan tidak dapat diubah")
	x = r.want(r.Do(http.MethodPut, ap, `{"status":"approved","note":"siap terbit"}`, red), http.StatusOK, "")
	if d := x.Data(); d["status"] != "approved" || d["decided_by"] != r.ids["redaktur"] || d["note"] != "siap terbit" {
		t.Fatalf("approval: %s", x.Raw)
	}
	r.want(r.Do(http.MethodPut, ap, `{"status":"approved"}`, red), http.StatusConflict, "Permintaan persetujuan sudah disetujui")
	r.want(r.Do(http.MethodPut, ap, `{"status":"rejected"}`, red), http.StatusConflict, "Permintaan persetujuan sudah disetujui")

	// Who sees which requests.
	for tok, n := range map[string]int{siti: 1, budi: 0, red: 1} {
		if l := r.want(r.Do(http.MethodGet, "/api/approvals", "", tok), http.StatusOK, "").List(); len(l) != n {
			t.Errorf("approvals: %d rows, want %d", len(l), n)
		}
	}

	// Publish; the log shows every transition with its actor.
	r.want(r.Do(http.MethodPut, ep, `{"status":"published"}`, budi), http.StatusForbidden, "")
	x = r.want(r.Do(http.MethodPut, ep, `{"status":"published"}`, siti), http.StatusOK, "")
	if x.Data()["status"] != "published" {
		t.Fatalf("publish: %s", x.Raw)
	}
	x = r.want(r.Do(http.MethodPost, ep+"/logs", `{"status":"catatan","changes":"dibagikan ke grup"}`, siti), http.StatusCreated, "")
	if x.Data()["changes"] != "dibagikan ke grup" || x.Data()["user_id"] != r.ids["siti"] {
		t.Errorf("log entry: %s", x.Raw)
	}
	logs := r.want(r.Do(http.MethodGet, ep+"/logs", "", budi), http.StatusOK, "").List()
	var trail []string
	for _, l := range logs {
		trail = append(trail, fmt.Sprintf("%v:%v", l["status"], l["username"]))
	}
	wantTrail := "[draft:siti draft:siti submitted:siti approved:redaktur published:siti catatan:siti]"
	if fmt.Sprint(trail) != wantTrail {
		t.Errorf("log trail %v, want %s", trail, wantTrail)
	}

	// Delete: not the outsider; the creator may, and the event is gone.
	r.want(r.Do(http.MethodDelete, ep, "", budi), http.StatusForbidden, "Hanya pembuat berita atau editor yang dapat menghapus berita ini")
	x = r.want(r.Do(http.MethodDelete, ep, "", siti), http.StatusOK, "")
	if num(x.Data(), "event_id") != id || x.Data()["status"] != "published" {
		t.Errorf("delete answered %s", x.Raw)
	}
	r.want(r.Do(http.MethodDelete, ep, "", siti), http.StatusNotFound, "Berita tidak ditemukan")
	r.want(r.Do(http.MethodPut, ep, `{"topic":"x"}`, siti), http.StatusNotFound, "Berita tidak ditemukan")
	if l := r.want(r.Do(http.MethodGet, "/api/events", "", siti), http.StatusOK, "").List(); len(l) != 0 {
		t.Errorf("deleted event still listed: %v", l)
	}
	r.want(r.Do(http.MethodPut, "/api/events/abc", `{}`, siti), http.StatusBadRequest, "id tidak valid")
	// Penmas routes are for Penmas tokens only.
	r.want(r.Do(http.MethodGet, "/api/events", "", r.admin), http.StatusForbidden, "")
}
