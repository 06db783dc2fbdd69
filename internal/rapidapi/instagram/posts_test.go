package instagram_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cicero/cicero/internal/rapidapi/rapidapitest"
)

// page renders a v1/posts answer with the given shortcodes; extra is
// spliced into the top level, dataExtra into data.
func page(codes []string, extra, dataExtra string) string {
	items := make([]string, len(codes))
	for i, c := range codes {
		items[i] = fmt.Sprintf(`{"code":%q,"taken_at":1718000000}`, c)
	}
	s := `{"data":{"count":` + fmt.Sprint(len(codes)) + `,"items":[` + strings.Join(items, ",") + `]` + dataExtra + `}` + extra + `}`
	return s
}

func codes(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%02d", prefix, i)
	}
	return out
}

func TestFetchPostsPaging(t *testing.T) {
	tests := []struct {
		name       string
		pages      map[string]string // by pagination_token ("" = first)
		limit      int
		wantCodes  int
		wantTokens []string // pagination_token of each request
	}{
		{
			name: "top-level token, stops when has_more false and no token",
			pages: map[string]string{
				"":   page(codes("a", 12), `,"pagination_token":"T1","has_more":true`, ""),
				"T1": page(codes("b", 12), `,"pagination_token":"","has_more":false`, ""),
			},
			limit: 50, wantCodes: 24, wantTokens: []string{"", "T1"},
		},
		{
			name: "older token variants under data",
			pages: map[string]string{
				"":   page(codes("a", 3), "", `,"pagination_token":"D1"`),
				"D1": page(codes("b", 3), "", `,"next_cursor":"D2"`),
				"D2": page(codes("c", 3), "", `,"end_cursor":"D3"`),
				"D3": page(codes("d", 3), "", ``),
			},
			limit: 50, wantCodes: 12, wantTokens: []string{"", "D1", "D2", "D3"},
		},
		{
			name: "a token means more even when has_more is false",
			pages: map[string]string{
				"":   page(codes("a", 2), `,"pagination_token":"T1","has_more":false`, ""),
				"T1": page(codes("b", 2), ``, ""),
			},
			limit: 50, wantCodes: 4, wantTokens: []string{"", "T1"},
		},
		{
			name: "stops at the limit and trims to it",
			pages: map[string]string{
				"":   page(codes("a", 12), `,"pagination_token":"T1"`, ""),
				"T1": page(codes("b", 12), `,"pagination_token":"T2"`, ""),
				"T2": page(codes("c", 12), `,"pagination_token":"T3"`, ""),
			},
			limit: 20, wantCodes: 20, wantTokens: []string{"", "T1"},
		},
		{
			name: "limit 0 means 50",
			pages: map[string]string{
				"":   page(codes("a", 30), `,"pagination_token":"T1"`, ""),
				"T1": page(codes("b", 30), `,"pagination_token":"T2"`, ""),
			},
			limit: 0, wantCodes: 50, wantTokens: []string{"", "T1"},
		},
		{
			name: "empty page stops",
			pages: map[string]string{
				"":   page(codes("a", 5), `,"pagination_token":"T1"`, ""),
				"T1": page(nil, `,"pagination_token":"T2"`, ""),
			},
			limit: 50, wantCodes: 5, wantTokens: []string{"", "T1"},
		},
		{
			name: "a repeated token stops",
			pages: map[string]string{
				"":   page(codes("a", 5), `,"pagination_token":"T1"`, ""),
				"T1": page(codes("b", 5), `,"pagination_token":"T1"`, ""),
			},
			limit: 50, wantCodes: 10, wantTokens: []string{"", "T1"},
		},
		{
			name: "items without code are skipped",
			pages: map[string]string{
				"": `{"data":{"items":[{"code":"ok1"},{"pk":"1"},{"code":""}]}}`,
			},
			limit: 50, wantCodes: 1, wantTokens: []string{""},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			hs := map[string]http.HandlerFunc{}
			for tok, body := range tt.pages {
				hs[tok] = rapidapitest.OK(body)
			}
			r.primary.Handle("v1/posts", rapidapitest.ByQuery("pagination_token", hs))
			posts, err := r.c.FetchPosts(context.Background(), " @polres_x ", tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			if len(posts) != tt.wantCodes {
				t.Errorf("posts = %d, want %d", len(posts), tt.wantCodes)
			}
			if d := cmp.Diff(tt.wantTokens, queries(r.primary, "v1/posts", "pagination_token")); d != "" {
				t.Errorf("tokens sent (-want +got):\n%s", d)
			}
			for _, u := range queries(r.primary, "v1/posts", "username_or_id_or_url") {
				if u != "polres_x" {
					t.Errorf("username_or_id_or_url = %q", u)
				}
			}
			for _, req := range r.primary.Requests() {
				if _, ok := req.Query["pagination_token"]; ok && req.Query.Get("pagination_token") == "" {
					t.Error("empty pagination_token sent on the first page")
				}
			}
			assertHeaders(t, r.primary, primaryKey, "social-api4.p.rapidapi.com")
			if n := len(r.fallback.Requests()); n != 0 {
				t.Errorf("fallback called %d times", n)
			}
		})
	}
}

func TestFetchPostsFailsWhole(t *testing.T) {
	r := newRig(t)
	r.primary.Handle("v1/posts", rapidapitest.ByQuery("pagination_token", map[string]http.HandlerFunc{
		"":   rapidapitest.OK(page(codes("a", 5), `,"pagination_token":"T1"`, "")),
		"T1": rapidapitest.JSON(500, `{"message":"upstream"}`),
	}))
	posts, err := r.c.FetchPosts(context.Background(), "polres_x", 50)
	if err == nil || posts != nil {
		t.Fatalf("posts %d, err %v: a failed page must fail the fetch", len(posts), err)
	}
	if !strings.Contains(err.Error(), "polres_x") {
		t.Errorf("error lacks context: %v", err)
	}
}
