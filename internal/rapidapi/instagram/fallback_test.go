package instagram_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/cicero/cicero/internal/rapidapi"
	"github.com/cicero/cicero/internal/rapidapi/rapidapitest"
)

func TestFallbackHostOnlyOn401And403(t *testing.T) {
	okPage := rapidapitest.OK(page([]string{"FB1"}, "", ""))
	tests := []struct {
		name          string
		opts          []rigOpt
		primary       http.HandlerFunc
		fallback      http.HandlerFunc
		wantFallbacks int
		wantStatus    int // 0: success
	}{
		{"401 goes to the fallback", nil, rapidapitest.JSON(401, `{"message":"Invalid API key"}`), okPage, 1, 0},
		{"403 goes to the fallback", nil, rapidapitest.JSON(403, `{"message":"You are not subscribed to this API."}`), okPage, 1, 0},
		{"429 does not", nil, rapidapitest.JSON(429, `{"message":"Too many requests"}`), okPage, 0, 429},
		{"500 does not", nil, rapidapitest.JSON(500, `{}`), okPage, 0, 500},
		{"404 does not", nil, rapidapitest.JSON(404, `{}`), okPage, 0, 404},
		{"401 without a fallback configured", []rigOpt{noFallback}, rapidapitest.JSON(401, `{}`), okPage, 0, 401},
		{"fallback failing reports its own status", nil, rapidapitest.JSON(403, `{}`), rapidapitest.JSON(502, `{}`), 1, 502},
		{"fallback refused too: no second fallback", nil, rapidapitest.JSON(401, `{}`), rapidapitest.JSON(401, `{}`), 1, 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, tt.opts...)
			r.primary.Handle("v1/posts", tt.primary)
			r.fallback.Handle("v1/posts", tt.fallback)

			posts, err := r.c.FetchPosts(context.Background(), "polres_x", 50)
			if tt.wantStatus == 0 {
				if err != nil || len(posts) != 1 || posts[0].Shortcode != "FB1" {
					t.Fatalf("posts %+v err %v", posts, err)
				}
			} else if got := rapidapi.StatusOf(err); got != tt.wantStatus {
				t.Fatalf("status %d (err %v), want %d", got, err, tt.wantStatus)
			}
			if got := r.primary.Count("v1/posts"); got != 1 {
				t.Errorf("primary called %d times", got)
			}
			if got := r.fallback.Count("v1/posts"); got != tt.wantFallbacks {
				t.Errorf("fallback called %d times, want %d", got, tt.wantFallbacks)
			}
			assertHeaders(t, r.primary, primaryKey, "social-api4.p.rapidapi.com")
			assertHeaders(t, r.fallback, fallbackKey, backupHost)
			for _, req := range r.fallback.Requests() {
				if req.Query.Get("username_or_id_or_url") != "polres_x" {
					t.Errorf("fallback query %v", req.Query)
				}
			}
		})
	}
}

func TestKeyMissing(t *testing.T) {
	r := newRig(t, noKey)
	for _, srv := range []*rapidapitest.Server{r.primary, r.fallback} {
		srv.Handle("v1/posts", rapidapitest.JSON(401, `{}`))
	}
	ctx := context.Background()
	calls := map[string]func() error{
		"posts":     func() error { _, err := r.c.FetchPosts(ctx, "polres_x", 50); return err },
		"profile":   func() error { _, err := r.c.Profile(ctx, "polres_x"); return err },
		"likes":     func() error { _, err := r.c.FetchLikes(ctx, "C1"); return err },
		"comments":  func() error { _, err := r.c.FetchComments(ctx, "C1"); return err },
		"post info": func() error { _, err := r.c.PostInfo(ctx, "C1"); return err },
	}
	for name, call := range calls {
		err := call()
		if !errors.Is(err, rapidapi.ErrKeyMissing) {
			t.Errorf("%s: err = %v, want ErrKeyMissing", name, err)
		}
	}
	if n := len(r.primary.Requests()) + len(r.fallback.Requests()); n != 0 {
		t.Errorf("%d requests sent without a key", n)
	}
}
