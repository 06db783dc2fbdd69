package demo

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/cicero/cicero/internal/normalize"
)

// Platforms, as the post and account commands name them.
const (
	Instagram = "instagram"
	Tiktok    = "tiktok"
)

// DirectorateID is the directorate client every plan has.
const DirectorateID = "DITBINMAS"

// Client is one client with its official accounts.
type Client struct {
	ID, Name, Type string
	Insta, Tiktok  string // official usernames, normalised
	Profiles       []Profile
}

// Profile is an official account's profile as a fetch observes it.
type Profile struct {
	Platform, Username, FullName, Bio string
	Followers, Following, Posts       int
	Verified                          bool
}

// Person is one member of personnel, with fields typed as people type
// them; InstaNorm and TiktokNorm are the forms the directory stores.
type Person struct {
	NRP, Name, Title, Divisi, Jabatan, ClientID, WhatsApp string
	Insta, Tiktok                                         string
	InstaNorm, TiktokNorm                                 string
	Roles                                                 []string
	Exception                                             bool
}

// Login is a demo dashboard account (password: Options.Password).
type Login struct {
	Username, Role string
	ClientIDs      []string
}

// Post is one official post with what its fetches see.
type Post struct {
	Platform, ID, ClientID, Account, Caption, ImageURL string
	PublishedAt                                        time.Time
	// Engagers is how many distinct accounts like it (Instagram) or
	// comment on it (TikTok) by the last round.
	Engagers int
	Rounds   []Round
	// SharedWith is a second client whose feed also lists the post (a
	// collaboration post belongs to both); "" for most posts.
	SharedWith string
	// Roles are the directorate roles the post is tagged as a task for.
	Roles []string
	// Withdrawn: the post left its client's feed after the last round.
	Withdrawn bool
}

// Round is one fetch of a post: when, the counts the feed shows, and how
// many engagers it has seen in all so far.
type Round struct {
	ObservedAt, WindowStart time.Time
	Likes, Comments         int
	Seen                    int
}

// Plan is the whole data set of one set of Options.
type Plan struct {
	Options Options
	Clients []Client
	People  []Person
	Logins  []Login
	Posts   []Post
	days    []time.Time
	// pools lists, per client and platform, the normalised handles of the
	// personnel who engage with its posts.
	pools map[string][]string
	// outsiders is the size of the space of non-personnel accounts.
	outsiders int
}

// New validates o and plans its data set.
func New(o Options) (*Plan, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	end, _ := o.endDay()
	p := &Plan{Options: o, pools: map[string][]string{}}
	for d := o.Days - 1; d >= 0; d-- {
		p.days = append(p.days, end.AddDate(0, 0, -d))
	}
	p.planClients()
	p.planPeople()
	p.planLogins()
	p.planPosts()
	return p, nil
}

// Engagements is the total of distinct engagers over all posts.
func (p *Plan) Engagements() int {
	n := 0
	for _, post := range p.Posts {
		n += post.Engagers
	}
	return n
}

// rng is the generator of one item: the seed and the item's kind and
// index, nothing else, so an item comes out the same in any order.
func (p *Plan) rng(kind string, i int) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(kind))
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(i))
	h.Write(b[:])
	return rand.New(rand.NewPCG(p.Options.Seed, h.Sum64()))
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func (p *Plan) planClients() {
	for i := range p.Options.Clients {
		r := p.rng("client", i)
		key := fmt.Sprintf("DEMO%02d", i+1)
		if i < len(polres) {
			key = polres[i]
		}
		low := strings.ToLower(key)
		c := Client{ID: key, Name: "POLRES " + key, Type: "org", Insta: "polres_" + low, Tiktok: "polres" + low}
		c.Profiles = profiles(r, c)
		p.Clients = append(p.Clients, c)
	}
	c := Client{ID: DirectorateID, Name: "DIREKTORAT BINMAS", Type: "direktorat", Insta: "ditbinmas.jatim", Tiktok: "ditbinmasjatim"}
	c.Profiles = profiles(p.rng("client", -1), c)
	p.Clients = append(p.Clients, c)
}

func profiles(r *rand.Rand, c Client) []Profile {
	return []Profile{
		{Platform: Instagram, Username: c.Insta, FullName: c.Name, Bio: "Akun resmi " + c.Name + " #PolriPresisi",
			Followers: 2000 + r.IntN(80000), Following: 50 + r.IntN(500), Posts: 300 + r.IntN(3000), Verified: r.IntN(3) == 0},
		{Platform: Tiktok, Username: c.Tiktok, FullName: c.Name, Bio: "Official TikTok " + c.Name,
			Followers: 1000 + r.IntN(50000), Following: 10 + r.IntN(200), Posts: 100 + r.IntN(1500)},
	}
}

// nrpPrefix keeps different seeds' personnel apart on one system.
func (p *Plan) nrpPrefix() int { return 1000 + p.rng("nrp", 0).IntN(9000) }

func (p *Plan) planPeople() {
	prefix := p.nrpPrefix()
	for i := range p.Options.Personnel {
		r := p.rng("person", i)
		first, last := pick(r, firstNames), pick(r, lastNames)
		c := p.Clients[i%len(p.Clients)]
		person := Person{NRP: fmt.Sprintf("%d%06d", prefix, i), Name: first + " " + last, Title: pick(r, titles),
			Divisi: pick(r, divisions), Jabatan: pick(r, positions), ClientID: c.ID}
		if r.IntN(10) > 0 {
			person.WhatsApp = fmt.Sprintf("0812%08d", r.IntN(100_000_000))
		}
		person.InstaNorm, person.Insta = typedHandle(r, fmt.Sprintf("%s.%d", first, i), "https://www.instagram.com/%s/")
		person.TiktokNorm, person.Tiktok = typedHandle(r, fmt.Sprintf("%s_%d", first, i), "https://www.tiktok.com/@%s")
		person.Exception = r.IntN(100) < 3
		person.Roles = roles(r, c.Type == "direktorat")
		p.People = append(p.People, person)
		if person.Exception {
			continue // exempt: counted as done, they do not engage
		}
		for _, target := range p.targets(c.ID, person.Roles) {
			if person.InstaNorm != "" {
				p.pools[target+"|"+Instagram] = append(p.pools[target+"|"+Instagram], person.InstaNorm)
			}
			if person.TiktokNorm != "" {
				p.pools[target+"|"+Tiktok] = append(p.pools[target+"|"+Tiktok], person.TiktokNorm)
			}
		}
	}
}

// targets are the clients whose posts a person engages with: their own,
// and the directorate's when they hold its role.
func (p *Plan) targets(clientID string, roles []string) []string {
	out := []string{clientID}
	if clientID == DirectorateID {
		return out
	}
	for _, r := range roles {
		if normalize.Role(r) == "ditbinmas" {
			out = append(out, DirectorateID)
		}
	}
	return out
}

// typedHandle returns a handle and the way its owner typed it: as stored,
// with "@", upper or mixed case, padded with spaces, as a profile link, or
// not at all (empty).
func typedHandle(r *rand.Rand, h, link string) (norm, typed string) {
	switch n := r.IntN(100); {
	case n < 8:
		return "", ""
	case n < 16:
		return h, "@" + h
	case n < 24:
		return h, strings.ToUpper(h)
	case n < 32:
		return h, mixedCase(h)
	case n < 38:
		return h, "  " + h + " "
	case n < 42:
		return h, fmt.Sprintf(link, h)
	default:
		return h, h
	}
}

func mixedCase(s string) string {
	b := []byte(s)
	for i := 0; i < len(b); i += 2 {
		if b[i] >= 'a' && b[i] <= 'z' {
			b[i] -= 'a' - 'A'
		}
	}
	return string(b)
}

// roles draws from the closed set, typed in assorted case: the
// directorate's own people hold its role; in a Polres some are operators
// and some hold a directorate role.
func roles(r *rand.Rand, directorate bool) []string {
	if directorate {
		return []string{pick(r, []string{"ditbinmas", "DITBINMAS", " Ditbinmas "})}
	}
	var out []string
	if r.IntN(100) < 8 {
		out = append(out, pick(r, []string{"operator", "Operator"}))
	}
	switch n := r.IntN(100); {
	case n < 15:
		out = append(out, pick(r, []string{"ditbinmas", "DITBINMAS"}))
	case n < 18:
		out = append(out, "ditlantas")
	case n < 20:
		out = append(out, "bidhumas")
	case n < 21:
		out = append(out, "ditsamapta")
	case n < 22:
		out = append(out, "ditintelkam")
	}
	return out
}

func (p *Plan) planLogins() {
	all := make([]string, 0, len(p.Clients))
	for _, c := range p.Clients {
		all = append(all, c.ID)
	}
	p.Logins = []Login{
		{Username: "demo_admin", Role: "admin", ClientIDs: all},
		{Username: "demo_operator", Role: "operator", ClientIDs: []string{p.Clients[0].ID}},
		{Username: "demo_ditbinmas", Role: "ditbinmas", ClientIDs: []string{DirectorateID}},
	}
}

// SetupAt is when the directory entries and logins "happened": 08:00
// Jakarta the day before the first day of posts.
func (p *Plan) SetupAt() time.Time { return p.days[0].AddDate(0, 0, -1).Add(8 * time.Hour) }

// Days are the days of posts, midnight Jakarta, oldest first.
func (p *Plan) Days() []time.Time { return p.days }
