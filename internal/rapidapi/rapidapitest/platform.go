package rapidapitest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Platform is an in-memory Instagram (social-api4) and TikTok
// (tiktok-api23) in one: accounts, their posts and who liked or commented,
// served in the APIs' wire format from a Server. It is the "truth" a fetch
// is compared with. Likers and commenters are served in pages so paging is
// exercised; a path can be made to fail with Fail.
type Platform struct {
	Server *Server

	mu       sync.Mutex
	ig       map[string]*IGAccount // by username
	tt       map[string]*TTAccount // by username
	likers   map[string][]string   // by shortcode, in order of liking
	comments map[string][]string   // by video id, commenter usernames in order
	broken   map[string]bool       // shortcodes / video ids served as malformed items
	fail     map[string]failure    // by path
}

type failure struct {
	status int
	times  int // < 0: always
	body   string
}

// IGAccount is an Instagram account and its posts, newest first.
type IGAccount struct {
	Username, FullName, Bio, Avatar, ID string
	Followers, Following                int
	Posts                               []IGPost
}

// IGPost is one Instagram post.
type IGPost struct {
	Shortcode, Caption string
	TakenAt            time.Time
	Likes, Comments    int
	Video              bool
}

// TTAccount is a TikTok account and its videos, newest first.
type TTAccount struct {
	Username, Nickname, SecUID, Avatar string
	Followers, Following               int
	Videos                             []TTVideo
}

// TTVideo is one TikTok video.
type TTVideo struct {
	ID, Desc        string
	CreatedAt       time.Time
	Likes, Comments int
}

// likesPageSize and the comment page size (tiktok.CommentPageSize) make a
// long liker list span pages.
const likesPageSize = 100

// NewPlatform starts an empty platform on a new Server.
func NewPlatform(srv *Server) *Platform {
	p := &Platform{Server: srv, ig: map[string]*IGAccount{}, tt: map[string]*TTAccount{},
		likers: map[string][]string{}, comments: map[string][]string{}, broken: map[string]bool{}, fail: map[string]failure{}}
	for path, h := range map[string]func(http.ResponseWriter, *http.Request) any{
		"v1/info": p.igInfo, "v1/posts": p.igPosts, "v1/likes": p.igLikes, "v1/post_info": p.igPostInfo,
		"api/user/info": p.ttInfo, "api/user/posts": p.ttPosts, "api/post/comments": p.ttComments, "api/post/detail": p.ttDetail,
	} {
		srv.Handle(path, p.serve(path, h))
	}
	return p
}

// SetInstagram puts (or replaces) an Instagram account.
func (p *Platform) SetInstagram(a IGAccount) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ig[strings.ToLower(a.Username)] = &a
}

// Instagram returns a copy of the account (ok false when unknown).
func (p *Platform) Instagram(username string) (IGAccount, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	a, ok := p.ig[account(username)]
	if !ok {
		return IGAccount{}, false
	}
	c := *a
	c.Posts = slices.Clone(a.Posts)
	return c, true
}

// SetTikTok puts (or replaces) a TikTok account.
func (p *Platform) SetTikTok(a TTAccount) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.tt[strings.ToLower(a.Username)] = &a
}

// Like adds likers of a post (raw usernames, as the platform spells them).
func (p *Platform) Like(shortcode string, usernames ...string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.likers[shortcode] = append(p.likers[shortcode], usernames...)
}

// Comment adds commenters of a video.
func (p *Platform) Comment(videoID string, usernames ...string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.comments[videoID] = append(p.comments[videoID], usernames...)
}

// Likers returns the post's likers so far.
func (p *Platform) Likers(shortcode string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.likers[shortcode])
}

// Commenters returns the video's commenters so far.
func (p *Platform) Commenters(videoID string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.comments[videoID])
}

// Break serves the post or video with this id as a malformed item (no
// shortcode / id, no time) in its account's list.
func (p *Platform) Break(id string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.broken[id] = true
}

// Fail answers the next times requests to path (times < 0: every one)
// with status and body; Fail(path, 0, 0, "") clears it.
func (p *Platform) Fail(path string, status, times int, body string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if times == 0 {
		delete(p.fail, path)
		return
	}
	if body == "" {
		body = `{"message":"injected failure"}`
	}
	p.fail[path] = failure{status: status, times: times, body: body}
}

// serve wraps an endpoint: injected failures first, then the answer as
// JSON, or 404 when the endpoint answers nil.
func (p *Platform) serve(path string, h func(http.ResponseWriter, *http.Request) any) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		f, failing := p.fail[path]
		if failing && f.times > 0 {
			if f.times--; f.times == 0 {
				delete(p.fail, path)
			} else {
				p.fail[path] = f
			}
		}
		p.mu.Unlock()
		if failing {
			JSON(f.status, f.body)(w, r)
			return
		}
		p.mu.Lock()
		body := h(w, r)
		p.mu.Unlock()
		if body == nil {
			JSON(http.StatusNotFound, `{"message":"not found"}`)(w, r)
			return
		}
		b, err := json.Marshal(body)
		if err != nil {
			panic(err)
		}
		OK(string(b))(w, r)
	}
}

type obj = map[string]any

func account(s string) string { return strings.ToLower(strings.TrimLeft(strings.TrimSpace(s), "@")) }

func (p *Platform) igInfo(_ http.ResponseWriter, r *http.Request) any {
	a := p.ig[account(r.URL.Query().Get("username_or_id_or_url"))]
	if a == nil {
		return nil
	}
	return obj{"data": obj{"id": a.ID, "username": a.Username, "full_name": a.FullName, "biography": a.Bio,
		"follower_count": a.Followers, "following_count": a.Following, "media_count": len(a.Posts),
		"profile_pic_url": a.Avatar}}
}

func (p *Platform) igItem(x IGPost) obj {
	if p.broken[x.Shortcode] {
		return obj{"caption": obj{"text": x.Caption}}
	}
	it := obj{"code": x.Shortcode, "taken_at": x.TakenAt.Unix(), "like_count": x.Likes, "comment_count": x.Comments,
		"caption": obj{"text": x.Caption}, "is_video": x.Video,
		"image_versions": obj{"items": []obj{{"url": "https://cdn.test/" + x.Shortcode + ".jpg"}}}}
	if x.Video {
		it["video_url"] = "https://cdn.test/" + x.Shortcode + ".mp4"
	}
	return it
}

// igPosts pages 12 posts at a time with a top-level pagination_token.
func (p *Platform) igPosts(_ http.ResponseWriter, r *http.Request) any {
	a := p.ig[account(r.URL.Query().Get("username_or_id_or_url"))]
	if a == nil {
		return nil
	}
	from, _ := strconv.Atoi(r.URL.Query().Get("pagination_token"))
	to := min(from+12, len(a.Posts))
	items := []obj{}
	for _, x := range a.Posts[min(from, to):to] {
		items = append(items, p.igItem(x))
	}
	out := obj{"data": obj{"count": len(items), "items": items}}
	if to < len(a.Posts) {
		out["pagination_token"], out["has_more"] = strconv.Itoa(to), true
	}
	return out
}

func (p *Platform) igLikes(_ http.ResponseWriter, r *http.Request) any {
	code := r.URL.Query().Get("code_or_id_or_url")
	if !p.igKnows(code) {
		return nil
	}
	names := p.likers[code]
	from, _ := strconv.Atoi(r.URL.Query().Get("cursor"))
	to := min(from+likesPageSize, len(names))
	items := []any{}
	for i, n := range names[min(from, to):to] {
		if i%2 == 0 { // both item shapes: an object and a bare string
			items = append(items, obj{"username": n, "full_name": strings.ToUpper(n)})
		} else {
			items = append(items, n)
		}
	}
	data := obj{"items": items}
	if to < len(names) {
		data["next_cursor"] = strconv.Itoa(to)
	}
	return obj{"data": data}
}

func (p *Platform) igKnows(code string) bool {
	for _, a := range p.ig {
		for _, x := range a.Posts {
			if x.Shortcode == code {
				return true
			}
		}
	}
	return false
}

func (p *Platform) igPostInfo(_ http.ResponseWriter, r *http.Request) any {
	code := r.URL.Query().Get("code_or_id_or_url")
	for _, a := range p.ig {
		for _, x := range a.Posts {
			if x.Shortcode == code {
				return obj{"data": p.igItem(x)}
			}
		}
	}
	return nil
}

func (p *Platform) ttUser(r *http.Request) *TTAccount {
	q := r.URL.Query()
	if sec := q.Get("secUid"); sec != "" {
		for _, a := range p.tt {
			if a.SecUID == sec {
				return a
			}
		}
		return nil
	}
	return p.tt[account(q.Get("uniqueId"))]
}

func (p *Platform) ttInfo(_ http.ResponseWriter, r *http.Request) any {
	a := p.ttUser(r)
	if a == nil {
		return nil
	}
	return obj{"userInfo": obj{
		"user":  obj{"uniqueId": a.Username, "nickname": a.Nickname, "secUid": a.SecUID, "avatarThumb": a.Avatar},
		"stats": obj{"followerCount": a.Followers, "followingCount": a.Following, "videoCount": len(a.Videos)}}}
}

func (p *Platform) ttItem(v TTVideo) obj {
	if p.broken[v.ID] {
		return obj{"desc": v.Desc}
	}
	// The count as a string, as the API sometimes sends it.
	return obj{"id": v.ID, "desc": v.Desc, "createTime": v.CreatedAt.Unix(),
		"stats": obj{"diggCount": v.Likes, "commentCount": strconv.Itoa(v.Comments)}}
}

func (p *Platform) ttPosts(_ http.ResponseWriter, r *http.Request) any {
	a := p.ttUser(r)
	if a == nil {
		return nil
	}
	items := []obj{}
	for _, v := range a.Videos {
		items = append(items, p.ttItem(v))
	}
	return obj{"data": obj{"itemList": items, "hasMore": false, "cursor": "0"}}
}

func (p *Platform) ttVideo(id string) (TTVideo, bool) {
	for _, a := range p.tt {
		for _, v := range a.Videos {
			if v.ID == id {
				return v, true
			}
		}
	}
	return TTVideo{}, false
}

func (p *Platform) ttComments(_ http.ResponseWriter, r *http.Request) any {
	id := r.URL.Query().Get("videoId")
	if _, ok := p.ttVideo(id); !ok {
		return nil
	}
	names := p.comments[id]
	count, _ := strconv.Atoi(r.URL.Query().Get("count"))
	from, _ := strconv.Atoi(r.URL.Query().Get("cursor"))
	to := min(from+max(count, 1), len(names))
	items := []obj{}
	for i, n := range names[min(from, to):to] {
		items = append(items, obj{"cid": fmt.Sprintf("%s-%d", id, from+i), "text": "Siap",
			"create_time": time.Now().Unix(), "user": obj{"unique_id": n}})
	}
	return obj{"data": obj{"total": len(names), "comments": items}}
}

func (p *Platform) ttDetail(_ http.ResponseWriter, r *http.Request) any {
	v, ok := p.ttVideo(r.URL.Query().Get("videoId"))
	if !ok {
		return obj{"statusCode": 10204, "statusMsg": "item doesn't exist"}
	}
	return obj{"itemInfo": obj{"itemStruct": p.ttItem(v)}}
}
