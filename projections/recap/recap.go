// Package recap reads the directory and social read models into the
// inputs of the recap texts (internal/recaptext): a client with its
// WhatsApp recipients, its task posts of a day with their engagement
// counts, the attendance of a personnel set, a directorate's units. The
// scheduled recaps (sagas/jobs), the directorate reports
// (sagas/jobs/dirreport) and `cicero recap` read through it, so each text
// is built from the same figures wherever it is sent from.
//
// It reads read models only (never the event store) and imports the
// projections' query packages, internal/recaptext and internal/normalize.
package recap

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/normalize"
	"github.com/cicero/cicero/internal/recaptext"
	"github.com/cicero/cicero/projections"
	"github.com/cicero/cicero/projections/directory"
	"github.com/cicero/cicero/projections/social"
)

// ErrNotFound: the client asked for is not in the directory.
var ErrNotFound = projections.ErrNotFound

// Client is a client as the recaps need it: its recap identity and its
// WhatsApp fields as stored (client_group, client_operator and
// client_super may each hold several values).
type Client struct {
	recaptext.Client
	Type                       string // client_type, lower-cased
	Active                     bool
	InstaOn, TiktokOn, Amplify bool
	Group, Operator, Super     string
}

// Directorate reports whether the client is a directorate.
func (c Client) Directorate() bool { return c.Type == "direktorat" }

func clientOf(c directory.Client) Client {
	return Client{Client: recaptext.Client{ID: c.ClientID, Name: c.Nama, Tiktok: c.ClientTiktok},
		Type: strings.ToLower(strings.TrimSpace(c.ClientType)), Active: c.ClientStatus, InstaOn: c.ClientInstaStatus,
		TiktokOn: c.ClientTiktokStatus, Amplify: c.ClientAmplifyStatus, Group: c.ClientGroup, Operator: c.ClientOperator,
		Super: c.ClientSuper}
}

// Reader reads the recap inputs.
type Reader struct {
	dir    *directory.Queries
	social *social.Queries
}

// New reads through db.
func New(db projections.Querier) *Reader {
	return &Reader{dir: directory.NewQueries(db), social: social.NewQueries(db)}
}

// Client returns one client (id compared case-insensitively); ErrNotFound
// when there is none.
func (r *Reader) Client(ctx context.Context, id string) (Client, error) {
	c, err := r.dir.Client(ctx, id)
	if errors.Is(err, directory.ErrNotFound) {
		return Client{}, fmt.Errorf("client %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return Client{}, err
	}
	return clientOf(c), nil
}

// Clients lists the clients of a type ("" any), active ones only when
// activeOnly, ordered by id.
func (r *Reader) Clients(ctx context.Context, typ string, activeOnly bool) ([]Client, error) {
	cs, err := r.dir.Clients(ctx, directory.ClientFilter{Type: typ, ActiveOnly: activeOnly})
	if err != nil {
		return nil, err
	}
	out := make([]Client, len(cs))
	for i, c := range cs {
		out[i] = clientOf(c)
	}
	return out, nil
}

// kindOf is the engagement a platform's attendance counts.
func kindOf(platform string) string {
	if platform == events.PlatformTiktok {
		return social.KindComment
	}
	return social.KindLike
}

// Posts lists the posts in the client's own feed published on the Jakarta
// day, oldest first, each with how many accounts liked (Instagram) or
// commented on (TikTok) it.
func (r *Reader) Posts(ctx context.Context, clientID, platform, day string) ([]recaptext.Post, error) {
	posts, _, err := r.posts(ctx, social.PostQuery{Platform: platform, Clients: []string{clientID}, From: day, To: day},
		func(p social.FeedPost) bool { return strings.EqualFold(p.ClientID, clientID) }, false)
	return posts, err
}

// TaskPosts lists the posts of a task set in [from, to]: the client's feed,
// and for a directorate also the posts tagged for its role (the set its
// attendance counts, SPEC.md §5.4). With engagers it also returns, per
// post id, the normalised usernames that engaged with it.
func (r *Reader) TaskPosts(ctx context.Context, c Client, platform, from, to string, engagers bool) (
	[]recaptext.Post, map[string]map[string]bool, error) {
	q := social.PostQuery{Platform: platform, Clients: []string{c.ID}, From: from, To: to}
	if c.Directorate() {
		q.Role = strings.ToLower(c.ID)
	}
	return r.posts(ctx, q, func(social.FeedPost) bool { return true }, engagers)
}

func (r *Reader) posts(ctx context.Context, q social.PostQuery, keep func(social.FeedPost) bool, engagers bool) (
	[]recaptext.Post, map[string]map[string]bool, error) {
	feed, err := r.social.Posts(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	out := make([]recaptext.Post, 0, len(feed))
	var who map[string]map[string]bool
	if engagers {
		who = map[string]map[string]bool{}
	}
	for _, p := range feed {
		if !keep(p) {
			continue // tagged for a role the client's name matches, not in its feed
		}
		names, err := r.social.Engagers(ctx, q.Platform, p.PostID, kindOf(q.Platform))
		if err != nil {
			return nil, nil, err
		}
		if engagers {
			set := make(map[string]bool, len(names))
			for _, n := range names {
				set[normalize.Handle(n)] = true
			}
			who[p.PostID] = set
		}
		out = append(out, recaptext.Post{ID: p.PostID, Uploaded: p.PublishedAt, Count: len(names), Caption: p.Caption})
	}
	return out, who, nil
}

// People is the attendance of a client's personnel over the client's task
// posts in [from, to] on platform: for a directorate the holders of role
// (default the client's id), else the client's members, kept to holders of
// role when it is one of the legacy role filters (operator, ditbinmas…).
func (r *Reader) People(ctx context.Context, c Client, platform, role, from, to string) ([]recaptext.Person, error) {
	task := social.ClientTask(c.ID)
	if c.Directorate() {
		task = social.RoleTask(c.ID)
	}
	att, err := r.social.Attendance(ctx, social.AttendanceQuery{Platform: platform, Task: task, From: from, To: to,
		People: social.PeopleFilter{Client: c.ID, Role: strings.ToLower(role), DirectorateClient: c.Directorate()}})
	if err != nil {
		return nil, err
	}
	people, err := r.dir.PersonnelByClient(ctx, c.ID, directory.PersonnelFilter{Role: role})
	if err != nil {
		return nil, err
	}
	jabatan := make(map[string]string, len(people))
	for _, p := range people {
		jabatan[p.UserID] = p.Jabatan
	}
	out := make([]recaptext.Person, 0, len(att.Rows))
	for _, row := range att.Rows {
		out = append(out, recaptext.Person{NRP: row.UserID, Title: row.Title, Name: row.Nama, Division: row.Divisi,
			Jabatan: jabatan[row.UserID], Handle: row.Username, ClientID: row.ClientID, ClientName: row.ClientName,
			Count: row.Done, Exception: row.Exception})
	}
	return out, nil
}

// Absensi is the ORG/operator absensi input of the client's own feed on
// day (spec/social.md §5.2), made at at.
func (r *Reader) Absensi(ctx context.Context, c Client, platform, role, day string, at time.Time) (recaptext.Absensi, error) {
	posts, err := r.Posts(ctx, c.ID, platform, day)
	if err != nil {
		return recaptext.Absensi{}, err
	}
	people, err := r.People(ctx, c, platform, role, day, day)
	if err != nil {
		return recaptext.Absensi{}, err
	}
	return recaptext.Absensi{Client: c.Client, At: at, Posts: posts, People: people}, nil
}

// Member is one active member of the personnel as the directory holds
// them, with the contact fields the reminders use.
type Member struct {
	recaptext.Member
	WhatsApp  string
	OptIn     bool // wa_notification_opt_in
	Exception bool
}

// Members lists the client's active personnel (membership as in People;
// strict keeps only those whose client_id is the client), ordered by name
// and NRP.
func (r *Reader) Members(ctx context.Context, c Client, role string, strict bool) ([]Member, error) {
	ps, err := r.dir.PersonnelByClient(ctx, c.ID, directory.PersonnelFilter{Role: role, Strict: strict})
	if err != nil {
		return nil, err
	}
	out := make([]Member, 0, len(ps))
	for _, p := range ps {
		var cid, cname string
		if p.ClientID != nil {
			cid = *p.ClientID
		}
		if p.ClientName != nil {
			cname = *p.ClientName
		}
		out = append(out, Member{Member: recaptext.Member{NRP: p.UserID, Title: p.Title, Name: p.Nama, Division: p.Divisi,
			Jabatan: p.Jabatan, ClientID: cid, ClientName: cname, Insta: p.Insta, Tiktok: p.Tiktok},
			WhatsApp: p.WhatsApp, OptIn: p.WANotificationOptIn, Exception: p.Exception})
	}
	return out, nil
}
