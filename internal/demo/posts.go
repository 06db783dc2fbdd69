package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// MaxNamesPerEvent caps the usernames one RecordLikes/RecordComments of
// the seed records: about what one fetch of a busy post pages through. The
// server's payload limit allows far more (Batches also keeps under it), but
// an event that large would weigh on every reader that folds or caches the
// post's history.
const MaxNamesPerEvent = 5_000

// resendMax bounds how many already-recorded usernames a later fetch
// lists again: all of them for an ordinary post (the fetch's growing set),
// the latest ones for a huge post, so the work stays linear.
const resendMax = 2_000

func (p *Plan) planPosts() {
	counts := p.spread()
	nC := len(p.Clients)
	for j := range p.Options.Posts {
		r := p.rng("post|"+p.Options.EndDate, j)
		k := j / len(p.days)
		c := p.Clients[k%nC]
		post := Post{Platform: Instagram, ClientID: c.ID, Account: c.Insta, Engagers: counts[j]}
		if (k+k/nC)%2 == 1 {
			post.Platform, post.Account = Tiktok, c.Tiktok
		}
		post.ID = postID(r, post.Platform)
		post.PublishedAt = publishedAt(r, p.days[j%len(p.days)], j)
		post.Caption = fmt.Sprintf("%s %s %s #PolriPresisi #%s", pick(r, activities), strings.ToLower(c.Name),
			post.PublishedAt.In(p.days[0].Location()).Format("02/01/2006"), strings.ToLower(c.ID))
		post.ImageURL = "https://picsum.photos/seed/" + post.ID + "/640/640"
		post.Rounds = rounds(r, post)
		p.extras(&post, j, k)
		p.Posts = append(p.Posts, post)
		p.outsiders = max(p.outsiders, post.Engagers)
	}
	p.outsiders = max(p.outsiders, 20_000)
}

// extras marks the cases recaps must get right, by the post's index so
// even a small plan has each: 1 in 25 Polres posts also in the next
// Polres's feed, 1 in 8 tagged as a task for ditbinmas and 1 in 40 for
// ditlantas, and 1 in 20 withdrawn from its client's feed (never a shared
// one, so each case stays readable).
func (p *Plan) extras(post *Post, j, k int) {
	orgs := len(p.Clients) - 1 // the directorate is last
	owner := k % len(p.Clients)
	if owner >= orgs {
		return
	}
	if orgs > 1 && j%25 == 3 {
		post.SharedWith = p.Clients[(owner+1)%orgs].ID
	}
	if j%8 == 5 {
		post.Roles = append(post.Roles, "ditbinmas")
	}
	if j%40 == 7 {
		post.Roles = append(post.Roles, "ditlantas")
	}
	if post.SharedWith == "" && j%20 == 11 {
		post.Withdrawn = true
	}
}

// Client returns the client with id (ok false when the plan has none).
func (p *Plan) Client(id string) (Client, bool) {
	for _, c := range p.Clients {
		if c.ID == id {
			return c, true
		}
	}
	return Client{}, false
}

const shortcodeAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"

func postID(r *rand.Rand, platform string) string {
	if platform == Tiktok {
		return fmt.Sprintf("73%017d", r.Int64N(1e17))
	}
	b := make([]byte, 11)
	for i := range b {
		b[i] = shortcodeAlphabet[r.IntN(len(shortcodeAlphabet))]
	}
	return "D" + string(b)
}

// publishedAt spreads posts through the Jakarta day, with some in the
// first and last five minutes (the day boundary is where recaps go wrong).
func publishedAt(r *rand.Rand, day time.Time, j int) time.Time {
	switch j % 20 {
	case 0:
		return day.Add(time.Duration(r.IntN(300)) * time.Second)
	case 1:
		return day.Add(23*time.Hour + 55*time.Minute + time.Duration(r.IntN(300))*time.Second)
	default:
		return day.Add(5*time.Hour + time.Duration(r.IntN(18*3600))*time.Second)
	}
}

// rounds plans 2–4 fetches of a post: each sees more engagers and higher
// counts than the last, the last sees them all.
func rounds(r *rand.Rand, post Post) []Round {
	n := 2 + r.IntN(3)
	fracs := make([]float64, n)
	for i := range n - 1 {
		fracs[i] = 0.3 + 0.7*r.Float64()
	}
	fracs[n-1] = 1
	sortFloats(fracs)
	e := post.Engagers
	var likes, comments int
	if post.Platform == Instagram {
		likes, comments = e+r.IntN(e/10+5), r.IntN(e/20+10)
	} else {
		likes, comments = 3*e+20+r.IntN(2*e+50), e+r.IntN(e/5+5)
	}
	out := make([]Round, n)
	at := post.PublishedAt.Add(time.Duration(10+r.IntN(30)) * time.Minute)
	prev := post.PublishedAt
	for i, f := range fracs {
		seen := int(f*float64(e) + 0.5)
		if i == n-1 {
			seen = e
		}
		rd := Round{ObservedAt: at, WindowStart: prev, Seen: seen,
			Likes: int(f * float64(likes)), Comments: int(f * float64(comments))}
		if post.Platform == Instagram {
			rd.Likes = max(rd.Likes, seen)
		} else {
			rd.Comments = max(rd.Comments, seen)
		}
		out[i] = rd
		prev, at = at, at.Add(time.Duration(30+r.IntN(180))*time.Minute)
	}
	return out
}

func sortFloats(xs []float64) {
	for i := 1; i < len(xs); i++ {
		for j := i; j > 0 && xs[j] < xs[j-1]; j-- {
			xs[j], xs[j-1] = xs[j-1], xs[j]
		}
	}
}

// spread divides Options.Engagements over the posts by random weights,
// exactly, none above MaxEngagersPerPost (Validate made that possible).
func (p *Plan) spread() []int {
	n, total := p.Options.Posts, p.Options.Engagements
	w := make([]float64, n)
	sum := 0.0
	for j := range w {
		w[j] = 0.25 + 1.5*p.rng("weight|"+p.Options.EndDate, j).Float64()
		sum += w[j]
	}
	out := make([]int, n)
	left := total
	for j := range out {
		out[j] = min(int(float64(total)*w[j]/sum), MaxEngagersPerPost)
		left -= out[j]
	}
	for j := 0; left > 0; j = (j + 1) % n {
		if out[j] < MaxEngagersPerPost {
			add := min(left, MaxEngagersPerPost-out[j], max(1, left/n))
			out[j] += add
			left -= add
		}
	}
	return out
}
