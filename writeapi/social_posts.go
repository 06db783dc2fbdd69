package writeapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/post"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/normalize"
	"github.com/cicero/cicero/projections/social"
)

// Messages of the social write routes.
const (
	socialMsgLinkRequired = "link konten wajib diisi"
	socialMsgRoleNotYours = "role hanya dapat diatur oleh admin atau direktorat pemilik role"
)

// PostImporter imports one post by link or id (jobs.SocialImport
// satisfies it: it reads the post from the platform's API and issues
// IngestPost).
type PostImporter interface {
	ImportPost(ctx context.Context, meta commands.Meta, platform, input, clientID string) (postPlatform, postID string, o commands.Outcome, err error)
}

// SocialPosts is what the write routes read to answer with the post.
type SocialPosts interface {
	Post(ctx context.Context, platform, postID string) (social.Post, error)
}

// SocialCommandDeps is everything the social write routes use.
type SocialCommandDeps struct {
	Importer PostImporter
	Posts    *post.Handlers
	Read     SocialPosts
	// WaitForPosts blocks until the social_posts read model has applied
	// positions, so a write answers with the post it produced.
	WaitForPosts Waiter
	Logger       *slog.Logger
}

type socialCmdAPI struct {
	SocialCommandDeps
	writer
}

// MountSocialCommands adds the editors' post routes to r, the /api router:
//   - POST /social/posts/import {platform, link, client_id}: import one post
//     by Instagram shortcode or link, or TikTok video id or link, for a
//     client (operators: their own);
//   - PUT and DELETE /social/posts/{platform}/{post_id}/roles/{role}: make
//     the post a task for a directorate role, or stop it being one (admins
//     any role, directorate users their own).
//
// Each answers the post as the read model shows it after the write.
func MountSocialCommands(r *auth.Router, d SocialCommandDeps) {
	if d.Importer == nil || d.Posts == nil || d.Read == nil {
		panic("writeapi.MountSocialCommands: Importer, Posts and Read are required")
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	a := &socialCmdAPI{d, writer{log: d.Logger, wait: d.WaitForPosts}}
	r.Post("/social/posts/import", auth.Dashboard, a.importPost)
	r.Put("/social/posts/{platform}/{post_id}/roles/{role}", auth.Staff, a.tag(true))
	r.Delete("/social/posts/{platform}/{post_id}/roles/{role}", auth.Staff, a.tag(false))
}

func (a *socialCmdAPI) importPost(w http.ResponseWriter, r *http.Request) {
	p, ok := principalOf(w, r)
	if !ok {
		return
	}
	b, err := decodeBody(w, r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if err := b.unknown(map[string]bool{"platform": true, "link": true, "client_id": true}); err != nil {
		a.fail(w, r, err)
		return
	}
	var platform, link, clientID string
	for _, f := range []struct {
		key string
		dst *string
	}{{"platform", &platform}, {"link", &link}, {"client_id", &clientID}} {
		v, err := b.text(f.key)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		*f.dst = strOr(v)
	}
	if strings.TrimSpace(link) == "" {
		a.fail(w, r, apperr.Invalidf("link", "%s", socialMsgLinkRequired))
		return
	}
	if clientID, err = p.ResolveClient(clientID); err != nil {
		a.fail(w, r, err)
		return
	}
	plat, id, o, err := a.Importer.ImportPost(r.Context(), writeMeta(r, p), platform, link, normalize.ClientID(clientID))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.answerPost(w, r, plat, id, o)
}

func (a *socialCmdAPI) tag(on bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, ok := principalOf(w, r)
		if !ok {
			return
		}
		role := normalize.Role(chi.URLParam(r, "role"))
		if !p.IsAdmin() && !strings.EqualFold(p.Role, role) {
			a.fail(w, r, apperr.New(apperr.Forbidden, socialMsgRoleNotYours))
			return
		}
		platform, id := chi.URLParam(r, "platform"), chi.URLParam(r, "post_id")
		var o commands.Outcome
		var err error
		if on {
			o, err = a.Posts.TagPostForRole(r.Context(), writeMeta(r, p), post.TagPostForRole{Platform: platform, PostID: id, Role: role, By: p.Actor()})
		} else {
			o, err = a.Posts.UntagPostForRole(r.Context(), writeMeta(r, p), post.UntagPostForRole{Platform: platform, PostID: id, Role: role, By: p.Actor()})
		}
		if err != nil {
			a.fail(w, r, err)
			return
		}
		a.answerPost(w, r, platform, id, o)
	}
}

// answerPost answers a write with the post it touched.
func (a *socialCmdAPI) answerPost(w http.ResponseWriter, r *http.Request, platform, id string, o commands.Outcome) {
	status := http.StatusOK
	if len(o.Appended) > 0 && r.Method == http.MethodPost {
		status = http.StatusCreated
	}
	a.done(w, r, written{status: status, ps: o.Positions(), fields: map[string]any{"data": nil},
		fill: func(ctx context.Context, body map[string]any) (bool, error) {
			row, err := a.Read.Post(ctx, platformOf(platform), id)
			if errors.Is(err, social.ErrNotFound) {
				return false, nil
			}
			body["data"] = row
			return err == nil, err
		}})
}

func platformOf(p string) string {
	switch strings.ToLower(p) {
	case "tt", "tiktok":
		return "tiktok"
	}
	return "instagram"
}
