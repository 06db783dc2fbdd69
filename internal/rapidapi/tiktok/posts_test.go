package tiktok_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/cicero/cicero/internal/rapidapi"
	"github.com/cicero/cicero/internal/rapidapi/rapidapitest"
)

func TestPostsRequests(t *testing.T) {
	r := newRig(t, noon, noFallback)
	r.primary.Handle("api/user/posts", rapidapitest.OK(list(video("1", noon))))
	ctx := context.Background()
	if _, err := r.c.PostsBySecUID(ctx, "MS4wLjABAAAAsec", 35); err != nil {
		t.Fatal(err)
	}
	if _, err := r.c.PostsByUsername(ctx, " @Polres_X ", 0); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"api/user/posts?secUid=MS4wLjABAAAAsec&cursor=0&count=35",
		"api/user/posts?uniqueId=Polres_X&username=Polres_X&cursor=0&count=10",
	}
	if d := cmp.Diff(want, calls(r.primary, "secUid", "uniqueId", "username", "cursor", "count")); d != "" {
		t.Errorf("requests (-want +got):\n%s", d)
	}
	assertHeaders(t, r.primary, primaryKey, realHost)
}

func TestHostFallback(t *testing.T) {
	primaryList := rapidapitest.OK(list(video("P1", noon)))
	fallbackList := rapidapitest.OK(`{"data":{"videos":[` + video("F1", noon) + `]}}`)
	empty := rapidapitest.OK(list())
	tests := []struct {
		name          string
		opts          []rigOpt
		primary       http.HandlerFunc
		fallback      http.HandlerFunc
		want          []string
		wantStatus    int // of the error; 0: no error
		wantFallbacks int
	}{
		{"primary list: no fallback", nil, primaryList, fallbackList, []string{"P1"}, 0, 0},
		{"primary empty: fallback list", nil, empty, fallbackList, []string{"F1"}, 0, 1},
		{"primary 500: fallback list", nil, rapidapitest.JSON(500, `{}`), fallbackList, []string{"F1"}, 0, 1},
		{"primary 401: fallback list", nil, rapidapitest.JSON(401, `{"message":"Invalid API key"}`), fallbackList, []string{"F1"}, 0, 1},
		{"primary 403: fallback list", nil, rapidapitest.JSON(403, `{}`), fallbackList, []string{"F1"}, 0, 1},
		{"primary 429: fallback list", nil, rapidapitest.JSON(429, `{}`), fallbackList, []string{"F1"}, 0, 1},
		{"primary truncated: fallback list", nil, rapidapitest.Truncated(`{"data":{"itemList":[{"id"`), fallbackList, []string{"F1"}, 0, 1},
		{"primary timeout: fallback list", nil, rapidapitest.Hang(), fallbackList, []string{"F1"}, 0, 1},
		{"primary 500, fallback empty: primary error", nil, rapidapitest.JSON(500, `{}`), empty, nil, 500, 1},
		{"primary 500, fallback 502: primary error", nil, rapidapitest.JSON(500, `{}`), rapidapitest.JSON(502, `{}`), nil, 500, 1},
		{"primary empty, fallback 500: empty", nil, empty, rapidapitest.JSON(500, `{}`), nil, 0, 1},
		{"no fallback configured", []rigOpt{noFallback}, rapidapitest.JSON(500, `{}`), fallbackList, nil, 500, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, noon, tt.opts...)
			r.primary.Handle("api/user/posts", tt.primary)
			r.fallback.Handle("user/videos", tt.fallback)
			got, err := r.c.PostsBySecUID(context.Background(), "SEC", 35)
			if st := rapidapi.StatusOf(err); st != tt.wantStatus || (tt.wantStatus == 0 && err != nil) {
				t.Fatalf("err %v (status %d), want status %d", err, st, tt.wantStatus)
			}
			if d := cmp.Diff(tt.want, ids(got), cmpopts.EquateEmpty()); d != "" {
				t.Errorf("ids (-want +got):\n%s", d)
			}
			if n := r.fallback.Count("user/videos"); n != tt.wantFallbacks {
				t.Errorf("fallback calls = %d, want %d", n, tt.wantFallbacks)
			}
			if tt.wantFallbacks > 0 {
				want := []string{"user/videos?secUid=SEC&cursor=0&count=35"}
				if d := cmp.Diff(want, calls(r.fallback, "secUid", "cursor", "count")); d != "" {
					t.Errorf("fallback request (-want +got):\n%s", d)
				}
			}
			assertHeaders(t, r.primary, primaryKey, realHost)
			assertHeaders(t, r.fallback, fallbackKey, backupHost)
		})
	}
}

func TestPostsByUsernameMissingParamsResolvesSecUID(t *testing.T) {
	r := newRig(t, noon, noFallback)
	r.primary.Handle("api/user/posts", func(w http.ResponseWriter, req *http.Request) {
		if req.URL.Query().Get("secUid") == "" {
			rapidapitest.JSON(400, `{"message":"Missing required params: secUid"}`)(w, req)
			return
		}
		rapidapitest.OK(list(video("S1", noon)))(w, req)
	})
	r.primary.Handle("api/user/info", rapidapitest.OK(`{"userInfo":{"user":{"secUid":"RESOLVED","uniqueId":"polres_x"}}}`))
	got, err := r.c.PostsByUsername(context.Background(), "polres_x", 35)
	if err != nil || len(got) != 1 || got[0].ID != "S1" {
		t.Fatalf("videos %v err %v", ids(got), err)
	}
	want := []string{
		"api/user/posts?uniqueId=polres_x&cursor=0",
		"api/user/info?uniqueId=polres_x",
		"api/user/posts?secUid=RESOLVED&cursor=0",
	}
	if d := cmp.Diff(want, calls(r.primary, "uniqueId", "secUid", "cursor")); d != "" {
		t.Errorf("requests (-want +got):\n%s", d)
	}
}
