package instagram_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cicero/cicero/internal/rapidapi"
	"github.com/cicero/cicero/internal/rapidapi/instagram"
	"github.com/cicero/cicero/internal/rapidapi/rapidapitest"
)

func errorsAs(err error, target any) bool { return errors.As(err, target) }

func TestFetchLikesPaging(t *testing.T) {
	tests := []struct {
		name        string
		pages       map[string]string // by cursor
		want        []string
		wantCursors []string
	}{
		{
			name: "objects and bare strings, next_cursor then end_cursor",
			pages: map[string]string{
				"":   `{"data":{"items":[{"username":"Budi.S"},"@siti_a",{"username":""},{"full_name":"x"}],"next_cursor":"c1","has_more":true}}`,
				"c1": `{"data":{"items":[{"username":"andi"}],"end_cursor":"c2"}}`,
				"c2": `{"data":{"items":["joko"],"next_cursor":"","has_more":false}}`,
			},
			want:        []string{"Budi.S", "@siti_a", "andi", "joko"},
			wantCursors: []string{"", "c1", "c2"},
		},
		{
			name: "has_more without a cursor stops",
			pages: map[string]string{
				"": `{"data":{"items":["a"],"has_more":true}}`,
			},
			want: []string{"a"}, wantCursors: []string{""},
		},
		{
			name: "empty page stops",
			pages: map[string]string{
				"":   `{"data":{"items":["a"],"next_cursor":"c1"}}`,
				"c1": `{"data":{"items":[],"next_cursor":"c2"}}`,
			},
			want: []string{"a"}, wantCursors: []string{"", "c1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			hs := map[string]http.HandlerFunc{}
			for c, body := range tt.pages {
				hs[c] = rapidapitest.OK(body)
			}
			r.primary.Handle("v1/likes", rapidapitest.ByQuery("cursor", hs))
			got, err := r.c.FetchLikes(context.Background(), "C1abc")
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("likers (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tt.wantCursors, queries(r.primary, "v1/likes", "cursor")); d != "" {
				t.Errorf("cursors (-want +got):\n%s", d)
			}
			for _, c := range queries(r.primary, "v1/likes", "code_or_id_or_url") {
				if c != "C1abc" {
					t.Errorf("code_or_id_or_url = %q", c)
				}
			}
			assertHeaders(t, r.primary, primaryKey, "social-api4.p.rapidapi.com")
		})
	}
}

func TestFetchLikesStopsAtMaxPages(t *testing.T) {
	r := newRig(t)
	n := 0
	r.primary.Handle("v1/likes", func(w http.ResponseWriter, _ *http.Request) {
		n++
		fmt.Fprintf(w, `{"data":{"items":["u%d"],"next_cursor":"c%d"}}`, n, n)
	})
	got, err := r.c.FetchLikes(context.Background(), "C1")
	if err != nil || len(got) != instagram.MaxLikePages || r.primary.Count("v1/likes") != instagram.MaxLikePages {
		t.Fatalf("likers %d, requests %d, err %v", len(got), r.primary.Count("v1/likes"), err)
	}
}

func TestFetchLikesRetries(t *testing.T) {
	ok := rapidapitest.OK(`{"data":{"items":["a"]}}`)
	tests := []struct {
		name          string
		handler       http.HandlerFunc
		wantRequests  int
		wantRetryable bool // when an error is expected
		wantErr       bool
	}{
		{"5xx then success", rapidapitest.Sequence(rapidapitest.JSON(500, `{}`), rapidapitest.JSON(503, `{}`), ok), 3, false, false},
		{"429 then success", rapidapitest.Sequence(rapidapitest.JSON(429, `{}`), ok), 2, false, false},
		{"truncated then success", rapidapitest.Sequence(rapidapitest.Truncated(`{"data":{"it`), ok), 2, false, false},
		{"timeout then success", rapidapitest.Sequence(rapidapitest.Hang(), ok), 2, false, false},
		{"5xx three times gives a retryable error", rapidapitest.JSON(502, `{"message":"bad gateway"}`), 3, true, true},
		{"404 is not retried", rapidapitest.JSON(404, `{}`), 1, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			r.primary.Handle("v1/likes", tt.handler)
			got, err := r.c.FetchLikes(context.Background(), "C1")
			if (err != nil) != tt.wantErr {
				t.Fatalf("likers %q err %v", got, err)
			}
			if err != nil {
				var e *rapidapi.Error
				if !errors.As(err, &e) || rapidapi.IsRetryable(err) != tt.wantRetryable {
					t.Errorf("err %v: typed %v, retryable %v", err, e != nil, rapidapi.IsRetryable(err))
				}
			} else if len(got) != 1 {
				t.Errorf("likers %q", got)
			}
			if n := r.primary.Count("v1/likes"); n != tt.wantRequests {
				t.Errorf("requests = %d, want %d", n, tt.wantRequests)
			}
		})
	}
}

func TestFetchLikesBackoffGrowsPerAttempt(t *testing.T) {
	r := rig{primary: rapidapitest.NewServer(t)}
	c, err := instagram.New(rapidapi.Config{Key: primaryKey, InstagramBaseURL: r.primary.URL}, nil, nil,
		instagram.WithLikesBackoff(30*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	r.primary.Handle("v1/likes", rapidapitest.JSON(500, `{}`))
	_, _ = c.FetchLikes(context.Background(), "C1")
	reqs := r.primary.Requests()
	if len(reqs) != 3 {
		t.Fatalf("requests = %d", len(reqs))
	}
	// Waits are base × attempt: 30 ms, then 60 ms.
	if d1, d2 := reqs[1].At.Sub(reqs[0].At), reqs[2].At.Sub(reqs[1].At); d1 < 30*time.Millisecond || d2 < 60*time.Millisecond {
		t.Errorf("waits %s, %s; want ≥ 30ms, ≥ 60ms", d1, d2)
	}
}

func TestFetchLikesKeepsWhatItReadBeforeAFailure(t *testing.T) {
	r := newRig(t)
	r.primary.Handle("v1/likes", rapidapitest.ByQuery("cursor", map[string]http.HandlerFunc{
		"":   rapidapitest.OK(`{"data":{"items":["a","b"],"next_cursor":"c1"}}`),
		"c1": rapidapitest.JSON(500, `{}`),
	}))
	got, err := r.c.FetchLikes(context.Background(), "C1")
	if err == nil || len(got) != 2 {
		t.Fatalf("likers %q err %v", got, err)
	}
}
