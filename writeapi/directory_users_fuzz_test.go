package writeapi_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"
	"time"
)

// FuzzUserCreate sends arbitrary bodies to POST /api/users/create as an
// operator: the answer is never a 500 (nor a panic), always one of the
// statuses the route documents, and a refused body appends nothing.
func FuzzUserCreate(f *testing.F) {
	for _, s := range []string{
		`{"user_id":"84000001","nama":"budi"}`,
		`{"user_id":84000002,"nama":"Ωmega ☃","roles":["operator","ditbinmas"]}`,
		`{"user_id":"８４０００００３","nama":"全角"}`,
		`{"user_id":"84000004","nama":"\u0000\ud800","whatsapp":"+62 812-3456-7890"}`,
		`{"user_id":null,"nama":null,"roles":null}`,
		`{"user_id":[1],"nama":{}}`,
		`{"roles":"operator"}`,
		`[]`, `null`, `"x"`, `{`, `{"a":1}{"b":2}`, ``,
	} {
		f.Add(s)
	}
	r := newDirRig(f, rigOpts{NoDedup: true, NoSpec: true})
	r.MustClient("POLRES_A", "org", "JATIM")
	op := r.Operator("POLRES_A")
	f.Fuzz(func(t *testing.T, body string) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		before, err := r.N.Store.StreamHead(ctx, "DIRECTORY")
		if err != nil {
			t.Fatal(err)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.Srv.URL+"/api/users/create", bytes.NewBufferString(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+op)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(res.Body)
		res.Body.Close()
		switch res.StatusCode {
		case 200, 201:
			return
		case 400, 403, 404, 409:
		default:
			t.Fatalf("status %d for %q: %s", res.StatusCode, body, raw)
		}
		after, err := r.N.Store.StreamHead(ctx, "DIRECTORY")
		if err != nil {
			t.Fatal(err)
		}
		if after != before {
			t.Fatalf("refused body %q (%d) appended: head %d → %d", body, res.StatusCode, before, after)
		}
	})
}
