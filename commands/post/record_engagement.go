package post

import (
	"context"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
)

// RecordLikes records who liked the post, as one fetch saw them: the
// usernames are normalised (trimmed, without "@", lower-case) and those
// already recorded are dropped; the rest → one LikesRecorded, first seen at
// ObservedAt. A fetch that finds nobody new appends nothing, so repeating a
// fetch (or a crashed one) records every like once. Only real likers are
// recorded: exempt personnel count as done in attendance, not here.
// Refusals: Invalid (platform, post_id, observed_at), NotFound "Konten
// tidak ditemukan".
type RecordLikes struct {
	Platform    string    `json:"platform"`
	PostID      string    `json:"post_id"`
	Usernames   []string  `json:"usernames"`
	ObservedAt  time.Time `json:"observed_at"`
	WindowStart time.Time `json:"window_start"`
	WindowEnd   time.Time `json:"window_end"`
}

func (cmd RecordLikes) decide(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
	p, v, fresh, err := newEngagers(ctx, l, cmd.Platform, cmd.PostID, cmd.Usernames, cmd.ObservedAt, func(p Post) map[string]bool { return p.Likers })
	if err != nil || len(fresh) == 0 {
		return nil, err
	}
	return p.commit(v, events.LikesRecorded{Platform: p.Platform, PostID: p.ID, Usernames: fresh,
		ObservedAt: cmd.ObservedAt.UTC(), WindowStart: utcOr(cmd.WindowStart, cmd.ObservedAt), WindowEnd: utcOr(cmd.WindowEnd, cmd.ObservedAt)}), nil
}

// RecordComments is RecordLikes for the accounts that commented.
type RecordComments struct {
	Platform    string    `json:"platform"`
	PostID      string    `json:"post_id"`
	Usernames   []string  `json:"usernames"`
	ObservedAt  time.Time `json:"observed_at"`
	WindowStart time.Time `json:"window_start"`
	WindowEnd   time.Time `json:"window_end"`
}

func (cmd RecordComments) decide(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
	p, v, fresh, err := newEngagers(ctx, l, cmd.Platform, cmd.PostID, cmd.Usernames, cmd.ObservedAt, func(p Post) map[string]bool { return p.Commenters })
	if err != nil || len(fresh) == 0 {
		return nil, err
	}
	return p.commit(v, events.CommentsRecorded{Platform: p.Platform, PostID: p.ID, Usernames: fresh,
		ObservedAt: cmd.ObservedAt.UTC(), WindowStart: utcOr(cmd.WindowStart, cmd.ObservedAt), WindowEnd: utcOr(cmd.WindowEnd, cmd.ObservedAt)}), nil
}

// newEngagers loads the post and returns the normalised usernames not yet
// in its set, in the order the fetch gave them.
func newEngagers(ctx context.Context, l *commands.Loader, platform, id string, names []string, observed time.Time,
	known func(Post) map[string]bool) (Post, uint64, []string, error) {
	platform, id, err := target(platform, id)
	if err != nil {
		return Post{}, 0, nil, err
	}
	if observed.IsZero() {
		return Post{}, 0, nil, invalid("observed_at", msgObservedAt)
	}
	p, v, err := Load(ctx, l, platform, id)
	if err != nil {
		return Post{}, 0, nil, err
	}
	if err := p.mustExist(); err != nil {
		return Post{}, 0, nil, err
	}
	seen := known(p)
	var fresh []string
	for _, u := range usernames(names) {
		if !seen[u] {
			fresh = append(fresh, u)
		}
	}
	return p, v, fresh, nil
}

func utcOr(t, def time.Time) time.Time {
	if t.IsZero() {
		return def.UTC()
	}
	return t.UTC()
}
