package writeapi_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"
)

// FuzzDashboardLogin throws arbitrary bodies (padded past the body limit
// when padKiB is large) at the dashboard login through the whole stack. It
// must never answer 500 or a non-JSON body, and only a 200 may append to
// the ACCESS stream (exactly one login record). The seed corpus is in
// testdata/fuzz/FuzzDashboardLogin: malformed JSON, odd Unicode, a huge
// body and one valid login.
func FuzzDashboardLogin(f *testing.F) {
	r := newAuthRig(f)
	r.createUser("fuzzer", "operator", "", "POLRES_A")
	f.Add([]byte(`{"username":"fuzzer","password":"rahasia123"}`), uint16(0))
	url := r.srv.URL + "/api/auth/dashboard-login"
	head := func(t *testing.T) uint64 {
		h, err := r.n.Store.StreamHead(context.Background(), "ACCESS")
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	f.Fuzz(func(t *testing.T, body []byte, padKiB uint16) {
		if pad := int(padKiB % 2048); pad > 0 {
			body = append(body, bytes.Repeat([]byte(" "), pad<<10)...)
		}
		before := head(t)
		resp, err := http.Post(url, "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		switch resp.StatusCode {
		case 200, 400, 401, 403, 413, 429:
		default:
			t.Fatalf("status %d for %q: %s", resp.StatusCode, truncate(body), raw)
		}
		if !bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) {
			t.Fatalf("status %d, body not JSON: %q", resp.StatusCode, raw)
		}
		after := head(t)
		if resp.StatusCode == 200 && after != before+1 || resp.StatusCode != 200 && after != before {
			t.Fatalf("status %d moved ACCESS from %d to %d", resp.StatusCode, before, after)
		}
	})
}

func truncate(b []byte) []byte {
	if len(b) > 200 {
		return b[:200]
	}
	return b
}
