package tiktok_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/cicero/cicero/internal/rapidapi"
	"github.com/cicero/cicero/internal/rapidapi/rapidapitest"
	"github.com/cicero/cicero/internal/rapidapi/tiktok"
)

// commentPages answers api/post/comments from a list of n comments, 50 a
// page by cursor, rendering the page with render(items, total).
func commentPages(n int, render func(items string) string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		cursor, _ := strconv.Atoi(r.URL.Query().Get("cursor"))
		var items []string
		for i := cursor; i < min(cursor+50, n); i++ {
			items = append(items, fmt.Sprintf(`{"cid":"c%d","text":"t","create_time":1718000000,"user":{"unique_id":"user%d"}}`, i, i))
		}
		fmt.Fprint(w, render("["+strings.Join(items, ",")+"]"))
	}
}

func TestFetchCommentsPaging(t *testing.T) {
	tests := []struct {
		name        string
		n           int
		render      func(items string) string
		wantCursors []string
	}{
		{"data.comments with data.total: stop once the next cursor passes the total", 120,
			func(it string) string { return `{"data":{"comments":` + it + `,"total":120}}` },
			[]string{"0", "50", "100"}},
		{"top-level comments and total: a cursor equal to the total is still asked", 100,
			func(it string) string { return `{"comments":` + it + `,"total":100,"has_more":0}` },
			[]string{"0", "50", "100"}},
		{"total as a string", 60,
			func(it string) string { return `{"data":{"comments":` + it + `,"total":"60"}}` },
			[]string{"0", "50"}},
		{"unknown total: until an empty page", 70,
			func(it string) string { return `{"data":{"comments":` + it + `}}` },
			[]string{"0", "50", "100"}},
		{"payload as a JSON string", 10,
			func(it string) string { return strconv.Quote(`{"data":{"comments":` + it + `,"total":10}}`) },
			[]string{"0"}},
		{"no comments", 0,
			func(it string) string { return `{"data":{"comments":[],"total":0}}` },
			[]string{"0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, noon)
			r.primary.Handle("api/post/comments", commentPages(tt.n, tt.render))
			got, err := r.c.FetchComments(context.Background(), "7350000000000000001")
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.n {
				t.Errorf("comments = %d, want %d", len(got), tt.n)
			}
			var cursors []string
			for _, req := range r.primary.Requests() {
				cursors = append(cursors, req.Query.Get("cursor"))
				if req.Query.Get("videoId") != "7350000000000000001" || req.Query.Get("count") != "50" {
					t.Errorf("query %v", req.Query)
				}
			}
			if d := cmp.Diff(tt.wantCursors, cursors); d != "" {
				t.Errorf("cursors (-want +got):\n%s", d)
			}
			assertHeaders(t, r.primary, primaryKey, realHost)
		})
	}
}

func TestCommentFields(t *testing.T) {
	r := newRig(t, noon)
	r.primary.Handle("api/post/comments", rapidapitest.OK(`{"data":{"total":3,"comments":[
		{"cid":"7390000000000000001","text":"Siap","create_time":1718000000,"user":{"unique_id":"Budi.S","nickname":"Budi"}},
		{"id":"2","username":"@siti","text":"ok"},
		{"cid":"3","user":{"unique_id":""},"username":"andi"},
		{"cid":"4","user":{"nickname":"anon"}}]}}`))
	got, err := r.c.FetchComments(context.Background(), "V")
	if err != nil {
		t.Fatal(err)
	}
	want := []tiktok.Comment{
		{ID: "7390000000000000001", Username: "Budi.S", Text: "Siap", CreatedAt: time.Unix(1718000000, 0).UTC()},
		{ID: "2", Username: "@siti", Text: "ok"},
		{ID: "3", Username: "andi"},
		{ID: "4"},
	}
	if d := cmp.Diff(want, got, cmpopts.IgnoreFields(tiktok.Comment{}, "Raw")); d != "" {
		t.Errorf("comments (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"Budi.S", "@siti", "andi"}, tiktok.Usernames(got)); d != "" {
		t.Errorf("usernames (-want +got):\n%s", d)
	}
}

func TestFetchCommentsRetries(t *testing.T) {
	ok := rapidapitest.OK(`{"data":{"comments":[{"cid":"1","user":{"unique_id":"a"}}],"total":1}}`)
	tests := []struct {
		name          string
		handler       http.HandlerFunc
		wantRequests  int
		wantErr       bool
		wantRetryable bool
	}{
		{"502 then success", rapidapitest.Sequence(rapidapitest.JSON(502, `{}`), ok), 2, false, false},
		{"truncated then success", rapidapitest.Sequence(rapidapitest.Truncated(`{"data":{"comm`), ok), 2, false, false},
		{"timeout then success", rapidapitest.Sequence(rapidapitest.Hang(), ok), 2, false, false},
		// 3 page attempts, then the video again from cursor 0, 3 times.
		{"500 always: 3 × 3 attempts, retryable error", rapidapitest.JSON(500, `{}`), 9, true, true},
		// 429 is not a page retry (spec §2.3), but the whole-video retry takes it.
		{"429 always: only the video retries", rapidapitest.JSON(429, `{}`), 3, true, true},
		{"404: no retry", rapidapitest.JSON(404, `{}`), 1, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, noon)
			r.primary.Handle("api/post/comments", tt.handler)
			got, err := r.c.FetchComments(context.Background(), "V")
			if (err != nil) != tt.wantErr {
				t.Fatalf("comments %d err %v", len(got), err)
			}
			if err != nil {
				var e *rapidapi.Error
				if !errors.As(err, &e) || rapidapi.IsRetryable(err) != tt.wantRetryable {
					t.Errorf("err %v: typed %v retryable %v", err, e != nil, rapidapi.IsRetryable(err))
				}
			}
			if n := r.primary.Count("api/post/comments"); n != tt.wantRequests {
				t.Errorf("requests = %d, want %d", n, tt.wantRequests)
			}
		})
	}
}

func TestFetchCommentsBackoffs(t *testing.T) {
	srv := rapidapitest.NewServer(t)
	srv.Handle("api/post/comments", rapidapitest.JSON(503, `{}`))
	c, err := tiktok.New(rapidapi.Config{Key: primaryKey, TikTokBaseURL: srv.URL}, nil, nil,
		tiktok.WithCommentsBackoff(20*time.Millisecond), tiktok.WithVideoRetryBackoff(70*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for srv.Count("api/post/comments") < 4 {
			time.Sleep(time.Millisecond)
		}
		cancel() // enough seen: page retries, then the first video retry
	}()
	_, _ = c.FetchComments(ctx, "V")
	reqs := srv.Requests()
	if len(reqs) < 4 {
		t.Fatalf("requests = %d", len(reqs))
	}
	gaps := []time.Duration{reqs[1].At.Sub(reqs[0].At), reqs[2].At.Sub(reqs[1].At), reqs[3].At.Sub(reqs[2].At)}
	// Page backoff 20 ms × 2^(attempt−1): 20, 40; then the video backoff 70 ms × 1.
	for i, want := range []time.Duration{20 * time.Millisecond, 40 * time.Millisecond, 70 * time.Millisecond} {
		if gaps[i] < want {
			t.Errorf("gap %d = %s, want ≥ %s", i, gaps[i], want)
		}
	}
}

func TestFetchCommentsPauseHonoursCancel(t *testing.T) {
	srv := rapidapitest.NewServer(t)
	srv.Handle("api/post/comments", commentPages(500, func(it string) string { return `{"data":{"comments":` + it + `}}` }))
	c, err := tiktok.New(rapidapi.Config{Key: primaryKey, TikTokBaseURL: srv.URL}, nil, nil,
		tiktok.WithCommentsPause(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	got, err := c.FetchComments(ctx, "V")
	if !errors.Is(err, context.DeadlineExceeded) || len(got) != 50 || time.Since(start) > 2*time.Second {
		t.Fatalf("comments %d err %v after %s", len(got), err, time.Since(start))
	}
}
