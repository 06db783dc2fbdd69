package demo

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// Fetch is one round of a post's fetch as commands: the counts the feed
// shows, then the usernames it lists, in batches that each fit one event.
type Fetch struct {
	Round
	Batches []Batch
}

// Batch is the usernames of one RecordLikes (Instagram) or RecordComments
// (TikTok), spelled as an API returns them (with "@", in any case,
// padded); New of them are not recorded yet, the rest were listed by an
// earlier fetch (perhaps spelled otherwise) and must be dropped.
type Batch struct {
	Usernames []string
	New       int
}

// Engagers returns post i's engagers, normalised and distinct, in the
// order fetches first see them: personnel of the client (a share of those
// with a handle who are not exempt) and other accounts.
func (p *Plan) Engagers(i int) []string {
	post := p.Posts[i]
	r := p.rng("engagers|"+p.Options.EndDate, i)
	pool := p.pools[post.ClientID+"|"+post.Platform]
	n := post.Engagers
	share := 0.55 + 0.4*r.Float64()
	k := min(len(pool), n, int(share*float64(len(pool))+0.5))
	out := make([]string, 0, n)
	for _, x := range r.Perm(len(pool))[:k] {
		out = append(out, pool[x])
	}
	space := max(p.outsiders, n)
	start := r.IntN(space)
	for m := 0; len(out) < n; m++ {
		out = append(out, outsider((start+m)%space))
	}
	r.Shuffle(len(out), func(a, b int) { out[a], out[b] = out[b], out[a] })
	return out
}

// outsider is the k-th account that is not personnel: adjective.noun<n>,
// a distinct name for every k, never a personnel handle (one separator).
func outsider(k int) string {
	a, b := len(adjectives), len(nouns)
	return adjectives[k%a] + "." + nouns[(k/a)%b] + strconv.Itoa(k/(a*b))
}

// Fetches plans post i's fetch rounds. maxBytes bounds the normalised
// usernames one event carries (their JSON), besides MaxNamesPerEvent.
func (p *Plan) Fetches(i, maxBytes int) []Fetch {
	post := p.Posts[i]
	names := p.Engagers(i)
	r := p.rng("fetch|"+p.Options.EndDate, i)
	out := make([]Fetch, len(post.Rounds))
	from := 0
	for ri, rd := range post.Rounds {
		out[ri].Round = rd
		for _, c := range chunks(names[from:rd.Seen], maxBytes) {
			lo := from + c[0]
			hi := from + c[1]
			again := names[max(0, lo-resendMax):lo]
			b := Batch{Usernames: make([]string, 0, len(again)+hi-lo), New: hi - lo}
			for _, u := range again {
				b.Usernames = append(b.Usernames, spell(r, u, post.Platform))
			}
			for _, u := range names[lo:hi] {
				b.Usernames = append(b.Usernames, spell(r, u, post.Platform))
			}
			out[ri].Batches = append(out[ri].Batches, b)
		}
		from = rd.Seen
	}
	return out
}

// chunks cuts names into [lo, hi) ranges whose JSON array fits maxBytes
// and holds at most MaxNamesPerEvent.
func chunks(names []string, maxBytes int) [][2]int {
	var out [][2]int
	lo, size := 0, 0
	for i, u := range names {
		w := len(u) + 3 // quotes and comma
		if i > lo && (size+w > maxBytes || i-lo >= MaxNamesPerEvent) {
			out = append(out, [2]int{lo, i})
			lo, size = i, 0
		}
		size += w
	}
	if lo < len(names) {
		out = append(out, [2]int{lo, len(names)})
	}
	return out
}

// spell writes a normalised username the ways scraped lists hold them.
// TikTok commenters often come with "@" (the legacy store kept "@lower").
func spell(r *rand.Rand, u, platform string) string {
	n := r.IntN(100)
	if platform == Tiktok && n < 30 {
		return "@" + u
	}
	switch {
	case n < 55:
		return u
	case n < 65:
		return "@" + u
	case n < 73:
		return strings.ToUpper(u)
	case n < 80:
		return mixedCase(u)
	case n < 88:
		return " " + u + "  "
	case n < 93:
		return "@" + strings.ToUpper(u)
	default:
		return "\t" + u
	}
}
