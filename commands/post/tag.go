package post

import (
	"context"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
)

// TagPostForRole makes the post a task for a directorate role (the legacy
// insta_post_roles / tiktok_post_roles, which the old app never wrote; SPEC
// §5.9). By is the editor. A tag already there changes nothing.
// Refusals: Invalid (platform, post_id, role), NotFound "Konten tidak
// ditemukan" (a post not ingested yet).
type TagPostForRole struct {
	Platform string `json:"platform"`
	PostID   string `json:"post_id"`
	Role     string `json:"role"`
	By       string `json:"-"`
}

func (cmd TagPostForRole) decide(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
	p, v, r, err := loadForTag(ctx, l, cmd.Platform, cmd.PostID, cmd.Role)
	if err != nil || p.Roles[r] {
		return nil, err
	}
	return p.commit(v, events.PostTaggedForRole{Platform: p.Platform, PostID: p.ID, Role: r, By: cmd.By}), nil
}

// UntagPostForRole removes a role tag; a tag not there changes nothing.
// Refusals as TagPostForRole.
type UntagPostForRole struct {
	Platform string `json:"platform"`
	PostID   string `json:"post_id"`
	Role     string `json:"role"`
	By       string `json:"-"`
}

func (cmd UntagPostForRole) decide(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
	p, v, r, err := loadForTag(ctx, l, cmd.Platform, cmd.PostID, cmd.Role)
	if err != nil || !p.Roles[r] {
		return nil, err
	}
	return p.commit(v, events.PostUntaggedForRole{Platform: p.Platform, PostID: p.ID, Role: r, By: cmd.By}), nil
}

func loadForTag(ctx context.Context, l *commands.Loader, platform, id, roleName string) (Post, uint64, string, error) {
	platform, id, err := target(platform, id)
	if err != nil {
		return Post{}, 0, "", err
	}
	r, err := role(roleName)
	if err != nil {
		return Post{}, 0, "", err
	}
	p, v, err := Load(ctx, l, platform, id)
	if err != nil {
		return Post{}, 0, "", err
	}
	if err := p.mustExist(); err != nil {
		return Post{}, 0, "", err
	}
	return p, v, r, nil
}
