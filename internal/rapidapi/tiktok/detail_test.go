package tiktok_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/rapidapi"
	"github.com/cicero/cicero/internal/rapidapi/rapidapitest"
	"github.com/cicero/cicero/internal/rapidapi/tiktok"
)

func TestPostDetail(t *testing.T) {
	item := `{"id":"7350000000000000009","createTime":"1718000000123","desc":"Detail",
		"stats":{"diggCount":null},"statsV2":{"diggCount":"2500","commentCount":"31"}}`
	want := tiktok.Video{ID: "7350000000000000009", CreatedAt: time.UnixMilli(1718000000123).UTC(),
		Desc: "Detail", LikeCount: 2500, CommentCount: 31}
	tests := []struct{ name, body string }{
		{"itemInfo.itemStruct", `{"itemInfo":{"itemStruct":` + item + `},"statusCode":0}`},
		{"data.itemInfo.itemStruct", `{"data":{"itemInfo":{"itemStruct":` + item + `}}}`},
		{"itemStruct", `{"itemStruct":` + item + `}`},
		{"itemInfo.item", `{"itemInfo":{"item":` + item + `}}`},
		{"payload as a JSON string", strconv.Quote(`{"itemInfo":{"itemStruct":` + item + `}}`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, noon)
			r.primary.Handle("api/post/detail", rapidapitest.OK(tt.body))
			got, err := r.c.PostDetail(context.Background(), "7350000000000000009")
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(want, got, cmpopts.IgnoreFields(tiktok.Video{}, "Raw")); d != "" {
				t.Errorf("video (-want +got):\n%s", d)
			}
			if q := r.primary.Requests()[0].Query.Get("videoId"); q != "7350000000000000009" {
				t.Errorf("videoId = %q", q)
			}
			assertHeaders(t, r.primary, primaryKey, realHost)
		})
	}
	for _, body := range []string{`{"statusCode":10204,"statusMsg":"item doesn't exist"}`, `{"itemInfo":{"itemStruct":{}}}`} {
		r := newRig(t, noon)
		r.primary.Handle("api/post/detail", rapidapitest.OK(body))
		_, err := r.c.PostDetail(context.Background(), "1")
		if !errors.Is(err, tiktok.ErrNoItemStruct) || !strings.Contains(err.Error(), "Response detail TikTok tidak memiliki itemStruct.") {
			t.Errorf("body %s: err = %v", body, err)
		}
	}
}

func TestUserInfo(t *testing.T) {
	info := `{"user":{"id":"6800000000000000001","secUid":"MS4wLjABAAAAx","uniqueId":"polres_x","nickname":"Polres X",
		"avatarThumb":"https://a/t.jpg","verified":true},
		"stats":{"followerCount":15000,"followingCount":12,"heart":987654,"videoCount":321}}`
	want := tiktok.Profile{SecUID: "MS4wLjABAAAAx", UniqueID: "polres_x", Nickname: "Polres X",
		AvatarThumb: "https://a/t.jpg", Verified: true, Followers: 15000, Following: 12, Hearts: 987654, Videos: 321}
	tests := []struct{ name, body string }{
		{"userInfo at the top", `{"userInfo":` + info + `,"statusCode":0}`},
		{"under data", `{"data":{"userInfo":` + info + `}}`},
		{"payload as a JSON string", strconv.Quote(`{"userInfo":` + info + `}`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, noon)
			r.primary.Handle("api/user/info", rapidapitest.OK(tt.body))
			got, err := r.c.UserInfo(context.Background(), " @polres_x")
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(want, got, cmpopts.IgnoreFields(tiktok.Profile{}, "Raw")); d != "" {
				t.Errorf("profile (-want +got):\n%s", d)
			}
			if q := r.primary.Requests()[0].Query.Get("uniqueId"); q != "polres_x" {
				t.Errorf("uniqueId = %q", q)
			}
		})
	}
	r := newRig(t, noon)
	r.primary.Handle("api/user/info", rapidapitest.OK(`{"statusCode":10221,"userInfo":{}}`))
	_, err := r.c.UserInfo(context.Background(), "ghost")
	var e *rapidapi.Error
	if !errors.As(err, &e) || e.Code != rapidapi.CodeBadResponse {
		t.Errorf("err = %v, want a bad response", err)
	}
}

func TestParseVideoID(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://www.tiktok.com/@polres_x/video/7350000000000000001?is_from_webapp=1", "7350000000000000001"},
		{"tiktok.com/@a/video/12345678", "12345678"},
		{"https://www.tiktok.com/embed?videoId=7350000000000000002", "7350000000000000002"},
		{"https://m.tiktok.com/v/x.html?item_id=7350000000000000003&u=1", "7350000000000000003"},
		{"https://t.example/share?share_video_id=7350000000000000004", "7350000000000000004"},
		{"lihat 7350000000000000005 ya", "7350000000000000005"},
		{" 123456 ", "123456"},
		{"7350000000000000000000000", "7350000000000000000000000"}, // pure digits ≥ 6 as is
	}
	for _, tt := range tests {
		got, err := tiktok.ParseVideoID(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseVideoID(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "12345", "https://vt.tiktok.com/ZSabcdef/", "https://www.tiktok.com/@polres_x",
		"video/1234567", "id 1234567890123456789012 terlalu panjang"} {
		_, err := tiktok.ParseVideoID(bad)
		if !errors.Is(err, apperr.ErrInvalid) || apperr.MessageOf(err) != tiktok.ErrVideoIDMessage {
			t.Errorf("ParseVideoID(%q) err = %v", bad, err)
		}
	}
}

func TestKeyMissing(t *testing.T) {
	r := newRig(t, noon, noKey)
	for _, srv := range []*rapidapitest.Server{r.primary, r.fallback} {
		for _, p := range []string{"api/user/posts", "api/user/info", "api/post/comments", "api/post/detail", "user/videos"} {
			srv.Handle(p, rapidapitest.OK(list(video("X", noon))))
		}
	}
	ctx := context.Background()
	calls := map[string]func() error{
		"posts by secUid":   func() error { _, err := r.c.PostsBySecUID(ctx, "S", 35); return err },
		"posts by username": func() error { _, err := r.c.PostsByUsername(ctx, "u", 35); return err },
		"client posts":      func() error { _, err := r.c.FetchClientPosts(ctx, "u", "S"); return err },
		"user info":         func() error { _, err := r.c.UserInfo(ctx, "u"); return err },
		"comments":          func() error { _, err := r.c.FetchComments(ctx, "V"); return err },
		"detail":            func() error { _, err := r.c.PostDetail(ctx, "V"); return err },
	}
	for name, call := range calls {
		if err := call(); !errors.Is(err, rapidapi.ErrKeyMissing) {
			t.Errorf("%s: err = %v, want ErrKeyMissing", name, err)
		}
	}
	if n := len(r.primary.Requests()) + len(r.fallback.Requests()); n != 0 {
		t.Errorf("%d requests sent without a key", n)
	}
}
