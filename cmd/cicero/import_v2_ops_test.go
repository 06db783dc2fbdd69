package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cicero/cicero/internal/importv2/v2fixture"
	"github.com/cicero/cicero/internal/testkit"
)

// The import brings link reports and Penmas over: the amplification recap
// of the day of a post ten days old counts the imported reports; a khusus
// report of an old post counts for its post's client; a Penmas writer logs
// in with their OLD password and sees their events under the old ids in
// the statuses they had, the approved one with its editor. A second run
// appends nothing.
func TestImportV2LinkReportsAndPenmas(t *testing.T) {
	cfg, base, oldURL, out := importedApp(t)
	for _, want := range []string{
		"skipped link_report: 1 × the person was not imported (skipped or missing) (e.g. IGAMP/99999999)",
		"skipped link_report: 1 × the post was not imported (skipped or missing) (e.g. IGGONE/75020001)",
		"skipped penmas_user: 1 × password_hash is not a bcrypt hash (e.g. " + v2fixture.PenmasBadHashID + ")",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	call := func(method, path, token string, body string) (int, []byte) {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, raw
	}

	// The recap of 2026-11-23 for POLRES_A: one post (IGAMP); Budi reported
	// two links, Rina one, Siti is exempt (5 = one post × 5).
	token := dashboardToken(t, base, v2fixture.OperatorUsername, v2fixture.OperatorPassword)
	var rekap struct {
		Data []struct {
			UserID     string `json:"user_id"`
			JumlahLink int    `json:"jumlah_link"`
			Sudah      bool   `json:"sudahMelaksanakan"`
		}
	}
	st, raw := call(http.MethodGet, "/api/amplify/rekap?client_id=POLRES_A&periode=harian&tanggal=2026-11-23", token, "")
	if err := json.Unmarshal(raw, &rekap); err != nil || st != http.StatusOK {
		t.Fatalf("rekap: %d %s", st, raw)
	}
	links := map[string]int{}
	for _, d := range rekap.Data {
		links[d.UserID] = d.JumlahLink
	}
	if want := map[string]int{"75020001": 2, "75020004": 1, "75020002": 5}; fmt.Sprint(links) != fmt.Sprint(want) {
		t.Errorf("rekap 2026-11-23: %v, want %v", links, want)
	}
	// The day before has no post of POLRES_A: nobody reported anything.
	st, raw = call(http.MethodGet, "/api/amplify/rekap?client_id=POLRES_A&periode=harian&tanggal=2026-11-22", token, "")
	if err := json.Unmarshal(raw, &rekap); err != nil || st != http.StatusOK {
		t.Fatalf("rekap: %d %s", st, raw)
	}
	links = map[string]int{}
	for _, d := range rekap.Data {
		links[d.UserID] = d.JumlahLink
	}
	if want := map[string]int{"75020001": 0, "75020004": 0, "75020002": 0}; fmt.Sprint(links) != fmt.Sprint(want) {
		t.Errorf("rekap 2026-11-22: %v, want %v", links, want)
	}
	pool := openPool(t, cfg)
	var khususDate string
	if err := pool.QueryRow(context.Background(), `SELECT jakarta_date::text FROM amplify_khusus_posts
		WHERE client_id = 'POLRES_B' AND shortcode = 'IGKHUSUS'`).Scan(&khususDate); err != nil || khususDate != "2026-11-22" {
		t.Errorf("khusus post of the imported report: %q, %v", khususDate, err)
	}

	// Penmas: the writer logs in with the old password.
	var login struct{ Token string }
	testkit.Eventually(t, 10*time.Second, func() error {
		st, raw := call(http.MethodPost, "/api/auth/penmas-login", "",
			fmt.Sprintf(`{"username":%q,"password":%q}`, v2fixture.PenmasWriterName, v2fixture.OperatorPassword))
		if err := json.Unmarshal(raw, &login); err != nil || st != http.StatusOK || login.Token == "" {
			return fmt.Errorf("penmas login: %d %s", st, raw)
		}
		return nil
	})
	var list struct {
		Data []struct {
			EventID int64  `json:"event_id"`
			Status  string `json:"status"`
			Topic   string `json:"topic"`
		}
	}
	st, raw = call(http.MethodGet, "/api/events", login.Token, "")
	if err := json.Unmarshal(raw, &list); err != nil || st != http.StatusOK {
		t.Fatalf("GET /api/events: %d %s", st, raw)
	}
	got := map[int64]string{}
	for _, e := range list.Data {
		got[e.EventID] = e.Status
	}
	want := map[int64]string{3: "draft", 5: "submitted", 7: "approved", 8: "rejected", 9: "published", 12: "draft"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("the writer's events: %v, want %v\n%s", got, want, raw)
	}
	var approvals struct {
		Data []struct {
			RequestID int64   `json:"request_id"`
			EventID   int64   `json:"event_id"`
			Status    string  `json:"status"`
			DecidedBy *string `json:"decided_by"`
			CreatedAt string  `json:"created_at"`
		}
	}
	st, raw = call(http.MethodGet, "/api/approvals", login.Token, "")
	if err := json.Unmarshal(raw, &approvals); err != nil || st != http.StatusOK {
		t.Fatalf("GET /api/approvals: %d %s", st, raw)
	}
	found := false
	for _, a := range approvals.Data {
		if a.RequestID == 11 {
			found = true
			// Requested 2025-09-01 09:00 Jakarta, as the old row says (not
			// when its event was created, nor when it was imported).
			if a.EventID != 7 || a.Status != "approved" || a.DecidedBy == nil || *a.DecidedBy != v2fixture.PenmasEditorID ||
				!strings.HasPrefix(a.CreatedAt, "2025-09-01") {
				t.Errorf("approval 11: %+v", a)
			}
		}
	}
	if !found || len(approvals.Data) != 3 {
		t.Errorf("approvals: want 3 with #11 approved by the editor:\n%s", raw)
	}
	// A new event here takes the id after the old ones.
	st, raw = call(http.MethodPost, "/api/events", login.Token, `{"event_date":"2026-12-05 09:00","topic":"Baru"}`)
	if st != http.StatusCreated || !strings.Contains(string(raw), `"event_id":13`) {
		t.Errorf("new event after the import: %d %s", st, raw)
	}

	again, err := runCLI(t, "import-v2", "--from", oldURL, "-q", "--wait", "0")
	if err != nil || !strings.Contains(again, "appended 0 events") {
		t.Errorf("the second run: %v\n%s", err, again)
	}
}
