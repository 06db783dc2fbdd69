package person

import (
	"context"
	"strings"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
)

// SetHandle sets (or, with "", clears) the person's Instagram or TikTok
// username. Platform is "instagram" (also "ig", "insta") or "tiktok" (also
// "tt"); the handle is stored lower-case without '@', taken from a profile
// link when one is given. Setting the handle already stored appends nothing.
// Uniqueness across personnel is not checked here: it would need a read
// model or a handle-reservation aggregate (left to the caller for now).
// Refusals: NotFound, Invalid "platform tidak valid" or the platform's
// username message (and "username … tidak valid" for the Super Admin's
// reserved handle).
type SetHandle struct {
	NRP      string `json:"user_id"`
	Platform string `json:"platform"`
	Handle   string `json:"handle"`
}

func (cmd SetHandle) decide(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
	platform, err := parsePlatform(cmd.Platform)
	if err != nil {
		return nil, err
	}
	parse, cur := parseInsta, func(p Person) string { return p.Insta }
	if platform == events.PlatformTiktok {
		parse, cur = parseTiktok, func(p Person) string { return p.Tiktok }
	}
	h, err := parse(cmd.Handle)
	if err != nil {
		return nil, err
	}
	p, v, err := loadExisting(ctx, l, cmd.NRP)
	if err != nil {
		return nil, err
	}
	if cur(p) == h {
		return nil, nil
	}
	return p.commit(v, events.PersonHandleChanged{NRP: p.NRP, Platform: platform, Handle: h}), nil
}

func parsePlatform(s string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case events.PlatformInstagram, "ig", "insta":
		return events.PlatformInstagram, nil
	case events.PlatformTiktok, "tt":
		return events.PlatformTiktok, nil
	}
	return "", invalid("platform", msgPlatformInvalid)
}
