package instagram_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/cicero/cicero/internal/rapidapi"
	"github.com/cicero/cicero/internal/rapidapi/instagram"
	"github.com/cicero/cicero/internal/rapidapi/rapidapitest"
)

func TestFetchComments(t *testing.T) {
	r := newRig(t)
	r.primary.Handle("v1/comments", rapidapitest.ByQuery("pagination_token", map[string]http.HandlerFunc{
		"": rapidapitest.OK(`{"data":{"items":[
			{"id":"18000000000000001","user_id":"55","text":"Siap!","created_at":1718000000,"user":{"id":"55","username":"Budi.S"}},
			{"pk":18000000000000002,"user":{"pk":56,"username":"@siti"},"text":"mantap"}]},
			"pagination_token":"P1"}`),
		"P1": rapidapitest.OK(`{"data":{"items":[{"id":"3","username":"andi","text":"ok"}],"pagination_token":"P2","has_more":true}}`),
		"P2": rapidapitest.OK(`{"data":{"items":[{"id":"4","user":{"id":"9","username":"joko"}}]},"has_more":false}`),
	}))
	got, err := r.c.FetchComments(context.Background(), "C1")
	if err != nil {
		t.Fatal(err)
	}
	want := []instagram.Comment{
		{ID: "18000000000000001", UserID: "55", Username: "Budi.S", Text: "Siap!", CreatedAt: time.Unix(1718000000, 0).UTC()},
		{ID: "18000000000000002", UserID: "56", Username: "@siti", Text: "mantap"},
		{ID: "3", Username: "andi", Text: "ok"},
		{ID: "4", UserID: "9", Username: "joko"},
	}
	if d := cmp.Diff(want, got, cmpopts.IgnoreFields(instagram.Comment{}, "User")); d != "" {
		t.Errorf("comments (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"", "P1", "P2"}, queries(r.primary, "v1/comments", "pagination_token")); d != "" {
		t.Errorf("tokens (-want +got):\n%s", d)
	}
	assertHeaders(t, r.primary, primaryKey, "social-api4.p.rapidapi.com")
}

func TestFetchCommentsStopsAtMaxPages(t *testing.T) {
	r := newRig(t)
	n := 0
	r.primary.Handle("v1/comments", func(w http.ResponseWriter, _ *http.Request) {
		n++
		fmt.Fprintf(w, `{"data":{"items":[{"id":"%d"}]},"pagination_token":"p%d"}`, n, n)
	})
	got, err := r.c.FetchComments(context.Background(), "C1")
	if err != nil || len(got) != instagram.MaxCommentPages {
		t.Fatalf("comments %d err %v", len(got), err)
	}
}

func TestFetchCommentsPausesBetweenPagesAndHonoursCancel(t *testing.T) {
	srv := rapidapitest.NewServer(t)
	srv.Handle("v1/comments", rapidapitest.OK(`{"data":{"items":[{"id":"1"}]},"pagination_token":"again"}`))
	c, err := instagram.New(rapidapi.Config{Key: primaryKey, InstagramBaseURL: srv.URL}, nil, nil,
		instagram.WithCommentsPause(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	got, err := c.FetchComments(ctx, "C1")
	if !errors.Is(err, context.DeadlineExceeded) || len(got) != 1 || time.Since(start) > 2*time.Second {
		t.Fatalf("comments %d err %v after %s", len(got), err, time.Since(start))
	}
	if n := srv.Count("v1/comments"); n != 1 {
		t.Errorf("requests during the pause: %d", n)
	}
}
