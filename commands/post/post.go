// Package post is the post aggregate of the SOCIAL context: one official
// Instagram post or TikTok video, the clients whose accounts published it,
// its role tags, and who liked or commented on it. Subject
// social.<ig|tt>.post.<id>. Its commands (one file each) decide from the
// post's own events (and the client's, to check it exists); handlers.go
// lists them. The fetch jobs and the editors' routes issue them.
package post

import (
	"context"
	"fmt"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
)

// Post is the state of one post, folded from its events.
type Post struct {
	Platform    string
	ID          string
	Ingested    bool
	Account     string
	PublishedAt time.Time
	Likes       int
	Comments    int
	// Clients maps each client that ingested the post to whether the post
	// is still in its feed (false once withdrawn for it).
	Clients map[string]bool
	Roles   map[string]bool
	// Likers and Commenters are every account seen engaging, normalised.
	Likers     map[string]bool
	Commenters map[string]bool
}

// New is the state of a post before its first event (the audit folds a
// post's history from it).
func New(platform, id string) Post { return newPost(platform, id) }

func newPost(platform, id string) Post {
	return Post{Platform: platform, ID: id, Clients: map[string]bool{}, Roles: map[string]bool{},
		Likers: map[string]bool{}, Commenters: map[string]bool{}}
}

// Apply folds one event into the state.
func (p *Post) Apply(ev events.Payload) {
	switch e := ev.(type) {
	case *events.PostIngested:
		p.Ingested = true
		p.Clients[e.ClientID] = true
		if p.Account == "" {
			p.Account = e.Account
		}
		p.PublishedAt, p.Likes, p.Comments = e.PublishedAt, e.Likes, e.Comments
	case *events.PostStatsObserved:
		p.Likes, p.Comments = e.Likes, e.Comments
	case *events.PostWithdrawn:
		if _, ok := p.Clients[e.ClientID]; ok {
			p.Clients[e.ClientID] = false
		}
	case *events.PostTaggedForRole:
		p.Roles[e.Role] = true
	case *events.PostUntaggedForRole:
		delete(p.Roles, e.Role)
	case *events.LikesRecorded:
		for _, u := range e.Usernames {
			p.Likers[u] = true
		}
	case *events.CommentsRecorded:
		for _, u := range e.Usernames {
			p.Commenters[u] = true
		}
	}
}

// Load reads and folds the post through the command's loader and returns
// it with its version. The fold continues from the state the runtime kept
// of the post's last decision (commands.Fold): a post's history grows by an
// event per fetch, and decoding all of it for every fetch made recording
// likes slower with every batch. The decision must not change the post.
func Load(ctx context.Context, l *commands.Loader, platform, id string) (Post, uint64, error) {
	reg := l.Registry()
	p, v, err := commands.Fold(ctx, l, events.PostSubject(platform, id), func() Post { return newPost(platform, id) },
		func(p *Post, env *events.Envelope) error {
			ev, err := reg.Decode(env)
			if err != nil {
				return err
			}
			p.Apply(ev)
			return nil
		})
	if err != nil {
		return Post{}, 0, fmt.Errorf("load post: %w", err)
	}
	return p, v, nil
}

// mustExist refuses commands on a post that was never ingested.
func (p Post) mustExist() error {
	if !p.Ingested {
		return &apperr.Error{Code: apperr.NotFound, Field: "post_id", Message: msgPostNotFound}
	}
	return nil
}

// commit wraps events for the post's own subject at version v.
func (p Post) commit(v uint64, evs ...events.Payload) []events.Commit {
	return []events.Commit{{Subject: events.PostSubject(p.Platform, p.ID), AggregateID: p.ID, Expected: v, Events: evs}}
}
