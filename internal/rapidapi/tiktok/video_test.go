package tiktok_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/cicero/cicero/internal/rapidapi/rapidapitest"
	"github.com/cicero/cicero/internal/rapidapi/tiktok"
)

// TestPostListVariants: every place spec §2.3 says the list may sit, and
// payloads sent as JSON strings.
func TestPostListVariants(t *testing.T) {
	item := `{"id":"7350000000000000001","createTime":1718000000}`
	tests := []struct {
		name string
		body string
		want []string
	}{
		{"data.data.itemList", `{"data":{"data":{"itemList":[` + item + `]}}}`, []string{"7350000000000000001"}},
		{"data.result.itemList", `{"data":{"result":{"itemList":[` + item + `]}}}`, []string{"7350000000000000001"}},
		{"data.itemList", `{"data":{"itemList":[` + item + `]}}`, []string{"7350000000000000001"}},
		{"data.items", `{"data":{"items":[` + item + `]}}`, []string{"7350000000000000001"}},
		{"data.result.videos", `{"data":{"result":{"videos":[` + item + `]}}}`, []string{"7350000000000000001"}},
		{"data.videos", `{"data":{"videos":[` + item + `]}}`, []string{"7350000000000000001"}},
		{"itemList at the top", `{"itemList":[` + item + `],"hasMore":false}`, []string{"7350000000000000001"}},
		{"videos at the top", `{"videos":[` + item + `]}`, []string{"7350000000000000001"}},
		{"payload is a JSON string", strconv.Quote(`{"data":{"itemList":[` + item + `]}}`), []string{"7350000000000000001"}},
		{"data is a JSON string", `{"data":` + strconv.Quote(`{"itemList":[`+item+`]}`) + `}`, []string{"7350000000000000001"}},
		{"inner data is a JSON string", `{"data":{"data":` + strconv.Quote(`{"itemList":[`+item+`]}`) + `}}`, []string{"7350000000000000001"}},
		{"the first array wins", `{"data":{"itemList":[` + item + `],"items":[{"id":"2"}]}}`, []string{"7350000000000000001"}},
		{"items without an id are skipped", `{"data":{"itemList":[{"desc":"x"},` + item + `]}}`, []string{"7350000000000000001"}},
		{"no list is an empty list", `{"data":{"message":"ok"}}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, noon, noFallback)
			r.primary.Handle("api/user/posts", rapidapitest.OK(tt.body))
			got, err := r.c.PostsBySecUID(context.Background(), "MS4wLjABAAAA", 35)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, ids(got), cmpopts.EquateEmpty()); d != "" {
				t.Errorf("ids (-want +got):\n%s", d)
			}
		})
	}
}

// TestVideoFieldVariants: every field alternative of the item
// normalisation, through the list endpoint.
func TestVideoFieldVariants(t *testing.T) {
	sec := time.Unix(1718000000, 0).UTC()
	tests := []struct {
		name string
		item string
		want tiktok.Video
	}{
		{"id, createTime seconds, desc, stats",
			`{"id":"7350000000000000001","createTime":1718000000,"desc":"Patroli","stats":{"diggCount":120,"commentCount":7}}`,
			tiktok.Video{ID: "7350000000000000001", CreatedAt: sec, Desc: "Patroli", LikeCount: 120, CommentCount: 7}},
		{"numeric id keeps every digit",
			`{"id":7350000000000000003,"createTime":"1718000000"}`,
			tiktok.Video{ID: "7350000000000000003", CreatedAt: sec}},
		{"video_id, create_time, caption, digg_count, comment_count",
			`{"video_id":"11","create_time":1718000000,"caption":"cap","digg_count":5,"comment_count":3}`,
			tiktok.Video{ID: "11", CreatedAt: sec, Desc: "cap", LikeCount: 5, CommentCount: 3}},
		{"aweme_id, timestamp in ms, title, like_count, stats.comments",
			`{"aweme_id":"12","timestamp":1718000000123,"title":"judul","like_count":9,"stats":{"comments":4}}`,
			tiktok.Video{ID: "12", CreatedAt: time.UnixMilli(1718000000123).UTC(), Desc: "judul", LikeCount: 9, CommentCount: 4}},
		{"create_at as a millisecond string, stats.likeCount",
			`{"id":"13","create_at":"1718000000000","stats":{"likeCount":8}}`,
			tiktok.Video{ID: "13", CreatedAt: time.UnixMilli(1718000000000).UTC(), LikeCount: 8}},
		{"statsV2 strings",
			`{"id":"14","createTime":1718000000,"statsV2":{"diggCount":"1234","commentCount":"56"}}`,
			tiktok.Video{ID: "14", CreatedAt: sec, LikeCount: 1234, CommentCount: 56}},
		{"count strings lose their separators",
			`{"id":"15","stats":{"diggCount":"1.234","commentCount":"2,001"}}`,
			tiktok.Video{ID: "15", LikeCount: 1234, CommentCount: 2001}},
		{"?? keeps a present zero",
			`{"id":"16","stats":{"diggCount":0,"commentCount":0},"digg_count":50,"comment_count":9}`,
			tiktok.Video{ID: "16"}},
		{"id wins over video_id; createTime over create_time; desc over caption",
			`{"id":"17","video_id":"x","createTime":1718000000,"create_time":1,"desc":"","caption":"cap"}`,
			tiktok.Video{ID: "17", CreatedAt: sec}},
		{"unreadable time is zero",
			`{"id":"18","createTime":"kemarin"}`,
			tiktok.Video{ID: "18"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, noon, noFallback)
			r.primary.Handle("api/user/posts", rapidapitest.OK(list(tt.item)))
			got, err := r.c.PostsBySecUID(context.Background(), "S", 35)
			if err != nil || len(got) != 1 {
				t.Fatalf("videos %+v err %v", got, err)
			}
			if len(got[0].Raw) == 0 {
				t.Error("Raw empty")
			}
			if d := cmp.Diff(tt.want, got[0], cmpopts.IgnoreFields(tiktok.Video{}, "Raw")); d != "" {
				t.Errorf("video (-want +got):\n%s", d)
			}
		})
	}
}

func TestOnJakartaDate(t *testing.T) {
	vs := []tiktok.Video{
		{ID: "a", CreatedAt: time.Date(2024, 6, 10, 17, 0, 0, 0, time.UTC)}, // 00:00 on the 11th in Jakarta
		{ID: "b", CreatedAt: time.Date(2024, 6, 10, 16, 59, 0, 0, time.UTC)},
		{ID: "c"},
	}
	if got := ids(tiktok.OnJakartaDate(vs, "2024-06-11")); len(got) != 1 || got[0] != "a" {
		t.Errorf("OnJakartaDate = %v", got)
	}
}
