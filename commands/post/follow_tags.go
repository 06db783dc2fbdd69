package post

import (
	"context"
	"fmt"
	"strings"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
)

// FollowImportedTags brings a post's role tags to the set the old
// system's row has now (`cicero import-v2`, first run and reruns alike),
// where that set moved since the importer last set it: a tag that
// appeared there is added, one removed there is removed, and a tag an
// editor added or removed here on a role the old row left alone stays as
// the editor left it. By is the importer: its tag events are "what was
// last imported". Refusals as TagPostForRole.
type FollowImportedTags struct {
	Platform string
	PostID   string
	Roles    []string
	By       string
}

func (cmd FollowImportedTags) decide(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
	platform, id, err := target(cmd.Platform, cmd.PostID)
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, r := range cmd.Roles {
		n, err := role(r)
		if err != nil {
			return nil, err
		}
		want[n] = true
	}
	by := strings.TrimSpace(cmd.By)
	if by == "" {
		return nil, invalid("by", "by wajib diisi")
	}
	envs, v, err := l.Load(ctx, events.PostSubject(platform, id))
	if err != nil {
		return nil, fmt.Errorf("load post: %w", err)
	}
	// One pass folds the post and the tags as the importer last set them.
	p, imported := newPost(platform, id), map[string]bool{}
	for i := range envs {
		ev, err := l.Registry().Decode(&envs[i])
		if err != nil {
			return nil, fmt.Errorf("load post: %w", err)
		}
		p.Apply(ev)
		switch e := ev.(type) {
		case *events.PostTaggedForRole:
			if e.By == by {
				imported[e.Role] = true
			}
		case *events.PostUntaggedForRole:
			if e.By == by {
				imported[e.Role] = false
			}
		}
	}
	if err := p.mustExist(); err != nil {
		return nil, err
	}
	var evs []events.Payload
	for _, r := range DirectorateRoles { // a fixed order: the same decision every time
		switch {
		case want[r] && !imported[r] && !p.Roles[r]:
			evs = append(evs, events.PostTaggedForRole{Platform: p.Platform, PostID: p.ID, Role: r, By: by})
		case !want[r] && imported[r] && p.Roles[r]:
			evs = append(evs, events.PostUntaggedForRole{Platform: p.Platform, PostID: p.ID, Role: r, By: by})
		}
	}
	if len(evs) == 0 {
		return nil, nil
	}
	return p.commit(v, evs...), nil
}

// FollowImportedTags → PostTaggedForRole / PostUntaggedForRole for the
// roles whose old tag moved (nothing when none did).
func (h *Handlers) FollowImportedTags(ctx context.Context, meta commands.Meta, cmd FollowImportedTags) (commands.Outcome, error) {
	return h.rt.Handle(ctx, "post.FollowImportedTags", meta, cmd.decide)
}
