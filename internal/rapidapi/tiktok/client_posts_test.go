package tiktok_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/internal/rapidapi"
	"github.com/cicero/cicero/internal/rapidapi/rapidapitest"
	"github.com/cicero/cicero/internal/rapidapi/tiktok"
)

// byKind answers api/user/posts by secUid with bySec and by username with
// byName.
func byKind(bySec, byName http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("secUid") != "" {
			bySec(w, r)
			return
		}
		byName(w, r)
	}
}

func jkt(h, m, s int) time.Time { return time.Date(2024, 6, 11, h, m, s, 0, jakarta.Location) }

// TestUsernameFallbackWindow: the primary (by secUid) lists only
// yesterday's video; the username call lists today's. The username call
// happens only inside 11:00–17:15 Jakarta.
func TestUsernameFallbackWindow(t *testing.T) {
	tests := []struct {
		clock     time.Time
		wantTried bool
	}{
		{jkt(10, 59, 59), false},
		{jkt(11, 0, 0), true},
		{jkt(14, 30, 0), true},
		{jkt(17, 15, 0), true},
		{jkt(17, 15, 59), true},
		{jkt(17, 16, 0), false},
		{jkt(23, 0, 0), false},
		// The same instants given in UTC: the window is Jakarta's.
		{jkt(10, 59, 0).UTC(), false},
		{jkt(11, 0, 0).UTC(), true},
		{jkt(17, 16, 0).UTC(), false},
	}
	for _, tt := range tests {
		t.Run(tt.clock.Format(time.RFC3339), func(t *testing.T) {
			if got := tiktok.UsernameFallbackAllowed(tt.clock); got != tt.wantTried {
				t.Errorf("UsernameFallbackAllowed = %v", got)
			}
			r := newRig(t, tt.clock, noFallback)
			yesterday := video("OLD", tt.clock.Add(-24*time.Hour))
			today := video("NEW", tt.clock.Add(-time.Minute))
			r.primary.Handle("api/user/posts", byKind(rapidapitest.OK(list(yesterday)), rapidapitest.OK(list(today, yesterday))))

			res, err := r.c.FetchClientPosts(context.Background(), "@polres_x", "SEC")
			if err != nil {
				t.Fatal(err)
			}
			wantCalls := []string{"api/user/posts?secUid=SEC&count=35"}
			wantIDs, wantSource := []string{"OLD"}, tiktok.SourceSecUID
			if tt.wantTried {
				wantCalls = append(wantCalls, "api/user/posts?uniqueId=polres_x&username=polres_x&count=35")
				wantIDs, wantSource = []string{"NEW", "OLD"}, tiktok.SourceUsernameFallback
			}
			if d := cmp.Diff(wantCalls, calls(r.primary, "secUid", "uniqueId", "username", "count")); d != "" {
				t.Errorf("requests (-want +got):\n%s", d)
			}
			if res.UsernameFallbackTried != tt.wantTried || res.Source != wantSource {
				t.Errorf("tried %v source %s", res.UsernameFallbackTried, res.Source)
			}
			if d := cmp.Diff(wantIDs, ids(res.Videos)); d != "" {
				t.Errorf("ids (-want +got):\n%s", d)
			}
		})
	}
}

func TestFetchClientPostsTriggers(t *testing.T) {
	today := rapidapitest.OK(list(video("NEW", noon.Add(-time.Hour))))
	stale := rapidapitest.OK(list(video("OLD", noon.Add(-48*time.Hour))))
	empty := rapidapitest.OK(list())
	fail := rapidapitest.JSON(500, `{"message":"upstream"}`)
	tests := []struct {
		name       string
		secUID     string
		opts       []rigOpt
		bySec      http.HandlerFunc
		byName     http.HandlerFunc
		fbVideos   http.HandlerFunc // fallback host's user/videos
		wantIDs    []string
		wantStatus int // error status, 0 none
		wantSource tiktok.Source
		wantTried  bool
		wantCalls  []string // primary and fallback requests, in order
	}{
		{name: "today's post by secUid: nothing more", secUID: "SEC", bySec: today, byName: today,
			wantIDs: []string{"NEW"}, wantSource: tiktok.SourceSecUID,
			wantCalls: []string{"P api/user/posts?secUid=SEC"}},
		{name: "empty: username fallback", secUID: "SEC", bySec: empty, byName: today,
			wantIDs: []string{"NEW"}, wantSource: tiktok.SourceUsernameFallback, wantTried: true,
			wantCalls: []string{"P api/user/posts?secUid=SEC", "P api/user/posts?uniqueId=polres_x"}},
		{name: "error: username fallback succeeds, no error", secUID: "SEC", bySec: fail, byName: today,
			wantIDs: []string{"NEW"}, wantSource: tiktok.SourceUsernameFallback, wantTried: true,
			wantCalls: []string{"P api/user/posts?secUid=SEC", "P api/user/posts?uniqueId=polres_x"}},
		{name: "error, username fails too: the primary error", secUID: "SEC", bySec: fail,
			byName: rapidapitest.JSON(404, `{}`), wantStatus: 500, wantSource: tiktok.SourceSecUID, wantTried: true,
			wantCalls: []string{"P api/user/posts?secUid=SEC", "P api/user/posts?uniqueId=polres_x"}},
		{name: "stale list, username empty: the stale list", secUID: "SEC", bySec: stale, byName: empty,
			wantIDs: []string{"OLD"}, wantSource: tiktok.SourceSecUID, wantTried: true,
			wantCalls: []string{"P api/user/posts?secUid=SEC", "P api/user/posts?uniqueId=polres_x"}},
		{name: "no secUid: one fetch by username, no repeat", secUID: "", bySec: today, byName: stale,
			wantIDs: []string{"OLD"}, wantSource: tiktok.SourceUsername,
			wantCalls: []string{"P api/user/posts?uniqueId=polres_x"}},
		{name: "full chain: secUid, fallback host, then username", secUID: "SEC", opts: nil,
			bySec: fail, byName: today, fbVideos: empty,
			wantIDs: []string{"NEW"}, wantSource: tiktok.SourceUsernameFallback, wantTried: true,
			wantCalls: []string{"P api/user/posts?secUid=SEC", "F user/videos?secUid=SEC", "P api/user/posts?uniqueId=polres_x"}},
		{name: "missing key: no call at all", secUID: "SEC", opts: []rigOpt{noKey}, bySec: today, byName: today,
			fbVideos: today, wantStatus: 503, wantSource: tiktok.SourceSecUID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := tt.opts
			if tt.fbVideos == nil {
				opts = append(opts, noFallback)
			}
			r := newRig(t, noon, opts...)
			r.primary.Handle("api/user/posts", byKind(tt.bySec, tt.byName))
			if tt.fbVideos != nil {
				r.fallback.Handle("user/videos", tt.fbVideos)
			}
			res, err := r.c.FetchClientPosts(context.Background(), "polres_x", tt.secUID)
			if st := rapidapi.StatusOf(err); st != tt.wantStatus || (tt.wantStatus == 0 && err != nil) {
				t.Fatalf("err %v (status %d), want status %d", err, st, tt.wantStatus)
			}
			if tt.wantStatus == 503 && !errors.Is(err, rapidapi.ErrKeyMissing) {
				t.Errorf("err = %v, want ErrKeyMissing", err)
			}
			if d := cmp.Diff(tt.wantIDs, ids(res.Videos), cmpopts.EquateEmpty()); d != "" {
				t.Errorf("ids (-want +got):\n%s", d)
			}
			if res.Source != tt.wantSource || res.UsernameFallbackTried != tt.wantTried {
				t.Errorf("source %s tried %v; want %s %v", res.Source, res.UsernameFallbackTried, tt.wantSource, tt.wantTried)
			}
			if d := cmp.Diff(tt.wantCalls, merge(r), cmpopts.EquateEmpty()); d != "" {
				t.Errorf("calls (-want +got):\n%s", d)
			}
		})
	}
}

// merge lists the primary ("P") and fallback ("F") requests in arrival
// order, each as path?secUid=… or path?uniqueId=….
func merge(r rig) []string {
	type call struct {
		at  time.Time
		txt string
	}
	var all []call
	for tag, srv := range map[string]*rapidapitest.Server{"P": r.primary, "F": r.fallback} {
		for _, req := range srv.Requests() {
			q := "secUid=" + req.Query.Get("secUid")
			if req.Query.Get("secUid") == "" {
				q = "uniqueId=" + req.Query.Get("uniqueId")
			}
			all = append(all, call{req.At, tag + " " + req.Path + "?" + q})
		}
	}
	for i := 1; i < len(all); i++ {
		for j := i; j > 0 && all[j].at.Before(all[j-1].at); j-- {
			all[j], all[j-1] = all[j-1], all[j]
		}
	}
	out := make([]string, len(all))
	for i, c := range all {
		out[i] = c.txt
	}
	return out
}
